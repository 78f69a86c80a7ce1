import { App, Stack } from 'aws-cdk-lib';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'StreamCmkEncryption';
const ENV = { env: { account: '111122223333', region: 'eu-central-1' } };
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const FIREHOSE = 'AWS::KinesisFirehose::DeliveryStream';

describe('SRM-IIP-SYS-01: Kinesis and Firehose streams encrypt at rest with a customer-managed KMS key', () => {
  it('is exported from the package root with its judgement', () => {
    expect(kit.StreamCmkEncryption.controlId).toBe('SRM-IIP-SYS-01');
    expect(kit.isCustomerManagedFirehoseKeyType('CUSTOMER_MANAGED_CMK')).toBe(true);
    expect(kit.isCustomerManagedFirehoseKeyType('AWS_OWNED_CMK')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 stream with default encryption (alias/aws/kinesis)', () => {
      const stack = new Stack(new App(), 'S', ENV);
      new kinesis.Stream(stack, 'K');
      const fs = findingsForApp(stack, RULE);
      expect(fs).toMatchObject([{ controlId: 'SRM-IIP-SYS-01', ruleId: RULE, kind: 'violation', location: 'StreamEncryption.KeyId' }]);
      expect(fs[0].message).toContain("AWS managed key 'alias/aws/kinesis'");
    });

    it('2: an env-agnostic L2 stream: the unsupported-region branch is unencrypted', () => {
      const stack = new Stack(new App(), 'S');
      new kinesis.Stream(stack, 'K');
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('StreamEncryption is not set') }]);
    });

    it('3: an L2 delivery stream with an AWS owned key', () => {
      const stack = new Stack(new App(), 'S', ENV);
      new firehose.DeliveryStream(stack, 'D', { destination: new firehose.S3Bucket(new s3.Bucket(stack, 'B')), encryption: firehose.StreamEncryption.awsOwnedKey() });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', resourceType: FIREHOSE, message: expect.stringContaining('not CUSTOMER_MANAGED_CMK') }]);
    });

    it('4: an L1 direct-put delivery stream without encryption', () => {
      expect(findings(template({ D: { Type: FIREHOSE, Properties: { DeliveryStreamType: 'DirectPut' } } }), RULE)).toMatchObject([
        { kind: 'violation', message: expect.stringContaining('DeliveryStreamEncryptionConfigurationInput is not set') },
      ]);
    });

    it('5: one branch of Fn::If uses the AWS managed alias', () => {
      const t = template({ K: { Type: 'AWS::KMS::Key' }, S: { Type: 'AWS::Kinesis::Stream', Properties: { StreamEncryption: { EncryptionType: 'KMS', KeyId: { 'Fn::If': ['Prod', { Ref: 'K' }, 'alias/aws/kinesis'] } } } } }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 stream and an L2 delivery stream with their own keys', () => {
      const stack = new Stack(new App(), 'S', ENV);
      const key = new kms.Key(stack, 'Key');
      new kinesis.Stream(stack, 'K', { encryption: kinesis.StreamEncryption.KMS, encryptionKey: key });
      new firehose.DeliveryStream(stack, 'D', { destination: new firehose.S3Bucket(new s3.Bucket(stack, 'B')), encryption: firehose.StreamEncryption.customerManagedKey(key) });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('a delivery stream reading from a Kinesis stream of another stack takes that stream\'s encryption', () => {
      const app = new App();
      const a = new Stack(app, 'A', ENV);
      const source = new kinesis.Stream(a, 'K', { encryption: kinesis.StreamEncryption.KMS, encryptionKey: new kms.Key(a, 'Key') });
      const b = new Stack(app, 'B', ENV);
      new firehose.DeliveryStream(b, 'D', { source: new firehose.KinesisStreamSource(source), destination: new firehose.S3Bucket(new s3.Bucket(b, 'Bk')) });
      expect(findingsForApp(app, RULE)).toEqual([]);
    });

    it('every Fn::If branch names an app key (raw, cross-template)', () => {
      const keys = template({ K: { Type: 'AWS::KMS::Key' } }, { Outputs: { A: { Value: { Ref: 'K' }, Export: { Name: 'k' } } } });
      const t = template(
        { K2: { Type: 'AWS::KMS::Key' }, S: { Type: 'AWS::Kinesis::Stream', Properties: { StreamEncryption: { EncryptionType: 'KMS', KeyId: { 'Fn::If': ['Prod', { Ref: 'K2' }, { 'Fn::ImportValue': 'k' }] } } } } },
        COND,
      );
      expect(runOnTemplates([keys, t], RULE).findings).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a key ARN from a parameter is unverifiable', () => {
      const t = template(
        { D: { Type: FIREHOSE, Properties: { DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: { Ref: 'KeyArn' } } } } },
        { Parameters: { KeyArn: { Type: 'String' } } },
      );
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter KeyArn') }]);
    });

    it('a source stream outside the app is unverifiable', () => {
      const t = template({
        D: { Type: FIREHOSE, Properties: { DeliveryStreamType: 'KinesisStreamAsSource', KinesisStreamSourceConfiguration: { KinesisStreamARN: 'arn:aws:kinesis:eu-central-1:111122223333:stream/x', RoleARN: 'r' } } },
      });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('not part of the app') }]);
    });
  });
});
