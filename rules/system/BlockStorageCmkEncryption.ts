import type { ResourceHandle } from '../engine/model';
import { judgeAlts, RuleIssue, SrmIipRule } from '../engine/rule';
import { describe, expectBool } from '../engine/values';
import { customerManagedKeyIssues } from './kms-keys';
import { dedupeIssues } from './support';

/**
 * SRM-IIP-SYS-01 for volumes and file systems: EBS volumes and EFS file
 * systems set `Encrypted: true` and a customer-managed `KmsKeyId`. An EBS
 * volume without `Encrypted` relies on the account's EBS
 * encryption-by-default, which the template cannot show.
 */
export const BlockStorageCmkEncryption: SrmIipRule = {
  id: 'BlockStorageCmkEncryption',
  controlId: 'SRM-IIP-SYS-01',
  summary: 'EBS volumes and EFS file systems are encrypted with a customer-managed KMS key',
  resourceTypes: ['AWS::EC2::Volume', 'AWS::EFS::FileSystem'],
  check(r) {
    const ebs = r.type === 'AWS::EC2::Volume';
    return dedupeIssues(
      encryptedWithKey(
        r,
        ebs
          ? "Encrypted is not set: the volume relies on the account's EBS encryption-by-default, which the template cannot show"
          : 'Encrypted is not set: CloudFormation creates the EFS file system unencrypted',
        ebs
          ? "KmsKeyId is not set: EBS uses the account's default EBS key (the AWS managed key aws/ebs unless changed outside the template)"
          : 'KmsKeyId is not set: EFS encrypts with the AWS managed key aws/elasticfilesystem, not a customer-managed key',
      ),
    );
  },
};

/** `Encrypted: true` plus a customer-managed `KmsKeyId`; the key is judged only where encryption may be on. */
export function encryptedWithKey(r: ResourceHandle, encryptedAbsent: string, keyAbsent: string): RuleIssue[] {
  const resolver = r.stack.resolver;
  const enc = judgeAlts(
    r,
    resolver.get(r, 'Encrypted'),
    'Encrypted',
    (a) => expectBool(a, true),
    (a) => (a.kind === 'absent' ? encryptedAbsent : `Encrypted is ${describe(a)}: the data is stored unencrypted`),
  );
  if (enc.some((i) => i.kind === 'violation')) return enc;
  return [...enc, ...customerManagedKeyIssues(r, resolver.get(r, 'KmsKeyId'), 'KmsKeyId', { what: 'KmsKeyId', whenAbsent: keyAbsent })];
}
