import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';

const RULE = 'IamTrustPolicyNotPublic';
const role = (...Statement: unknown[]) => template({ R: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement } } } });

describe('SRM-IIP-ACC-02: no role trust policy trusts `*` without an organization or account condition', () => {
  it('is exported from the package root', () => {
    expect(kit.IamTrustPolicyNotPublic.controlId).toBe('SRM-IIP-ACC-02');
  });

  describe('Noncompliance', () => {
    it('1: an L2 role assumed by AnyPrincipal', () => {
      const stack = new Stack(new App(), 'S');
      new iam.Role(stack, 'Open', { assumedBy: new iam.AnyPrincipal() });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-ACC-02', ruleId: RULE, kind: 'violation', resourceType: 'AWS::IAM::Role', location: 'AssumeRolePolicyDocument' });
      expect(fs[0].message).toContain("trust policy statement #1 allows Principal AWS '*' without an organization");
    });

    it('2: Principal "*" with only an ExternalId condition', () => {
      const fs = findings(role({ Sid: 'Any', Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'x' } } }), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining("statement 'Any' allows Principal '*'") }]);
    });

    it('3: Allow with NotPrincipal', () => {
      const fs = findings(role({ Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole' }), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining('NotPrincipal') }]);
    });

    it('4: one branch of Fn::If trusts `*`', () => {
      const t = template(
        {
          R: {
            Type: 'AWS::IAM::Role',
            Properties: { AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { AWS: { 'Fn::If': ['Open', '*', { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' }] } }, Action: 'sts:AssumeRole' }] } },
          },
        },
        { Parameters: { Env: { Type: 'String' } }, Conditions: { Open: { 'Fn::Equals': [{ Ref: 'Env' }, 'dev'] } } },
      );
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('service, account and organization-scoped trusts', () => {
      const stack = new Stack(new App(), 'S');
      new iam.Role(stack, 'Svc', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      new iam.Role(stack, 'Acct', { assumedBy: new iam.AccountRootPrincipal() });
      new iam.Role(stack, 'Org', { assumedBy: new iam.OrganizationPrincipal('o-abc123def45') });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('`*` scoped by aws:PrincipalAccount in every branch, and Deny to `*`', () => {
      const fs = findings(
        role(
          { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalAccount': ['111122223333'] } } },
          { Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
        ),
        RULE,
      );
      expect(fs).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a principal from a parameter is unverifiable', () => {
      const t = template(
        { R: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { AWS: { Ref: 'Who' } }, Action: 'sts:AssumeRole' }] } } } },
        { Parameters: { Who: { Type: 'String' } } },
      );
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Who') }]);
    });

    it('a condition from a parameter on a `*` trust is unverifiable', () => {
      const t = template(
        { R: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Condition: { Ref: 'Cond' } }] } } } },
        { Parameters: { Cond: { Type: 'String' } } },
      );
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('Condition cannot be resolved') }]);
    });
  });
});
