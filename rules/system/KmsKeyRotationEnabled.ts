import { checkProperty, RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, numberOf, stringOf, Verdict, expectBool } from '../engine/values';

/** Key specs that AWS KMS can rotate automatically. */
export function isRotatableKeySpec(spec: string | undefined): boolean {
  return spec === undefined || spec === 'SYMMETRIC_DEFAULT';
}

/** A rotation period AWS KMS accepts and the control allows (90–365 days). */
export function isAllowedRotationPeriod(days: number): boolean {
  return Number.isInteger(days) && days >= 90 && days <= 365;
}

/**
 * SRM-IIP-SYS-02: symmetric customer-managed keys rotate. Asymmetric and HMAC
 * keys cannot rotate automatically and are not applicable.
 */
export const KmsKeyRotationEnabled: SrmIipRule = {
  id: 'KmsKeyRotationEnabled',
  controlId: 'SRM-IIP-SYS-02',
  summary: 'Symmetric KMS keys have automatic rotation on, with a period of 90 to 365 days when one is set',
  resourceTypes: ['AWS::KMS::Key'],
  check(r) {
    const specs = r.stack.resolver.get(r, 'KeySpec');
    // Rotation applies only where the key can be symmetric; an unknown spec still needs rotation on.
    if (specs.every((s) => s.kind === 'value' && !isRotatableKeySpec(stringOf(s)))) return [];
    const issues: RuleIssue[] = checkProperty(r, ['EnableKeyRotation'], (a) => expectBool(a, true, false), (a: Alt) =>
      a.kind === 'absent' ? 'key rotation is not enabled (EnableKeyRotation is not set; KMS defaults to no rotation)' : `key rotation is off (EnableKeyRotation is ${stringOf(a) ?? 'not true'})`,
    );
    issues.push(
      ...checkProperty(
        r,
        ['RotationPeriodInDays'],
        (a): Verdict => {
          if (a.kind === 'absent') return 'pass';
          if (a.kind !== 'value') return 'unknown';
          const n = numberOf(a);
          return n !== undefined && isAllowedRotationPeriod(n) ? 'pass' : 'fail';
        },
        (a) => `rotation period must be 90–365 days, got ${stringOf(a) ?? JSON.stringify((a as { value?: unknown }).value)}`,
      ),
    );
    return issues;
  },
};
