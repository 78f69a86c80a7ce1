import type { SrmIipRule } from '../engine/rule';
import { describe } from '../engine/values';
import { AccessProblem, principalAccountOf, problemsToIssues, readAccessPolicy, statementLabel, unresolvedProblem } from './policy-checks';

/** Condition key that carries the partner's external ID. */
export const EXTERNAL_ID_CONDITION_KEY = 'sts:externalid';

/** Condition keys that keep a `*` principal inside the own organization: not partner access. */
const OWN_ORGANIZATION_KEYS = ['aws:principalorgid', 'aws:principalorgpaths'];

/** Whether a trust statement's condition keys (lower-cased) require an external ID. */
export function requiresExternalId(conditionKeys: ReadonlySet<string>): boolean {
  return conditionKeys.has(EXTERNAL_ID_CONDITION_KEY);
}

/**
 * SRM-IIP-ACC-08: a role that another AWS account may assume names that
 * account and requires `sts:ExternalId`. Another account is a principal
 * whose account ID (a 12-digit ID, or the account of an `arn:…:iam::<id>:…`
 * ARN) differs from the stack's own: `${AWS::AccountId}` and the stack's
 * known account are its own, and a literal ID is another account unless it
 * equals the stack's known account. Service, federated and same-account
 * principals are not partner access.
 *
 * A `*` principal names no account: it is reported here unless a condition
 * keeps it inside the own organization (`aws:PrincipalOrgID`) or names the
 * accounts (`aws:PrincipalAccount`, then with an external ID). An
 * unconditioned `*` trust also breaks SRM-IIP-ACC-02 (IamTrustPolicyNotPublic).
 */
export const CrossAccountTrustRequiresExternalId: SrmIipRule = {
  id: 'CrossAccountTrustRequiresExternalId',
  controlId: 'SRM-IIP-ACC-08',
  summary: 'Roles trusted by other AWS accounts name those accounts and require sts:ExternalId',
  resourceTypes: ['AWS::IAM::Role'],
  check(r) {
    const location = 'AssumeRolePolicyDocument';
    const stack = r.stack;
    const view = readAccessPolicy(stack, stack.resolver.get(r, location));
    const problems: AccessProblem[] = [...unresolvedProblem(view, location)];
    view.statements.forEach((st, i) => {
      if (st.effect === 'Deny' || st.notPrincipal) return;
      const label = `${location} ${statementLabel(st, i)}`;
      const keys = st.conditionKeys;
      const foreign: string[] = [];
      const unsure: string[] = [];
      let anyAccount = false;
      for (const p of st.principals) {
        if (p.type !== 'AWS' && p.type !== '*') continue;
        const acct = principalAccountOf(stack, p.value);
        if (acct.kind === 'own') continue;
        if (acct.kind === 'any') {
          if (keys && OWN_ORGANIZATION_KEYS.some((k) => keys.has(k))) continue;
          if (keys && keys.has('aws:principalaccount')) foreign.push("'*' limited by aws:PrincipalAccount");
          else anyAccount = true;
        } else if (acct.kind === 'other') {
          foreign.push(`account ${acct.account}`);
        } else {
          unsure.push(`principal ${describe(p.value)} names an account that cannot be resolved`);
        }
      }
      const prefix = st.effect === undefined ? `cannot verify ${label}: its Effect is ${describe(st.effectUnknown ?? { kind: 'absent' })}, and if it is Allow it` : label;
      const kind = st.effect === undefined ? 'unverifiable' : 'violation';
      if (anyAccount) {
        problems.push({ kind, message: `${prefix} trusts any AWS account ('*') instead of naming the partner accounts` });
      }
      if (foreign.length === 0 && unsure.length === 0) return;
      if (keys === undefined) {
        problems.push({ kind: 'unverifiable', message: `cannot verify ${label}: it trusts ${[...foreign, ...unsure].join(', ')} and its Condition cannot be resolved` });
      } else if (requiresExternalId(keys)) {
        return;
      } else if (foreign.length > 0) {
        problems.push({ kind, message: `${prefix} trusts ${foreign.join(', ')} without requiring sts:ExternalId` });
      } else {
        problems.push({ kind: 'unverifiable', message: `cannot verify ${label}: ${unsure.join('; ')}, and it does not require sts:ExternalId` });
      }
    });
    return problemsToIssues(r, location, problems);
  },
};
