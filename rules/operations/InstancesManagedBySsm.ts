import type { AppModel, ResourceHandle } from '../engine/model';
import { actionCovers } from '../engine/policy';
import type { RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, textOf } from '../engine/values';
import { literal, perApp, pointees, unionInEveryBranch, where } from './common';
import { coverageByBranch } from './policy-branches';

/** The AWS managed policy that lets the SSM agent register and open sessions. */
export const SSM_CORE_POLICY = 'AmazonSSMManagedInstanceCore';

/** Actions the SSM agent needs for the instance to be managed and reachable by Session Manager. */
export const SSM_AGENT_ACTIONS = [
  'ssm:UpdateInstanceInformation',
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
] as const;

/** Whether a managed policy ARN is AmazonSSMManagedInstanceCore (any partition). */
export function isSsmCorePolicyArn(arn: string): boolean {
  return /^arn:[^:]*:iam::aws:policy\/AmazonSSMManagedInstanceCore$/.test(arn) || arn.endsWith(`:iam::aws:policy/${SSM_CORE_POLICY}`);
}

/** The SSM agent actions that allowed patterns (minus denied ones) leave out. */
export function missingSsmActions(allowed: readonly string[], denied: readonly string[] = []): string[] {
  return SSM_AGENT_ACTIONS.filter((a) => !allowed.some((p) => actionCovers(p, a)) || denied.some((p) => actionCovers(p, a)));
}

interface RoleIndex {
  /** Policy documents attached to a role by AWS::IAM::Policy / ManagedPolicy / RolePolicy resources. */
  readonly attached: Map<ResourceHandle, Array<{ stack: ResourceHandle['stack']; doc: Alt[] }>>;
  readonly profilesByName: Map<string, ResourceHandle>;
  readonly rolesByName: Map<string, ResourceHandle>;
}

const index = perApp((app: AppModel): RoleIndex => {
  const attached = new Map<ResourceHandle, Array<{ stack: ResourceHandle['stack']; doc: Alt[] }>>();
  const rolesByName = new Map<string, ResourceHandle>();
  for (const role of app.resourcesOfType('AWS::IAM::Role')) for (const a of role.stack.resolver.get(role, 'RoleName')) if (literal(a)) rolesByName.set(literal(a)!, role);
  const rolesOf = (p: ResourceHandle, prop: string, many: boolean): ResourceHandle[] => {
    const res = p.stack.resolver;
    const alts = many ? res.items(p.stack, res.get(p, prop)) : res.get(p, prop);
    return alts.flatMap((a) => {
      const byName = literal(a) !== undefined ? rolesByName.get(literal(a)!) : undefined;
      return byName ? [byName] : pointees(p.stack, a).filter((x) => x.type === 'AWS::IAM::Role');
    });
  };
  for (const p of app.resourcesOfType('AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::RolePolicy')) {
    const roles = p.type === 'AWS::IAM::RolePolicy' ? rolesOf(p, 'RoleName', false) : rolesOf(p, 'Roles', true);
    for (const role of roles) attached.set(role, [...(attached.get(role) ?? []), { stack: p.stack, doc: p.stack.resolver.get(p, 'PolicyDocument') }]);
  }
  const profilesByName = new Map<string, ResourceHandle>();
  for (const prof of app.resourcesOfType('AWS::IAM::InstanceProfile')) for (const a of prof.stack.resolver.get(prof, 'InstanceProfileName')) if (literal(a)) profilesByName.set(literal(a)!, prof);
  return { attached, profilesByName, rolesByName };
});

type RoleVerdict = { verdict: 'pass' } | { verdict: 'fail'; missing: string[] } | { verdict: 'unknown'; why: string };

