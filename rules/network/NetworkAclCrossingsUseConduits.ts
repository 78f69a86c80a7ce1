import type { ResourceHandle } from '../engine/model';
import { RuleContext, RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, boolOf, describe, numberOf, stringOf, value } from '../engine/values';
import { keyOf, nameOf, readTraffic, readZones, refTarget, Traffic, vpcKey } from './network-model';
import { cidrEndpoints, Crossing, Endpoint, judgeCrossings } from './zone-crossings';

/** Whether a NACL entry can let traffic in: an ingress (`Egress` false or unset) `allow` entry. */
export function isAllowingIngressEntry(egress: boolean, ruleAction: string): boolean {
  return !egress && ruleAction.trim().toLowerCase() === 'allow';
}

/** Subnets per network ACL, from `AWS::EC2::SubnetNetworkAclAssociation`. */
function associationsByAcl(ctx: RuleContext): Map<string, Alt[]> {
  const byAcl = new Map<string, Alt[]>();
  for (const a of ctx.app.resourcesOfType('AWS::EC2::SubnetNetworkAclAssociation')) {
    if (ctx.resolver.exists(a) === 'never') continue;
    for (const n of ctx.resolver.get(a, 'NetworkAclId')) {
      const acl = refTarget(ctx.app, n, 'AWS::EC2::NetworkAcl');
      if (!acl) continue;
      let l = byAcl.get(keyOf(acl));
      if (!l) byAcl.set(keyOf(acl), (l = []));
      l.push(...ctx.resolver.get(a, 'SubnetId'));
    }
  }
  return byAcl;
}

/** One endpoint per zone reading: an ACL guarding many subnets of one zone needs one verdict per zone. */
function onePerZone(endpoints: readonly Endpoint[]): Endpoint[] {
  const seen = new Map<string, Endpoint>();
  for (const e of endpoints) {
    const k = e.zone.kind === 'zone' ? `z:${e.zone.name}` : e.zone.kind === 'untagged' ? `t:${e.label}` : `u:${e.zone.reason}`;
    if (!seen.has(k)) seen.set(k, e);
  }
  return [...seen.values()];
}

/** The subnets an ACL guards, one endpoint per zone. */
function aclTargets(ctx: RuleContext, acl: ResourceHandle, subnets: readonly Alt[]): Endpoint[] {
  const targets: Endpoint[] = [];
  for (const s of subnets) {
    if (s.kind === 'absent') continue;
    const subnet = refTarget(ctx.app, s, 'AWS::EC2::Subnet');
    if (!subnet) {
      targets.push({ label: `subnet ${describe(s)}`, zone: { kind: 'unknown', reason: `network ACL ${nameOf(acl)} is associated with subnet ${describe(s)}, which is not a subnet of the app` } });
      continue;
    }
    for (const zone of readZones(subnet, ctx)) targets.push({ label: `subnet ${nameOf(subnet, acl)}`, zone, key: keyOf(subnet) });
  }
  return onePerZone(targets);
}

/** NACLs name ICMP type and code in `Icmp`, not in `PortRange`. */
function entryTraffic(entry: ResourceHandle): ReturnType<typeof readTraffic> {
  const res = readTraffic(entry.stack, value(entry.properties), { protocol: 'Protocol', from: ['PortRange', 'From'], to: ['PortRange', 'To'] });
  const resolver = entry.stack.resolver;
  const icmp = (k: string) => numberOf(resolver.get(entry, 'Icmp', k)[0] ?? { kind: 'absent' });
  const traffic: Traffic[] = res.traffic.map((t) => (t.protocol === 'icmp' || t.protocol === 'icmpv6' ? { protocol: t.protocol, fromPort: icmp('Type') ?? -1, toPort: icmp('Code') ?? -1 } : t));
  return { traffic, unresolved: res.unresolved };
}

