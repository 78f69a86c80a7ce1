import { RuleIssue, SrmIipRule } from '../engine/rule';
import { boolOf, describe } from '../engine/values';
import { internetFacingZoneNames, publicAddressAllowed, readZones, whyNotInternetFacing } from './network-model';

/**
 * SRM-IIP-NET-03: only subnets of an internet-facing zone give instances a
 * public IPv4 address at launch. `MapPublicIpOnLaunch` defaults to false for
 * subnets of a non-default VPC.
 */
export const SubnetNoPublicIpOutsideIngress: SrmIipRule = {
  id: 'SubnetNoPublicIpOutsideIngress',
  controlId: 'SRM-IIP-NET-03',
  summary: 'Subnets map public IP addresses on launch only in an internet-facing zone',
  resourceTypes: ['AWS::EC2::Subnet'],
  check(r, ctx) {
    const alts = r.stack.resolver.get(r, 'MapPublicIpOnLaunch');
    const maps = alts.filter((a) => boolOf(a) === true);
    const unreadable = alts.find((a) => a.kind !== 'absent' && boolOf(a) === undefined);
    if (maps.length === 0 && !unreadable) return [];
    const zones = readZones(r, ctx);
    const bad = zones.find((z) => z.kind !== 'unknown' && !publicAddressAllowed(true, z.kind === 'zone' && z.internetFacing));
    const unknownZone = zones.find((z) => z.kind === 'unknown');
    const issues: RuleIssue[] = [];
    if (maps.length > 0 && bad) {
      issues.push({
        resource: r,
        kind: 'violation',
        location: 'MapPublicIpOnLaunch',
        message: `subnet maps a public IP address to every instance launched in it (MapPublicIpOnLaunch ${describe(maps[0])}), but ${whyNotInternetFacing(bad)}; only subnets of an internet-facing zone (${internetFacingZoneNames(ctx)}) may`,
      });
    } else if (maps.length > 0 && unknownZone && unknownZone.kind === 'unknown') {
      issues.push({
        resource: r,
        kind: 'unverifiable',
        location: 'Tags',
        message: `cannot verify that this subnet, which maps public IP addresses on launch, is in an internet-facing zone: its zone tag is ${unknownZone.reason}`,
      });
    } else if (unreadable && (bad || unknownZone)) {
      issues.push({
        resource: r,
        kind: 'unverifiable',
        location: 'MapPublicIpOnLaunch',
        message: `cannot verify MapPublicIpOnLaunch: its value is ${describe(unreadable)}, and the subnet is not shown to be in an internet-facing zone`,
      });
    }
    return issues;
  },
};
