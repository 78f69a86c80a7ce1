/**
 * Which of a few named actions a policy document grants or denies, branch by
 * branch. `readPolicy` flattens the Fn::If branches of a Statement list, so a
 * statement that exists in one branch only would count as always there; rules
 * that need "this action is always allowed/denied" read documents here.
 */
import type { StackModel } from '../engine/model';
import { actionCovers, PolicyStatement, readStatementObject } from '../engine/policy';
import { Alt, describe, isPlainObject, stringOf, unknown, value } from '../engine/values';

export interface BranchCoverage {
  /** Actions covered in every way the document may be written. */
  readonly always: Set<string>;
  /** Actions covered in at least one way. */
  readonly sometimes: Set<string>;
  /** Set when part of the document cannot be read. */
  readonly unresolved?: string;
}

/** Whether one statement with the wanted effect covers an action (Action or NotAction). */
function statementCovers(st: PolicyStatement, action: string): boolean | undefined {
  const texts = st.actions.map((a) => (a.kind === 'value' ? stringOf(a) : undefined));
  if (st.notAction) {
    if (texts.some((t) => t === undefined)) return undefined;
    return !texts.some((p) => actionCovers(p!, action));
  }
  if (texts.some((t) => t !== undefined && actionCovers(t, action))) return true;
  return texts.some((t) => t === undefined) ? undefined : false;
}

/**
 * Coverage of `actions` by the statements of `effect` that pass `accept` (e.g.
 * only unconditioned denials), over every Fn::If branch of the document and
 * of its Statement list. A statement written as Fn::If with AWS::NoValue
 * covers an action in one branch only.
 */
export function coverageByBranch(
  stack: StackModel,
  docAlts: readonly Alt[],
  effect: 'Allow' | 'Deny',
  actions: readonly string[],
  accept: (st: PolicyStatement) => boolean = () => true,
): BranchCoverage {
  const res = stack.resolver;
  let always: Set<string> | undefined;
  const sometimes = new Set<string>();
  let unresolved: string | undefined;
  const note = (why: string) => (unresolved ??= why);

  for (let doc of docAlts) {
    if (doc.kind === 'absent') {
      always = new Set();
      continue;
    }
    if (doc.kind === 'value' && typeof doc.value === 'string') {
      try {
        doc = value(JSON.parse(doc.value));
      } catch {
        doc = unknown('a policy document that is not valid JSON');
      }
    }
    if (doc.kind !== 'value' || !isPlainObject(doc.value)) {
      note(`a policy document is ${describe(doc)}`);
      always = new Set();
      continue;
    }
    for (const branch of res.branches(stack, res.path(stack, [doc], ['Statement']))) {
      const elements: Alt[][] = branch.kind === 'list' ? branch.elements.map((e) => [...e]) : branch.alt.kind === 'absent' ? [] : [[branch.alt]];
      const here = new Set<string>();
      for (const alts of elements) {
        // The actions this element covers in each of its alternatives.
        const perAlt = alts.map((alt): Set<string> => {
          const got = new Set<string>();
          if (alt.kind === 'absent') return got;
          if (alt.kind !== 'value' || !isPlainObject(alt.value)) {
            note(`a policy statement is ${describe(alt)}`);
            return got;
          }
          for (const st of readStatementObject(stack, alt.value)) {
            if (st.effect === undefined) note(`a statement's Effect is ${describe(st.effectUnknown ?? { kind: 'absent' })}`);
            if (st.effect !== effect || !accept(st)) continue;
            for (const a of actions) {
              const c = statementCovers(st, a);
              if (c === undefined) note('a policy action cannot be resolved');
              if (c) got.add(a);
            }
          }
          return got;
        });
        for (const s of perAlt) for (const a of s) sometimes.add(a);
        for (const a of actions) if (perAlt.length > 0 && perAlt.every((s) => s.has(a))) here.add(a);
      }
      always = always ? new Set([...always].filter((a) => here.has(a))) : here;
    }
  }
  return { always: always ?? new Set(), sometimes, unresolved };
}
