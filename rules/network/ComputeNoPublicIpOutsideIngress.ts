import type { AppModel, ResourceHandle } from '../engine/model';
import { RuleContext, RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, boolOf, describe, stringOf } from '../engine/values';
import { TAG_ZONE } from '../engine/zones';
import { internetFacingZoneNames, keyOf, nameOf, publicAddressAllowed, readZones, refTarget, whyNotInternetFacing, ZoneReading, zoneReadings } from './network-model';

/** Auto Scaling groups per launch template, built once per app. */
const asgIndexes = new WeakMap<AppModel, Map<string, ResourceHandle[]>>();

function asgsByLaunchTemplate(app: AppModel): Map<string, ResourceHandle[]> {
  const cached = asgIndexes.get(app);
  if (cached) return cached;
  const idx = new Map<string, ResourceHandle[]>();
  for (const g of app.resourcesOfType('AWS::AutoScaling::AutoScalingGroup')) {
    const resolver = g.stack.resolver;
    const ids = [
      ...resolver.get(g, 'LaunchTemplate', 'LaunchTemplateId'),
      ...resolver.get(g, 'MixedInstancesPolicy', 'LaunchTemplate', 'LaunchTemplateSpecification', 'LaunchTemplateId'),
    ];
    for (const a of ids) {
      const lt = refTarget(app, a, 'AWS::EC2::LaunchTemplate');
      if (!lt) continue;
      let l = idx.get(keyOf(lt));
      if (!l) idx.set(keyOf(lt), (l = []));
      if (!l.includes(g)) l.push(g);
    }
  }
  asgIndexes.set(app, idx);
  return idx;
}

/** Zone-tag alternatives of a launch template: its own tags and the tags it gives instances. */
function launchTemplateZoneAlts(r: ResourceHandle): Alt[] {
  const resolver = r.stack.resolver;
  const out: Alt[] = [];
  let opaque: Alt | undefined;
  for (const path of [['TagSpecifications'], ['LaunchTemplateData', 'TagSpecifications']]) {
    for (const spec of resolver.items(r.stack, resolver.get(r, ...path))) {
      const types = resolver.path(r.stack, [spec], ['ResourceType']).map(stringOf);
      if (!types.some((t) => t === 'instance' || t === 'launch-template' || t === undefined)) continue;
      for (const tag of resolver.items(r.stack, resolver.path(r.stack, [spec], ['Tags']))) {
        if (tag.kind !== 'value') {
          opaque ??= tag;
          continue;
        }
        if (resolver.path(r.stack, [tag], ['Key']).some((k) => stringOf(k) === TAG_ZONE)) out.push(...resolver.path(r.stack, [tag], ['Value']));
      }
    }
  }
  if (out.length > 0) return out;
  return opaque ? [{ kind: 'unknown', reason: `a tag computed at deploy time (${describe(opaque)})` }] : [{ kind: 'absent' }];
}

interface Placement {
  readonly label: string;
  readonly zone: ZoneReading;
}

/** Zones of the subnets a list of subnet alternatives names; subnets outside the app become unknown readings. */
function subnetPlacements(ctx: RuleContext, from: ResourceHandle, alts: readonly Alt[], ownZones: () => Placement[]): Placement[] {
  const out: Placement[] = [];
  for (const a of alts) {
    if (a.kind === 'absent') continue;
    const subnet = refTarget(ctx.app, a, 'AWS::EC2::Subnet');
    if (subnet) {
      for (const zone of readZones(subnet, ctx)) out.push({ label: `subnet ${nameOf(subnet, from)}`, zone });
      continue;
    }
    // A subnet outside the app: the resource's own zone tag stands in for it, when it has one.
    const own = ownZones().filter((p) => p.zone.kind === 'zone');
    out.push(...(own.length > 0 ? own : [{ label: `subnet ${describe(a)}`, zone: { kind: 'unknown', reason: `subnet ${describe(a)} is not a subnet of the app` } as ZoneReading }]));
  }
  return out;
}

