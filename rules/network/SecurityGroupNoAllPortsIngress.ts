import { RuleIssue, SrmIipRule } from '../engine/rule';
import { describe, stringOf } from '../engine/values';
import {
  cidrAlternatives,
  isAllPortsRule,
  nameOf,
  peerGroupField,
  readSecurityGroupRules,
  refTarget,
  RULE_CIDR_FIELDS,
  ruleField,
  ruleLocation,
  SECURITY_GROUP_TYPES,
  SecurityGroupRuleEntry,
  securityGroupRuleTraffic,
  unreadableRuleIssue,
} from './network-model';

/** The source of an ingress rule, in words: `0.0.0.0/0`, `security group Sg (stack S)`, `prefix list pl-1`. */
function describeSource(e: SecurityGroupRuleEntry): string {
  const r = e.holder;
  const parts: string[] = [];
  for (const a of RULE_CIDR_FIELDS.flatMap((f) => cidrAlternatives(r.stack, ruleField(e, f)))) {
    if (a.kind !== 'absent') parts.push(stringOf(a) ?? describe(a));
  }
  for (const a of ruleField(e, peerGroupField(e))) {
    if (a.kind === 'absent') continue;
    const g = refTarget(r.stack.app, a);
    parts.push(`security group ${g ? nameOf(g, r) : describe(a)}`);
  }
  for (const a of ruleField(e, 'SourcePrefixListId')) if (a.kind !== 'absent') parts.push(`prefix list ${describe(a)}`);
  return parts.length > 0 ? [...new Set(parts)].join(' or ') : 'any source';
}

/**
 * SRM-IIP-NET-02: no security-group ingress rule opens every port, whatever
 * its source (CIDR, security group — itself included — or prefix list):
 * protocol `-1`/`all`, or TCP/UDP over 0–65535. Deny-by-default means each
 * rule names the ports its zone needs. Egress rules are not judged here: the
 * CDK default "allow all outbound" is no ingress path; egress that crosses
 * zones is SRM-IIP-NET-06's concern and public egress SRM-IIP-NET-03's.
 */
export const SecurityGroupNoAllPortsIngress: SrmIipRule = {
  id: 'SecurityGroupNoAllPortsIngress',
  controlId: 'SRM-IIP-NET-02',
  summary: 'No security-group ingress rule opens all protocols or all ports',
  resourceTypes: SECURITY_GROUP_TYPES.filter((t) => t !== 'AWS::EC2::SecurityGroupEgress'),
  check(r) {
    const issues: RuleIssue[] = [];
    for (const e of readSecurityGroupRules(r)) {
      if (e.direction !== 'ingress') continue;
      if (e.unreadable) {
        issues.push(unreadableRuleIssue(e));
        continue;
      }
      const { traffic, unresolved } = securityGroupRuleTraffic(e);
      const all = traffic.find((t) => isAllPortsRule(t.protocol, t.fromPort, t.toPort));
      if (all) {
        const source = describeSource(e);
        const what = all.protocol === 'all' ? 'all protocols and ports (IpProtocol -1)' : `all ${all.protocol.toUpperCase()} ports (0-65535)`;
        issues.push({
          resource: r,
          kind: 'violation',
          location: ruleLocation(e),
          message: `ingress rule from ${source} opens ${what}; a security group must allow only the ports its zone needs`,
        });
      } else if (unresolved) {
        issues.push({
          resource: r,
          kind: 'unverifiable',
          location: ruleLocation(e, unresolved.location),
          message: `cannot verify ${unresolved.location} of an ingress rule: its value is ${describe(unresolved.alt)}, so the rule may open all ports`,
        });
      }
    }
    return issues;
  },
};