/**
 * SRM-IIP-NET-06: every NACL ingress `allow` entry that lets one zone reach
 * another matches a conduit. The entry's ACL is associated with subnets of
 * zone Z; the subnets (of the ACL's VPC) whose address space its CIDR block
 * overlaps are in zones Y; each Y ≠ Z needs a conduit Y → Z covering the
 * protocol and ports. Egress entries are not judged: they also carry the
 * return traffic of allowed flows, which needs no conduit. `0.0.0.0/0` and
 * `::/0` are the internet, not a zone.
 *
 * NACLs are stateless, so a zone Z that may open connections to a zone Y
 * (conduit Z → Y) must also admit Y's replies inbound. An ingress entry
 * into Z from Y's subnets that is TCP or UDP limited to the ephemeral ports
 * 1024–65535 is therefore covered, as return traffic, by a conduit Z → Y
 * for the same protocol (or for all protocols), whatever its ports. This
 * opens no new path Y → Z: the zone's security group, which is stateful,
 * still admits nothing new from Y, only replies to connections Z opened.
 * An entry for all protocols (`-1`), or whose ports reach below 1024, is
 * no reply entry and still needs a conduit Y → Z.
 */
export const NetworkAclCrossingsUseConduits: SrmIipRule = {
  id: 'NetworkAclCrossingsUseConduits',
  controlId: 'SRM-IIP-NET-06',
  summary: 'Network ACL ingress entries between zones match a conduit of the zone model',
  resourceTypes: ['AWS::EC2::NetworkAclEntry', 'AWS::EC2::NetworkAcl', 'AWS::EC2::SubnetNetworkAclAssociation', 'AWS::EC2::Subnet'],
  checkApp(ctx) {
    const entries = ctx.app.resourcesOfType('AWS::EC2::NetworkAclEntry');
    if (entries.length === 0) return [];
    const byAcl = associationsByAcl(ctx);
    const targetsByAcl = new Map<string, Endpoint[]>();
    const issues: RuleIssue[] = [];
    for (const entry of entries) {
      if (ctx.resolver.exists(entry) === 'never') continue;
      const egress = ctx.resolver.get(entry, 'Egress');
      const action = ctx.resolver.get(entry, 'RuleAction');
      // Skip only when every alternative is an egress or a deny entry; an unreadable one may be an ingress allow.
      const mayBeIngress = egress.some((a) => a.kind === 'absent' || boolOf(a) !== true);
      const mayAllow = action.some((a) => stringOf(a) === undefined || isAllowingIngressEntry(false, stringOf(a)!));
      if (!mayBeIngress || !mayAllow) continue;

      for (const n of ctx.resolver.get(entry, 'NetworkAclId')) {
        const acl = refTarget(ctx.app, n, 'AWS::EC2::NetworkAcl');
        if (!acl) {
          issues.push({ resource: entry, kind: 'unverifiable', location: 'NetworkAclId', message: `cannot verify which subnets this entry guards: NetworkAclId is ${describe(n)}, not a network ACL of the app` });
          continue;
        }
        let targets = targetsByAcl.get(keyOf(acl));
        if (!targets) targetsByAcl.set(keyOf(acl), (targets = aclTargets(ctx, acl, byAcl.get(keyOf(acl)) ?? [])));
        if (targets.length === 0) continue;
        const vpc = vpcKey(ctx.app, ctx.resolver.get(acl, 'VpcId'));
        const sources = [
          ...cidrEndpoints(ctx.app, ctx, entry, ctx.resolver.get(entry, 'CidrBlock'), 'CidrBlock', vpc),
          ...cidrEndpoints(ctx.app, ctx, entry, ctx.resolver.get(entry, 'Ipv6CidrBlock'), 'Ipv6CidrBlock', vpc),
        ];
        if (sources.length === 0) continue;
        const crossings: Crossing[] = [];
        for (const from of sources) for (const to of targets) crossings.push({ from, to });
        const { traffic, unresolved } = entryTraffic(entry);
        issues.push(...judgeCrossings(ctx, entry, undefined, `network ACL entry of ${nameOf(acl, entry)}`, crossings, traffic, unresolved, true));
      }
    }
    return issues;
  },
};
