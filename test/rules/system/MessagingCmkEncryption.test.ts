import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';

const RULE = 'MessagingCmkEncryption';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

describe('SRM-IIP-SYS-01: SQS queues and SNS topics encrypt with a customer-managed KMS key', () => {
  it('is exported from the package root with the shared key judgement', () => {
    expect(kit.MessagingCmkEncryption.controlId).toBe('SRM-IIP-SYS-01');
    expect(kit.isCustomerManagedKeyRef('alias/aws/sqs')).toBe(false);
    expect(kit.isCustomerManagedKeyRef('arn:aws:kms:eu-central-1:111122223333:alias/aws/sns')).toBe(false);
    expect(kit.isCustomerManagedKeyRef('alias/orders')).toBe(true);
    expect(kit.isCustomerManagedKeyRef('1234abcd-12ab-34cd-56ef-1234567890ab')).toBe(true);
    expect(kit.isCustomerManagedKeyRef('arn:aws:kms:eu-central-1:111122223333:key/${KeyId}')).toBeUndefined();
    expect(kit.isCustomerManagedKeyRef('my-bucket')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 queue with default settings (SSE-SQS)', () => {
      const stack = new Stack(new App(), 'S');
      new sqs.Queue(stack, 'Q');
      const fs = findingsForApp(stack, RULE);
      expect(fs).toMatchObject([{ controlId: 'SRM-IIP-SYS-01', ruleId: RULE, kind: 'violation', resourceType: 'AWS::SQS::Queue', location: 'KmsMasterKeyId' }]);
      expect(fs[0].message).toContain('SSE-SQS');
    });

    it('2: an L2 queue with the AWS managed key alias/aws/sqs', () => {
      const stack = new Stack(new App(), 'S');
      new sqs.Queue(stack, 'Q', { encryption: sqs.QueueEncryption.KMS_MANAGED });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining("'alias/aws/sqs'") }]);
    });

    it('3: an L2 topic without a key', () => {
      const stack = new Stack(new App(), 'S');
      new sns.Topic(stack, 'T');
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', resourceType: 'AWS::SNS::Topic', message: expect.stringContaining('KmsMasterKeyId is not set') }]);
    });

    it('4: an L1 topic with alias/aws/sns', () => {
      expect(findings(template({ T: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: 'alias/aws/sns' } } }), RULE)).toMatchObject([{ kind: 'violation' }]);
    });

    it('5: an L1 queue with SSE switched off altogether', () => {
      expect(findings(template({ Q: { Type: 'AWS::SQS::Queue', Properties: { SqsManagedSseEnabled: false } } }), RULE)).toMatchObject([
        { kind: 'violation', message: expect.stringContaining('unencrypted') },
      ]);
    });

    it('6: one branch of Fn::If drops the key', () => {
      const t = template({ K: { Type: 'AWS::KMS::Key' }, Q: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: { 'Fn::If': ['Prod', { Ref: 'K' }, { Ref: 'AWS::NoValue' }] } } } }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 queue and topic with a key of another stack', () => {
      const app = new App();
      const key = new kms.Key(new Stack(app, 'Keys'), 'K');
      const stack = new Stack(app, 'Msg');
      new sqs.Queue(stack, 'Q', { encryptionMasterKey: key });
      new sns.Topic(stack, 'T', { masterKey: key });
      expect(findingsForApp(app, RULE)).toEqual([]);
    });

    it('every branch of Fn::If names a customer-managed key', () => {
      const t = template({ K: { Type: 'AWS::KMS::Key' }, T: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: { 'Fn::If': ['Prod', { Ref: 'K' }, 'alias/orders'] } } } }, COND);
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a key from a parameter is unverifiable', () => {
      const t = template({ Q: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: { Ref: 'K' } } } }, { Parameters: { K: { Type: 'String', Default: 'alias/orders' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter K') }]);
    });
  });
});