function placements(ctx: RuleContext, r: ResourceHandle, iface: Alt): Placement[] {
  const resolver = r.stack.resolver;
  const own = (): Placement[] =>
    (r.type === 'AWS::EC2::LaunchTemplate' ? zoneReadings(launchTemplateZoneAlts(r), ctx) : readZones(r, ctx)).map((zone) => ({ label: 'the resource itself', zone }));
  const ifaceSubnets = resolver.path(r.stack, [iface], ['SubnetId']).filter((a) => a.kind !== 'absent');
  if (ifaceSubnets.length > 0) return subnetPlacements(ctx, r, ifaceSubnets, own);
  if (r.type === 'AWS::EC2::Instance') {
    const subnets = resolver.get(r, 'SubnetId').filter((a) => a.kind !== 'absent');
    if (subnets.length > 0) return subnetPlacements(ctx, r, subnets, own);
  } else {
    const groups = asgsByLaunchTemplate(ctx.app).get(keyOf(r)) ?? [];
    const out: Placement[] = [];
    for (const g of groups) out.push(...subnetPlacements(ctx, r, g.stack.resolver.get(g, 'VPCZoneIdentifier').flatMap((l) => g.stack.resolver.items(g.stack, [l])), own));
    if (out.length > 0) return out;
  }
  return own();
}

/**
 * SRM-IIP-NET-03: EC2 instances and launch templates give network
 * interfaces a public IP (`AssociatePublicIpAddress: true`) only in an
 * internet-facing zone. The zone is that of the interface's subnet (for a
 * launch template without one: the subnets of the Auto Scaling groups that
 * use it), else the resource's own zone tag.
 */
export const ComputeNoPublicIpOutsideIngress: SrmIipRule = {
  id: 'ComputeNoPublicIpOutsideIngress',
  controlId: 'SRM-IIP-NET-03',
  summary: 'EC2 instances and launch templates associate public IP addresses only in an internet-facing zone',
  resourceTypes: ['AWS::EC2::Instance', 'AWS::EC2::LaunchTemplate'],
  check(r, ctx) {
    const resolver = r.stack.resolver;
    const listPath = r.type === 'AWS::EC2::LaunchTemplate' ? ['LaunchTemplateData', 'NetworkInterfaces'] : ['NetworkInterfaces'];
    const base = listPath.join('.');
    const issues: RuleIssue[] = [];
    for (const b of resolver.branches(r.stack, resolver.get(r, ...listPath))) {
      if (b.kind === 'other') {
        if (b.alt.kind !== 'absent') issues.push({ resource: r, kind: 'unverifiable', location: base, message: `cannot verify ${base}: its value is ${describe(b.alt)}` });
        continue;
      }
      b.elements.forEach((alts, i) => {
        for (const iface of alts) {
          const location = `${base}.${i}.AssociatePublicIpAddress`;
          if (iface.kind !== 'value') {
            issues.push({ resource: r, kind: 'unverifiable', location: `${base}.${i}`, message: `cannot verify network interface ${i}: its value is ${describe(iface)}` });
            continue;
          }
          const assoc = resolver.path(r.stack, [iface], ['AssociatePublicIpAddress']);
          const isPublic = assoc.find((a) => boolOf(a) === true);
          const unreadable = assoc.find((a) => a.kind !== 'absent' && boolOf(a) === undefined);
          if (!isPublic && !unreadable) continue;
          const where = placements(ctx, r, iface);
          const bad = where.find((p) => p.zone.kind !== 'unknown' && !publicAddressAllowed(true, p.zone.kind === 'zone' && p.zone.internetFacing));
          const unknownZone = where.find((p) => p.zone.kind === 'unknown');
          if (isPublic && bad) {
            const why = whyNotInternetFacing(bad.zone);
            issues.push({
              resource: r,
              kind: 'violation',
              location,
              message: `network interface ${i} gets a public IP address (AssociatePublicIpAddress ${describe(isPublic)}), but ${bad.label === 'the resource itself' ? why : `${bad.label}: ${why}`}; only an internet-facing zone (${internetFacingZoneNames(ctx)}) may have public addresses`,
            });
          } else if (isPublic && unknownZone) {
            issues.push({
              resource: r,
              kind: 'unverifiable',
              location,
              message: `cannot verify that network interface ${i}, which gets a public IP address, is in an internet-facing zone: ${unknownZone.zone.kind === 'unknown' ? unknownZone.zone.reason : ''}`,
            });
          } else if (!isPublic && unreadable && (bad || unknownZone)) {
            issues.push({ resource: r, kind: 'unverifiable', location, message: `cannot verify AssociatePublicIpAddress of network interface ${i}: its value is ${describe(unreadable)}` });
          }
        }
      });
    }
    return issues;
  },
};
