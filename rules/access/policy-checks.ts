/**
 * Policy helpers shared by the access-security rules (clause 8.2.4): reading
 * policy documents that CloudFormation may give as objects, JSON strings or
 * Fn::Sub-built JSON, deciding whether a value is (or may be) the `*`
 * wildcard, and whose account a principal belongs to. The judgements take
 * plain strings where they can, so a Terraform flavor can reuse them.
 */
import type { ResourceHandle, StackModel } from '../engine/model';
import { PolicyDocumentView, PolicyStatement, readPolicy, SCOPING_CONDITION_KEYS } from '../engine/policy';
import { Alt, describe, isPlainObject, stringOf, value } from '../engine/values';

/** Three-valued answer: the value is, is not, or may be what was asked. */
export type AccessTri = 'yes' | 'no' | 'maybe';

/** A policy document of a resource and where it sits, for messages. */
export interface AccessPolicySource {
  /** Property path, e.g. `PolicyDocument` or `Policies.0.PolicyDocument`. */
  readonly location: string;
  readonly alts: readonly Alt[];
}

/** One problem found in a policy, before it becomes a `RuleIssue`. */
export interface AccessProblem {
  readonly kind: 'violation' | 'unverifiable';
  readonly message: string;
}

/**
 * Read a policy document. Beyond what `readPolicy` accepts, a JSON string
 * built at deploy time (`Fn::Sub` over a JSON text) is parsed from its text,
 * with `${...}` placeholders for the unknown parts; the judgements below
 * treat a string made only of unknown placeholders as "may be anything".
 */
export function readAccessPolicy(stack: StackModel, alts: readonly Alt[]): PolicyDocumentView {
  const prepared = alts.map((a) => {
    const text = a.kind === 'unknown' ? trustedText(a) : undefined;
    if (text !== undefined) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (isPlainObject(parsed)) return value(parsed);
      } catch {
        // not JSON text: readPolicy reports it as unresolved
      }
    }
    return a;
  });
  return readPolicy(stack, prepared);
}

/** The identity-policy documents a resource holds (ACC-01). */
export function identityPolicySources(r: ResourceHandle): AccessPolicySource[] {
  const res = r.stack.resolver;
  switch (r.type) {
    case 'AWS::IAM::Policy':
    case 'AWS::IAM::ManagedPolicy':
    case 'AWS::IAM::RolePolicy':
    case 'AWS::IAM::UserPolicy':
    case 'AWS::IAM::GroupPolicy':
      return [{ location: 'PolicyDocument', alts: res.get(r, 'PolicyDocument') }];
    case 'AWS::IAM::Role':
    case 'AWS::IAM::User':
    case 'AWS::IAM::Group':
      return res.items(r.stack, res.get(r, 'Policies')).map((p, i) => ({
        location: `Policies.${i}.PolicyDocument`,
        alts: res.path(r.stack, [p], ['PolicyDocument']),
      }));
    default:
      return [];
  }
}

/** How a `${name}` placeholder in a resolved text is to be read. */
function placeholderIsKnown(stack: StackModel, name: string): boolean {
  if (name.startsWith('AWS::')) return true; // pseudo parameters: never empty, never `*`
  if (/^[a-z][a-z0-9.-]*:[A-Za-z0-9._-]+$/.test(name)) return true; // a policy variable such as iot:Connection.Thing.ThingName
  const id = name.includes('.') ? name.slice(0, name.indexOf('.')) : name;
  // A resource reference (a name or an ARN); an import resolves into the exporting stack's resources.
  return stack.resources.has(id) || stack.app.stacks.some((s) => s.resources.has(id));
}

/**
 * The text of an unknown alternative, when it can be trusted: the resolver
 * writes `${...}` placeholders for what it could not evaluate (Fn::Sub,
 * Fn::Join), so an unknown text without any placeholder (a dynamic
 * reference `{{resolve:…}}`, a Base64 input) does not show the value.
 */
