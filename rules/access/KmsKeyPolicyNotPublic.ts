import type { RuleIssue, SrmIipRule } from '../engine/rule';
import { describe } from '../engine/values';
import { conditionPresence, principalIsPublic, problemsToIssues, readAccessPolicy, statementLabel, unresolvedProblem, AccessProblem, AccessTri } from './policy-checks';

/**
 * SRM-IIP-ACC-07 (public part): a KMS key policy grants nothing to an
 * unconditioned public principal (`Allow` to `*` / `{AWS: '*'}`, or with
 * NotPrincipal, and no Condition in some branch). Any condition passes here;
 * whether the condition really bounds the caller to an organization or an
 * account is ResourcePolicyNotPublic's check (SRM-IIP-ACC-06).
 */
export const KmsKeyPolicyNotPublic: SrmIipRule = {
  id: 'KmsKeyPolicyNotPublic',
  controlId: 'SRM-IIP-ACC-07',
  summary: 'KMS key policies grant nothing to an unconditioned `*` principal',
  resourceTypes: ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'],
  check(r) {
    const location = 'KeyPolicy';
    const view = readAccessPolicy(r.stack, r.stack.resolver.get(r, location));
    const problems: AccessProblem[] = [...unresolvedProblem(view, location)];
    view.statements.forEach((st, i) => {
      if (st.effect === 'Deny') return;
      let pub: AccessTri = st.notPrincipal ? 'yes' : 'no';
      for (const p of st.principals) {
        const v = principalIsPublic(r.stack, p);
        if (v === 'yes' || (v === 'maybe' && pub === 'no')) pub = v;
      }
      if (pub === 'no') return;
      const label = `${location} ${statementLabel(st, i)}`;
      const conditioned = conditionPresence(r.stack, st);
      if (conditioned === undefined) {
        problems.push({ kind: 'unverifiable', message: `cannot verify ${label}: it may allow anyone and its Condition cannot be resolved` });
      } else if (conditioned === 'always') {
        return;
      } else if (pub === 'yes' && st.effect === 'Allow') {
        problems.push({ kind: 'violation', message: `${label} allows ${st.notPrincipal ? 'NotPrincipal (everyone except the listed principals)' : "a public principal ('*')"} with no Condition${conditioned === 'sometimes' ? ' (in one branch of Fn::If)' : ''}` });
      } else {
        problems.push({
          kind: 'unverifiable',
          message: `cannot verify ${label}: it may allow anyone with no Condition (${pub === 'maybe' ? 'its Principal cannot be resolved' : `its Effect is ${describe(st.effectUnknown ?? { kind: 'absent' })}`})`,
        });
      }
    });
    const issues: RuleIssue[] = problemsToIssues(r, location, problems);
    return issues;
  },
};
