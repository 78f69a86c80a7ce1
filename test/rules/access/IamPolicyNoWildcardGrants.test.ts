import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';

const RULE = 'IamPolicyNoWildcardGrants';
const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
const policy = (d: unknown, type = 'AWS::IAM::ManagedPolicy') => template({ P: { Type: type, Properties: { PolicyDocument: d } } });
const ifParams = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

describe('SRM-IIP-ACC-01: IAM policies grant no `*` actions, no service-wide actions on `*` and no iam:PassRole on `*`', () => {
  it('is exported from the package root with its judgements', () => {
    expect(kit.IamPolicyNoWildcardGrants.controlId).toBe('SRM-IIP-ACC-01');
    expect(kit.isAllActionsGrant('*:*')).toBe(true);
    expect(kit.isServiceWideGrant('s3:*')).toBe(true);
    expect(kit.isServiceWideGrant('s3:Get*')).toBe(false);
    expect(kit.grantsPassRole('iam:Pass*')).toBe(true);
    expect(kit.grantsPassRole('iam:GetRole')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 role given `*` on `*`', () => {
      const stack = new Stack(new App(), 'S');
      const role = new iam.Role(stack, 'Admin', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      role.addToPolicy(new iam.PolicyStatement({ actions: ['*'], resources: ['*'] }));
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-ACC-01', ruleId: RULE, kind: 'violation', resourceType: 'AWS::IAM::Policy', location: 'PolicyDocument' });
      expect(fs[0].message).toContain("grants all actions ('*')");
    });

    it('2: a managed policy with a service-wide action on all resources', () => {
      const fs = findings(policy(doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:*'], Resource: '*' })), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining("every action of a service ('s3:*') on all resources") }]);
    });

    it('3: an inline role policy with iam:PassRole on `*`', () => {
      const t = template({
        R: {
          Type: 'AWS::IAM::Role',
          Properties: {
            AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }),
            Policies: [
              { PolicyName: 'ok', PolicyDocument: doc({ Effect: 'Allow', Action: 'logs:CreateLogGroup', Resource: '*' }) },
              { PolicyName: 'pass', PolicyDocument: doc({ Sid: 'Pass', Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }) },
            ],
          },
        },
      });
      const fs = findings(t, RULE);
      expect(fs).toMatchObject([{ kind: 'violation', location: 'Policies.1.PolicyDocument', message: expect.stringContaining("statement 'Pass' grants 'iam:PassRole', which allows iam:PassRole, on all resources") }]);
    });

    it('4: Allow with NotAction', () => {
      const fs = findings(policy(doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }), 'AWS::IAM::Policy'), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining('NotAction with Allow') }]);
    });

    it('5: `iam:*` on `*` is one finding, not two', () => {
      const fs = findings(policy(doc({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }), 'AWS::IAM::RolePolicy'), RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0].message).toContain("every action of a service ('iam:*')");
      expect(fs[0].message).not.toContain('PassRole');
    });

    it('6: a user policy given as a JSON string with `*:*`', () => {
      const t = template({ U: { Type: 'AWS::IAM::UserPolicy', Properties: { PolicyDocument: JSON.stringify(doc({ Effect: 'Allow', Action: '*:*', Resource: 'arn:aws:s3:::b' })) } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', resourceType: 'AWS::IAM::UserPolicy', message: expect.stringContaining("all actions ('*:*')") }]);
    });

    it('7: a JSON policy built with Fn::Sub is read from its text', () => {
      const json = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"${AWS::Region}"}}}]}';
      const t = template({ G: { Type: 'AWS::IAM::GroupPolicy', Properties: { PolicyDocument: { 'Fn::Sub': json } } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining("'ec2:*'") }]);
    });

    it('8: iam:Pass* on `*` and Allow with NotResource', () => {
      const fs = findings(
        policy(doc({ Sid: 'A', Effect: 'Allow', Action: 'iam:Pass*', Resource: ['arn:aws:iam::111122223333:role/x', '*'] }, { Sid: 'B', Effect: 'Allow', Action: 'ec2:*', NotResource: 'arn:aws:ec2:*:*:instance/i-1' })),
        RULE,
      );
      expect(fs.map((f) => f.message)).toEqual([expect.stringContaining("statement 'A' grants 'iam:Pass*'"), expect.stringContaining("statement 'B' grants every action of a service ('ec2:*') on all resources")]);
    });

    it('9: one branch of Fn::If in the statement list grants `*`', () => {
      const t = template(
        { P: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: doc({ 'Fn::If': ['Prod', { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }, { Effect: 'Allow', Action: '*', Resource: '*' }] }) } } },
        ifParams,
      );
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining("all actions ('*')") }]);
    });

    it('10: one branch of Fn::If in the Resource is `*`', () => {
      const t = template(
        { P: { Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: doc({ Effect: 'Allow', Action: 'dynamodb:*', Resource: { 'Fn::If': ['Prod', 'arn:aws:dynamodb:eu-central-1:111122223333:table/t', '*'] } }) } } },
        ifParams,
      );
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('CDK grants on a bucket and a service-wide action on a named bucket', () => {
      const stack = new Stack(new App(), 'S');
      const bucket = new s3.Bucket(stack, 'B');
      const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
      bucket.grantReadWrite(role);
      role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: [bucket.bucketArn, bucket.arnForObjects('*')] }));
      role.addToPolicy(new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [role.roleArn] }));
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('Deny `*` on `*` and specific actions on `*`', () => {
      const fs = findings(policy(doc({ Effect: 'Deny', Action: '*', Resource: '*' }, { Effect: 'Allow', Action: ['cloudwatch:PutMetricData', 's3:List*'], Resource: '*' })), RULE);
      expect(fs).toEqual([]);
    });

    it('every branch of Fn::If is narrow', () => {
      const t = template(
        { P: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: doc({ Effect: 'Allow', Action: { 'Fn::If': ['Prod', 's3:GetObject', 's3:PutObject'] }, Resource: '*' }) } } },
        ifParams,
      );
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('an Action from a parameter is unverifiable', () => {
      const t = template({ P: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: doc({ Effect: 'Allow', Action: { Ref: 'Act' }, Resource: 'arn:aws:s3:::b' }) } } }, { Parameters: { Act: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Act') }]);
    });

    it('a service-wide action on a Resource from a parameter is unverifiable', () => {
      const t = template({ P: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: doc({ Effect: 'Allow', Action: 's3:*', Resource: { Ref: 'Res' } }) } } }, { Parameters: { Res: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('may be') }]);
    });

    it('a whole document from a parameter is unverifiable', () => {
      const t = template({ P: { Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: { Ref: 'Doc' } } } }, { Parameters: { Doc: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', location: 'PolicyDocument', message: expect.stringContaining('parameter Doc') }]);
    });

    it('an Effect from a parameter on a `*` grant is unverifiable, not passed', () => {
      const t = template({ P: { Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: doc({ Effect: { Ref: 'Eff' }, Action: '*', Resource: '*' }) } } }, { Parameters: { Eff: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('Effect') }]);
    });
  });
});
