/**
 * Tying a policy statement's `Resource` entry to a resource of the app.
 *
 * A resolved `Resource` is a value (`arn:aws:s3:::logs/*`), a reference
 * (`Fn::GetAtt Queue.Arn`) or text with placeholders for what the resolver
 * could not fix (`${Bucket.Arn}/*`, `arn:${AWS::Partition}:s3:::${Bucket}/*`).
 * The helpers here decide whether such an entry covers a given resource by
 * matching it, as an IAM wildcard pattern, against the ways that resource can
 * be written. Shared by the communication and application rules; not part of
 * the public API.
 */
import type { AppModel, ResourceHandle } from '../engine/model';
import { Alt, textOf, Verdict } from '../engine/values';

/** IAM policy variables (`${aws:PrincipalTag/tenant}`, `${iot:ClientId}`): lower-case service prefix and a colon. */
const POLICY_VARIABLE = /\$\{[a-z][a-z0-9.-]*:[^}]+\}/g;
const PLACEHOLDER = /\$\{([^}]*)\}/g;

/** The partition placeholder reads as `aws`, so texts from Fn::Sub and literals compare alike. */
export function normalizeArnText(s: string): string {
  return s.replace(/\$\{AWS::Partition\}/g, 'aws');
}

const PATTERNS = new Map<string, RegExp>();

/** IAM wildcard match: `*` any run of characters, `?` one character; everything else literal. */
export function arnPatternMatches(pattern: string, text: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === text;
  let re = PATTERNS.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
    if (PATTERNS.size > 10_000) PATTERNS.clear();
    PATTERNS.set(pattern, re);
  }
  return re.test(text);
}

/** Whether a text uses an IAM policy variable, optionally one whose name starts with `prefix` (case-insensitive). */
export function usesPolicyVariable(text: string, prefix?: string): boolean {
  const found = text.match(POLICY_VARIABLE) ?? [];
  return prefix === undefined ? found.length > 0 : found.some((v) => v.slice(2).toLowerCase().startsWith(prefix.toLowerCase()));
}

/** The text with policy variables turned into wildcards: the widest set of resources the entry can name at request time. */
export function policyVariablesAsWildcards(text: string): string {
  return text.replace(POLICY_VARIABLE, '*');
}

/**
 * Whether every placeholder of a text names a resource of the app (`${Bucket}`,
 * `${Bucket.Arn}`) or a pseudo parameter: the text's shape is then fully known
 * and a failed match is a real mismatch, not a gap in what could be resolved.
 */
export function placeholdersAreKnown(app: AppModel, text: string): boolean {
  for (const m of text.matchAll(PLACEHOLDER)) {
    const name = m[1];
    if (name.startsWith('AWS::')) continue;
    if (/^[a-z][a-z0-9.-]*:/.test(name)) continue; // an IAM policy variable
    const id = name.split('.')[0];
    if (!app.stacks.some((s) => s.resources.has(id))) return false;
  }
  return true;
}

/** How a resource can appear in a statement's `Resource`. */
export interface ResourceForms {
  /** Stack and logical ID of the resource. */
  readonly stack: string;
  readonly logicalId: string;
  /** `Fn::GetAtt`/`Ref` attributes that denote it (`undefined` = plain `Ref`). */
  readonly refAttributes: ReadonlyArray<string | undefined>;
  /** Texts that name it, with `${LogicalId}`-style placeholders (matched against a pattern). */
  readonly texts: readonly string[];
}

/**
 * Does one `Resource` entry cover the resource? `pass` when it names it (or a
 * wildcard covers it), `fail` when it certainly names something else,
 * `unknown` when the entry cannot be resolved far enough to tell.
 */
export function resourceEntryCovers(app: AppModel, entry: Alt, forms: ResourceForms): Verdict {
  if (entry.kind === 'absent') return 'fail';
  if (entry.kind === 'ref') {
    return entry.stack === forms.stack && entry.logicalId === forms.logicalId && forms.refAttributes.includes(entry.attribute) ? 'pass' : 'fail';
  }
  const raw = textOf(entry);
  if (raw === undefined) return 'unknown';
  if (raw === '*') return 'pass';
  const pattern = normalizeArnText(policyVariablesAsWildcards(raw));
  if (normalizedTexts(forms).some((t) => arnPatternMatches(pattern, t))) return 'pass';
  if (entry.kind === 'value') return 'fail';
  return placeholdersAreKnown(app, raw) ? 'fail' : 'unknown';
}

const NORMALIZED = new WeakMap<ResourceForms, string[]>();

/** The texts of a resource's forms, normalized once per forms object (a document has several entries to match). */
function normalizedTexts(forms: ResourceForms): string[] {
  let t = NORMALIZED.get(forms);
  if (!t) NORMALIZED.set(forms, (t = forms.texts.map(normalizeArnText)));
  return t;
}

/** `pass` if any item passes, else `unknown` if any is unknown, else `fail` (also for no items). */
export function anyOf<T>(items: readonly T[], judge: (t: T) => Verdict): Verdict {
  let sawUnknown = false;
  for (const i of items) {
    const v = judge(i);
    if (v === 'pass') return 'pass';
    if (v === 'unknown') sawUnknown = true;
  }
  return sawUnknown ? 'unknown' : 'fail';
}

/** `fail` if any verdict fails, else `unknown` if any is unknown, else `pass`. */
export function allOf(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes('fail')) return 'fail';
  return verdicts.includes('unknown') ? 'unknown' : 'pass';
}

/**
 * Whether a provider (a policy, an association, a schedule) exists whenever
 * its target does: always, or under the target's own condition in the same
 * stack. Anything else may leave the target without it.
 */
export function existsWhenever(provider: ResourceHandle, target: ResourceHandle): boolean {
  const e = provider.stack.resolver.exists(provider);
  if (e === 'always') return true;
  if (e === 'never') return false;
  return provider.condition !== undefined && provider.stack === target.stack && provider.condition === target.condition;
}
