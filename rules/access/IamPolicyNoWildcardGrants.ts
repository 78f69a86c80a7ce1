import type { StackModel } from '../engine/model';
import { actionCovers, isAllActions, isServiceWildcard, PolicyDocumentView } from '../engine/policy';
import type { RuleIssue, SrmIipRule } from '../engine/rule';
import { describe } from '../engine/values';
import {
  AccessProblem,
  AccessTri,
  identityPolicySources,
  problemsToIssues,
  readableText,
  readAccessPolicy,
  statementLabel,
  statementOnAllResources,
  unresolvedProblem,
} from './policy-checks';

/** An action pattern that grants every action of every service: `*`, `*:*`. */
export function isAllActionsGrant(action: string): boolean {
  return isAllActions(action.trim());
}

/** An action pattern that grants every action of one service (`s3:*`); a violation only on all resources. */
export function isServiceWideGrant(action: string): boolean {
  return isServiceWildcard(action.trim());
}

/** An action pattern that lets the holder pass roles (`iam:PassRole`, `iam:Pass*`, `iam:*`). */
export function grantsPassRole(action: string): boolean {
  return actionCovers(action.trim(), 'iam:PassRole');
}

/**
 * The reasons one `Allow` statement breaks least privilege, given its
 * readable action patterns and whether it applies to all resources.
 */
export function broadGrantReasons(actions: readonly string[], notAction: boolean, allResources: AccessTri): { violations: string[]; maybe: string[] } {
  const violations: string[] = [];
  const maybe: string[] = [];
  if (notAction) violations.push('uses NotAction with Allow, which grants every action except those listed');
  for (const a of actions) {
    if (isAllActionsGrant(a)) {
      violations.push(`grants all actions ('${a}')`);
      continue;
    }
    const onAll = isServiceWideGrant(a) ? `grants every action of a service ('${a}')` : grantsPassRole(a) ? `grants '${a}', which allows iam:PassRole,` : undefined;
    if (onAll === undefined) continue;
    if (allResources === 'yes') violations.push(`${onAll} on all resources ('*')`);
    else if (allResources === 'maybe') maybe.push(`${onAll} on a resource that cannot be resolved and may be '*'`);
  }
  return { violations, maybe };
}

/** Problems of one identity-policy document. */
export function wildcardGrantProblems(stack: StackModel, view: PolicyDocumentView, location: string): AccessProblem[] {
  const out: AccessProblem[] = [...unresolvedProblem(view, location)];
  view.statements.forEach((st, i) => {
    if (st.effect === 'Deny') return;
    const label = `${location} ${statementLabel(st, i)}`;
    const texts: string[] = [];
    const unreadable: string[] = [];
    for (const a of st.actions) {
      const t = readableText(stack, a);
      if (t === undefined) unreadable.push(describe(a));
      else texts.push(t);
    }
    const { violations, maybe } = broadGrantReasons(texts, st.notAction, statementOnAllResources(stack, st));
    if (violations.length > 0 && st.effect === 'Allow') {
      out.push({ kind: 'violation', message: `${label} ${violations.join('; ')}` });
      return;
    }
    if (violations.length > 0) {
      out.push({ kind: 'unverifiable', message: `cannot verify ${label}: its Effect is ${describe(st.effectUnknown ?? { kind: 'absent' })}, and if it is Allow it ${violations.join('; ')}` });
      return;
    }
    if (unreadable.length > 0) out.push({ kind: 'unverifiable', message: `cannot verify ${label}: its Action ${unreadable.join(', ')} cannot be resolved and may be '*'` });
    else if (maybe.length > 0) out.push({ kind: 'unverifiable', message: `cannot verify ${label}: it ${maybe.join('; ')}` });
  });
  return out;
}

/**
 * SRM-IIP-ACC-01: identity policies grant least privilege. No `Allow` grants
 * every action (`*`, or `NotAction`), a whole service (`svc:*`) on all
 * resources, or `iam:PassRole` on all resources. A service wildcard on a
 * named resource (`s3:*` on one bucket) and CDK's grant patterns
 * (`s3:GetObject*` on a bucket ARN) are not flagged. Customer managed
 * policies (`AWS::IAM::ManagedPolicy`) are read here too: one that allows
 * `*` is an AdministratorAccess by another name.
 */
export const IamPolicyNoWildcardGrants: SrmIipRule = {
  id: 'IamPolicyNoWildcardGrants',
  controlId: 'SRM-IIP-ACC-01',
  summary: 'IAM policies grant no `*` actions, no service-wide `svc:*` on all resources and no `iam:PassRole` on all resources',
  resourceTypes: [
    'AWS::IAM::Policy',
    'AWS::IAM::ManagedPolicy',
    'AWS::IAM::Role',
    'AWS::IAM::User',
    'AWS::IAM::Group',
    'AWS::IAM::RolePolicy',
    'AWS::IAM::UserPolicy',
    'AWS::IAM::GroupPolicy',
  ],
  check(r) {
    const issues: RuleIssue[] = [];
    for (const src of identityPolicySources(r)) {
      const view = readAccessPolicy(r.stack, src.alts);
      issues.push(...problemsToIssues(r, src.location, wildcardGrantProblems(r.stack, view, src.location)));
    }
    return issues;
  },
};
