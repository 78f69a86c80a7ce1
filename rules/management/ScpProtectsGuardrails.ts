import type { ResourceHandle } from '../engine/model';
import { actionCovers } from '../engine/policy';
import type { RuleIssue, SrmIipRule } from '../engine/rule';
import { describe } from '../engine/values';
import { existing, literal, nameList, where } from '../operations/common';
import { coverageByBranch } from '../operations/policy-branches';

/** Actions that switch audit and detection off; an SCP must deny each of them. */
export const GUARDRAIL_ACTIONS = [
  'cloudtrail:StopLogging',
  'cloudtrail:DeleteTrail',
  'cloudtrail:UpdateTrail',
  'guardduty:DeleteDetector',
  'guardduty:DisassociateFromMasterAccount',
  'guardduty:UpdateDetector',
  'config:StopConfigurationRecorder',
  'config:DeleteConfigurationRecorder',
  'config:DeleteDeliveryChannel',
] as const;

/**
 * The guardrail actions that Deny statements leave out. `denied` are Action
 * patterns of Deny statements; `deniedAllBut` are the NotAction lists of
 * Deny statements (which deny every action they do not name).
 */
export function undeniedGuardrailActions(denied: readonly string[], deniedAllBut: ReadonlyArray<readonly string[]> = []): string[] {
  return GUARDRAIL_ACTIONS.filter(
    (a) => !denied.some((p) => actionCovers(p, a)) && !deniedAllBut.some((except) => !except.some((p) => actionCovers(p, a))),
  );
}

/**
 * SRM-IIP-MGT-04 (partial): when the app holds service control policies
 * (AWS::Organizations::Policy of Type SERVICE_CONTROL_POLICY), together they
 * deny stopping or deleting CloudTrail trails, GuardDuty detectors and the
 * AWS Config recorder and delivery channel (wildcards count; conditions, such
 * as an exception for a security role, are accepted). An app without SCPs
 * reports nothing: the guardrail is then attested.
 */
export const ScpProtectsGuardrails: SrmIipRule = {
  id: 'ScpProtectsGuardrails',
  controlId: 'SRM-IIP-MGT-04',
  summary: 'Service control policies deny switching off CloudTrail, GuardDuty and AWS Config',
  resourceTypes: ['AWS::Organizations::Policy'],
  checkApp(ctx) {
    const scps: ResourceHandle[] = [];
    const unsureType: ResourceHandle[] = [];
    for (const p of existing(ctx.app, 'AWS::Organizations::Policy')) {
      const types = p.stack.resolver.get(p, 'Type');
      if (types.some((t) => literal(t) === 'SERVICE_CONTROL_POLICY')) scps.push(p);
      else if (types.some((t) => t.kind !== 'value')) unsureType.push(p);
    }
    if (scps.length === 0) {
      // Policies whose Type is not fixed may be SCPs: they must then hold the denials too.
      const missing = undeniedGuardrailActions(unsureType.flatMap((p) => [...coverageByBranch(p.stack, p.stack.resolver.get(p, 'Content'), 'Deny', GUARDRAIL_ACTIONS).always]));
      if (unsureType.length === 0 || missing.length === 0) return [];
      return unsureType.map((p) => ({
        resource: p,
        kind: 'unverifiable' as const,
        location: 'Type',
        message: `cannot verify the guardrail denials: the Type of the organization policy cannot be resolved (${describe(p.stack.resolver.get(p, 'Type').find((t) => t.kind !== 'value')!)}), and if it is a service control policy it does not deny ${missing.join(', ')}`,
      }));
    }
    // An action counts as denied when some SCP denies it in every Fn::If branch of its content.
    const denied: string[] = [];
    const unresolved: string[] = [];
    for (const scp of scps) {
      const cov = coverageByBranch(scp.stack, scp.stack.resolver.get(scp, 'Content'), 'Deny', GUARDRAIL_ACTIONS);
      denied.push(...cov.always);
      if (cov.unresolved) unresolved.push(`${where(scp)}: ${cov.unresolved}`);
    }
    const missing = undeniedGuardrailActions(denied);
    if (missing.length === 0) return [];
    const names = scps.map(where);
    const single = scps.length === 1 ? scps[0] : undefined;
    const issues: RuleIssue[] = [];
    if (unresolved.length > 0 || unsureType.length > 0) {
      const why = [...unresolved, ...unsureType.map((p) => `the Type of ${where(p)} cannot be resolved`)];
      issues.push({ resource: single, kind: 'unverifiable', location: single ? 'Content' : undefined, message: `cannot verify that the service control policies deny ${missing.join(', ')}: ${nameList(why, 3)}` });
    } else {
      issues.push({
        resource: single,
        kind: 'violation',
        location: single ? 'Content' : undefined,
        message: `the service control polic${scps.length > 1 ? `ies (${nameList(names, 4)}) do` : 'y does'} not deny ${missing.join(', ')}, so an account inside the organization can switch off its audit trail, threat detection or configuration recording`,
      });
    }
    return issues;
  },
};
