import type { ResourceHandle } from '../engine/model';
import { judgeAlts, RuleIssue, SrmIipRule, unverifiable } from '../engine/rule';
import { Alt, stringOf, Verdict } from '../engine/values';
import { customerManagedKeyIssues } from './kms-keys';
import { dedupeIssues } from './support';

/** S3 default-encryption algorithms that use a KMS key (single- or dual-layer). */
export function isKmsSseAlgorithm(algorithm: string | undefined): boolean {
  return algorithm === 'aws:kms' || algorithm === 'aws:kms:dsse';
}

const RULES_PATH = 'BucketEncryption.ServerSideEncryptionConfiguration';
const NO_DEFAULT = 'S3 then encrypts new objects with SSE-S3 (AES256, a key S3 owns), not a customer-managed KMS key';

/**
 * SRM-IIP-SYS-01 for S3: the bucket's default encryption is SSE-KMS or
 * DSSE-KMS with a customer-managed key. SSE-S3 (`AES256`) and `aws:kms`
 * without `KMSMasterKeyID` (the AWS managed key `aws/s3`) are violations.
 */
export const S3BucketCmkEncryption: SrmIipRule = {
  id: 'S3BucketCmkEncryption',
  controlId: 'SRM-IIP-SYS-01',
  summary: 'S3 buckets encrypt by default with SSE-KMS or DSSE-KMS under a customer-managed KMS key',
  resourceTypes: ['AWS::S3::Bucket'],
  check(r) {
    const resolver = r.stack.resolver;
    const issues: RuleIssue[] = [];
    for (const b of resolver.branches(r.stack, resolver.get(r, 'BucketEncryption', 'ServerSideEncryptionConfiguration'))) {
      if (b.kind === 'other') {
        if (b.alt.kind === 'absent') issues.push({ resource: r, kind: 'violation', location: 'BucketEncryption', message: `BucketEncryption is not set: ${NO_DEFAULT}` });
        else issues.push(unverifiable(r, RULES_PATH, b.alt));
        continue;
      }
      if (b.elements.length === 0) {
        issues.push({ resource: r, kind: 'violation', location: RULES_PATH, message: `${RULES_PATH} is empty: ${NO_DEFAULT}` });
        continue;
      }
      b.elements.forEach((alts, i) => issues.push(...checkEncryptionRule(r, alts, `${RULES_PATH}.${i}.ServerSideEncryptionByDefault`)));
    }
    return dedupeIssues(issues);
  },
};

function checkEncryptionRule(r: ResourceHandle, ruleAlts: readonly Alt[], location: string): RuleIssue[] {
  const resolver = r.stack.resolver;
  const algs = resolver.path(r.stack, ruleAlts, ['ServerSideEncryptionByDefault', 'SSEAlgorithm']);
  const algIssues = judgeAlts(
    r,
    algs,
    `${location}.SSEAlgorithm`,
    (a): Verdict => (a.kind === 'value' ? (isKmsSseAlgorithm(stringOf(a)) ? 'pass' : 'fail') : a.kind === 'absent' ? 'fail' : 'unknown'),
    (a) =>
      a.kind === 'absent'
        ? `SSEAlgorithm is not set: ${NO_DEFAULT}`
        : stringOf(a) === 'AES256'
          ? `SSEAlgorithm is 'AES256' (SSE-S3, a key S3 owns), not aws:kms with a customer-managed key`
          : `SSEAlgorithm is ${stringOf(a) ?? 'not a string'}, not aws:kms or aws:kms:dsse`,
  );
  // A bucket that is not on KMS at all gets one finding, not a second one about the missing key.
  if (algIssues.some((i) => i.kind === 'violation')) return algIssues;
  const keyIssues = customerManagedKeyIssues(r, resolver.path(r.stack, ruleAlts, ['ServerSideEncryptionByDefault', 'KMSMasterKeyID']), `${location}.KMSMasterKeyID`, {
    what: 'KMSMasterKeyID',
    whenAbsent: 'SSEAlgorithm is aws:kms without KMSMasterKeyID, so S3 uses the AWS managed key aws/s3, not a customer-managed key',
  });
  return [...algIssues, ...keyIssues];
}
