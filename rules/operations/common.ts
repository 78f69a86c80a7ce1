/**
 * Small helpers shared by the operation-and-maintenance (8.2.8) and
 * security-management (8.2.9) rules. Not exported from the package: they
 * hold wording and lookups, no control logic.
 */
import type { AppModel, ResourceHandle, StackModel } from '../engine/model';
import { Alt, describe, Verdict } from '../engine/values';

export { perApp } from '../engine/cache';

/** `Trail (AWS::CloudTrail::Trail) in stack Audit`, for messages. */
export function where(r: ResourceHandle): string {
  return `${r.logicalId} (${r.type}) in stack ${r.stack.name}`;
}

/** Names in a message, cut after `max` so a 10,000-resource app does not produce a novel. */
export function nameList(names: readonly string[], max = 8): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** `the 2 stacks: Network, Audit` / `the stack Audit` / `the app (it has no stacks)`. */
export function stacksPhrase(app: AppModel): string {
  const names = app.stacks.map((s) => s.name);
  if (names.length === 0) return 'the app (it has no stacks)';
  if (names.length === 1) return `the only stack, ${names[0]}`;
  return `any of the ${names.length} stacks: ${nameList(names)}`;
}

/**
 * Judge a property that must name something (a KMS key, a vault): set to a
 * non-empty value, a reference, or a string whose known part is not empty.
 * A bare parameter may be empty at deploy time, so it cannot be judged.
 */
export function judgeIsSet(a: Alt): Verdict {
  switch (a.kind) {
    case 'absent':
      return 'fail';
    case 'ref':
      return 'pass';
    case 'value': {
      if (typeof a.value === 'string') return a.value.trim() === '' ? 'fail' : 'pass';
      return a.value === null ? 'fail' : 'pass';
    }
    case 'unknown':
      return a.text !== undefined && a.text.replace(/\$\{[^}]*\}/g, '').trim() !== '' ? 'pass' : 'unknown';
  }
}

/** Why a resource that a check relies on may not exist, or undefined when it always exists. */
export function existenceDoubt(r: ResourceHandle): string | undefined {
  const e = r.stack.resolver.exists(r);
  if (e === 'always') return undefined;
  if (e === 'never') return `${where(r)} is never created (its condition ${r.condition} is false)`;
  return `${where(r)} only exists when condition ${r.condition} holds`;
}

/** Resources of the given types that may exist (condition not statically false). */
export function existing(app: AppModel, ...types: string[]): ResourceHandle[] {
  return app.resourcesOfType(...types).filter((r) => r.stack.resolver.exists(r) !== 'never');
}

/**
 * Logical IDs named as `${Id}` or `${Id.Attr}` placeholders in the text of a
 * value that embeds references (Fn::Join/Fn::Sub over a Ref or GetAtt).
 */
export function placeholderIds(text: string | undefined): string[] {
  if (!text) return [];
  const out: string[] = [];
  const re = /\$\{([^}.:]+)(?:\.[^}]*)?\}/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) if (!m[1].startsWith('AWS::')) out.push(m[1]);
  return out;
}

/** Resources a value points at: a reference, or resources named inside a computed string (same stack first). */
export function pointees(stack: StackModel, a: Alt): ResourceHandle[] {
  const app = stack.app;
  if (a.kind === 'ref') {
    const t = app.resource(a.stack, a.logicalId);
    return t ? [t] : [];
  }
  if (a.kind !== 'unknown') return [];
  const out: ResourceHandle[] = [];
  for (const id of placeholderIds(a.text)) {
    const own = stack.resources.get(id);
    if (own) out.push(own);
  }
  return out;
}

/** A literal string of an alternative, or undefined. */
export function literal(a: Alt): string | undefined {
  return a.kind === 'value' && typeof a.value === 'string' ? a.value : undefined;
}

/** `'Enabled'`, `7`, `not set`, `depends on parameter X`: the value of an alternative for a message. */
export function shown(a: Alt): string {
  if (a.kind === 'value' && (typeof a.value === 'number' || typeof a.value === 'boolean')) return String(a.value);
  return describe(a);
}

/** A three-valued answer: holds, does not hold, cannot tell. */
export type Tri = 'yes' | 'no' | 'maybe';

/**
 * "Some element of the list satisfies `judge`" for a list property, in every
 * way the list may be written: an element counts only when every alternative
 * of it satisfies the judge (an Fn::If with AWS::NoValue drops it in one
 * branch), and the list passes only when every branch of it does.
 */
export function someElementInEveryBranch(stack: StackModel, alts: readonly Alt[], judge: (a: Alt) => Tri): Tri {
  const res = stack.resolver;
  let out: Tri = 'yes';
  for (const b of res.branches(stack, alts)) {
    const elements = b.kind === 'list' ? b.elements : b.alt.kind === 'absent' ? [] : [[b.alt]];
    let branch: Tri = 'no';
    for (const e of elements) {
      const vs = e.map((a) => (a.kind === 'absent' ? 'no' : judge(a)));
      const v: Tri = vs.length === 0 || vs.includes('no') ? 'no' : vs.includes('maybe') ? 'maybe' : 'yes';
      if (v === 'yes') {
        branch = 'yes';
        break;
      }
      if (v === 'maybe') branch = 'maybe';
    }
    if (branch === 'no') return 'no';
    if (branch === 'maybe') out = 'maybe';
  }
  return out;
}

/**
 * Names (actions, checks) that a list property provides in every way it may
 * be written: per branch, the union over elements of what every alternative
 * of the element provides; then the intersection over branches.
 */
export function unionInEveryBranch(stack: StackModel, alts: readonly Alt[], provides: (a: Alt) => ReadonlySet<string>): Set<string> {
  const res = stack.resolver;
  let out: Set<string> | undefined;
  for (const b of res.branches(stack, alts)) {
    const elements = b.kind === 'list' ? b.elements : b.alt.kind === 'absent' ? [] : [[b.alt]];
    const here = new Set<string>();
    for (const e of elements) {
      const sets = e.map((a) => (a.kind === 'absent' ? new Set<string>() : provides(a)));
      if (sets.length === 0) continue;
      for (const name of sets[0]) if (sets.every((s) => s.has(name))) here.add(name);
    }
    out = out ? new Set([...out].filter((n) => here.has(n))) : here;
  }
  return out ?? new Set();
}
