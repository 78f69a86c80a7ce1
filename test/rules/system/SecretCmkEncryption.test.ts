import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';

const RULE = 'SecretCmkEncryption';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

describe('SRM-IIP-SYS-01: Secrets Manager secrets encrypt with a customer-managed KMS key', () => {
  it('is exported from the package root', () => {
    expect(kit.SecretCmkEncryption.controlId).toBe('SRM-IIP-SYS-01');
  });

  describe('Noncompliance', () => {
    it('1: an L2 secret with the default key', () => {
      const stack = new Stack(new App(), 'S');
      new secretsmanager.Secret(stack, 'Sec');
      expect(findingsForApp(stack, RULE)).toMatchObject([
        { controlId: 'SRM-IIP-SYS-01', ruleId: RULE, kind: 'violation', resourceType: 'AWS::SecretsManager::Secret', message: expect.stringContaining('aws/secretsmanager') },
      ]);
    });

    it('2: an L1 secret naming the AWS managed alias', () => {
      expect(findings(template({ S: { Type: 'AWS::SecretsManager::Secret', Properties: { KmsKeyId: 'alias/aws/secretsmanager' } } }), RULE)).toMatchObject([{ kind: 'violation' }]);
    });

    it('3: one Fn::If branch uses the AWS managed alias', () => {
      const t = template({ K: { Type: 'AWS::KMS::Key' }, S: { Type: 'AWS::SecretsManager::Secret', Properties: { KmsKeyId: { 'Fn::If': ['Prod', { Ref: 'K' }, 'alias/aws/secretsmanager'] } } } }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 secret with a key of another stack', () => {
      const app = new App();
      const key = new kms.Key(new Stack(app, 'Keys'), 'K');
      new secretsmanager.Secret(new Stack(app, 'App'), 'Sec', { encryptionKey: key });
      expect(findingsForApp(app, RULE)).toEqual([]);
    });

    it('every Fn::If branch names a key', () => {
      const t = template({ K: { Type: 'AWS::KMS::Key' }, S: { Type: 'AWS::SecretsManager::Secret', Properties: { KmsKeyId: { 'Fn::If': ['Prod', { Ref: 'K' }, 'alias/db-secrets'] } } } }, COND);
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a key from a parameter is unverifiable', () => {
      const t = template({ S: { Type: 'AWS::SecretsManager::Secret', Properties: { KmsKeyId: { Ref: 'K' } } } }, { Parameters: { K: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable' }]);
    });
  });
});
