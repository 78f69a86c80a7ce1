import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'LogGroupCmkEncryption';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const lg = (p: Record<string, unknown> = {}) => ({ Type: 'AWS::Logs::LogGroup', Properties: p });

describe('SRM-IIP-SYS-01: CloudWatch log groups encrypt with a customer-managed KMS key', () => {
  it('is exported from the package root', () => {
    expect(kit.LogGroupCmkEncryption.controlId).toBe('SRM-IIP-SYS-01');
  });

  describe('Noncompliance', () => {
    it('1: an L2 log group without a key', () => {
      const stack = new Stack(new App(), 'S');
      new logs.LogGroup(stack, 'L');
      expect(findingsForApp(stack, RULE)).toMatchObject([
        { controlId: 'SRM-IIP-SYS-01', ruleId: RULE, kind: 'violation', location: 'KmsKeyId', message: expect.stringContaining('key the service owns') },
      ]);
    });

    it('2: an L1 log group whose KmsKeyId is an S3 bucket', () => {
      const t = template({ B: { Type: 'AWS::S3::Bucket' }, L: lg({ KmsKeyId: { 'Fn::GetAtt': ['B', 'Arn'] } }) });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('not a KMS key') }]);
    });

    it('3: one branch of Fn::If has no key', () => {
      const t = template({ K: { Type: 'AWS::KMS::Key' }, L: lg({ KmsKeyId: { 'Fn::If': ['Prod', { 'Fn::GetAtt': ['K', 'Arn'] }, { Ref: 'AWS::NoValue' }] } }) }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 log group with a key of another stack', () => {
      const app = new App();
      const key = new kms.Key(new Stack(app, 'Keys'), 'K');
      new logs.LogGroup(new Stack(app, 'Logs'), 'L', { encryptionKey: key });
      expect(findingsForApp(app, RULE)).toEqual([]);
    });

    it('a raw import and both Fn::If branches with keys', () => {
      const keys = template({ K: { Type: 'AWS::KMS::Key' } }, { Outputs: { A: { Value: { 'Fn::GetAtt': ['K', 'Arn'] }, Export: { Name: 'log-key' } } } });
      const t = template({ K2: { Type: 'AWS::KMS::Key' }, L: lg({ KmsKeyId: { 'Fn::If': ['Prod', { 'Fn::ImportValue': 'log-key' }, { 'Fn::GetAtt': ['K2', 'Arn'] }] } }) }, COND);
      expect(runOnTemplates([keys, t], RULE).findings).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a key ARN assembled from a parameter is unverifiable', () => {
      const t = template({ L: lg({ KmsKeyId: { 'Fn::Sub': 'arn:aws:kms:eu-central-1:111122223333:key/${KeyId}' } }) }, { Parameters: { KeyId: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter KeyId') }]);
    });
  });
});
