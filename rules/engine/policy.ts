/**
 * Reading IAM-style policy documents (identity, resource, key, trust and IoT
 * policies). The judgements (is this action a wildcard, is this principal
 * public) are plain functions of strings, so any flavor can reuse them.
 */
import type { StackModel } from './model';
import { Alt, isPlainObject, stringOf, textOf, unknown, value } from './values';

export interface PolicyStatement {
  /** The statement as written (for messages). */
  readonly sid?: string;
  /** `Allow`, `Deny`, or undefined when it cannot be resolved. */
  readonly effect?: 'Allow' | 'Deny';
  /** The raw effect alternatives, when the effect is not fixed. */
  readonly effectUnknown?: Alt;
  /** Action (or NotAction when `notAction`) entries, each one alternative. */
  readonly actions: readonly Alt[];
  readonly notAction: boolean;
  readonly resources: readonly Alt[];
  readonly notResource: boolean;
  /** Principal entries: `{ type: 'AWS' | 'Service' | 'Federated' | 'CanonicalUser' | '*', value }`. */
  readonly principals: ReadonlyArray<{ readonly type: string; readonly value: Alt }>;
  readonly notPrincipal: boolean;
  /** Lower-cased condition keys present in every alternative of the Condition block; undefined when it cannot be read. */
  readonly conditionKeys?: ReadonlySet<string>;
  /** The condition keys of each alternative of the Condition block (one set per Fn::If branch); undefined when one cannot be read. */
  readonly conditionKeySets?: ReadonlyArray<ReadonlySet<string>>;
  /** The Condition block alternatives (for rules that need operator and values). */
  readonly condition: readonly Alt[];
}

export interface PolicyDocumentView {
  readonly statements: readonly PolicyStatement[];
  /** Set when (part of) the document cannot be read: the statements seen are then incomplete. */
  readonly unresolved?: Alt;
}

/**
 * Documents already read, per stack and document alternative: several rules
 * read the same key, bucket and identity policies. The resolver hands out the
 * same alternative object for the same document node, so it is the key.
 */
const VIEWS = new WeakMap<StackModel, WeakMap<Alt, PolicyDocumentView>>();

/**
 * Read a policy document given as the alternatives of a property (object or
 * JSON string). The view is shared between callers: treat it as read-only.
 */
export function readPolicy(stack: StackModel, docAlts: readonly Alt[]): PolicyDocumentView {
  if (docAlts.length !== 1) return readPolicyUncached(stack, docAlts);
  let views = VIEWS.get(stack);
  if (!views) VIEWS.set(stack, (views = new WeakMap()));
  let view = views.get(docAlts[0]);
  if (!view) views.set(docAlts[0], (view = readPolicyUncached(stack, docAlts)));
  return view;
}

const STATEMENTS = new WeakMap<StackModel, WeakMap<object, PolicyDocumentView>>();

/**
 * The statements of a document holding only this one statement object, as
 * `readPolicy` reads them (none, one, or more when the statement's fields
 * fork); cached per stack and statement object. Shared: treat as read-only.
 */
export function readStatementObject(stack: StackModel, statement: Record<string, unknown>): readonly PolicyStatement[] {
  let views = STATEMENTS.get(stack);
  if (!views) STATEMENTS.set(stack, (views = new WeakMap()));
  let view = views.get(statement);
  if (!view) views.set(statement, (view = readPolicyUncached(stack, [value({ Statement: [statement] })])));
  return view.statements;
}

function readPolicyUncached(stack: StackModel, docAlts: readonly Alt[]): PolicyDocumentView {
  const r = stack.resolver;
  const statements: PolicyStatement[] = [];
  let unresolved: Alt | undefined;
  for (let doc of docAlts) {
    if (doc.kind === 'absent') continue;
    if (doc.kind === 'value' && typeof doc.value === 'string') {
      const text = doc.value;
      try {
        doc = value(JSON.parse(text));
      } catch {
        unresolved ??= unknown('a policy document that is not valid JSON', text);
        continue;
      }
    }
    if (doc.kind !== 'value' || !isPlainObject(doc.value)) {
      unresolved ??= doc.kind === 'value' ? unknown('a policy document that is not an object') : doc;
      continue;
    }
    for (const st of listOf(stack, r.path(stack, [doc], ['Statement']))) {
      if (st.kind !== 'value' || !isPlainObject(st.value)) {
        unresolved ??= st;
        continue;
      }
      statements.push(readStatement(stack, st));
    }
  }
  return { statements, unresolved };
}

