import type { ResourceHandle, StackModel } from '../engine/model';
import { RuleIssue, SrmIipRule } from '../engine/rule';

/** Prefix of the CloudFormation types of AWS IoT SiteWise. */
export const SITEWISE_TYPE_PREFIX = 'AWS::IoTSiteWise::';

/** Whether a CloudFormation type belongs to AWS IoT SiteWise. */
export function isSiteWiseType(type: string): boolean {
  return type.startsWith(SITEWISE_TYPE_PREFIX);
}

const LISTED = 3;

/**
 * SRM-IIP-SYS-01 for IoT SiteWise: SiteWise encrypts its data under an
 * account-level setting (`PutDefaultEncryptionConfiguration`) that no
 * CloudFormation resource sets or shows. Where SiteWise resources appear,
 * the rule reports one unverifiable finding per stack, asking for an
 * attestation that the account uses KMS-based encryption with a
 * customer-managed key. Acknowledge it with that attestation as the reason.
 */
export const SiteWiseEncryptionAttestation: SrmIipRule = {
  id: 'SiteWiseEncryptionAttestation',
  controlId: 'SRM-IIP-SYS-01',
  summary: 'Stacks with IoT SiteWise resources carry an attestation that SiteWise encrypts with a customer-managed KMS key (an account setting)',
  resourceTypes: [
    'AWS::IoTSiteWise::AccessPolicy',
    'AWS::IoTSiteWise::Asset',
    'AWS::IoTSiteWise::AssetModel',
    'AWS::IoTSiteWise::ComputationModel',
    'AWS::IoTSiteWise::Dashboard',
    'AWS::IoTSiteWise::Dataset',
    'AWS::IoTSiteWise::Gateway',
    'AWS::IoTSiteWise::Portal',
    'AWS::IoTSiteWise::Project',
  ],
  checkApp(ctx) {
    const byStack = new Map<StackModel, ResourceHandle[]>();
    for (const type of ctx.app.resourceTypes) {
      if (!isSiteWiseType(type)) continue;
      for (const r of ctx.app.resourcesOfType(type)) {
        if (ctx.resolver.exists(r) === 'never') continue;
        const list = byStack.get(r.stack) ?? [];
        list.push(r);
        byStack.set(r.stack, list);
      }
    }
    const issues: RuleIssue[] = [];
    for (const [stack, rs] of byStack) {
      const names = rs.slice(0, LISTED).map((r) => `${r.logicalId} (${r.type})`).join(', ');
      const more = rs.length > LISTED ? ` and ${rs.length - LISTED} more` : '';
      issues.push({
        stack,
        kind: 'unverifiable',
        message:
          `cannot verify IoT SiteWise encryption at rest: SiteWise encrypts with an account setting (PutDefaultEncryptionConfiguration) outside CloudFormation. ` +
          `Attest that the account uses KMS_BASED_ENCRYPTION with a customer-managed key. SiteWise resources in stack ${stack.name}: ${names}${more}`,
      });
    }
    return issues;
  },
};
