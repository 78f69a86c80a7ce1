import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';

const RULE = 'IamNoAdministratorAccess';
const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
const role = (ManagedPolicyArns: unknown) => ({ Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: trust, ManagedPolicyArns } });

describe('SRM-IIP-ACC-01: no role, user or group has AdministratorAccess attached', () => {
  it('is exported from the package root', () => {
    expect(kit.IamNoAdministratorAccess.controlId).toBe('SRM-IIP-ACC-01');
    expect(kit.isAdministratorAccessArn('arn:aws-us-gov:iam::aws:policy/AdministratorAccess')).toBe(true);
    expect(kit.isAdministratorAccessArn('arn:aws:iam::aws:policy/AdministratorAccess-Amplify')).toBe(false);
    expect(kit.isAdministratorAccessArn('arn:aws:iam::aws:policy/ReadOnlyAccess')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 role with the AWS managed AdministratorAccess policy', () => {
      const stack = new Stack(new App(), 'S');
      new iam.Role(stack, 'Ops', { assumedBy: new iam.AccountRootPrincipal(), managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')] });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-ACC-01', ruleId: RULE, kind: 'violation', resourceType: 'AWS::IAM::Role', location: 'ManagedPolicyArns.0' });
      expect(fs[0].message).toContain('Role has the AdministratorAccess managed policy attached');
    });

    it('2: an L1 user and group with a literal ARN', () => {
      const t = template({
        U: { Type: 'AWS::IAM::User', Properties: { ManagedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/AdministratorAccess'] } },
        G: { Type: 'AWS::IAM::Group', Properties: { ManagedPolicyArns: [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess' }] } },
      });
      expect(findings(t, RULE)).toMatchObject([
        { logicalId: 'U', kind: 'violation', location: 'ManagedPolicyArns.1', message: expect.stringContaining('User has') },
        { logicalId: 'G', kind: 'violation', message: expect.stringContaining('Group has') },
      ]);
    });

    it('3: one branch of Fn::If attaches AdministratorAccess', () => {
      const t = template(
        { R: role([{ 'Fn::If': ['Prod', 'arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/AdministratorAccess'] }]) },
        { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } },
      );
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('a CDK Lambda-style role with AWSLambdaBasicExecutionRole and a customer managed policy', () => {
      const stack = new Stack(new App(), 'S');
      const mp = new iam.ManagedPolicy(stack, 'Mp', { statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] })] });
      new iam.Role(stack, 'R', {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole'), mp],
      });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('every branch of Fn::If is a narrow policy, and a partly known ARN naming another policy', () => {
      const t = template(
        {
          R: role([
            { 'Fn::If': ['Prod', 'arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/SecurityAudit'] },
            { 'Fn::Sub': ['arn:${AWS::Partition}:iam::${Acct}:policy/Team', { Acct: { Ref: 'Acct' } }] },
          ]),
        },
        { Parameters: { Env: { Type: 'String' }, Acct: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } },
      );
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a managed policy ARN from a parameter is unverifiable', () => {
      const t = template({ R: role([{ Ref: 'PolicyArn' }]) }, { Parameters: { PolicyArn: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', location: 'ManagedPolicyArns.0', message: expect.stringContaining('parameter PolicyArn') }]);
    });
  });
});