function readStatement(stack: StackModel, st: Alt): PolicyStatement {
  const r = stack.resolver;
  const get = (k: string) => r.path(stack, [st], [k]);
  const effects = get('Effect');
  const effectSet = new Set(effects.map((e) => stringOf(e)));
  const effect = effectSet.size === 1 && (effectSet.has('Allow') || effectSet.has('Deny')) ? ([...effectSet][0] as 'Allow' | 'Deny') : undefined;
  const notAction = get('NotAction').some((a) => a.kind !== 'absent');
  const notResource = get('NotResource').some((a) => a.kind !== 'absent');
  const notPrincipal = get('NotPrincipal').some((a) => a.kind !== 'absent');
  const sid = stringOf(get('Sid')[0] ?? { kind: 'absent' });
  const condition = get('Condition');
  const conditionKeySets = conditionKeySetsOf(stack, condition);
  return {
    sid,
    effect,
    effectUnknown: effect === undefined ? effects.find((e) => e.kind !== 'value') ?? effects[0] : undefined,
    actions: listOf(stack, get(notAction ? 'NotAction' : 'Action')),
    notAction,
    resources: listOf(stack, get(notResource ? 'NotResource' : 'Resource')),
    notResource,
    principals: readPrincipals(stack, get(notPrincipal ? 'NotPrincipal' : 'Principal')),
    notPrincipal,
    conditionKeys: conditionKeySets && intersect(conditionKeySets),
    conditionKeySets,
    condition,
  };
}

/** A scalar or a list, as list entries (one alternative each). */
export function listOf(stack: StackModel, alts: readonly Alt[]): Alt[] {
  const out: Alt[] = [];
  for (const a of alts) {
    if (a.kind === 'absent') continue;
    if (a.kind === 'value' && Array.isArray(a.value)) out.push(...stack.resolver.items(stack, [a]));
    else out.push(a);
  }
  return out;
}

function readPrincipals(stack: StackModel, alts: readonly Alt[]): Array<{ type: string; value: Alt }> {
  const out: Array<{ type: string; value: Alt }> = [];
  for (const p of alts) {
    if (p.kind === 'absent') continue;
    if (p.kind === 'value' && p.value === '*') {
      out.push({ type: '*', value: p });
    } else if (p.kind === 'value' && isPlainObject(p.value)) {
      for (const type of Object.keys(p.value)) {
        for (const v of listOf(stack, stack.resolver.path(stack, [p], [type]))) out.push({ type, value: v });
      }
    } else {
      out.push({ type: '?', value: p.kind === 'value' ? unknown('a principal that is not a map', textOf(p)) : p });
    }
  }
  return out;
}

function conditionKeySetsOf(stack: StackModel, alts: readonly Alt[]): Array<Set<string>> | undefined {
  const sets: Array<Set<string>> = [];
  for (const c of alts) {
    const keys = new Set<string>();
    if (c.kind === 'value' && isPlainObject(c.value)) {
      for (const op of Object.keys(c.value)) {
        for (const block of stack.resolver.path(stack, [c], [op])) {
          if (block.kind === 'value' && isPlainObject(block.value)) for (const k of Object.keys(block.value)) keys.add(k.toLowerCase());
          else if (block.kind !== 'absent') return undefined;
        }
      }
    } else if (c.kind !== 'absent') {
      return undefined;
    }
    sets.push(keys);
  }
  return sets.length > 0 ? sets : [new Set()];
}

function intersect(sets: ReadonlyArray<ReadonlySet<string>>): Set<string> {
  return new Set([...sets[0]].filter((k) => sets.every((s) => s.has(k))));
}

/** `*` or `*:*`: every action of every service. */
export function isAllActions(action: string): boolean {
  return action === '*' || action === '*:*';
}

/** `svc:*`: every action of one service. */
export function isServiceWildcard(action: string): boolean {
  return /^[A-Za-z0-9-]+:\*$/.test(action);
}

/** Compiled action patterns; templates repeat the same few hundred patterns, so they are compiled once. */
const ACTION_PATTERNS = new Map<string, RegExp>();
const MAX_ACTION_PATTERNS = 10_000;

/** Whether an action pattern (with `*` and `?` wildcards) covers a concrete action, case-insensitively. */
export function actionCovers(pattern: string, action: string): boolean {
  let re = ACTION_PATTERNS.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
    if (ACTION_PATTERNS.size >= MAX_ACTION_PATTERNS) ACTION_PATTERNS.clear();
    ACTION_PATTERNS.set(pattern, re);
  }
  return re.test(action);
}

/** A principal entry that means "anyone": `*`, `{AWS: '*'}`. */
export function isPublicPrincipal(p: { type: string; value: Alt }): boolean {
  const t = textOf(p.value);
  return (p.type === '*' || p.type === 'AWS' || p.type === 'CanonicalUser') && t === '*';
}

/** Condition keys that bound a public principal to an organization, a network path or an account. */
export const SCOPING_CONDITION_KEYS = [
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalaccount',
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:sourcevpce',
  'aws:sourcevpc',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:sourcearn',
  'kms:calleraccount',
] as const;

/** Whether the statement's condition scopes its principal (org, VPC endpoint, VPC or account) in every Fn::If branch. */
export function hasScopingCondition(st: PolicyStatement): boolean | undefined {
  if (!st.conditionKeySets) return undefined;
  return st.conditionKeySets.every((keys) => SCOPING_CONDITION_KEYS.some((k) => keys.has(k)));
}

/** Text of every action entry; undefined entries are those that cannot be read. */
export function actionTexts(st: PolicyStatement): Array<string | undefined> {
  return st.actions.map((a) => (a.kind === 'value' ? stringOf(a) : a.kind === 'unknown' ? a.text : undefined));
}
