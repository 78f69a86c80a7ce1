import type { ResourceHandle } from '../engine/model';
import { judgeAlts, RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, numberOf, stringOf, Verdict } from '../engine/values';
import { readTags, TAG_STAGE } from '../engine/zones';
import { rawResourceAttribute, RawAttributeName } from './kms-keys';

/** A waiting period KMS accepts and the control wants stated: 7 to 30 days. */
export function isAllowedPendingWindow(days: number): boolean {
  return Number.isInteger(days) && days >= 7 && days <= 30;
}

/** The deletion and replacement policy that keeps a key when its stack lets go of it. */
export function isRetainPolicy(policy: string | undefined): boolean {
  return policy === 'Retain' || policy === 'RetainExceptOnCreate';
}

/** The life-cycle stage tag value of keys whose data is retired with them. */
export const RETIREMENT_STAGE = 'retirement';

/**
 * SRM-IIP-SYS-08: every KMS key states its deletion waiting period
 * (`PendingWindowInDays` 7..30; AWS would default to 30, but the control
 * wants the choice made explicitly) and is kept when its stack deletes or
 * replaces it (`DeletionPolicy` and `UpdateReplacePolicy` Retain), unless
 * it is tagged `srm-iip:stage: retirement` (its data is retired with it).
 *
 * The rule engine does not pass DeletionPolicy/UpdateReplacePolicy to rules;
 * they are read from the stack's template file (see `rawResourceAttribute`),
 * and reported as unverifiable where there is no file.
 */
export const KmsKeyDeletionWindow: SrmIipRule = {
  id: 'KmsKeyDeletionWindow',
  controlId: 'SRM-IIP-SYS-08',
  summary: 'KMS keys set PendingWindowInDays explicitly (7–30) and are retained on stack deletion unless tagged for retirement',
  resourceTypes: ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'],
  check(r) {
    const issues: RuleIssue[] = judgeAlts(
      r,
      r.stack.resolver.get(r, 'PendingWindowInDays'),
      'PendingWindowInDays',
      (a): Verdict => {
        if (a.kind === 'absent') return 'fail';
        if (a.kind !== 'value') return 'unknown';
        const n = numberOf(a);
        return n !== undefined && isAllowedPendingWindow(n) ? 'pass' : 'fail';
      },
      (a) =>
        a.kind === 'absent'
          ? 'PendingWindowInDays is not set: KMS would wait its default 30 days, but the control wants the waiting period chosen explicitly (7–30 days)'
          : `PendingWindowInDays must be 7–30 days, got ${describe(a)}`,
    );
    const stage = retirementStage(r);
    if (stage === 'yes') return issues;
    for (const attr of ['DeletionPolicy', 'UpdateReplacePolicy'] as RawAttributeName[]) issues.push(...retainIssues(r, attr, stage));
    return issues;
  },
};

/** Whether the key is tagged for retirement: 'yes', 'no', or 'maybe' (the tag cannot be read). */
function retirementStage(r: ResourceHandle): 'yes' | 'no' | 'maybe' {
  const { tags, opaque } = readTags(r);
  const stage = tags.get(TAG_STAGE);
  if (stage && stage.length > 0) {
    if (stage.every((a) => stringOf(a) === RETIREMENT_STAGE)) return 'yes';
    return stage.some((a) => a.kind !== 'value') ? 'maybe' : 'no';
  }
  return opaque ? 'maybe' : 'no';
}

function retainIssues(r: ResourceHandle, attr: RawAttributeName, stage: 'no' | 'maybe'): RuleIssue[] {
  const raw = rawResourceAttribute(r, attr);
  const alts: Alt[] = r.stack.resolver.resolve(r.stack, raw.value);
  const unless = stage === 'maybe' ? ` unless the key is tagged ${TAG_STAGE}: ${RETIREMENT_STAGE}, and its tags cannot be read` : ` (tag it ${TAG_STAGE}: ${RETIREMENT_STAGE} if its data is retired with it)`;
  const issues = judgeAlts(
    r,
    alts,
    attr,
    (a): Verdict => (a.kind === 'value' ? (isRetainPolicy(stringOf(a)) ? 'pass' : 'fail') : a.kind === 'absent' ? 'fail' : 'unknown'),
    (a) =>
      a.kind === 'absent'
        ? `${attr} is not set: CloudFormation schedules the key for deletion when ${attr === 'DeletionPolicy' ? 'the stack deletes it' : 'an update replaces it'}; set it to Retain${unless}`
        : `${attr} is ${describe(a)}, not Retain: CloudFormation schedules the key for deletion when ${attr === 'DeletionPolicy' ? 'the stack deletes it' : 'an update replaces it'}${unless}`,
  );
  // A key that may be tagged for retirement is exempt: its policy then cannot be called wrong, only unproven.
  return stage === 'maybe' ? issues.map((i) => (i.kind === 'violation' ? { ...i, kind: 'unverifiable' as const, message: `cannot verify: ${i.message}` } : i)) : issues;
}
