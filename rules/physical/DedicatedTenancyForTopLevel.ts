import type { ResourceHandle } from '../engine/model';
import type { RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, stringOf, Verdict } from '../engine/values';
import { TAG_LEVEL } from '../engine/zones';
import { launchTemplateUses } from '../system/launch-templates';
import { classificationOf, levelReading } from '../system/levels';

/** Tenancies that keep an instance off hardware shared with other tenants. */
export function isDedicatedTenancy(tenancy: string | undefined): boolean {
  return tenancy === 'dedicated' || tenancy === 'host';
}

/** Whether a resource at `level` belongs to the top classification level `top` (a level above it counts too). */
export function isTopLevel(level: number, top: number): boolean {
  return level >= top;
}

interface TenancyJudgement {
  readonly verdict: Verdict;
  /** What the tenancy is, or why it is unknown, for messages. */
  readonly why: string;
}

const PASS: TenancyJudgement = { verdict: 'pass', why: '' };

function judgeTenancyAlts(alts: readonly Alt[], property: string, whenAbsent: (() => TenancyJudgement) | string): TenancyJudgement {
  let unknownJ: TenancyJudgement | undefined;
  for (const a of alts) {
    let j: TenancyJudgement;
    if (a.kind === 'absent') j = typeof whenAbsent === 'string' ? { verdict: 'fail', why: whenAbsent } : whenAbsent();
    else if (a.kind !== 'value') j = { verdict: 'unknown', why: `${property} is ${describe(a)}` };
    else j = isDedicatedTenancy(stringOf(a)) ? PASS : { verdict: 'fail', why: `${property} is ${describe(a)}` };
    if (j.verdict === 'fail') return j;
    if (j.verdict === 'unknown') unknownJ ??= j;
  }
  return unknownJ ?? PASS;
}

/** A placement on a Dedicated Host (host ID or host resource group) is single-tenant whatever Tenancy says. */
function onDedicatedHost(r: ResourceHandle, ...path: string[]): boolean {
  const res = r.stack.resolver;
  return ['HostId', 'HostResourceGroupArn'].some((k) => res.get(r, ...path, k).every((a) => a.kind !== 'absent'));
}

function launchTemplateTenancy(lt: ResourceHandle, whenAbsent: string): TenancyJudgement {
  if (onDedicatedHost(lt, 'LaunchTemplateData', 'Placement')) return PASS;
  return judgeTenancyAlts(lt.stack.resolver.get(lt, 'LaunchTemplateData', 'Placement', 'Tenancy'), 'LaunchTemplateData.Placement.Tenancy', whenAbsent);
}

/** The instance tenancy of the VPC an instance runs in (through its subnet), when the template shows it. */
function vpcTenancy(instance: ResourceHandle): TenancyJudgement {
  const app = instance.stack.app;
  const res = instance.stack.resolver;
  const subnets = [...res.get(instance, 'SubnetId'), ...res.items(instance.stack, res.get(instance, 'NetworkInterfaces')).flatMap((ni) => res.path(instance.stack, [ni], ['SubnetId']))].filter(
    (a) => a.kind !== 'absent',
  );
  const shared: TenancyJudgement = { verdict: 'fail', why: "Tenancy is not set, no launch template sets it, and the VPC's InstanceTenancy is not dedicated (default: shared hardware)" };
  if (subnets.length === 0) return shared;
  let unknownJ: TenancyJudgement | undefined;
  for (const s of subnets) {
    const subnet = s.kind === 'ref' ? app.resource(s.stack, s.logicalId) : undefined;
    if (subnet?.type !== 'AWS::EC2::Subnet') {
      unknownJ ??= { verdict: 'unknown', why: `Tenancy is not set and the instance's subnet ${describe(s)} is not part of the app, so its VPC's tenancy cannot be read` };
      continue;
    }
    for (const v of subnet.stack.resolver.get(subnet, 'VpcId')) {
      const vpc = v.kind === 'ref' ? app.resource(v.stack, v.logicalId) : undefined;
      if (vpc?.type !== 'AWS::EC2::VPC') {
        unknownJ ??= { verdict: 'unknown', why: `Tenancy is not set and the VPC of subnet ${subnet.logicalId} (${describe(v)}) is not part of the app` };
        continue;
      }
      const j = judgeTenancyAlts(vpc.stack.resolver.get(vpc, 'InstanceTenancy'), `InstanceTenancy of VPC ${vpc.logicalId}`, shared.why);
      if (j.verdict === 'fail') return j.why === shared.why ? shared : { verdict: 'fail', why: `Tenancy is not set and the ${j.why}` };
      if (j.verdict === 'unknown') unknownJ ??= j;
    }
  }
  return unknownJ ?? PASS;
}

