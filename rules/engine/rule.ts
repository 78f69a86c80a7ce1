import type { AppModel, ResourceHandle, StackModel } from './model';
import type { Resolver } from './resolve';
import type { ZoneModel } from './zones';
import { Alt, describe, judgeAll, Verdict } from './values';

/** What a rule reports about one resource, stack or the app. */
export interface RuleIssue {
  /** The resource the issue is about; omitted for stack- or app-level issues. */
  readonly resource?: ResourceHandle;
  /** The stack, for a stack-level issue without a resource. */
  readonly stack?: StackModel;
  /** What is wrong or missing and where, in the reviewer's words. */
  readonly message: string;
  /** `violation`: a value breaks the control. `unverifiable`: a value cannot be resolved, so the control cannot be shown to hold. */
  readonly kind: 'violation' | 'unverifiable';
  /** Property path inside the resource, e.g. `BucketEncryption.ServerSideEncryptionConfiguration`. */
  readonly location?: string;
}

/** Settings the rules read, after defaults were applied. */
export interface RuleSettings {
  /** Regions data may live in (MGT-03); empty means "not configured". */
  readonly allowedRegions: readonly string[];
  /** Minimum log retention in days (OPS-02). */
  readonly logRetentionDays: number;
  /** Number of classification levels (1 = lowest); undefined means "derive from the level tags". */
  readonly classificationLevels?: number;
}

export interface RuleContext {
  readonly app: AppModel;
  readonly resolver: Resolver;
  readonly settings: RuleSettings;
  readonly zones: ZoneModel;
}

/**
 * One rule: the check of one aspect of one control. A rule either looks at
 * one resource at a time (`check`, called for each resource of
 * `resourceTypes`) or at the whole app (`checkApp`), for controls that need
 * more than one resource. Rules are pure and must never throw.
 */
export interface SrmIipRule {
  /** Unique rule name, PascalCase, also the file name: `KmsKeyRotationEnabled`. */
  readonly id: string;
  /** The catalog control it checks: `SRM-IIP-SYS-02`. */
  readonly controlId: string;
  /** The compliant state in words: "Symmetric KMS keys rotate yearly or more often". */
  readonly summary: string;
  /** CloudFormation resource types it reads. */
  readonly resourceTypes: readonly string[];
  check?(resource: ResourceHandle, ctx: RuleContext): RuleIssue[];
  checkApp?(ctx: RuleContext): RuleIssue[];
}

/**
 * Judge one property of a resource across all its alternatives and turn the
 * verdict into issues: nothing on pass, a violation naming the offending value
 * on fail, and an "unverifiable" issue naming what could not be resolved.
 */
export function checkProperty(
  r: ResourceHandle,
  path: ReadonlyArray<string | number>,
  judge: (a: Alt) => Verdict,
  failMessage: (culprit: Alt) => string,
): RuleIssue[] {
  return judgeAlts(r, r.stack.resolver.get(r, ...path), path.join('.'), judge, failMessage);
}

/** As `checkProperty`, on alternatives the caller already resolved. */
export function judgeAlts(
  r: ResourceHandle,
  alts: readonly Alt[],
  location: string,
  judge: (a: Alt) => Verdict,
  failMessage: (culprit: Alt) => string,
): RuleIssue[] {
  const { verdict, culprit } = judgeAll(alts, judge);
  if (verdict === 'pass') return [];
  if (verdict === 'fail') return [{ resource: r, kind: 'violation', location, message: failMessage(culprit!) }];
  return [unverifiable(r, location, culprit!)];
}

/** The standard "cannot verify" issue. */
export function unverifiable(r: ResourceHandle, location: string, culprit: Alt): RuleIssue {
  return { resource: r, kind: 'unverifiable', location, message: `cannot verify ${location}: its value is ${describe(culprit)}` };
}

export function violation(r: ResourceHandle, message: string, location?: string): RuleIssue {
  return { resource: r, kind: 'violation', message, location };
}
