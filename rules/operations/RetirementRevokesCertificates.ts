import type { StackModel } from '../engine/model';
import type { RuleIssue, SrmIipRule } from '../engine/rule';
import { TAG_STAGE } from '../engine/zones';
import { describe, judgeAll, stringOf, Verdict } from '../engine/values';
import { readResourceTags } from '../engine/tags';
import { existing, literal, where } from './common';

/** The life-cycle stage tag value of retirement. */
export const RETIREMENT_STAGE_VALUE = 'retirement';

/** Certificate states that no longer let a device connect. */
export const RETIRED_CERTIFICATE_STATES = ['INACTIVE', 'REVOKED'] as const;

/** Whether a certificate status keeps a retired device from connecting. */
export function isRetiredCertificateStatus(status: string): boolean {
  return (RETIRED_CERTIFICATE_STATES as readonly string[]).includes(status.toUpperCase());
}

/**
 * SRM-IIP-OPS-07 (device credentials): a retirement stack (one with a
 * resource tagged `srm-iip:stage` = `retirement`) leaves no AWS IoT
 * certificate ACTIVE: its AWS::IoT::Certificate resources are INACTIVE or
 * REVOKED. The deletion evidence itself is a runtime attestation.
 */
export const RetirementRevokesCertificates: SrmIipRule = {
  id: 'RetirementRevokesCertificates',
  controlId: 'SRM-IIP-OPS-07',
  summary: 'Retirement stacks leave no IoT device certificate active',
  resourceTypes: ['AWS::IoT::Certificate'],
  checkApp(ctx) {
    const certs = existing(ctx.app, 'AWS::IoT::Certificate');
    if (certs.length === 0) return [];
    // Which stacks are in retirement, and the resource that says so.
    const retiring = new Map<StackModel, string>();
    for (const stack of new Set(certs.map((c) => c.stack))) {
      for (const r of stack.resources.values()) {
        if (readResourceTags(r).values(TAG_STAGE).some((v) => literal(v) === RETIREMENT_STAGE_VALUE)) {
          retiring.set(stack, r.logicalId);
          break;
        }
      }
    }
    const issues: RuleIssue[] = [];
    for (const cert of certs) {
      const marker = retiring.get(cert.stack);
      if (marker === undefined) continue;
      const { verdict, culprit } = judgeAll(cert.stack.resolver.get(cert, 'Status'), (a): Verdict =>
        a.kind === 'value' ? (isRetiredCertificateStatus(stringOf(a) ?? '') ? 'pass' : 'fail') : a.kind === 'absent' ? 'fail' : 'unknown',
      );
      if (verdict === 'pass') continue;
      issues.push(
        verdict === 'fail'
          ? {
              resource: cert,
              kind: 'violation',
              location: 'Status',
              message: `stack ${cert.stack.name} is a retirement stack (${marker} is tagged ${TAG_STAGE}=${RETIREMENT_STAGE_VALUE}) but the certificate stays usable (Status is ${describe(culprit!)}); set it to REVOKED or INACTIVE`,
            }
          : { resource: cert, kind: 'unverifiable', location: 'Status', message: `cannot verify that ${where(cert)} is revoked in retirement stack ${cert.stack.name}: Status is ${describe(culprit!)}` },
      );
    }
    return issues;
  },
};
