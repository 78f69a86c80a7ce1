import { SrmIipRule } from '../engine/rule';
import { boolOf } from '../engine/values';
import { customerManagedKeyIssues } from './kms-keys';

/**
 * SRM-IIP-SYS-01 for messaging: SQS queues and SNS topics set
 * `KmsMasterKeyId` to a customer-managed key. `alias/aws/sqs` and
 * `alias/aws/sns` are AWS managed keys; SQS-managed SSE
 * (`SqsManagedSseEnabled`, the default for new queues) uses a key SQS owns.
 */
export const MessagingCmkEncryption: SrmIipRule = {
  id: 'MessagingCmkEncryption',
  controlId: 'SRM-IIP-SYS-01',
  summary: 'SQS queues and SNS topics encrypt with a customer-managed KMS key',
  resourceTypes: ['AWS::SQS::Queue', 'AWS::SNS::Topic'],
  check(r) {
    const resolver = r.stack.resolver;
    let whenAbsent: string;
    if (r.type === 'AWS::SQS::Queue') {
      const sqsSse = resolver.get(r, 'SqsManagedSseEnabled');
      whenAbsent = sqsSse.every((a) => boolOf(a) === false)
        ? 'KmsMasterKeyId is not set and SqsManagedSseEnabled is false: the queue stores messages unencrypted'
        : 'KmsMasterKeyId is not set: SQS encrypts with SQS-managed keys (SSE-SQS), not a customer-managed KMS key';
    } else {
      whenAbsent = 'KmsMasterKeyId is not set: SNS stores the topic\'s messages without server-side encryption under a customer-managed key';
    }
    return customerManagedKeyIssues(r, resolver.get(r, 'KmsMasterKeyId'), 'KmsMasterKeyId', { what: 'KmsMasterKeyId', whenAbsent });
  },
};
