import { checkProperty, RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, numberOf, stringOf, Verdict } from '../engine/values';

/** Shortest password the control accepts. */
export const COGNITO_MIN_PASSWORD_LENGTH = 12;

/** Cognito's MinimumLength when the password policy does not set one. */
export const COGNITO_DEFAULT_PASSWORD_LENGTH = 8;

/** Whether a user pool's MfaConfiguration enforces MFA: only `ON` does (`OPTIONAL` lets users skip it). */
export function isMfaEnforced(mfaConfiguration: string | undefined): boolean {
  return mfaConfiguration !== undefined && mfaConfiguration.trim().toUpperCase() === 'ON';
}

/** Whether a password minimum length meets the control. */
export function isStrongPasswordLength(length: number): boolean {
  return length >= COGNITO_MIN_PASSWORD_LENGTH;
}

/**
 * SRM-IIP-ACC-05: Cognito user pools enforce MFA (`MfaConfiguration: ON`;
 * absent means Cognito's default `OFF`, and `OPTIONAL` leaves it to each
 * user) and require passwords of at least 12 characters
 * (`Policies.PasswordPolicy.MinimumLength`; absent means Cognito's default 8).
 */
export const CognitoUserPoolStrongAuth: SrmIipRule = {
  id: 'CognitoUserPoolStrongAuth',
  controlId: 'SRM-IIP-ACC-05',
  summary: 'Cognito user pools enforce MFA (ON) and a minimum password length of at least 12',
  resourceTypes: ['AWS::Cognito::UserPool'],
  check(r) {
    const issues: RuleIssue[] = checkProperty(
      r,
      ['MfaConfiguration'],
      (a): Verdict => (a.kind === 'absent' ? 'fail' : a.kind !== 'value' ? 'unknown' : isMfaEnforced(stringOf(a)) ? 'pass' : 'fail'),
      (a: Alt) =>
        a.kind === 'absent'
          ? 'MFA is not enforced (MfaConfiguration is not set; Cognito defaults to OFF)'
          : `MFA is not enforced (MfaConfiguration is ${stringOf(a) !== undefined ? `'${stringOf(a)}'` : JSON.stringify((a as { value?: unknown }).value)}; it must be ON)`,
    );
    issues.push(
      ...checkProperty(
        r,
        ['Policies', 'PasswordPolicy', 'MinimumLength'],
        (a): Verdict => {
          if (a.kind === 'absent') return 'fail';
          if (a.kind !== 'value') return 'unknown';
          const n = numberOf(a);
          return n !== undefined && isStrongPasswordLength(n) ? 'pass' : 'fail';
        },
        (a: Alt) =>
          a.kind === 'absent'
            ? `password minimum length is not set (Policies.PasswordPolicy.MinimumLength; Cognito defaults to ${COGNITO_DEFAULT_PASSWORD_LENGTH}); it must be at least ${COGNITO_MIN_PASSWORD_LENGTH}`
            : `password minimum length is ${stringOf(a) ?? JSON.stringify((a as { value?: unknown }).value)}; it must be at least ${COGNITO_MIN_PASSWORD_LENGTH}`,
      ),
    );
    return issues;
  },
};