export function trustedText(a: Alt): string | undefined {
  if (a.kind === 'value') return stringOf(a);
  if (a.kind === 'unknown' && a.text !== undefined && /\$\{[^}]*\}/.test(a.text) && !a.text.includes('{{resolve:')) return a.text;
  return undefined;
}

/**
 * Whether a text is exactly `*`. A text with unknown placeholders (a
 * parameter, an import) and nothing else that excludes the wildcard is `maybe`.
 */
export function textIsWildcard(stack: StackModel, text: string): AccessTri {
  if (text === '*') return 'yes';
  if (!text.includes('${')) return 'no'; // no placeholder: only `*` itself is the wildcard
  let unknownPart = false;
  let knownPart = false;
  const literal = text.replace(/\$\{([^}]*)\}/g, (_m, name: string) => {
    if (placeholderIsKnown(stack, name.trim())) knownPart = true;
    else unknownPart = true;
    return '';
  });
  if (knownPart || /[^*]/.test(literal)) return 'no';
  return unknownPart ? 'maybe' : literal === '*' ? 'yes' : 'no';
}

/** Whether an alternative is (or may be) the `*` wildcard. A reference to a resource never is. */
export function altIsWildcard(stack: StackModel, a: Alt): AccessTri {
  switch (a.kind) {
    case 'absent':
    case 'ref':
      return 'no';
    case 'unknown': {
      const t = trustedText(a);
      return t === undefined ? 'maybe' : textIsWildcard(stack, t);
    }
    case 'value':
      if (typeof a.value === 'string') return textIsWildcard(stack, a.value);
      return typeof a.value === 'number' || typeof a.value === 'boolean' ? 'no' : 'maybe';
  }
}

/** Combine answers: `yes` wins, then `maybe`. */
export function anyTri(values: Iterable<AccessTri>): AccessTri {
  let maybe = false;
  for (const v of values) {
    if (v === 'yes') return 'yes';
    if (v === 'maybe') maybe = true;
  }
  return maybe ? 'maybe' : 'no';
}

/** Whether a statement's resources include (or may include) every resource. `NotResource` counts as every resource. */
export function statementOnAllResources(stack: StackModel, st: PolicyStatement): AccessTri {
  if (st.notResource) return 'yes';
  return anyTri(st.resources.map((a) => altIsWildcard(stack, a)));
}

/**
 * The text of an action entry when it holds no unknown part; undefined when
 * it cannot be read (a parameter, a non-string).
 */
export function readableText(stack: StackModel, a: Alt): string | undefined {
  const t = trustedText(a);
  if (t === undefined || !t.includes('${')) return t;
  const unknownPart = /\$\{([^}]*)\}/g;
  let m: RegExpExecArray | null;
  while ((m = unknownPart.exec(t)) !== null) if (!placeholderIsKnown(stack, m[1].trim())) return undefined;
  return t;
}

/** How a statement names who it applies to: a statement label for messages. */
export function statementLabel(st: PolicyStatement, index: number): string {
  return st.sid ? `statement '${st.sid}'` : `statement #${index + 1}`;
}

/** Whether a principal entry is (or may be) public: `*`, `{AWS: '*'}`, `{CanonicalUser: '*'}`. */
export function principalIsPublic(stack: StackModel, p: { readonly type: string; readonly value: Alt }): AccessTri {
  if (p.type === '?') return 'maybe';
  if (p.type !== '*' && p.type !== 'AWS' && p.type !== 'CanonicalUser') return 'no';
  return altIsWildcard(stack, p.value);
}

/**
 * Public grants of a resource or trust policy: an `Allow` to a public
 * principal (or with `NotPrincipal`) without a condition that scopes it to
 * an organization, a network path or an account. Deny statements are fine:
 * TLS-only policies are written as `Deny` to `*`.
 * @param extraScopingKeys lower-cased condition keys that also scope the principal for this policy type.
 */
