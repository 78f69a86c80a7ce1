import { RuleIssue, SrmIipRule } from '../engine/rule';
import { describe } from '../engine/values';
import {
  groupZones,
  keyOf,
  nameOf,
  readSecurityGroupRules,
  RULE_CIDR_FIELDS,
  peerGroupField,
  ruleField,
  ruleLocation,
  SECURITY_GROUP_TYPES,
  securityGroupRuleTraffic,
  unreadableRuleIssue,
  vpcKey,
} from './network-model';
import { cidrEndpoints, Crossing, Endpoint, judgeCrossings } from './zone-crossings';

/**
 * SRM-IIP-NET-06: every security-group rule that lets one zone reach another
 * matches a conduit of the zone model (from zone, to zone, protocol, ports).
 *
 * Reads inline `SecurityGroupIngress`/`SecurityGroupEgress` and standalone
 * `AWS::EC2::SecurityGroupIngress`/`Egress` (CDK writes SG-to-SG rules
 * standalone, possibly in another stack). The peer is a security group (its
 * zone tag) or a CIDR block (the zones of the subnets of the group's VPC it
 * overlaps). Ingress runs peer → group, egress group → peer.
 *
 * Not crossings: `0.0.0.0/0`/`::/0` (the internet, so the CDK default
 * "allow all outbound" passes; public ingress is NET-02, public paths
 * NET-03), prefix lists (AWS service ranges), and a group's rules that
 * reference itself.
 */
export const SecurityGroupCrossingsUseConduits: SrmIipRule = {
  id: 'SecurityGroupCrossingsUseConduits',
  controlId: 'SRM-IIP-NET-06',
  summary: 'Security-group rules between zones match a conduit of the zone model',
  resourceTypes: [...SECURITY_GROUP_TYPES, 'AWS::EC2::Subnet'],
  checkApp(ctx) {
    const app = ctx.app;
    const issues: RuleIssue[] = [];
    for (const holder of app.resourcesOfType(...SECURITY_GROUP_TYPES)) {
      if (ctx.resolver.exists(holder) === 'never') continue;
      for (const e of readSecurityGroupRules(holder)) {
        if (e.unreadable) {
          issues.push(unreadableRuleIssue(e));
          continue;
        }
        const own = groupZones(app, ctx, e.group);
        const locals: Endpoint[] = own.map((g) => ({
          label: g.group ? `security group ${nameOf(g.group, holder)}` : `security group ${describe(g.alt)}`,
          zone: g.zone,
          key: g.group ? keyOf(g.group) : undefined,
        }));
        const firstGroup = own.find((g) => g.group)?.group;
        const vpc = firstGroup ? vpcKey(app, ctx.resolver.get(firstGroup, 'VpcId')) : undefined;

        const peerField = peerGroupField(e);
        const peers: Endpoint[] = [];
        const peerGroups = ruleField(e, peerField).filter((a) => a.kind !== 'absent');
        for (const g of groupZones(app, ctx, peerGroups)) {
          peers.push({ label: g.group ? `security group ${nameOf(g.group, holder)}` : `security group ${describe(g.alt)}`, zone: g.zone, key: g.group ? keyOf(g.group) : undefined });
        }
        if (e.direction === 'ingress') {
          for (const a of ruleField(e, 'SourceSecurityGroupName')) {
            if (a.kind === 'absent') continue;
            peers.push({ label: `security group named ${describe(a)}`, zone: { kind: 'unknown', reason: `the source security group is named (SourceSecurityGroupName ${describe(a)}), not a resource of the app, so its zone cannot be read` } });
          }
        }
        for (const field of RULE_CIDR_FIELDS) peers.push(...cidrEndpoints(app, ctx, holder, ruleField(e, field), field, vpc));
        if (peers.length === 0) continue;

        const crossings: Crossing[] = [];
        for (const l of locals) for (const p of peers) crossings.push(e.direction === 'ingress' ? { from: p, to: l } : { from: l, to: p });
        const { traffic, unresolved } = securityGroupRuleTraffic(e);
        const what = `${e.direction} rule${e.location ? ` ${e.location}` : ''}`;
        issues.push(...judgeCrossings(ctx, holder, ruleLocation(e), what, crossings, traffic, unresolved));
      }
    }
    return issues;
  },
};
