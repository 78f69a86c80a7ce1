import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'S3BucketCmkEncryption';
const KEY = { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } };
const bucket = (rule: Record<string, unknown>) => ({
  Type: 'AWS::S3::Bucket',
  Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: rule }] } },
});
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

describe('SRM-IIP-SYS-01: S3 buckets encrypt by default under a customer-managed KMS key', () => {
  it('is exported from the package root with its judgement', () => {
    expect(kit.S3BucketCmkEncryption.controlId).toBe('SRM-IIP-SYS-01');
    expect(kit.isKmsSseAlgorithm('aws:kms:dsse')).toBe(true);
    expect(kit.isKmsSseAlgorithm('AES256')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 bucket with default settings (SSE-S3)', () => {
      const stack = new Stack(new App(), 'S');
      new s3.Bucket(stack, 'B');
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-SYS-01', ruleId: RULE, kind: 'violation', resourceType: 'AWS::S3::Bucket', location: 'BucketEncryption' });
      expect(fs[0].message).toContain('SSE-S3');
    });

    it('2: an L2 bucket with KMS_MANAGED (the AWS managed key aws/s3)', () => {
      const stack = new Stack(new App(), 'S');
      new s3.Bucket(stack, 'B', { encryption: s3.BucketEncryption.KMS_MANAGED });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('aws/s3') }]);
    });

    it('3: an L1 bucket with AES256', () => {
      const fs = findings(template({ B: bucket({ SSEAlgorithm: 'AES256' }) }), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', location: 'BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault.SSEAlgorithm' }]);
      expect(fs[0].message).toContain("'AES256'");
    });

    it('4: KMSMasterKeyID is the AWS managed alias', () => {
      const fs = findings(template({ B: bucket({ SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/aws/s3' }) }), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining("AWS managed key 'alias/aws/s3'") }]);
    });

    it('5: KMSMasterKeyID refers to a resource that is not a key', () => {
      const fs = findings(template({ T: { Type: 'AWS::SNS::Topic' }, B: bucket({ SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { Ref: 'T' } }) }), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining('a AWS::SNS::Topic, not a KMS key') }]);
    });

    it('6: one branch of Fn::If uses SSE-S3', () => {
      const t = template({ K: KEY, B: bucket({ SSEAlgorithm: { 'Fn::If': ['Prod', 'aws:kms', 'AES256'] }, KMSMasterKeyID: { 'Fn::GetAtt': ['K', 'Arn'] } }) }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation' }]);
    });

    it('7: an empty encryption rule list', () => {
      const t = template({ B: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [] } } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('is empty') }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 bucket with its own KMS key', () => {
      const stack = new Stack(new App(), 'S');
      new s3.Bucket(stack, 'B', { encryption: s3.BucketEncryption.KMS });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('an L2 bucket with DSSE-KMS and a given key', () => {
      const stack = new Stack(new App(), 'S');
      new s3.Bucket(stack, 'B', { encryption: s3.BucketEncryption.DSSE, encryptionKey: new kms.Key(stack, 'K') });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('a key ARN text, a customer alias, and a Ref to an alias of an app key', () => {
      const t = template({
        K: KEY,
        A: { Type: 'AWS::KMS::Alias', Properties: { AliasName: 'alias/data', TargetKeyId: { Ref: 'K' } } },
        B1: bucket({ SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' }),
        B2: bucket({ SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/data' }),
        B3: bucket({ SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { Ref: 'A' } }),
        B4: bucket({ SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::Sub': 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/1234abcd-12ab-34cd-56ef-1234567890ab' } }),
      });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('every branch of Fn::If names a customer-managed key', () => {
      const t = template({ K: KEY, K2: KEY, B: bucket({ SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::If': ['Prod', { 'Fn::GetAtt': ['K', 'Arn'] }, { Ref: 'K2' }] } }) }, COND);
      expect(findings(t, RULE)).toEqual([]);
    });

    it('a key in another stack of the app (cross-stack reference)', () => {
      const app = new App();
      const keys = new Stack(app, 'Keys');
      const key = new kms.Key(keys, 'K');
      const data = new Stack(app, 'Data');
      new s3.Bucket(data, 'B', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
      expect(findingsForApp(app, RULE)).toEqual([]);
    });

    it('a raw import of a key exported by another template', () => {
      const keys = template({ K: KEY }, { Outputs: { KeyArn: { Value: { 'Fn::GetAtt': ['K', 'Arn'] }, Export: { Name: 'data-key' } } } });
      const data = template({ B: bucket({ SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::ImportValue': 'data-key' } }) });
      expect(runOnTemplates([keys, data], RULE).findings).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a key ARN from a parameter is unverifiable, never passed', () => {
      const t = template({ B: bucket({ SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { Ref: 'KeyArn' } }) }, { Parameters: { KeyArn: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', location: expect.stringContaining('KMSMasterKeyID'), message: expect.stringContaining('parameter KeyArn') }]);
    });

    it('an import that no stack of the app exports is unverifiable', () => {
      const t = template({ B: bucket({ SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::ImportValue': 'elsewhere' } }) });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('elsewhere') }]);
    });

    it('odd shapes never throw', () => {
      for (const be of ['x', 42, null, [], { ServerSideEncryptionConfiguration: 'nope' }, { ServerSideEncryptionConfiguration: [null, 'x', { ServerSideEncryptionByDefault: 7 }] }]) {
        const fs = findings(template({ B: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: be } } }), RULE);
        expect(fs.length).toBeGreaterThan(0);
        expect(fs.every((f) => !f.message.includes('could not read'))).toBe(true);
      }
    });
  });
});
