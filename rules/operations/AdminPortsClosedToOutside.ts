import type { AppModel, ResourceHandle } from '../engine/model';
import type { RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, isPlainObject, numberOf, stringOf, value } from '../engine/values';
import { literal, perApp, pointees, where } from './common';
import { cidrContains, normalizeIpProtocol, parseCidr } from '../network/network-model';

/** Remote administration ports: SSH and RDP. */
export const ADMIN_PORTS = [
  { port: 22, name: 'SSH', protocols: ['tcp'] },
  { port: 3389, name: 'RDP', protocols: ['tcp', 'udp'] },
] as const;

/** Admin ports a rule (protocol, port range; -1 or missing ports = all) opens. */
export function openedAdminPorts(protocol: string, fromPort: number | undefined, toPort: number | undefined): string[] {
  const proto = normalizeIpProtocol(protocol);
  const all = proto === 'all' || fromPort === undefined || fromPort === -1 || toPort === -1;
  const lo = all ? 0 : fromPort!;
  const hi = all ? 65535 : toPort ?? fromPort!;
  return ADMIN_PORTS.filter((p) => (proto === 'all' || (p.protocols as readonly string[]).includes(proto)) && p.port >= lo && p.port <= hi).map((p) => `${p.name} port ${p.port}`);
}

/** Whether CIDR `inner` lies inside CIDR `outer` (same family). */
export function isCidrInsideBlock(inner: string, outer: string): boolean {
  const i = parseCidr(inner);
  const o = parseCidr(outer);
  return i !== undefined && o !== undefined && cidrContains(o, i);
}

/** CIDR blocks of each VPC of the app: primary, secondary (AWS::EC2::VPCCidrBlock) and IPv6. */
const vpcBlocks = perApp((app: AppModel) => {
  const m = new Map<ResourceHandle, Alt[]>();
  const add = (vpc: ResourceHandle, alts: Alt[]) => m.set(vpc, [...(m.get(vpc) ?? []), ...alts.filter((a) => a.kind !== 'absent')]);
  for (const vpc of app.resourcesOfType('AWS::EC2::VPC')) {
    const own = vpc.stack.resolver.get(vpc, 'CidrBlock');
    add(vpc, own);
    // Without CidrBlock the block comes from an IPAM pool at deploy time.
    if (own.some((a) => a.kind === 'absent')) add(vpc, [{ kind: 'unknown', reason: `the CIDR block of ${where(vpc)} is allocated from an IPAM pool` }]);
  }
  for (const assoc of app.resourcesOfType('AWS::EC2::VPCCidrBlock')) {
    const res = assoc.stack.resolver;
    for (const v of res.get(assoc, 'VpcId')) {
      for (const vpc of pointees(assoc.stack, v).filter((p) => p.type === 'AWS::EC2::VPC')) {
        add(vpc, res.get(assoc, 'CidrBlock'));
        add(vpc, res.get(assoc, 'Ipv6CidrBlock'));
        // An Amazon-provided or pool-allocated IPv6 block is known only after deployment.
        if (res.get(assoc, 'AmazonProvidedIpv6CidrBlock').some((a) => a.kind !== 'absent') || res.get(assoc, 'Ipv6IpamPoolId').some((a) => a.kind !== 'absent')) {
          add(vpc, [{ kind: 'unknown', reason: `an IPv6 block ${where(assoc)} is assigned at deploy time` }]);
        }
      }
    }
  }
  return m;
});

type Where = 'outside' | 'inside' | 'maybe';

/** The VPCs a security group may sit in: resources, or a reason why not known. */
function vpcsOf(sg: ResourceHandle): { vpcs: ResourceHandle[]; unknown?: string } {
  const vpcs: ResourceHandle[] = [];
  let unknown: string | undefined;
  for (const a of sg.stack.resolver.get(sg, 'VpcId')) {
    const v = pointees(sg.stack, a).find((p) => p.type === 'AWS::EC2::VPC');
    if (v) vpcs.push(v);
    else unknown ??= a.kind === 'absent' ? 'the security group names no VPC (the default VPC)' : `its VPC ${describe(a)} is not defined in the app`;
  }
  return { vpcs, unknown };
}

/** Where a source CIDR lies relative to the security group's VPC. */
function sourceWhere(stack: ResourceHandle['stack'], src: Alt, vpcs: ResourceHandle[], vpcUnknown: string | undefined): { where: Where; why?: string } {
  if (src.kind === 'value') {
    const s = stringOf(src) ?? '';
    if (s === '0.0.0.0/0' || s === '::/0') return { where: 'outside' };
    if (!parseCidr(s)) return { where: 'maybe', why: `source ${describe(src)} is not a CIDR` };
    if (vpcUnknown || vpcs.length === 0) return { where: 'maybe', why: `whether ${s} lies inside the VPC cannot be verified: ${vpcUnknown ?? 'no VPC'}` };
    for (const vpc of vpcs) {
      const blocks = vpcBlocks(stack.app).get(vpc) ?? [];
      if (blocks.some((b) => literal(b) !== undefined && isCidrInsideBlock(s, literal(b)!))) continue;
      if (blocks.some((b) => literal(b) === undefined)) return { where: 'maybe', why: `the CIDR blocks of VPC ${vpc.logicalId} are not all fixed in the template` };
      return { where: 'outside' };
    }
    return { where: 'inside' };
  }
  if (src.kind === 'ref') {
    // Peer.ipv4(vpc.vpcCidrBlock): the VPC's own block.
    const target = stack.app.resource(src.stack, src.logicalId);
    if (target && target.type === 'AWS::EC2::VPC' && src.attribute === 'CidrBlock') {
      if (vpcs.length > 0 && vpcs.every((v) => v === target) && !vpcUnknown) return { where: 'inside' };
      const own = target.stack.resolver.get(target, 'CidrBlock');
      return own.every((o) => o.kind === 'value')
        ? own.map((o) => sourceWhere(stack, o, vpcs, vpcUnknown)).reduce((a, b) => (a.where === 'outside' ? a : b.where === 'outside' ? b : a.where === 'maybe' ? a : b))
        : { where: 'maybe', why: `the CIDR block of ${target.logicalId} is not fixed in the template` };
    }
  }
  return { where: 'maybe', why: `source ${describe(src)} cannot be resolved` };
}