export function publicGrantProblems(
  stack: StackModel,
  view: PolicyDocumentView,
  what: string,
  extraScopingKeys: readonly string[] = [],
): AccessProblem[] {
  const out: AccessProblem[] = [];
  view.statements.forEach((st, i) => {
    if (st.effect === 'Deny') return;
    const label = statementLabel(st, i);
    let pub: AccessTri;
    let shown = '';
    if (st.notPrincipal) {
      pub = 'yes';
      shown = 'NotPrincipal (everyone except the listed principals)';
    } else {
      pub = 'no';
      for (const p of st.principals) {
        const v = principalIsPublic(stack, p);
        if (v === 'yes' || (v === 'maybe' && pub === 'no')) {
          pub = v;
          shown = p.type === '*' ? "Principal '*'" : p.type === '?' ? `Principal ${describe(p.value)}` : `Principal ${p.type} ${describe(p.value)}`;
        }
        if (pub === 'yes') break;
      }
    }
    if (pub === 'no') return;
    const scoped = isScoped(stack, st, extraScopingKeys);
    if (scoped === true) return;
    const effectNote = st.effect === undefined ? ` (its Effect is ${describe(st.effectUnknown ?? { kind: 'absent' })})` : '';
    if (scoped === undefined) {
      out.push({ kind: 'unverifiable', message: `cannot verify ${what} ${label}: it allows ${shown} and its Condition cannot be resolved` });
    } else if (pub === 'maybe' || st.effect === undefined) {
      out.push({
        kind: 'unverifiable',
        message: `cannot verify ${what} ${label}: it may allow anyone (${shown}${effectNote}) without an organization, VPC endpoint, VPC or account condition`,
      });
    } else {
      out.push({
        kind: 'violation',
        message: `${what} ${label} allows ${shown} without an organization, VPC endpoint, VPC or account condition`,
      });
    }
  });
  return out;
}

/**
 * Whether a statement's condition scopes its principal in every branch;
 * undefined when the condition cannot be read. `hasScopingCondition` reads
 * the keys common to all branches of a Fn::If, so a condition that scopes by
 * organization in one branch and by account in the other would count as
 * unscoped there; this judges each branch on its own.
 */
export function isScoped(stack: StackModel, st: PolicyStatement, extraKeys: readonly string[] = []): boolean | undefined {
  const scoping = new Set<string>([...SCOPING_CONDITION_KEYS, ...extraKeys]);
  if (st.conditionKeys && [...st.conditionKeys].some((k) => scoping.has(k))) return true;
  let unreadable = false;
  for (const c of st.condition) {
    const v = conditionBranchScoped(stack, c, scoping);
    if (v === false) return false;
    if (v === undefined) unreadable = true;
  }
  return unreadable ? undefined : st.condition.length > 0;
}

/** Whether one alternative of a Condition block holds a scoping key in every way its operator blocks may be written. */
function conditionBranchScoped(stack: StackModel, c: Alt, scoping: ReadonlySet<string>): boolean | undefined {
  if (c.kind === 'absent') return false;
  if (c.kind !== 'value' || !isPlainObject(c.value)) return undefined;
  let unreadable = false;
  for (const op of Object.keys(c.value)) {
    const blocks = stack.resolver.path(stack, [c], [op]);
    let all = blocks.length > 0;
    for (const b of blocks) {
      if (b.kind === 'value' && isPlainObject(b.value)) {
        if (!Object.keys(b.value).some((k) => scoping.has(k.toLowerCase()))) all = false;
      } else if (b.kind !== 'absent') {
        unreadable = true;
        all = false;
      } else {
        all = false;
      }
    }
    if (all) return true;
  }
  return unreadable ? undefined : false;
}

/**
 * Whether a statement has a Condition: in every branch (`always`), in none
 * (`never`), in some only (`sometimes`); undefined when it cannot be read.
 * An empty block (`{}` or `{StringEquals: {}}`) is no condition.
 */
