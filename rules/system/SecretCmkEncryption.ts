import { SrmIipRule } from '../engine/rule';
import { customerManagedKeyIssues } from './kms-keys';

/** SRM-IIP-SYS-01 for secrets: Secrets Manager secrets set `KmsKeyId` to a customer-managed key. */
export const SecretCmkEncryption: SrmIipRule = {
  id: 'SecretCmkEncryption',
  controlId: 'SRM-IIP-SYS-01',
  summary: 'Secrets Manager secrets encrypt with a customer-managed KMS key',
  resourceTypes: ['AWS::SecretsManager::Secret'],
  check(r) {
    return customerManagedKeyIssues(r, r.stack.resolver.get(r, 'KmsKeyId'), 'KmsKeyId', {
      what: 'KmsKeyId',
      whenAbsent: 'KmsKeyId is not set: Secrets Manager encrypts the secret with the AWS managed key aws/secretsmanager, not a customer-managed key',
    });
  },
};
