import type { ResourceHandle } from '../engine/model';
import { judgeAlts, RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, expectBool, Verdict } from '../engine/values';
import { existenceDoubt, existing, judgeIsSet, nameList, shown, stacksPhrase } from './common';

/** The four settings an audit trail needs, as CloudFormation properties of AWS::CloudTrail::Trail. */
export const AUDIT_TRAIL_SETTINGS = [
  { property: 'IsMultiRegionTrail', what: 'record every region', judge: (a: Alt): Verdict => expectBool(a, true, false), absent: 'CloudTrail defaults to a single-region trail' },
  { property: 'EnableLogFileValidation', what: 'validate its log files', judge: (a: Alt): Verdict => expectBool(a, true, false), absent: 'CloudTrail defaults to no log file validation' },
  { property: 'KMSKeyId', what: 'encrypt its logs with a KMS key', judge: judgeIsSet, absent: 'CloudTrail then uses S3-managed encryption only' },
  { property: 'IsLogging', what: 'log', judge: (a: Alt): Verdict => expectBool(a, true), absent: 'the trail does not say it is logging' },
] as const;

/** Whether a trail's settings make it an audit trail (plain values in, for reuse by other flavors). */
export function isAuditTrail(t: { multiRegion?: boolean; logFileValidation?: boolean; kmsKeyId?: string; logging?: boolean }): boolean {
  return t.multiRegion === true && t.logFileValidation === true && !!t.kmsKeyId && t.logging === true;
}

function checkTrail(r: ResourceHandle): RuleIssue[] {
  const issues: RuleIssue[] = [];
  for (const s of AUDIT_TRAIL_SETTINGS) {
    issues.push(
      ...judgeAlts(r, r.stack.resolver.get(r, s.property), s.property, s.judge, (a) =>
        a.kind === 'absent'
          ? `the trail does not ${s.what}: ${s.property} is not set (${s.absent})`
          : `the trail does not ${s.what}: ${s.property} is ${shown(a)}`,
      ),
    );
  }
  return issues;
}

/**
 * SRM-IIP-OPS-01: the app has a CloudTrail trail (organization trails count)
 * that is multi-region, validates log files, is KMS-encrypted and logs. Every
 * trail in the app is held to this, in every Fn::If branch.
 */
export const CloudTrailAuditTrail: SrmIipRule = {
  id: 'CloudTrailAuditTrail',
  controlId: 'SRM-IIP-OPS-01',
  summary: 'The app has a multi-region CloudTrail trail with log file validation, a KMS key and logging on',
  resourceTypes: ['AWS::CloudTrail::Trail'],
  checkApp(ctx) {
    const trails = existing(ctx.app, 'AWS::CloudTrail::Trail');
    const issues: RuleIssue[] = trails.flatMap(checkTrail);
    if (trails.length === 0) {
      issues.push({
        kind: 'violation',
        message: `no CloudTrail trail in ${stacksPhrase(ctx.app)}; management actions are not recorded (add an AWS::CloudTrail::Trail, or an organization trail)`,
      });
    } else if (trails.every((t) => existenceDoubt(t) !== undefined)) {
      issues.push({
        kind: 'unverifiable',
        message: `the app's only CloudTrail trails may not be created: ${nameList(trails.map((t) => existenceDoubt(t)!))}`,
      });
    }
    return issues;
  },
};
