import type { ResourceHandle } from '../engine/model';
import type { RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, isPlainObject, numberOf, stringOf } from '../engine/values';

/** Whether a lifecycle rule (status, noncurrent-version expiry in days) removes old versions. */
export function expiresNoncurrentVersions(status: string | undefined, noncurrentDays: number | undefined): boolean {
  return status === 'Enabled' && noncurrentDays !== undefined && noncurrentDays >= 1;
}

type Tri = 'yes' | 'no' | 'maybe';

/** Does one lifecycle rule (one alternative) expire noncurrent versions? */
function ruleExpires(b: ResourceHandle, rule: Alt): Tri {
  if (rule.kind !== 'value') return 'maybe';
  if (!isPlainObject(rule.value)) return 'no';
  const res = b.stack.resolver;
  const statuses = res.path(b.stack, [rule], ['Status']);
  const days = [
    ...res.path(b.stack, [rule], ['NoncurrentVersionExpiration', 'NoncurrentDays']),
    ...res.path(b.stack, [rule], ['NoncurrentVersionExpirationInDays']),
  ].filter((d) => d.kind !== 'absent');
  if (days.length === 0) return 'no';
  let out: Tri = 'yes';
  for (const s of statuses) {
    if (s.kind === 'value' && stringOf(s) !== 'Enabled') return 'no';
    if (s.kind === 'absent') return 'no';
    if (s.kind !== 'value') out = 'maybe';
  }
  for (const d of days) {
    if (d.kind !== 'value') out = 'maybe';
    else if (!expiresNoncurrentVersions('Enabled', numberOf(d))) return 'no';
  }
  return out;
}

/**
 * SRM-IIP-OPS-07 (object versions): a bucket with versioning enabled has an
 * enabled lifecycle rule with NoncurrentVersionExpiration, so overwritten and
 * deleted data does not linger as old versions. The rule must be there in
 * every Fn::If branch of the lifecycle configuration.
 */
export const NoncurrentVersionsExpire: SrmIipRule = {
  id: 'NoncurrentVersionsExpire',
  controlId: 'SRM-IIP-OPS-07',
  summary: 'Versioned S3 buckets expire noncurrent object versions with a lifecycle rule',
  resourceTypes: ['AWS::S3::Bucket'],
  check(b) {
    const res = b.stack.resolver;
    const versioning = res.get(b, 'VersioningConfiguration', 'Status');
    const versioned = versioning.some((a) => a.kind === 'value' && stringOf(a) === 'Enabled');
    const maybeVersioned = versioning.some((a) => a.kind === 'unknown' || a.kind === 'ref');
    if (!versioned && !maybeVersioned) return [];
    let verdict: Tri = 'yes';
    let culprit: string | undefined;
    for (const branch of res.branches(b.stack, res.get(b, 'LifecycleConfiguration', 'Rules'))) {
      let v: Tri;
      if (branch.kind === 'other') {
        v = branch.alt.kind === 'absent' ? 'no' : 'maybe';
        culprit ??= branch.alt.kind === 'absent' ? undefined : describe(branch.alt);
      } else {
        // Some rule must expire noncurrent versions in every alternative of that rule.
        const perRule: Tri[] = branch.elements.map((alts) => {
          const vs = alts.map((a) => ruleExpires(b, a));
          return vs.every((x) => x === 'yes') ? 'yes' : vs.includes('no') ? 'no' : 'maybe';
        });
        v = perRule.includes('yes') ? 'yes' : perRule.includes('maybe') ? 'maybe' : 'no';
      }
      if (v === 'no') verdict = 'no';
      else if (v === 'maybe' && verdict === 'yes') verdict = 'maybe';
    }
    if (verdict === 'yes') return [];
    const issues: RuleIssue[] = [];
    if (verdict === 'no' && versioned) {
      issues.push({
        resource: b,
        kind: 'violation',
        location: 'LifecycleConfiguration.Rules',
        message: 'the bucket is versioned but no enabled lifecycle rule sets NoncurrentVersionExpiration, so overwritten and deleted objects are kept as old versions indefinitely',
      });
    } else {
      const why = !versioned ? `its versioning status is ${describe(versioning.find((a) => a.kind !== 'value')!)}` : `a lifecycle rule cannot be resolved${culprit ? ` (${culprit})` : ''}`;
      issues.push({ resource: b, kind: 'unverifiable', location: 'LifecycleConfiguration.Rules', message: `cannot verify that noncurrent object versions expire: ${why}` });
    }
    return issues;
  },
};
