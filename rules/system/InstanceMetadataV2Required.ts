import type { ResourceHandle } from '../engine/model';
import { judgeAlts, RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, stringOf, Verdict } from '../engine/values';
import { launchTemplateUses } from './launch-templates';
import { dedupeIssues, where } from './support';

/** IMDS token setting that turns IMDSv1 off. */
export function isImdsV2Required(httpTokens: string | undefined): boolean {
  return httpTokens === 'required';
}

/** IMDS endpoint setting that turns the metadata service off altogether (no IMDSv1 either). */
export function isImdsDisabled(httpEndpoint: string | undefined): boolean {
  return httpEndpoint === 'disabled';
}

/**
 * SRM-IIP-SYS-03, instance metadata: launch templates and launch
 * configurations set `MetadataOptions.HttpTokens: required` (or turn the
 * endpoint off). `AWS::EC2::Instance` has no MetadataOptions property, so
 * an instance requires IMDSv2 only through a launch template that does; CDK's
 * `requireImdsv2: true` creates exactly that.
 */
export const InstanceMetadataV2Required: SrmIipRule = {
  id: 'InstanceMetadataV2Required',
  controlId: 'SRM-IIP-SYS-03',
  summary: 'EC2 instances, launch templates and launch configurations require IMDSv2 (HttpTokens required)',
  resourceTypes: ['AWS::EC2::Instance', 'AWS::EC2::LaunchTemplate', 'AWS::AutoScaling::LaunchConfiguration'],
  check(r) {
    if (r.type === 'AWS::EC2::LaunchTemplate') return metadataOptionsIssues(r, r, r.stack.resolver.get(r, 'LaunchTemplateData', 'MetadataOptions'), 'LaunchTemplateData.MetadataOptions');
    if (r.type === 'AWS::AutoScaling::LaunchConfiguration') return metadataOptionsIssues(r, r, r.stack.resolver.get(r, 'MetadataOptions'), 'MetadataOptions');
    return instanceIssues(r);
  },
};

/** Issues of a MetadataOptions block, reported on `subject` (the template itself, or an instance launched from it). */
function metadataOptionsIssues(subject: ResourceHandle, owner: ResourceHandle, options: readonly Alt[], location: string): RuleIssue[] {
  const resolver = owner.stack.resolver;
  const tokens: Alt[] = [];
  for (const o of options) {
    const endpoint = resolver.path(owner.stack, [o], ['HttpEndpoint']);
    if (endpoint.every((e) => isImdsDisabled(stringOf(e)))) continue;
    tokens.push(...resolver.path(owner.stack, [o], ['HttpTokens']));
  }
  const via = subject === owner ? '' : `launch template ${where(owner)}: `;
  return judgeAlts(
    subject,
    tokens,
    subject === owner ? `${location}.HttpTokens` : 'LaunchTemplate',
    (a): Verdict => (a.kind === 'value' ? (isImdsV2Required(stringOf(a)) ? 'pass' : 'fail') : a.kind === 'absent' ? 'fail' : 'unknown'),
    (a) =>
      a.kind === 'absent'
        ? `${via}${location}.HttpTokens is not set: IMDSv1 stays allowed unless the AMI or the account's instance-metadata defaults require tokens, which the template cannot show`
        : `${via}${location}.HttpTokens is ${describe(a)}, not 'required': IMDSv1 is allowed`,
  ).map((i) => (i.kind === 'unverifiable' && via ? { ...i, message: `${via}${i.message}` } : i));
}

function instanceIssues(r: ResourceHandle): RuleIssue[] {
  const issues: RuleIssue[] = [];
  for (const use of launchTemplateUses(r)) {
    if (use.target) {
      issues.push(...metadataOptionsIssues(r, use.target, use.target.stack.resolver.get(use.target, 'LaunchTemplateData', 'MetadataOptions'), 'LaunchTemplateData.MetadataOptions'));
    } else if (use.alt.kind === 'absent') {
      issues.push({
        resource: r,
        kind: 'violation',
        location: 'LaunchTemplate',
        message:
          "the instance has no launch template: AWS::EC2::Instance has no MetadataOptions property, so IMDSv2 is required only through a launch template with MetadataOptions.HttpTokens 'required' (CDK: requireImdsv2: true)",
      });
    } else {
      issues.push({ resource: r, kind: 'unverifiable', location: 'LaunchTemplate', message: `cannot verify that IMDSv2 is required: ${use.unresolved}` });
    }
  }
  return dedupeIssues(issues);
}
