/**
 * What the key rules share: telling a customer-managed KMS key from an AWS
 * managed one (SYS-01, SYS-06), and reading the resource attributes the
 * engine does not carry (SYS-08).
 *
 * The judgements on key texts are plain functions of strings, so a
 * Terraform flavor can reuse them; the readers turn CloudFormation
 * alternatives into those strings or follow references to keys of the app.
 */
import type { AppModel, ResourceHandle, StackModel } from '../engine/model';
import { judgeAlts, RuleIssue } from '../engine/rule';
import { Alt, describe, Verdict } from '../engine/values';

/** CloudFormation types that create a customer-managed KMS key. */
export const KMS_KEY_TYPES: readonly string[] = ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'];

/** What a key reference stands for. */
export type KeyRefKind = 'customer-managed' | 'aws-managed' | 'not-a-key' | 'unknown';

/** Placeholder for an unknown part of a text (`${...}`); has no `:` or `/`, so ARN parsing stays intact. */
const HOLE = '\u0000';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MRK = /^mrk-[0-9a-f]{32}$/i;

/**
 * Judge the text of a key reference as KMS accepts it: a key ARN, a key ID,
 * an alias name or an alias ARN. `${...}` marks an unknown part.
 *
 * - `alias/aws/...` (name or ARN) is an AWS managed key: `aws-managed`.
 * - Any other alias can only point at a customer-managed key (KMS does not
 *   let customers alias AWS managed keys): `customer-managed`.
 * - A key ARN (`arn:<partition>:kms:<region>:<account>:key/<id>`) or a bare
 *   key ID (UUID or `mrk-…`): `customer-managed`. The text alone cannot show
 *   that a key ID is not an AWS managed key's ID; the kit accepts it as the
 *   catalog's check column does.
 * - A text with an unknown part that decides the answer: `unknown`.
 */
export function keyTextKind(text: string): KeyRefKind {
  if (typeof text !== 'string') return 'not-a-key';
  const t = text.trim().replace(/\$\{[^}]*\}/g, HOLE);
  if (/(^|:)alias\/aws\//.test(t)) return 'aws-managed';
  const alias = /(^|:)alias\/(.*)$/.exec(t);
  if (alias) return alias[2].includes(HOLE) ? 'unknown' : alias[2].length > 0 ? 'customer-managed' : 'not-a-key';
  const arn = /^arn:[^:]*:kms:[^:]*:[^:]*:key\/(.*)$/.exec(t);
  if (arn) return arn[1].includes(HOLE) ? 'unknown' : arn[1].length > 0 ? 'customer-managed' : 'not-a-key';
  if (UUID.test(t) || MRK.test(t)) return 'customer-managed';
  return t.includes(HOLE) ? 'unknown' : 'not-a-key';
}

/**
 * Whether a key reference names a customer-managed key: true, false (an AWS
 * managed key or not a key at all), or undefined when the text has unknown
 * parts that decide it.
 */
export function isCustomerManagedKeyRef(ref: string): boolean | undefined {
  const k = keyTextKind(ref);
  return k === 'customer-managed' ? true : k === 'unknown' ? undefined : false;
}

/** The judgement of one key alternative, with the reason for a message. */
export interface KeyJudgement {
  readonly verdict: Verdict;
  /** Why it fails or cannot be judged, e.g. "is the AWS managed key alias/aws/sqs". */
  readonly why: string;
  /** The key resource of the app it resolves to, when it does. */
  readonly key?: ResourceHandle;
}

const MAX_ALIAS_HOPS = 4;

/**
 * Judge one alternative of a key property: a reference to an
 * `AWS::KMS::Key`/`ReplicaKey` of the app (any stack) or to an alias of one
 * passes; a text is judged by `keyTextKind`; a reference to any other
 * resource fails; what cannot be resolved is unknown.
 */
export function judgeKeyAlt(app: AppModel, stack: StackModel, a: Alt, hops = 0): KeyJudgement {
  switch (a.kind) {
    case 'absent':
      return { verdict: 'fail', why: 'is not set' };
    case 'ref': {
      const target = app.resource(a.stack, a.logicalId);
      if (!target) return { verdict: 'unknown', why: `refers to ${a.logicalId}, which the app does not declare` };
      return judgeKeyResource(app, target, hops);
    }
    case 'value': {
      if (typeof a.value !== 'string') return { verdict: 'fail', why: `is ${describe(a)}, not a key ID, key ARN or alias` };
      return judgeKeyText(a.value);
    }
    case 'unknown': {
      // `${Key}` or `${Key.Arn}` alone: a reference the resolver flattened into a text (Fn::Sub, Fn::Join).
      const m = a.text !== undefined ? /^\$\{([A-Za-z0-9]+)(?:\.([A-Za-z0-9.]+))?\}$/.exec(a.text) : null;
      const target = m ? stack.resources.get(m[1]) : undefined;
      if (target) return judgeKeyResource(app, target, hops);
      if (a.text === undefined) return { verdict: 'unknown', why: a.reason };
      const j = judgeKeyText(a.text);
      return j.verdict === 'unknown' ? { verdict: 'unknown', why: unknownParts(stack, a.text) ?? a.reason } : j;
    }
  }
}