/** Whether a role lets the SSM agent work: the core managed policy, or the agent's actions in its policies. */
function judgeRole(role: ResourceHandle, idx: RoleIndex): RoleVerdict {
  const res = role.stack.resolver;
  let why: string | undefined;
  const ALL = new Set<string>(SSM_AGENT_ACTIONS);
  const allowedBy = (stack: ResourceHandle['stack'], doc: Alt[]): Set<string> => {
    const cov = coverageByBranch(stack, doc, 'Allow', SSM_AGENT_ACTIONS);
    why ??= cov.unresolved;
    return cov.always;
  };
  // What the managed policies and the inline policies allow in every Fn::If branch of their lists.
  const fromManaged = unionInEveryBranch(role.stack, res.get(role, 'ManagedPolicyArns'), (arn) => {
    const text = textOf(arn);
    if (text !== undefined && isSsmCorePolicyArn(text.replace(/\$\{AWS::Partition\}/g, 'aws'))) return ALL;
    const managed = pointees(role.stack, arn).find((p) => p.type === 'AWS::IAM::ManagedPolicy');
    if (managed) return allowedBy(managed.stack, managed.stack.resolver.get(managed, 'PolicyDocument'));
    if (arn.kind !== 'value' && !(text && /:policy\//.test(text))) why ??= `a managed policy ARN is ${describe(arn)}`;
    return new Set();
  });
  const fromInline = unionInEveryBranch(role.stack, res.get(role, 'Policies'), (p) => allowedBy(role.stack, res.path(role.stack, [p], ['PolicyDocument'])));
  const allowed = new Set([...fromManaged, ...fromInline]);
  const denied = new Set<string>();
  const docs: Array<{ stack: ResourceHandle['stack']; doc: Alt[] }> = [...(idx.attached.get(role) ?? [])];
  for (const { stack, doc } of docs) for (const a of allowedBy(stack, doc)) allowed.add(a);
  // A denial without conditions in any policy, in any branch, removes the action.
  for (const p of res.items(role.stack, res.get(role, 'Policies'))) docs.push({ stack: role.stack, doc: res.path(role.stack, [p], ['PolicyDocument']) });
  for (const { stack, doc } of docs) {
    const deny = coverageByBranch(stack, doc, 'Deny', SSM_AGENT_ACTIONS, (st) => st.conditionKeys?.size === 0);
    for (const a of deny.sometimes) denied.add(a);
    why ??= deny.unresolved;
  }
  const missing = SSM_AGENT_ACTIONS.filter((a) => !allowed.has(a) || denied.has(a));
  if (missing.length === 0) return { verdict: 'pass' };
  return why ? { verdict: 'unknown', why } : { verdict: 'fail', missing };
}

/** The roles of an instance, through its instance profile; or why they cannot be found. */
function rolesOfInstance(inst: ResourceHandle, idx: RoleIndex): { roles: ResourceHandle[]; problem?: RuleIssue } {
  const res = inst.stack.resolver;
  const roles: ResourceHandle[] = [];
  for (const p of res.get(inst, 'IamInstanceProfile')) {
    if (p.kind === 'absent') {
      return { roles, problem: { resource: inst, kind: 'violation', location: 'IamInstanceProfile', message: 'the instance is not reachable through Systems Manager: it has no instance profile (IamInstanceProfile is not set), so the SSM agent cannot register' } };
    }
    const profile = literal(p) !== undefined ? idx.profilesByName.get(literal(p)!) : pointees(inst.stack, p).find((x) => x.type === 'AWS::IAM::InstanceProfile');
    if (!profile) {
      return { roles, problem: { resource: inst, kind: 'unverifiable', location: 'IamInstanceProfile', message: `cannot verify that the instance is reachable through Systems Manager: its instance profile ${describe(p)} is not defined in the app` } };
    }
    const pres = profile.stack.resolver;
    for (const r of pres.items(profile.stack, pres.get(profile, 'Roles'))) {
      const role = literal(r) !== undefined ? idx.rolesByName.get(literal(r)!) : pointees(profile.stack, r).find((x) => x.type === 'AWS::IAM::Role');
      if (!role) {
        return { roles, problem: { resource: inst, kind: 'unverifiable', location: 'IamInstanceProfile', message: `cannot verify that the instance is reachable through Systems Manager: role ${describe(r)} of instance profile ${where(profile)} is not defined in the app` } };
      }
      roles.push(role);
    }
  }
  return { roles };
}

/**
 * SRM-IIP-OPS-06 (managed channel): every EC2 instance has an instance
 * profile whose role lets the SSM agent register and open sessions
 * (AmazonSSMManagedInstanceCore, or ssm:UpdateInstanceInformation and the
 * ssmmessages channel actions in its own or attached policies, also from
 * other stacks).
 */
export const InstancesManagedBySsm: SrmIipRule = {
  id: 'InstancesManagedBySsm',
  controlId: 'SRM-IIP-OPS-06',
  summary: 'EC2 instances have an instance profile whose role lets Systems Manager manage them',
  resourceTypes: ['AWS::EC2::Instance'],
  check(inst, ctx) {
    const idx = index(ctx.app);
    const { roles, problem } = rolesOfInstance(inst, idx);
    if (problem) return [problem];
    if (roles.length === 0) {
      return [{ resource: inst, kind: 'violation', location: 'IamInstanceProfile', message: 'the instance is not reachable through Systems Manager: its instance profile has no role' }];
    }
    const issues: RuleIssue[] = [];
    for (const role of new Set(roles)) {
      const v = judgeRole(role, idx);
      if (v.verdict === 'fail') {
        issues.push({
          resource: inst,
          kind: 'violation',
          location: 'IamInstanceProfile',
          message: `the instance is not reachable through Systems Manager: role ${where(role)} has neither ${SSM_CORE_POLICY} nor the SSM agent actions (missing ${v.missing.join(', ')})`,
        });
      } else if (v.verdict === 'unknown') {
        issues.push({ resource: inst, kind: 'unverifiable', location: 'IamInstanceProfile', message: `cannot verify that role ${where(role)} lets Systems Manager manage the instance: ${v.why}` });
      }
    }
    return issues;
  },
};
