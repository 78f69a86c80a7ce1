import type { RuleIssue, SrmIipRule } from '../engine/rule';
import { describe } from '../engine/values';
import { readableText, trustedText } from './policy-checks';

/** Whether a managed-policy ARN is the AWS managed AdministratorAccess policy (any partition). */
export function isAdministratorAccessArn(arn: string): boolean {
  return /:iam::aws:policy\/AdministratorAccess$/.test(arn.trim());
}

/**
 * SRM-IIP-ACC-01: no role, user or group has the AWS managed
 * AdministratorAccess policy attached (`ManagedPolicyArns`). An ARN that
 * cannot be resolved (a parameter) may be AdministratorAccess and is
 * reported as unverifiable; a reference to a customer managed policy of the
 * app is not, and its document is checked by IamPolicyNoWildcardGrants.
 */
export const IamNoAdministratorAccess: SrmIipRule = {
  id: 'IamNoAdministratorAccess',
  controlId: 'SRM-IIP-ACC-01',
  summary: 'No IAM role, user or group has the AdministratorAccess managed policy attached',
  resourceTypes: ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'],
  check(r) {
    const res = r.stack.resolver;
    const issues: RuleIssue[] = [];
    res.items(r.stack, res.get(r, 'ManagedPolicyArns')).forEach((a, i) => {
      if (a.kind === 'ref') return;
      const location = `ManagedPolicyArns.${i}`;
      const text = readableText(r.stack, a);
      if (text !== undefined) {
        if (isAdministratorAccessArn(text)) {
          issues.push({ resource: r, kind: 'violation', location, message: `${r.type.slice(10)} has the AdministratorAccess managed policy attached (${location} is '${text}')` });
        }
        return;
      }
      // A partly known ARN that already names another policy cannot be AdministratorAccess.
      const partial = trustedText(a);
      if (partial !== undefined && /:policy\/[^$]+$/.test(partial) && !/AdministratorAccess$/.test(partial)) return;
      issues.push({ resource: r, kind: 'unverifiable', location, message: `cannot verify ${location}: the managed policy ARN is ${describe(a)} and may be AdministratorAccess` });
    });
    return issues;
  },
};
