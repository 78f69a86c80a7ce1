import { RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, stringOf } from '../engine/values';
import {
  cidrAlternatives,
  describeTraffic,
  describeZone,
  groupZones,
  internetFacingZoneNames,
  isAnywhereCidr,
  nameOf,
  normalizeIpProtocol,
  readSecurityGroupRules,
  RULE_CIDR_FIELDS,
  ruleField,
  ruleLocation,
  SECURITY_GROUP_TYPES,
  securityGroupRuleTraffic,
  Traffic,
  unreadableRuleIssue,
} from './network-model';

/** The only ports that may be open to the internet: HTTPS, and MQTT over TLS for devices. */
export const PUBLIC_INGRESS_PORTS: readonly number[] = [443, 8883];

/** Whether traffic from the internet may use this protocol and port range (TCP, exactly 443 or exactly 8883). */
export function isPublicIngressPort(protocol: string | number, fromPort?: number, toPort?: number): boolean {
  return normalizeIpProtocol(protocol) === 'tcp' && fromPort !== undefined && fromPort === toPort && PUBLIC_INGRESS_PORTS.includes(fromPort);
}

/**
 * SRM-IIP-NET-02: no ingress from `0.0.0.0/0` or `::/0` except TCP 443 and
 * 8883 into a security group whose zone is internet-facing. Reads inline
 * rules and standalone `AWS::EC2::SecurityGroupIngress` (the group may sit in
 * another stack). Rules from security groups or prefix lists are not
 * internet ingress and are not this rule's concern.
 */
export const SecurityGroupNoPublicIngress: SrmIipRule = {
  id: 'SecurityGroupNoPublicIngress',
  controlId: 'SRM-IIP-NET-02',
  summary: 'Security groups admit internet traffic only on TCP 443 or 8883, and only in an internet-facing zone',
  resourceTypes: SECURITY_GROUP_TYPES.filter((t) => t !== 'AWS::EC2::SecurityGroupEgress'),
  check(r, ctx) {
    const issues: RuleIssue[] = [];
    for (const e of readSecurityGroupRules(r)) {
      if (e.direction !== 'ingress') continue;
      if (e.unreadable) {
        issues.push(unreadableRuleIssue(e));
        continue;
      }
      const open: Array<{ field: string; cidr: string }> = [];
      let unknownCidr: { field: string; alt: Alt } | undefined;
      for (const field of RULE_CIDR_FIELDS) {
        for (const a of cidrAlternatives(r.stack, ruleField(e, field))) {
          if (a.kind === 'absent') continue;
          const text = stringOf(a);
          if (text !== undefined && a.kind === 'value') {
            if (isAnywhereCidr(text)) open.push({ field, cidr: text });
          } else {
            unknownCidr ??= { field, alt: a };
          }
        }
      }
      if (open.length === 0 && !unknownCidr) continue;

      const { traffic, unresolved } = securityGroupRuleTraffic(e);
      const badTraffic = traffic.find((t: Traffic) => !isPublicIngressPort(t.protocol, t.fromPort, t.toPort));
      const zones = groupZones(r.stack.app, ctx, e.group);
      const badZone = zones.find((g) => g.zone.kind === 'untagged' || (g.zone.kind === 'zone' && !g.zone.internetFacing));
      const unknownZone = zones.find((g) => g.zone.kind === 'unknown');
      const from = open[0] ? `${open[0].cidr} (${open[0].field})` : '';
      const where = (g: (typeof zones)[number]) => (g.group ? `security group ${nameOf(g.group, r)}` : `security group ${describe(g.alt)}`);

      if (open.length > 0) {
        if (badTraffic) {
          issues.push({
            resource: r,
            kind: 'violation',
            location: ruleLocation(e),
            message: `ingress from ${from} allows ${describeTraffic(badTraffic)} from the internet; only TCP ${PUBLIC_INGRESS_PORTS.join(' and TCP ')} may be open, and only into an internet-facing zone`,
          });
        } else if (unresolved) {
          issues.push({
            resource: r,
            kind: 'unverifiable',
            location: ruleLocation(e, unresolved.location),
            message: `cannot verify ingress from ${from}: ${unresolved.location} is ${describe(unresolved.alt)}, so it cannot be shown to be TCP ${PUBLIC_INGRESS_PORTS.join(' or ')}`,
          });
        } else if (badZone) {
          const z = badZone.zone;
          const why =
            z.kind === 'zone' && z.declared
              ? `whose zone '${z.name}' is not internet-facing`
              : z.kind === 'zone'
                ? `whose zone '${z.name}' is not in the zone model`
                : `with ${describeZone(z)}`;
          issues.push({
            resource: r,
            kind: 'violation',
            location: ruleLocation(e),
            message: `ingress from ${from} on ${describeTraffic(traffic[0])} opens ${where(badZone)} ${why} to the internet; only security groups of an internet-facing zone (${internetFacingZoneNames(ctx)}) may admit internet traffic`,
          });
        } else if (unknownZone) {
          issues.push({
            resource: r,
            kind: 'unverifiable',
            location: ruleLocation(e, e.location ? undefined : 'GroupId'),
            message: `cannot verify ingress from ${from}: the zone of the target security group cannot be read (${unknownZone.zone.kind === 'unknown' ? unknownZone.zone.reason : ''}), so it cannot be shown to be internet-facing`,
          });
        }
        continue;
      }

      // Only a CIDR that cannot be read: it may be the internet, so the rule passes only if the exception would hold anyway.
      if (!badTraffic && !unresolved && !badZone && !unknownZone) continue;
      issues.push({
        resource: r,
        kind: 'unverifiable',
        location: ruleLocation(e, unknownCidr!.field),
        message: `cannot verify ${unknownCidr!.field} of an ingress rule: its value is ${describe(unknownCidr!.alt)}, so it may open ${traffic[0] ? describeTraffic(traffic[0]) : 'the rule'} to the internet`,
      });
    }
    return issues;
  },
};
