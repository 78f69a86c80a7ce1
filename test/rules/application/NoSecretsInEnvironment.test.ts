import { App, SecretValue, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';

const RULE = 'NoSecretsInEnvironment';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

function fn(stack: Stack, environment: Record<string, string>) {
  return new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>{}'), environment });
}

function l1Function(variables: unknown, extra: Record<string, unknown> = COND) {
  return template({ F: { Type: 'AWS::Lambda::Function', Properties: { Role: 'arn:aws:iam::111122223333:role/r', Code: { ZipFile: 'x' }, Environment: { Variables: variables } } } }, extra);
}

describe('SRM-IIP-APP-04: environment variables named like secrets carry no literal value', () => {
  it('is exported from the package root, with its judgements', () => {
    expect(kit.NoSecretsInEnvironment.controlId).toBe('SRM-IIP-APP-04');
    expect(kit.APPLICATION_RULES).toContain(kit.NoSecretsInEnvironment);
    for (const n of ['DB_PASSWORD', 'apiKey', 'API-KEY', 'GITHUB_TOKEN', 'private_key', 'CLIENT_SECRET', 'Credentials', 'DB_PWD']) expect(kit.isSecretName(n), n).toBe(true);
    for (const n of ['DB_PASSWORD_SECRET_ARN', 'TOKEN_TABLE', 'API_KEY_PARAM', 'TABLE_NAME', 'SECRET_ID', 'PWD', 'SecretsManagerDomainCredentialsSecretsKMSKey']) expect(kit.isSecretName(n), n).toBe(false);
    expect(kit.isLiteralSecretValue('hunter2')).toBe(true);
    expect(kit.isLiteralSecretValue('{{resolve:secretsmanager:db:SecretString:password}}')).toBe(false);
    expect(kit.isLiteralSecretValue('{{resolve:ssm:/db/password}}')).toBe(true);
    expect(kit.isLiteralSecretValue('')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 Lambda function with a literal password', () => {
      const stack = new Stack(new App(), 'S');
      fn(stack, { DB_PASSWORD: 'hunter2', TABLE_NAME: 'orders' });
      expect(findingsForApp(stack, RULE)).toMatchObject([
        { controlId: 'SRM-IIP-APP-04', ruleId: RULE, kind: 'violation', location: 'Environment.Variables.DB_PASSWORD', message: expect.stringContaining('DB_PASSWORD holds a literal value') },
      ]);
    });

    it('2: an L2 ECS container with a literal API key', () => {
      const stack = new Stack(new App(), 'S');
      const task = new ecs.FargateTaskDefinition(stack, 'Task');
      task.addContainer('app', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/x/y'), environment: { API_KEY: 'abc123', MODE: 'prod' } });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', resourceType: 'AWS::ECS::TaskDefinition', message: expect.stringContaining('container app environment variable API_KEY') }]);
    });

    it('3: a plain-text SSM dynamic reference', () => {
      expect(findings(l1Function({ TOKEN: '{{resolve:ssm:/app/token}}' }), RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('plain-text SSM parameter') }]);
    });

    it('4: a literal in one Fn::If branch', () => {
      expect(findings(l1Function({ CLIENT_SECRET: { 'Fn::If': ['Prod', '{{resolve:secretsmanager:app:SecretString:client}}', 'dev-secret'] } }), RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('L2 function and container taking secrets from Secrets Manager', () => {
      const stack = new Stack(new App(), 'S');
      const secret = new secretsmanager.Secret(stack, 'Db');
      fn(stack, { DB_PASSWORD_SECRET_ARN: secret.secretArn, DB_PASSWORD: SecretValue.secretsManager('db', { jsonField: 'password' }).unsafeUnwrap() });
      const task = new ecs.FargateTaskDefinition(stack, 'Task');
      task.addContainer('app', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/x/y'), secrets: { API_KEY: ecs.Secret.fromSecretsManager(secret) } });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('every Fn::If branch is a reference; parameters are left to the parameter rule', () => {
      expect(findings(l1Function({ PASSWORD: { 'Fn::If': ['Prod', '{{resolve:secretsmanager:a}}', '{{resolve:ssm-secure:/b}}'] }, TOKEN: { Ref: 'Env' }, DB_PWD: '', PWD: '/app' }), RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('an environment map from a macro is unverifiable', () => {
      const t = template({ F: { Type: 'AWS::Lambda::Function', Properties: { Role: 'r', Code: { ZipFile: 'x' }, Environment: { Variables: { 'Fn::Transform': { Name: 'M' } } } } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', location: 'Environment.Variables' }]);
    });
  });
});
