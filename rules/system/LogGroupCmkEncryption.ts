import { SrmIipRule } from '../engine/rule';
import { customerManagedKeyIssues } from './kms-keys';

/** SRM-IIP-SYS-01 for logs: CloudWatch Logs log groups set `KmsKeyId` to a customer-managed key. */
export const LogGroupCmkEncryption: SrmIipRule = {
  id: 'LogGroupCmkEncryption',
  controlId: 'SRM-IIP-SYS-01',
  summary: 'CloudWatch Logs log groups encrypt with a customer-managed KMS key',
  resourceTypes: ['AWS::Logs::LogGroup'],
  check(r) {
    return customerManagedKeyIssues(r, r.stack.resolver.get(r, 'KmsKeyId'), 'KmsKeyId', {
      what: 'KmsKeyId',
      whenAbsent: 'KmsKeyId is not set: CloudWatch Logs encrypts the log group with a key the service owns, not a customer-managed key',
    });
  },
};
