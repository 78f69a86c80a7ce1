import type { ResourceHandle, StackModel } from '../engine/model';
import { RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, isPlainObject, stringOf } from '../engine/values';
import { dedupeIssues, where } from './support';

/**
 * A comparable key for an availability zone written in a template: `zone:eu-central-1a`
 * for a name, `zoneid:euc1-az1` for a zone ID, `index:0` for
 * `Fn::Select [0, Fn::GetAZs]` (distinct indexes are distinct zones of the
 * region). Undefined when the zone cannot be known.
 */
export function availabilityZoneKey(stack: StackModel, node: unknown, kind: 'zone' | 'zoneid' = 'zone'): string | undefined {
  if (typeof node === 'string') return node === '' ? undefined : `${kind}:${node}`;
  if (isPlainObject(node) && Array.isArray(node['Fn::Select']) && node['Fn::Select'].length === 2) {
    const [idx, list] = node['Fn::Select'] as [unknown, unknown];
    const i = typeof idx === 'number' ? idx : typeof idx === 'string' && /^\d+$/.test(idx) ? Number(idx) : undefined;
    if (i !== undefined && isPlainObject(list) && 'Fn::GetAZs' in list) return `index:${i}`;
  }
  if (node === undefined || node === null) return undefined;
  const alts = stack.resolver.resolve(stack, node);
  const texts = new Set(alts.map((a) => stringOf(a)));
  if (texts.size === 1 && !texts.has(undefined)) return `${kind}:${[...texts][0]}`;
  return undefined;
}

/** A zone key in words, for messages. */
export function describeZoneKey(key: string): string {
  const i = key.indexOf(':');
  const kind = key.slice(0, i);
  const v = key.slice(i + 1);
  return kind === 'index' ? `zone #${v} of Fn::GetAZs` : kind === 'zoneid' ? `zone ID ${v}` : v;
}

/** Whether a set of zone keys names at least two distinct zones that can be compared. */
export function spansTwoZones(keys: readonly string[]): boolean {
  const byKind = new Map<string, Set<string>>();
  for (const k of keys) {
    const kind = k.slice(0, k.indexOf(':'));
    const s = byKind.get(kind) ?? new Set();
    s.add(k);
    byKind.set(kind, s);
  }
  return [...byKind.values()].some((s) => s.size >= 2);
}

function subnetZone(subnet: ResourceHandle): string | undefined {
  const p = subnet.properties;
  if (p.AvailabilityZone !== undefined) return availabilityZoneKey(subnet.stack, p.AvailabilityZone, 'zone');
  if (p.AvailabilityZoneId !== undefined) return availabilityZoneKey(subnet.stack, p.AvailabilityZoneId, 'zoneid');
  return undefined;
}

/**
 * SRM-IIP-SYS-07 for compute: an auto-scaling group spans at least two
 * availability zones, through `VPCZoneIdentifier` subnets in different
 * zones (zones read from the subnets of the app, `Fn::Select` indexes of
 * `Fn::GetAZs` compared as indexes) or, without subnets, through
 * `AvailabilityZones` (`Fn::GetAZs` is every zone of the region).
 */
export const AutoScalingGroupMultiAz: SrmIipRule = {
  id: 'AutoScalingGroupMultiAz',
  controlId: 'SRM-IIP-SYS-07',
  summary: 'Auto-scaling groups span at least two availability zones',
  resourceTypes: ['AWS::AutoScaling::AutoScalingGroup'],
  check(r) {
    const resolver = r.stack.resolver;
    const issues: RuleIssue[] = [];
    for (const b of resolver.branches(r.stack, resolver.get(r, 'VPCZoneIdentifier'))) {
      if (b.kind === 'other') {
        if (b.alt.kind === 'absent') issues.push(...zoneListIssues(r));
        else issues.push({ resource: r, kind: 'unverifiable', location: 'VPCZoneIdentifier', message: `cannot verify the zones of the group: VPCZoneIdentifier is ${describe(b.alt)}` });
        continue;
      }
      const keys: string[] = [];
      const unknown: string[] = [];
      for (const el of b.elements) {
        const ks = new Set(el.map((a) => subnetKey(r, a)));
        const only = ks.size === 1 ? [...ks][0] : undefined;
        if (only !== undefined && !only.startsWith('?')) keys.push(only);
        else unknown.push([...ks].find((k) => k.startsWith('?'))?.slice(1) ?? `subnet ${describe(el[0])} has alternatives in different zones`);
      }
      if (spansTwoZones(keys)) continue;
      if (unknown.length > 0) {
        issues.push({ resource: r, kind: 'unverifiable', location: 'VPCZoneIdentifier', message: `cannot verify that the group spans two availability zones: ${unknown[0]}` });
      } else {
        issues.push({
          resource: r,
          kind: 'violation',
          location: 'VPCZoneIdentifier',
          message: `VPCZoneIdentifier lists ${b.elements.length} subnet(s) in ${new Set(keys).size} availability zone${new Set(keys).size === 1 ? ` (${describeZoneKey(keys[0])})` : 's'}: the group does not survive the loss of a zone`,
        });
      }
    }
    return dedupeIssues(issues);
  },
};

/** A zone key for one subnet alternative, or `?reason` when it cannot be known. */
function subnetKey(r: ResourceHandle, a: Alt): string {
  if (a.kind === 'ref') {
    const s = r.stack.app.resource(a.stack, a.logicalId);
    if (s?.type !== 'AWS::EC2::Subnet') return `?${a.logicalId} is not a subnet of the app`;
    return subnetZone(s) ?? `?the availability zone of subnet ${where(s)} is chosen at deploy time`;
  }
  return `?the zone of subnet ${describe(a)} is not in the template`;
}

function zoneListIssues(r: ResourceHandle): RuleIssue[] {
  const raw = r.properties.AvailabilityZones;
  if (raw === undefined) {
    return [{ resource: r, kind: 'violation', location: 'VPCZoneIdentifier', message: 'neither VPCZoneIdentifier nor AvailabilityZones is set: the group does not name two availability zones' }];
  }
  // Fn::GetAZs: every zone of the region, at least two in every region.
  if (isPlainObject(raw) && 'Fn::GetAZs' in raw) return [];
  const resolver = r.stack.resolver;
  const issues: RuleIssue[] = [];
  for (const b of resolver.branches(r.stack, resolver.get(r, 'AvailabilityZones'))) {
    if (b.kind === 'other') {
      issues.push({ resource: r, kind: 'unverifiable', location: 'AvailabilityZones', message: `cannot verify the zones of the group: AvailabilityZones is ${describe(b.alt)}` });
      continue;
    }
    // Raw elements keep Fn::Select indexes that the resolver turns into unknowns.
    const rawList = Array.isArray(raw) && raw.length === b.elements.length ? raw : undefined;
    const keys = b.elements.map((el, i) => (rawList ? availabilityZoneKey(r.stack, rawList[i]) : el.length === 1 && stringOf(el[0]) !== undefined ? `zone:${stringOf(el[0])}` : undefined));
    const known = keys.filter((k): k is string => k !== undefined);
    if (spansTwoZones(known)) continue;
    if (known.length < keys.length) {
      issues.push({ resource: r, kind: 'unverifiable', location: 'AvailabilityZones', message: 'cannot verify that the group spans two availability zones: some of its AvailabilityZones are chosen at deploy time' });
    } else {
      issues.push({ resource: r, kind: 'violation', location: 'AvailabilityZones', message: `AvailabilityZones names ${new Set(known).size} zone(s): the group does not survive the loss of a zone` });
    }
  }
  return issues;
}
