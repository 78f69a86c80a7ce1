import * as kit from '../../../index';

/** Tag that marks a bucket as holding quality records. */
export const TAG_RECORD_TYPE = 'acme:record-type';
export const QUALITY_RECORDS = 'quality';
/** Ten years, ACME-QMS's retention of quality records. */
export const QUALITY_RETENTION_DAYS = 3650;

/** Days of a default retention (`Days`, or `Years` counted as 365 days). */
function retentionDays(days: number | undefined, years: number | undefined): number | undefined {
  return days ?? (years !== undefined ? years * 365 : undefined);
}

/**
 * ACME-QA-01: a bucket tagged `acme:record-type` = `quality` enables object
 * lock and locks new versions in COMPLIANCE mode for at least ten years.
 * Written like the kit's own rules: pure, never throws, and a value it cannot
 * read is reported as unverifiable, never passed.
 */
export const QualityRecordBucketsLocked: kit.SrmIipRule = {
  id: 'QualityRecordBucketsLocked',
  controlId: 'ACME-QA-01',
  summary: 'Quality-record buckets enable object lock in COMPLIANCE mode for at least 3650 days',
  resourceTypes: ['AWS::S3::Bucket'],
  check(r) {
    const { tags, opaque } = kit.readTags(r);
    const type = tags.get(TAG_RECORD_TYPE);
    const quality = type?.some((a) => kit.stringOf(a) === QUALITY_RECORDS) ?? false;
    if (!quality) {
      // Tags that cannot be read might name a quality-record bucket.
      return opaque ? [{ resource: r, kind: 'unverifiable', location: 'Tags', message: `cannot tell whether this is a quality-record bucket: its tags are ${opaque}` }] : [];
    }
    const issues = kit.checkProperty(
      r,
      ['ObjectLockEnabled'],
      (a) => (a.kind === 'value' ? (a.value === true || a.value === 'true' ? 'pass' : 'fail') : a.kind === 'absent' ? 'fail' : 'unknown'),
      (a) => `a quality-record bucket must enable object lock, but ObjectLockEnabled is ${kit.describe(a)}`,
    );
    issues.push(
      ...kit.checkProperty(
        r,
        ['ObjectLockConfiguration', 'Rule', 'DefaultRetention', 'Mode'],
        (a) => (a.kind === 'value' ? (kit.stringOf(a) === 'COMPLIANCE' ? 'pass' : 'fail') : a.kind === 'absent' ? 'fail' : 'unknown'),
        (a) => `quality records must be locked in COMPLIANCE mode (GOVERNANCE lets privileged users delete them), got ${kit.describe(a)}`,
      ),
    );
    const res = r.stack.resolver;
    const days = res.get(r, 'ObjectLockConfiguration', 'Rule', 'DefaultRetention', 'Days');
    const years = res.get(r, 'ObjectLockConfiguration', 'Rule', 'DefaultRetention', 'Years');
    const alts = days.every((a) => a.kind === 'absent') ? years.map((a) => ({ a, unit: 'years' as const })) : days.map((a) => ({ a, unit: 'days' as const }));
    for (const { a, unit } of alts) {
      if (a.kind === 'absent') {
        issues.push({ resource: r, kind: 'violation', location: 'ObjectLockConfiguration.Rule.DefaultRetention', message: `a quality-record bucket needs a default retention of at least ${QUALITY_RETENTION_DAYS} days, got none` });
      } else if (a.kind !== 'value') {
        issues.push(kit.unverifiable(r, `ObjectLockConfiguration.Rule.DefaultRetention.${unit === 'days' ? 'Days' : 'Years'}`, a));
      } else {
        const n = kit.numberOf(a);
        const d = unit === 'days' ? retentionDays(n, undefined) : retentionDays(undefined, n);
        if (d === undefined || d < QUALITY_RETENTION_DAYS) {
          issues.push({ resource: r, kind: 'violation', location: 'ObjectLockConfiguration.Rule.DefaultRetention', message: `quality records must be kept at least ${QUALITY_RETENTION_DAYS} days, got ${kit.describe(a)} ${unit}` });
        }
      }
    }
    return issues;
  },
};

/** Every rule ACME adds. */
export const ACME_RULES: kit.SrmIipRule[] = [QualityRecordBucketsLocked];