/** Judge one ingress entry (inline or standalone); issues are reported on `owner`. */
function judgeEntry(owner: ResourceHandle, entry: Alt, vpc: { vpcs: ResourceHandle[]; unknown?: string }, location?: string): RuleIssue[] {
  const res = owner.stack.resolver;
  const get = (k: string) => res.path(owner.stack, [entry], [k]);
  const opened = new Set<string>();
  let portsMaybe: string | undefined;
  for (const p of get('IpProtocol')) {
    const proto = p.kind === 'value' ? stringOf(p) : undefined;
    if (proto === undefined) {
      portsMaybe ??= `IpProtocol is ${describe(p)}`;
      continue;
    }
    for (const f of get('FromPort')) {
      for (const t of get('ToPort')) {
        const from = f.kind === 'absent' ? undefined : numberOf(f);
        const to = t.kind === 'absent' ? undefined : numberOf(t);
        if (normalizeIpProtocol(proto) !== 'all' && ((f.kind !== 'absent' && from === undefined) || (t.kind !== 'absent' && to === undefined))) {
          portsMaybe ??= `the port range is ${describe(from === undefined ? f : t)}`;
          continue;
        }
        for (const o of openedAdminPorts(proto, from, to)) opened.add(o);
      }
    }
  }
  if (opened.size === 0 && !portsMaybe) return [];

  const sources = [...get('CidrIp'), ...get('CidrIpv6')].filter((s) => s.kind !== 'absent');
  const judged = sources.map((s) => ({ s, ...sourceWhere(owner.stack, s, vpc.vpcs, vpc.unknown) }));
  const outside = judged.find((j) => j.where === 'outside');
  const maybe = judged.find((j) => j.where === 'maybe');
  const vpcName = vpc.vpcs.length > 0 ? `VPC ${vpc.vpcs.map((v) => v.logicalId).join('/')}` : 'its VPC';
  if (outside && opened.size > 0) {
    return [{
      resource: owner,
      kind: 'violation',
      location,
      message: `ingress opens ${[...opened].join(' and ')} to ${describe(outside.s)}, outside ${vpcName}; administer instances through Systems Manager Session Manager instead`,
    }];
  }
  if ((outside || maybe) && (opened.size > 0 || portsMaybe)) {
    const why = opened.size > 0 ? maybe!.why : `${portsMaybe} and the source is ${describe((outside ?? maybe)!.s)}`;
    return [{ resource: owner, kind: 'unverifiable', location, message: `cannot verify that ingress keeps admin ports (22, 3389) closed to sources outside the VPC: ${why}` }];
  }
  return [];
}

/**
 * SRM-IIP-OPS-06 (admin ports): no security-group ingress, inline or
 * standalone (AWS::EC2::SecurityGroupIngress, also in another stack than
 * its group), opens SSH (22) or RDP (3389), by port range or all
 * protocols, to a CIDR outside the group's VPC: 0.0.0.0/0, ::/0, or any
 * block not inside the VPC's primary or secondary CIDR blocks.
 */
export const AdminPortsClosedToOutside: SrmIipRule = {
  id: 'AdminPortsClosedToOutside',
  controlId: 'SRM-IIP-OPS-06',
  summary: 'No security-group ingress opens SSH (22) or RDP (3389) to a CIDR outside the VPC',
  resourceTypes: ['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress'],
  check(r) {
    const res = r.stack.resolver;
    if (r.type === 'AWS::EC2::SecurityGroup') {
      const vpc = vpcsOf(r);
      return res.items(r.stack, res.get(r, 'SecurityGroupIngress')).flatMap((entry) =>
        entry.kind === 'value' && !isPlainObject(entry.value) ? [] : judgeEntry(r, entry, vpc, 'SecurityGroupIngress'),
      );
    }
    // Standalone rule: its group (by GroupId) gives the VPC.
    const groups = res.get(r, 'GroupId').flatMap((g) => pointees(r.stack, g).filter((p) => p.type === 'AWS::EC2::SecurityGroup'));
    const vpc = groups.length > 0 ? groups.map(vpcsOf).reduce((a, b) => ({ vpcs: [...a.vpcs, ...b.vpcs], unknown: a.unknown ?? b.unknown })) : { vpcs: [], unknown: 'its security group is not defined in the app' };
    return judgeEntry(r, value(r.properties), vpc);
  },
};