function instanceTenancy(r: ResourceHandle): TenancyJudgement {
  if (onDedicatedHost(r)) return PASS;
  return judgeTenancyAlts(r.stack.resolver.get(r, 'Tenancy'), 'Tenancy', () => {
    // No Tenancy on the instance: it inherits its launch template's, else its VPC's.
    let unknownJ: TenancyJudgement | undefined;
    for (const use of launchTemplateUses(r)) {
      let j: TenancyJudgement;
      if (use.target) {
        const lt = use.target;
        j = launchTemplateTenancy(lt, '');
        if (j.verdict === 'fail' && j.why === '') j = vpcTenancy(r);
        else if (j.verdict === 'fail') j = { verdict: 'fail', why: `Tenancy is not set and, in its launch template ${lt.logicalId} in stack ${lt.stack.name}, ${j.why}` };
      } else if (use.alt.kind === 'absent') {
        j = vpcTenancy(r);
      } else {
        j = { verdict: 'unknown', why: `Tenancy is not set and ${use.unresolved}` };
      }
      if (j.verdict === 'fail') return j;
      if (j.verdict === 'unknown') unknownJ ??= j;
    }
    return unknownJ ?? PASS;
  });
}

function tenancyOf(r: ResourceHandle): TenancyJudgement {
  if (r.type === 'AWS::EC2::Instance') return instanceTenancy(r);
  if (r.type === 'AWS::EC2::LaunchTemplate') {
    return launchTemplateTenancy(r, "LaunchTemplateData.Placement.Tenancy is not set: instances take the VPC's tenancy, shared hardware unless the VPC is dedicated");
  }
  return judgeTenancyAlts(r.stack.resolver.get(r, 'PlacementTenancy'), 'PlacementTenancy', "PlacementTenancy is not set: instances take the VPC's tenancy, shared hardware unless the VPC is dedicated");
}

const LOCATION: Record<string, string> = {
  'AWS::EC2::Instance': 'Tenancy',
  'AWS::EC2::LaunchTemplate': 'LaunchTemplateData.Placement.Tenancy',
  'AWS::AutoScaling::LaunchConfiguration': 'PlacementTenancy',
};

/**
 * SRM-IIP-PHY-03: EC2 capacity at the highest classification level runs on
 * single-tenant hardware: `Tenancy` `dedicated` or `host` on the instance
 * (or inherited from its launch template, or from a VPC whose
 * `InstanceTenancy` is dedicated), `Placement.Tenancy` on launch templates,
 * `PlacementTenancy: dedicated` on launch configurations. The top level is
 * `classificationLevels` when set, else the highest `srm-iip:level` tag of
 * the app. Where levels are in use, an untagged instance or template may
 * hold top-level data and is reported when it runs on shared hardware.
 */
export const DedicatedTenancyForTopLevel: SrmIipRule = {
  id: 'DedicatedTenancyForTopLevel',
  controlId: 'SRM-IIP-PHY-03',
  summary: 'EC2 instances, launch templates and launch configurations at the top classification level use dedicated tenancy',
  resourceTypes: ['AWS::EC2::Instance', 'AWS::EC2::LaunchTemplate', 'AWS::AutoScaling::LaunchConfiguration'],
  check(r, ctx) {
    const cls = classificationOf(ctx);
    if (!cls.active) return [];
    const reading = levelReading(r);
    const levels = reading.alts;
    const derived = reading.derivedFrom ? `, ${reading.derivedFrom}` : '';
    const top = cls.top;
    const at = levels.map((l) => (l.kind === 'absent' ? 'unclassified' : l.kind !== 'value' || top === undefined ? 'maybe' : isTopLevel(l.value as number, top) ? 'yes' : 'no'));
    if (at.every((a) => a === 'no')) return [];
    const t = tenancyOf(r);
    if (t.verdict === 'pass') return [];
    const location = LOCATION[r.type];
    const issues: RuleIssue[] = [];
    if (at.includes('yes')) {
      issues.push({
        resource: r,
        kind: t.verdict === 'fail' ? 'violation' : 'unverifiable',
        location,
        message: `${t.verdict === 'fail' ? '' : 'cannot verify dedicated tenancy: '}the resource is at the top classification level ${top} (${cls.topSource}${derived}) but ${t.why}${t.verdict === 'fail' ? ': it may share physical hosts with other tenants' : ''}`,
      });
    } else if (at.includes('unclassified')) {
      issues.push({
        resource: r,
        kind: t.verdict === 'fail' ? 'violation' : 'unverifiable',
        location,
        message: `${t.verdict === 'fail' ? '' : 'cannot verify dedicated tenancy: '}the resource carries no ${TAG_LEVEL} tag${reading.derivedFrom ? ` (nor does every resource that launches from it)` : ''}, so it may hold top-level (${top ?? '?'}) data, and ${t.why}`,
      });
    } else {
      const l = levels.find((x) => x.kind !== 'value' && x.kind !== 'absent');
      issues.push({
        resource: r,
        kind: 'unverifiable',
        location,
        message: `cannot verify dedicated tenancy: ${top === undefined ? 'the top classification level cannot be determined (no readable level tag)' : `the resource's level is ${l ? describe(l) : 'unknown'}`}, and ${t.why}`,
      });
    }
    return issues;
  },
};