export function conditionPresence(stack: StackModel, st: PolicyStatement): 'always' | 'never' | 'sometimes' | undefined {
  let present = 0;
  let missing = 0;
  for (const c of st.condition) {
    if (c.kind === 'absent') {
      missing++;
      continue;
    }
    if (c.kind !== 'value' || !isPlainObject(c.value)) return undefined;
    let any = false;
    for (const op of Object.keys(c.value)) {
      for (const b of stack.resolver.path(stack, [c], [op])) {
        if (b.kind === 'value' && isPlainObject(b.value)) any ||= Object.keys(b.value).length > 0;
        else if (b.kind !== 'absent') return undefined;
      }
    }
    if (any) present++;
    else missing++;
  }
  return present > 0 && missing > 0 ? 'sometimes' : present > 0 ? 'always' : 'never';
}

/** The problem for a document that could not be read completely. */
export function unresolvedProblem(view: PolicyDocumentView, location: string): AccessProblem[] {
  return view.unresolved ? [{ kind: 'unverifiable', message: `cannot verify ${location}: (part of) the policy is ${describe(view.unresolved)}` }] : [];
}

/** Hide the colons inside `${...}` placeholders (`${AWS::AccountId}`), so ARN fields split right. */
function maskPlaceholders(text: string): string {
  return text.replace(/\$\{[^}]*\}/g, (m) => m.replace(/:/g, '\u0001'));
}

function unmask(text: string): string {
  return text.replace(/\u0001/g, ':');
}

/** The AWS account a principal or ARN text names: its account ID, `${AWS::AccountId}`, or undefined when it names none. */
export function accountInText(text: string): string | undefined {
  const t = text.trim();
  if (/^\d{12}$/.test(t) || t === '${AWS::AccountId}') return t;
  const m = /^arn:[^:]*:(?:iam|sts):[^:]*:([^:]*):/.exec(maskPlaceholders(t));
  return m && m[1] !== '' ? unmask(m[1]) : undefined;
}

/** Whether a principal ARN or account text names an account root (`123456789012`, `arn:aws:iam::123456789012:root`). */
export function isAccountRootText(text: string): boolean {
  const t = text.trim();
  return /^\d{12}$/.test(t) || t === '${AWS::AccountId}' || /^arn:[^:]*:iam::[^:]+:root$/.test(maskPlaceholders(t));
}

/**
 * Whether an account named in a policy is the stack's own: `${AWS::AccountId}`
 * always is; a literal ID is when it equals the stack's known account, and is
 * another account otherwise; anything else cannot be told.
 */
export function accountIsOwn(account: string, ownAccount: string | undefined): AccessTri {
  if (account === '${AWS::AccountId}') return 'yes';
  if (/^\d{12}$/.test(account)) return ownAccount !== undefined && account === ownAccount ? 'yes' : 'no';
  return 'maybe';
}

/** Which account an AWS principal entry belongs to. */
export type PrincipalAccount =
  | { readonly kind: 'any' }
  | { readonly kind: 'own'; readonly root: boolean }
  | { readonly kind: 'other'; readonly account: string; readonly root: boolean }
  | { readonly kind: 'unknown'; readonly why: string };

/** Classify an AWS principal alternative by account, relative to the stack that holds the policy. */
export function principalAccountOf(stack: StackModel, a: Alt): PrincipalAccount {
  if (a.kind === 'ref') {
    // A role or user of this app: its account is that of the stack that declares it.
    const target = stack.app.stack(a.stack);
    if (target && target.account && stack.account && target.account !== stack.account) {
      return { kind: 'other', account: target.account, root: false };
    }
    return { kind: 'own', root: false };
  }
  if (altIsWildcard(stack, a) === 'yes') return { kind: 'any' };
  const text = trustedText(a);
  if (text === undefined) return { kind: 'unknown', why: describe(a) };
  const account = accountInText(text);
  if (account === undefined) return { kind: 'unknown', why: describe(a) };
  const root = isAccountRootText(text);
  const own = accountIsOwn(account, stack.account);
  if (own === 'yes') return { kind: 'own', root };
  if (own === 'no') return { kind: 'other', account, root };
  return { kind: 'unknown', why: describe(a) };
}

/** Convert problems to rule issues on a resource. */
export function problemsToIssues(r: ResourceHandle, location: string, problems: readonly AccessProblem[]) {
  return problems.map((p) => ({ resource: r, kind: p.kind, location, message: p.message }));
}
