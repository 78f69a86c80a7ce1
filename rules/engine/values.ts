/**
 * The value model every rule reads.
 *
 * A template property is not a value but a set of possible values: `Fn::If`
 * forks, a parameter may hold anything, an import lives in another stack. A
 * resolved property is therefore a list of alternatives, and a rule must hold
 * for every one of them. Nothing here is specific to CloudFormation: a
 * Terraform flavor produces the same alternatives from its own expressions.
 */

/** One possible value of a property. */
export type Alt = ValueAlt | AbsentAlt | RefAlt | UnknownAlt;

/** A concrete JSON value. Objects and arrays may still hold unresolved intrinsics inside. */
export interface ValueAlt {
  readonly kind: 'value';
  readonly value: unknown;
}

/** The property is not set (missing, or `AWS::NoValue`). */
export interface AbsentAlt {
  readonly kind: 'absent';
}

/** A reference to a resource: `Ref` (no attribute) or `Fn::GetAtt`. */
export interface RefAlt {
  readonly kind: 'ref';
  /** Stack (template) that holds the referenced resource. */
  readonly stack: string;
  readonly logicalId: string;
  readonly attribute?: string;
}

/** A value that cannot be known from the template(s) alone. */
export interface UnknownAlt {
  readonly kind: 'unknown';
  /** Why, in words a reviewer understands: "depends on parameter KeyArn". */
  readonly reason: string;
  /**
   * Best-effort text of the value with placeholders for the unknown parts,
   * e.g. `arn:${AWS::Partition}:s3:::${Bucket}/*`; lets a rule decide on the
   * known part (a string that is not `*` cannot be the wildcard).
   */
  readonly text?: string;
}

export const ABSENT: AbsentAlt = { kind: 'absent' };

export function value(v: unknown): ValueAlt {
  return { kind: 'value', value: v };
}

export function unknown(reason: string, text?: string): UnknownAlt {
  return text === undefined ? { kind: 'unknown', reason } : { kind: 'unknown', reason, text };
}

/** Text of an alternative, with `${...}` placeholders for what is unknown; undefined when it is not string-like. */
export function textOf(a: Alt): string | undefined {
  switch (a.kind) {
    case 'value':
      return typeof a.value === 'string' || typeof a.value === 'number' || typeof a.value === 'boolean'
        ? String(a.value)
        : undefined;
    case 'unknown':
      return a.text;
    case 'ref':
      return a.attribute ? `\${${a.logicalId}.${a.attribute}}` : `\${${a.logicalId}}`;
    default:
      return undefined;
  }
}

/** Short, readable rendering of an alternative for finding messages. */
export function describe(a: Alt): string {
  switch (a.kind) {
    case 'value':
      return typeof a.value === 'string' ? `'${a.value}'` : truncate(JSON.stringify(a.value) ?? String(a.value));
    case 'absent':
      return 'not set';
    case 'ref':
      return a.attribute ? `${a.logicalId}.${a.attribute}` : a.logicalId;
    case 'unknown':
      return a.text !== undefined ? `'${truncate(a.text)}' (${a.reason})` : a.reason;
  }
}

function truncate(s: string, max = 120): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Outcome of a check on one property. */
export type Verdict = 'pass' | 'fail' | 'unknown';

/**
 * Judge every alternative: `fail` if any alternative fails, otherwise
 * `unknown` if any cannot be judged, otherwise `pass`. The failing or unknown
 * alternative is returned for the message.
 */
export function judgeAll(alts: readonly Alt[], judge: (a: Alt) => Verdict): { verdict: Verdict; culprit?: Alt } {
  let firstUnknown: Alt | undefined;
  for (const a of alts) {
    const v = judge(a);
    if (v === 'fail') return { verdict: 'fail', culprit: a };
    if (v === 'unknown' && firstUnknown === undefined) firstUnknown = a;
  }
  return firstUnknown ? { verdict: 'unknown', culprit: firstUnknown } : { verdict: 'pass' };
}

/** Interpret an alternative as a boolean: CloudFormation accepts `true`, `"true"`, `"True"`. */
export function boolOf(a: Alt): boolean | undefined {
  if (a.kind !== 'value') return undefined;
  if (typeof a.value === 'boolean') return a.value;
  if (typeof a.value === 'string') {
    const s = a.value.toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
  }
  return undefined;
}

/** Interpret an alternative as a number (CloudFormation passes numbers as strings too). */
export function numberOf(a: Alt): number | undefined {
  if (a.kind !== 'value') return undefined;
  if (typeof a.value === 'number') return Number.isFinite(a.value) ? a.value : undefined;
  if (typeof a.value === 'string' && a.value.trim() !== '') {
    const n = Number(a.value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** Interpret an alternative as a string; numbers and booleans count (CloudFormation stringifies them). */
export function stringOf(a: Alt): string | undefined {
  if (a.kind !== 'value') return undefined;
  return typeof a.value === 'string' || typeof a.value === 'number' || typeof a.value === 'boolean'
    ? String(a.value)
    : undefined;
}

/**
 * Judge a boolean property that must be `expected`. Absent counts as
 * `absentMeans` (the service default).
 */
export function expectBool(a: Alt, expected: boolean, absentMeans?: boolean): Verdict {
  if (a.kind === 'absent') return absentMeans === undefined ? 'fail' : absentMeans === expected ? 'pass' : 'fail';
  if (a.kind === 'unknown' || a.kind === 'ref') return 'unknown';
  const b = boolOf(a);
  if (b === undefined) return 'fail';
  return b === expected ? 'pass' : 'fail';
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