/** The deciding unknown parts of a text, named for a reader: "depends on parameter KeyId". */
function unknownParts(stack: StackModel, text: string): string | undefined {
  // A text that is one placeholder only: the resolver's own reason says more (the parameter's default, the missing export).
  if (/^\$\{[^}]*\}$/.test(text)) return undefined;
  const names = [...text.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]).filter((n) => !n.startsWith('AWS::'));
  if (names.length === 0) return undefined;
  const named = [...new Set(names)].map((n) => (stack.parameters[n] ? `parameter ${n}` : n.startsWith('Import:') ? `the import ${n.slice(7)}` : n));
  return `depends on ${named.join(', ')}`;
}

function judgeKeyText(text: string): KeyJudgement {
  switch (keyTextKind(text)) {
    case 'customer-managed':
      return { verdict: 'pass', why: '' };
    case 'aws-managed':
      return { verdict: 'fail', why: `is the AWS managed key '${text}', not a customer-managed key` };
    case 'unknown':
      return { verdict: 'unknown', why: `'${text}' has unknown parts` };
    default:
      return { verdict: 'fail', why: `is '${text}', which is not a key ID, key ARN or alias` };
  }
}

function judgeKeyResource(app: AppModel, target: ResourceHandle, hops: number): KeyJudgement {
  if (KMS_KEY_TYPES.includes(target.type)) return { verdict: 'pass', why: '', key: target };
  if (target.type === 'AWS::KMS::Alias') {
    if (hops >= MAX_ALIAS_HOPS) return { verdict: 'unknown', why: `alias ${target.logicalId} could not be followed to its key` };
    const name = target.stack.resolver.get(target, 'AliasName');
    if (name.some((n) => n.kind === 'value' && typeof n.value === 'string' && keyTextKind(n.value) === 'aws-managed')) {
      return { verdict: 'fail', why: `is alias ${target.logicalId}, an AWS managed alias` };
    }
    let first: KeyJudgement | undefined;
    for (const t of target.stack.resolver.get(target, 'TargetKeyId')) {
      const j = judgeKeyAlt(app, target.stack, t, hops + 1);
      if (j.verdict === 'fail') return { verdict: 'fail', why: `is alias ${target.logicalId}, whose TargetKeyId ${j.why}` };
      if (j.verdict === 'unknown') first ??= { verdict: 'unknown', why: `alias ${target.logicalId} targets a key that ${j.why}` };
    }
    return first ?? { verdict: 'pass', why: '', key: keyBehindAlias(app, target) };
  }
  return { verdict: 'fail', why: `refers to ${target.logicalId} in stack ${target.stack.name}, a ${target.type}, not a KMS key` };
}

function keyBehindAlias(app: AppModel, alias: ResourceHandle): ResourceHandle | undefined {
  const targets = alias.stack.resolver.get(alias, 'TargetKeyId');
  if (targets.length !== 1 || targets[0].kind !== 'ref') return undefined;
  const k = app.resource(targets[0].stack, targets[0].logicalId);
  return k && KMS_KEY_TYPES.includes(k.type) ? k : undefined;
}

/** How to word the findings of one key property. */
export interface KeyPropertyWording {
  /** What the property is for, e.g. "the queue's KmsMasterKeyId". */
  readonly what: string;
  /** The message when the property is absent: what AWS does then. */
  readonly whenAbsent: string;
}

/**
 * Issues for a property that must name a customer-managed key: nothing when
 * every alternative does, a violation naming the first that does not, or an
 * unverifiable issue naming what could not be resolved.
 */
export function customerManagedKeyIssues(r: ResourceHandle, alts: readonly Alt[], location: string, wording: KeyPropertyWording): RuleIssue[] {
  const app = r.stack.app;
  return judgeAlts(
    r,
    alts,
    location,
    (a) => judgeKeyAlt(app, r.stack, a).verdict,
    (a) => (a.kind === 'absent' ? wording.whenAbsent : `${wording.what} ${judgeKeyAlt(app, r.stack, a).why}`),
  ).map((i) => (i.kind === 'unverifiable' ? { ...i, message: `cannot verify that ${wording.what} is a customer-managed key: ${unknownWhy(app, r.stack, alts)}` } : i));
}

function unknownWhy(app: AppModel, stack: StackModel, alts: readonly Alt[]): string {
  for (const a of alts) {
    const j = judgeKeyAlt(app, stack, a);
    if (j.verdict !== 'unknown') continue;
    if (a.kind === 'unknown') return `its value is ${a.text !== undefined ? `'${a.text}' (${j.why})` : j.why}`;
    return `its value ${j.why}`;
  }
  return 'its value cannot be resolved';
}

// ------------------------------------------------------------ raw resource attributes

/** Resource attributes outside `Properties` that CloudFormation reads. */
export type RawAttributeName = 'DeletionPolicy' | 'UpdateReplacePolicy';

/** A resource attribute outside `Properties`, as the template writes it. */
export type RawAttribute = { readonly found: true; readonly value: unknown };

/** The raw DeletionPolicy / UpdateReplacePolicy of a resource (undefined value when the template omits it). */
export function rawResourceAttribute(r: ResourceHandle, name: RawAttributeName): RawAttribute {
  return { found: true, value: name === 'DeletionPolicy' ? r.deletionPolicy : r.updateReplacePolicy };
}
