import { checkProperty, RuleIssue, SrmIipRule } from '../engine/rule';
import { numberOf, Verdict } from '../engine/values';
import { judgeIsSet, shown } from './common';

/**
 * Whether a log group keeps its events long enough. `undefined` is a log
 * group without RetentionInDays: CloudWatch Logs then never expires events,
 * which keeps them longer than any floor.
 */
export function isRetainedLongEnough(retentionDays: number | undefined, floorDays: number): boolean {
  return retentionDays === undefined || retentionDays >= floorDays;
}

/**
 * SRM-IIP-OPS-02 (log groups): every AWS::Logs::LogGroup keeps events for at
 * least `logRetentionDays` (no RetentionInDays = never expire = compliant)
 * and encrypts them with a KMS key (KmsKeyId).
 */
export const LogGroupRetainedAndEncrypted: SrmIipRule = {
  id: 'LogGroupRetainedAndEncrypted',
  controlId: 'SRM-IIP-OPS-02',
  summary: 'Log groups keep events at least the configured retention (365 days by default) and are encrypted with a KMS key',
  resourceTypes: ['AWS::Logs::LogGroup'],
  check(r, ctx) {
    const floor = ctx.settings.logRetentionDays;
    const issues: RuleIssue[] = checkProperty(
      r,
      ['RetentionInDays'],
      (a): Verdict => {
        if (a.kind === 'absent') return 'pass';
        if (a.kind !== 'value') return 'unknown';
        const n = numberOf(a);
        return n !== undefined && isRetainedLongEnough(n, floor) ? 'pass' : 'fail';
      },
      (a) => `log events are kept for ${shown(a)} days, less than the required ${floor} days (RetentionInDays)`,
    );
    issues.push(
      ...checkProperty(r, ['KmsKeyId'], judgeIsSet, (a) =>
        a.kind === 'absent'
          ? 'the log group is not encrypted with a KMS key (KmsKeyId is not set; CloudWatch Logs then uses a service-owned key)'
          : `the log group's KmsKeyId is ${shown(a)}, not a KMS key`,
      ),
    );
    return issues;
  },
};
