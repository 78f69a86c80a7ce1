import { App, Duration, SecretValue, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'SecretsUseCmkAndRotation';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const ROTATION = { Type: 'AWS::SecretsManager::RotationSchedule', Properties: { SecretId: { Ref: 'S' }, RotationLambdaARN: 'arn:aws:lambda:eu-central-1:111122223333:function:rotate', RotationRules: { AutomaticallyAfterDays: 30 } } };

function secret(props: Record<string, unknown>, more: Record<string, unknown> = { R: ROTATION }, extra: Record<string, unknown> = COND) {
  return template({ S: { Type: 'AWS::SecretsManager::Secret', Properties: { KmsKeyId: 'arn:aws:kms:eu-central-1:111122223333:key/1234', GenerateSecretString: {}, ...props } }, ...(more as object) } as never, extra);
}

describe('SRM-IIP-APP-04: secrets use a customer-managed key, rotate, and hold no literal value', () => {
  it('is exported from the package root, with its judgements', () => {
    expect(kit.SecretsUseCmkAndRotation.controlId).toBe('SRM-IIP-APP-04');
    expect(kit.APPLICATION_RULES).toContain(kit.SecretsUseCmkAndRotation);
    expect(kit.isAwsManagedKeyReference('alias/aws/secretsmanager')).toBe(true);
    expect(kit.isAwsManagedKeyReference('arn:aws:kms:eu-central-1:111122223333:alias/aws/secretsmanager')).toBe(true);
    expect(kit.isAwsManagedKeyReference('alias/plant-secrets')).toBe(false);
    expect(kit.literalSecretKeys('{"username":"admin","password":"x"}')).toEqual(['password']);
    expect(kit.literalSecretKeys('{"host":"${Db.Endpoint}","password":"${Pw}"}')).toEqual([]);
    expect(kit.literalSecretKeys('not json')).toBeUndefined();
  });

  describe('Noncompliance', () => {
    it('1: an L2 secret with the AWS managed key and no rotation', () => {
      const stack = new Stack(new App(), 'S');
      new secretsmanager.Secret(stack, 'Db');
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(2);
      expect(fs.every((f) => f.controlId === 'SRM-IIP-APP-04' && f.ruleId === RULE && f.kind === 'violation')).toBe(true);
      expect(fs.map((f) => f.message)).toEqual(expect.arrayContaining([expect.stringContaining('aws/secretsmanager'), expect.stringContaining('has no AWS::SecretsManager::RotationSchedule')]));
    });

    it('2: an L2 secret with a literal value', () => {
      const stack = new Stack(new App(), 'S');
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      const s = new secretsmanager.Secret(stack, 'Api', { encryptionKey: key, secretStringValue: SecretValue.unsafePlainText('abc123') });
      s.addRotationSchedule('Rotate', { hostedRotation: secretsmanager.HostedRotation.mysqlSingleUser(), automaticallyAfter: Duration.days(30) });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', location: 'SecretString', message: expect.stringContaining('SecretString is a literal') }]);
    });

    it('3: KmsKeyId alias/aws/secretsmanager, and a JSON SecretString with a literal password next to a reference', () => {
      expect(findings(secret({ KmsKeyId: 'alias/aws/secretsmanager' }), RULE)).toMatchObject([{ kind: 'violation', location: 'KmsKeyId' }]);
      const t = secret({ GenerateSecretString: undefined, SecretString: { 'Fn::Sub': '{"host":"${AWS::Region}.db","password":"hunter2"}' } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', location: 'SecretString', message: expect.stringContaining('writes password literally') }]);
    });

    it('4: the key is AWS managed in one Fn::If branch', () => {
      expect(findings(secret({ KmsKeyId: { 'Fn::If': ['Prod', 'alias/plant', { Ref: 'AWS::NoValue' }] } }), RULE)).toMatchObject([{ kind: 'violation', location: 'KmsKeyId' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 secret with a customer-managed key and a rotation schedule', () => {
      const stack = new Stack(new App(), 'S');
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      const s = new secretsmanager.Secret(stack, 'Db', { encryptionKey: key });
      s.addRotationSchedule('Rotate', { hostedRotation: secretsmanager.HostedRotation.mysqlSingleUser(), automaticallyAfter: Duration.days(30) });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('every Fn::If branch uses a customer key; SecretString from a dynamic reference', () => {
      expect(findings(secret({ KmsKeyId: { 'Fn::If': ['Prod', 'alias/plant', 'arn:aws:kms:eu-central-1:111122223333:key/1'] } }), RULE)).toEqual([]);
      expect(findings(secret({ GenerateSecretString: undefined, SecretString: '{{resolve:secretsmanager:other}}' }), RULE)).toEqual([]);
    });

    it('a rotation schedule in another stack', () => {
      const secrets = secret({}, {}, { Outputs: { S: { Value: { Ref: 'S' }, Export: { Name: 'Secrets-Db' } } } });
      const rotation = template({ R: { ...ROTATION, Properties: { ...ROTATION.Properties, SecretId: { 'Fn::ImportValue': 'Secrets-Db' } } } });
      expect(runOnTemplates([secrets, rotation], RULE).findings).toEqual([]);
      expect(runOnTemplates([secrets], RULE).findings).toMatchObject([{ kind: 'violation', message: expect.stringContaining('RotationSchedule') }]);
    });
  });

  describe('Unresolvable values', () => {
    it('a KMS key from a parameter is unverifiable; a rotation under a condition does not prove rotation', () => {
      const t = secret({ KmsKeyId: { Ref: 'Key' } }, { R: { ...ROTATION, Condition: 'Prod' } }, { ...COND, Parameters: { ...COND.Parameters, Key: { Type: 'String' } } });
      const fs = findings(t, RULE);
      expect(fs.map((f) => f.kind)).toEqual(['unverifiable', 'unverifiable']);
      expect(fs.map((f) => f.message)).toEqual([expect.stringContaining('parameter Key'), expect.stringContaining('only under a condition')]);
    });
  });
});
