import type { ResourceHandle } from '../engine/model';
import { judgeAlts, RuleIssue, SrmIipRule, unverifiable } from '../engine/rule';
import { Alt, expectBool, isPlainObject, numberOf, stringOf, Verdict } from '../engine/values';
import { existing, literal, perApp, pointees, shown, where } from './common';

/** Object lock retention modes; either keeps a locked version from being deleted before its retention ends. */
export const OBJECT_LOCK_MODES = ['COMPLIANCE', 'GOVERNANCE'] as const;

/** Whether a bucket's settings protect the log archive from change (plain values in). */
export function isLockedArchive(b: { versioningStatus?: string; objectLockEnabled?: boolean; retentionMode?: string; retentionDays?: number; retentionYears?: number }): boolean {
  return (
    b.versioningStatus === 'Enabled' &&
    b.objectLockEnabled === true &&
    (OBJECT_LOCK_MODES as readonly string[]).includes(b.retentionMode ?? '') &&
    ((b.retentionDays ?? 0) > 0 || (b.retentionYears ?? 0) > 0)
  );
}

const bucketsByName = perApp((app) => {
  const m = new Map<string, ResourceHandle[]>();
  for (const b of app.resourcesOfType('AWS::S3::Bucket')) {
    for (const a of b.stack.resolver.get(b, 'BucketName')) {
      const n = literal(a);
      if (n !== undefined) m.set(n, [...(m.get(n) ?? []), b]);
    }
  }
  return m;
});

function checkArchiveBucket(b: ResourceHandle, trails: string): RuleIssue[] {
  const r = b.stack.resolver;
  const issues: RuleIssue[] = [];
  issues.push(
    ...judgeAlts(
      b,
      r.get(b, 'VersioningConfiguration', 'Status'),
      'VersioningConfiguration.Status',
      (a): Verdict => (a.kind === 'value' ? (stringOf(a) === 'Enabled' ? 'pass' : 'fail') : a.kind === 'absent' ? 'fail' : 'unknown'),
      (a) => `the log archive bucket of ${trails} is not versioned (VersioningConfiguration.Status is ${shown(a)}), so log files can be overwritten or deleted`,
    ),
  );
  issues.push(
    ...judgeAlts(
      b,
      r.get(b, 'ObjectLockEnabled'),
      'ObjectLockEnabled',
      (a) => expectBool(a, true, false),
      (a) => `the log archive bucket of ${trails} has no object lock (ObjectLockEnabled is ${shown(a)})`,
    ),
  );
  issues.push(
    ...judgeAlts(
      b,
      r.get(b, 'ObjectLockConfiguration', 'Rule', 'DefaultRetention'),
      'ObjectLockConfiguration.Rule.DefaultRetention',
      (a): Verdict => {
        if (a.kind === 'absent') return 'fail';
        if (a.kind !== 'value') return 'unknown';
        if (!isPlainObject(a.value)) return 'fail';
        const modes = r.path(b.stack, [a], ['Mode']);
        const periods = [...r.path(b.stack, [a], ['Days']), ...r.path(b.stack, [a], ['Years'])];
        let verdict: Verdict = 'pass';
        for (const m of modes) {
          if (m.kind === 'value') {
            if (!(OBJECT_LOCK_MODES as readonly string[]).includes(stringOf(m) ?? '')) return 'fail';
          } else if (m.kind === 'absent') return 'fail';
          else verdict = 'unknown';
        }
        const known = periods.filter((p) => p.kind !== 'absent');
        if (known.length === 0) return 'fail';
        if (known.some((p) => p.kind === 'value' && !((numberOf(p) ?? 0) > 0))) return 'fail';
        if (known.some((p) => p.kind !== 'value')) verdict = 'unknown';
        return verdict;
      },
      (a: Alt) =>
        a.kind === 'absent'
          ? `the log archive bucket of ${trails} has no object lock rule with a default retention (ObjectLockConfiguration.Rule.DefaultRetention is not set), so new log files are not locked`
          : `the log archive bucket of ${trails} has no valid default retention: ObjectLockConfiguration.Rule.DefaultRetention is ${shown(a)} (needs Mode COMPLIANCE or GOVERNANCE and Days or Years)`,
    ),
  );
  return issues;
}

/**
 * SRM-IIP-OPS-02 (log archive): the S3 bucket every CloudTrail trail writes
 * to (S3BucketName, also across stacks) is versioned and has object lock
 * with a default retention rule, so delivered logs cannot be changed.
 */
export const LogArchiveBucketLocked: SrmIipRule = {
  id: 'LogArchiveBucketLocked',
  controlId: 'SRM-IIP-OPS-02',
  summary: 'The log archive bucket of each CloudTrail trail is versioned and has object lock with a default retention',
  resourceTypes: ['AWS::CloudTrail::Trail', 'AWS::S3::Bucket'],
  checkApp(ctx) {
    const issues: RuleIssue[] = [];
    const byBucket = new Map<ResourceHandle, ResourceHandle[]>();
    const names = bucketsByName(ctx.app);
    for (const trail of existing(ctx.app, 'AWS::CloudTrail::Trail')) {
      const resolver = trail.stack.resolver;
      for (const a of resolver.get(trail, 'S3BucketName')) {
        let buckets: ResourceHandle[] = [];
        if (a.kind === 'absent') {
          issues.push({ resource: trail, kind: 'violation', location: 'S3BucketName', message: 'the trail names no log archive bucket (S3BucketName is not set)' });
          continue;
        }
        if (a.kind === 'value') {
          const n = literal(a);
          buckets = n !== undefined ? names.get(n) ?? [] : [];
          if (buckets.length === 0) {
            issues.push({
              resource: trail,
              kind: 'unverifiable',
              location: 'S3BucketName',
              message: `the log archive bucket ${shown(a)} is not defined in the app, so its versioning and object lock cannot be verified`,
            });
            continue;
          }
        } else {
          buckets = pointees(trail.stack, a);
          const notBucket = buckets.find((b) => b.type !== 'AWS::S3::Bucket');
          buckets = buckets.filter((b) => b.type === 'AWS::S3::Bucket');
          if (buckets.length === 0) {
            issues.push(
              notBucket
                ? { resource: trail, kind: 'unverifiable', location: 'S3BucketName', message: `S3BucketName refers to ${where(notBucket)}, which is not an S3 bucket the rule can read` }
                : unverifiable(trail, 'S3BucketName', a),
            );
            continue;
          }
        }
        for (const b of buckets) byBucket.set(b, [...(byBucket.get(b) ?? []), trail]);
      }
    }
    for (const [bucket, trails] of byBucket) {
      const names = trails.map((t) => (t.stack === bucket.stack ? `trail ${t.logicalId}` : `trail ${t.logicalId} (stack ${t.stack.name})`));
      issues.push(...checkArchiveBucket(bucket, [...new Set(names)].join(', ')));
    }
    return issues;
  },
};
