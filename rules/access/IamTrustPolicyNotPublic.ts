import type { SrmIipRule } from '../engine/rule';
import { problemsToIssues, publicGrantProblems, readAccessPolicy, unresolvedProblem } from './policy-checks';

/**
 * SRM-IIP-ACC-02: no role trusts everyone. An `Allow` in
 * `AssumeRolePolicyDocument` to `*` (or `{AWS: '*'}`, or with `NotPrincipal`)
 * lets any AWS account assume the role unless a condition scopes the caller
 * to an organization or an account (`aws:PrincipalOrgID`,
 * `aws:PrincipalAccount`, …). `sts:ExternalId` alone does not scope it: it is
 * a shared string, not an identity. A principal that cannot be resolved (a
 * parameter) is reported as unverifiable.
 */
export const IamTrustPolicyNotPublic: SrmIipRule = {
  id: 'IamTrustPolicyNotPublic',
  controlId: 'SRM-IIP-ACC-02',
  summary: 'No IAM role trust policy trusts `*` without an organization or account condition',
  resourceTypes: ['AWS::IAM::Role'],
  check(r) {
    const location = 'AssumeRolePolicyDocument';
    const view = readAccessPolicy(r.stack, r.stack.resolver.get(r, location));
    return problemsToIssues(r, location, [...unresolvedProblem(view, location), ...publicGrantProblems(r.stack, view, 'trust policy')]);
  },
};
