import type { ResourceHandle } from '../engine/model';
import { judgeAlts, RuleIssue, SrmIipRule } from '../engine/rule';
import { describe, stringOf, Verdict } from '../engine/values';
import { customerManagedKeyIssues } from './kms-keys';
import { dedupeIssues } from './support';

/** Firehose key type that names a customer-managed key (`AWS_OWNED_CMK`, the default, does not). */
export function isCustomerManagedFirehoseKeyType(keyType: string | undefined): boolean {
  return keyType === 'CUSTOMER_MANAGED_CMK';
}

/**
 * SRM-IIP-SYS-01 for streams: Kinesis data streams use KMS encryption with a
 * customer-managed key (not `alias/aws/kinesis`); Firehose delivery streams
 * with direct PUT use `CUSTOMER_MANAGED_CMK` and a key ARN. A delivery stream
 * that reads from a Kinesis stream stores what the stream stores: it passes
 * when the stream is part of the app (the stream is checked itself).
 */
export const StreamCmkEncryption: SrmIipRule = {
  id: 'StreamCmkEncryption',
  controlId: 'SRM-IIP-SYS-01',
  summary: 'Kinesis data streams and Firehose delivery streams encrypt at rest with a customer-managed KMS key',
  resourceTypes: ['AWS::Kinesis::Stream', 'AWS::KinesisFirehose::DeliveryStream'],
  check(r) {
    return dedupeIssues(r.type === 'AWS::Kinesis::Stream' ? kinesisIssues(r) : firehoseIssues(r));
  },
};

function kinesisIssues(r: ResourceHandle): RuleIssue[] {
  const resolver = r.stack.resolver;
  const enc = resolver.get(r, 'StreamEncryption');
  const type = judgeAlts(
    r,
    resolver.path(r.stack, enc, ['EncryptionType']),
    'StreamEncryption.EncryptionType',
    (a): Verdict => (a.kind === 'value' ? (stringOf(a) === 'KMS' ? 'pass' : 'fail') : a.kind === 'absent' ? 'fail' : 'unknown'),
    (a) =>
      a.kind === 'absent'
        ? 'StreamEncryption is not set: the stream stores records unencrypted at rest'
        : `StreamEncryption.EncryptionType is ${describe(a)}, not KMS: the stream stores records unencrypted at rest`,
  );
  if (type.some((i) => i.kind === 'violation')) return type;
  return [
    ...type,
    ...customerManagedKeyIssues(r, resolver.path(r.stack, enc, ['KeyId']), 'StreamEncryption.KeyId', {
      what: 'StreamEncryption.KeyId',
      whenAbsent: 'StreamEncryption.KeyId is not set: a KMS-encrypted stream needs the key of a customer-managed key',
    }),
  ];
}

function firehoseIssues(r: ResourceHandle): RuleIssue[] {
  const resolver = r.stack.resolver;
  const issues: RuleIssue[] = [];
  const sourceArns = resolver.get(r, 'KinesisStreamSourceConfiguration', 'KinesisStreamARN');
  let directPut = false;
  for (const t of resolver.get(r, 'DeliveryStreamType')) {
    const type = stringOf(t);
    if (t.kind === 'unknown' || t.kind === 'ref') {
      issues.push({ resource: r, kind: 'unverifiable', location: 'DeliveryStreamType', message: `cannot verify where the delivery stream keeps its data: DeliveryStreamType is ${describe(t)}` });
    } else if (type === 'KinesisStreamAsSource' || (t.kind === 'absent' && sourceArns.some((a) => a.kind !== 'absent'))) {
      for (const a of sourceArns) {
        const target = a.kind === 'ref' ? r.stack.app.resource(a.stack, a.logicalId) : undefined;
        if (target?.type === 'AWS::Kinesis::Stream') continue;
        issues.push({
          resource: r,
          kind: 'unverifiable',
          location: 'KinesisStreamSourceConfiguration.KinesisStreamARN',
          message: `cannot verify encryption at rest: the delivery stream reads from the Kinesis stream ${describe(a)}, which is not part of the app, and its data is encrypted as that stream is`,
        });
      }
    } else if (type === 'MSKAsSource') {
      issues.push({
        resource: r,
        kind: 'unverifiable',
        location: 'DeliveryStreamType',
        message: 'cannot verify encryption at rest: the delivery stream reads from an Amazon MSK cluster, whose encryption at rest the SYS-01 rules do not read; attest it',
      });
    } else {
      directPut = true;
    }
  }
  if (!directPut) return issues;
  const cfg = resolver.get(r, 'DeliveryStreamEncryptionConfigurationInput');
  const keyType = judgeAlts(
    r,
    resolver.path(r.stack, cfg, ['KeyType']),
    'DeliveryStreamEncryptionConfigurationInput.KeyType',
    (a): Verdict => (a.kind === 'value' ? (isCustomerManagedFirehoseKeyType(stringOf(a)) ? 'pass' : 'fail') : a.kind === 'absent' ? 'fail' : 'unknown'),
    (a) =>
      cfg.some((c) => c.kind === 'absent')
        ? 'DeliveryStreamEncryptionConfigurationInput is not set: Firehose does not encrypt the buffered data under a customer-managed key'
        : a.kind === 'absent'
          ? 'DeliveryStreamEncryptionConfigurationInput.KeyType is not set: Firehose uses an AWS owned key (AWS_OWNED_CMK), not a customer-managed key'
          : `DeliveryStreamEncryptionConfigurationInput.KeyType is ${describe(a)}, not CUSTOMER_MANAGED_CMK`,
  );
  if (keyType.some((i) => i.kind === 'violation')) return [...issues, ...keyType];
  return [
    ...issues,
    ...keyType,
    ...customerManagedKeyIssues(r, resolver.path(r.stack, cfg, ['KeyARN']), 'DeliveryStreamEncryptionConfigurationInput.KeyARN', {
      what: 'DeliveryStreamEncryptionConfigurationInput.KeyARN',
      whenAbsent: 'DeliveryStreamEncryptionConfigurationInput.KeyARN is not set: CUSTOMER_MANAGED_CMK needs the ARN of a customer-managed key',
    }),
  ];
}
