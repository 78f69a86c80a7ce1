import { SrmIipRule } from '../engine/rule';
import { customerManagedKeyIssues } from './kms-keys';

/** SRM-IIP-SYS-01 for backups: AWS Backup vaults set `EncryptionKeyArn` to a customer-managed key. */
export const BackupVaultCmkEncryption: SrmIipRule = {
  id: 'BackupVaultCmkEncryption',
  controlId: 'SRM-IIP-SYS-01',
  summary: 'AWS Backup vaults encrypt recovery points with a customer-managed KMS key',
  resourceTypes: ['AWS::Backup::BackupVault'],
  check(r) {
    return customerManagedKeyIssues(r, r.stack.resolver.get(r, 'EncryptionKeyArn'), 'EncryptionKeyArn', {
      what: 'EncryptionKeyArn',
      whenAbsent: 'EncryptionKeyArn is not set: AWS Backup encrypts the vault with the AWS managed key aws/backup, not a customer-managed key',
    });
  },
};
