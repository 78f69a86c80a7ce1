import type { AppModel, ResourceHandle } from '../engine/model';
import { judgeAlts, RuleIssue, SrmIipRule, unverifiable } from '../engine/rule';
import { Alt, describe, expectBool } from '../engine/values';
import { launchTemplateUses } from './launch-templates';
import { dedupeIssues, where } from './support';
import { perApp } from '../engine/cache';

const DEFAULT_REASON = "relies on the account's EBS encryption-by-default, which the template cannot show";

/**
 * SRM-IIP-SYS-03, volumes: every EBS block-device mapping of an instance,
 * launch template or launch configuration sets `Ebs.Encrypted: true`. Where
 * no mapping is written, the root volume takes the AMI's settings and
 * relies on the account's EBS encryption-by-default: a violation, since the
 * template cannot show it. An instance without mappings is judged by its
 * launch template's mappings. A launch template without mappings is not
 * reported when every user of it in the app is an instance with its own.
 */
export const EbsVolumesEncrypted: SrmIipRule = {
  id: 'EbsVolumesEncrypted',
  controlId: 'SRM-IIP-SYS-03',
  summary: 'EBS volumes of EC2 instances, launch templates and launch configurations are encrypted explicitly',
  resourceTypes: ['AWS::EC2::Instance', 'AWS::EC2::LaunchTemplate', 'AWS::AutoScaling::LaunchConfiguration'],
  check(r) {
    const resolver = r.stack.resolver;
    if (r.type === 'AWS::EC2::LaunchTemplate') {
      const m = mappingIssues(r, resolver.get(r, 'LaunchTemplateData', 'BlockDeviceMappings'), 'LaunchTemplateData.BlockDeviceMappings');
      if (!m.missing || onlyUsedByInstancesWithMappings(r)) return m.issues;
      return dedupeIssues([
        ...m.issues,
        { resource: r, kind: 'violation', location: 'LaunchTemplateData.BlockDeviceMappings', message: `LaunchTemplateData.BlockDeviceMappings is not set: the root volume of instances launched from it ${DEFAULT_REASON}` },
      ]);
    }
    if (r.type === 'AWS::AutoScaling::LaunchConfiguration') {
      const m = mappingIssues(r, resolver.get(r, 'BlockDeviceMappings'), 'BlockDeviceMappings');
      if (!m.missing) return m.issues;
      return dedupeIssues([...m.issues, { resource: r, kind: 'violation', location: 'BlockDeviceMappings', message: `BlockDeviceMappings is not set: the root volume ${DEFAULT_REASON}` }]);
    }
    return instanceIssues(r);
  },
};

interface MappingResult {
  readonly issues: RuleIssue[];
  /** Some branch writes no EBS mapping at all. */
  readonly missing: boolean;
}

function mappingIssues(r: ResourceHandle, alts: readonly Alt[], location: string): MappingResult {
  const resolver = r.stack.resolver;
  const issues: RuleIssue[] = [];
  let missing = false;
  for (const b of resolver.branches(r.stack, alts)) {
    if (b.kind === 'other') {
      if (b.alt.kind === 'absent') missing = true;
      else issues.push(unverifiable(r, location, b.alt));
      continue;
    }
    let ebsMappings = 0;
    b.elements.forEach((el, i) => {
      const ebs = resolver.path(r.stack, el, ['Ebs']);
      // Instance-store (VirtualName) and suppressed (NoDevice) mappings hold no EBS volume.
      if (ebs.every((e) => e.kind === 'absent')) return;
      ebsMappings++;
      issues.push(
        ...judgeAlts(
          r,
          resolver.path(r.stack, ebs, ['Encrypted']),
          `${location}.${i}.Ebs.Encrypted`,
          (a) => expectBool(a, true),
          (a) => (a.kind === 'absent' ? `${location}.${i}.Ebs.Encrypted is not set: the volume ${DEFAULT_REASON}` : `${location}.${i}.Ebs.Encrypted is ${describe(a)}: the volume is stored unencrypted`),
        ),
      );
    });
    if (ebsMappings === 0) missing = true;
  }
  return { issues, missing };
}

function instanceIssues(r: ResourceHandle): RuleIssue[] {
  const own = mappingIssues(r, r.stack.resolver.get(r, 'BlockDeviceMappings'), 'BlockDeviceMappings');
  if (!own.missing) return dedupeIssues(own.issues);
  const issues = [...own.issues];
  for (const use of launchTemplateUses(r)) {
    if (use.target) {
      const lt = use.target;
      const m = mappingIssues(lt, lt.stack.resolver.get(lt, 'LaunchTemplateData', 'BlockDeviceMappings'), 'LaunchTemplateData.BlockDeviceMappings');
      // The template's own mappings are reported on the template; here only what the instance lacks.
      if (m.missing) {
        issues.push({
          resource: r,
          kind: 'violation',
          location: 'BlockDeviceMappings',
          message: `neither the instance nor its launch template ${where(lt)} sets BlockDeviceMappings: the root volume ${DEFAULT_REASON}`,
        });
      }
    } else if (use.alt.kind === 'absent') {
      issues.push({ resource: r, kind: 'violation', location: 'BlockDeviceMappings', message: `BlockDeviceMappings is not set and the instance has no launch template: the root volume ${DEFAULT_REASON}` });
    } else {
      issues.push({ resource: r, kind: 'unverifiable', location: 'LaunchTemplate', message: `cannot verify EBS encryption: the instance sets no BlockDeviceMappings and ${use.unresolved}` });
    }
  }
  return dedupeIssues(issues);
}

interface LaunchTemplateUsers {
  /** Per launch template: users in the app, and whether each writes its own mappings. */
  readonly users: Map<ResourceHandle, boolean[]>;
}

/** Who launches from each launch template of the app: instances (with or without own mappings) and auto-scaling groups. */
const launchTemplateUsers = perApp((app: AppModel): LaunchTemplateUsers => {
  const users = new Map<ResourceHandle, boolean[]>();
  const add = (lt: ResourceHandle, ownMappings: boolean) => {
    const l = users.get(lt) ?? [];
    l.push(ownMappings);
    users.set(lt, l);
  };
  for (const i of app.resourcesOfType('AWS::EC2::Instance')) {
    const own = !mappingIssues(i, i.stack.resolver.get(i, 'BlockDeviceMappings'), 'BlockDeviceMappings').missing;
    for (const u of launchTemplateUses(i)) if (u.target) add(u.target, own);
  }
  for (const g of app.resourcesOfType('AWS::AutoScaling::AutoScalingGroup')) {
    const uses = [...launchTemplateUses(g, 'LaunchTemplate'), ...launchTemplateUses(g, 'MixedInstancesPolicy', 'LaunchTemplate', 'LaunchTemplateSpecification')];
    for (const u of uses) if (u.target) add(u.target, false);
  }
  const idx: LaunchTemplateUsers = { users };
  return idx;
});

function onlyUsedByInstancesWithMappings(lt: ResourceHandle): boolean {
  const u = launchTemplateUsers(lt.stack.app).users.get(lt);
  return u !== undefined && u.length > 0 && u.every((own) => own);
}
