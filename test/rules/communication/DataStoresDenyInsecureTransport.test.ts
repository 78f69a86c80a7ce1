import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'DataStoresDenyInsecureTransport';

const DENY_S3 = {
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 's3:*',
  Resource: [{ 'Fn::GetAtt': ['B', 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['B', 'Arn'] }, '/*']] }],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};

function bucketWithPolicy(statements: unknown, extra: Record<string, unknown> = {}) {
  return template(
    {
      B: { Type: 'AWS::S3::Bucket' },
      P: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: { Ref: 'B' }, PolicyDocument: { Version: '2012-10-17', Statement: statements } } },
    },
    extra,
  );
}

const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

describe('SRM-IIP-COM-01: buckets, queues and topics deny every request made without TLS', () => {
  it('is exported from the package root', () => {
    expect(kit.DataStoresDenyInsecureTransport.controlId).toBe('SRM-IIP-COM-01');
    expect(kit.COMMUNICATION_RULES).toContain(kit.DataStoresDenyInsecureTransport);
    expect(kit.isInsecureTransportCondition('Bool', 'aws:SecureTransport', ['false'])).toBe(true);
    expect(kit.isInsecureTransportCondition('Bool', 'aws:SecureTransport', [true])).toBe(false);
    expect(kit.isInsecureTransportCondition('StringEquals', 'aws:SecureTransport', [false])).toBe(false);
    expect(kit.denyActionCovers('*', 's3:*')).toBe(true);
    expect(kit.denyActionCovers('s3:GetObject', 's3:*')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: L2 bucket, queue and topic without enforceSSL', () => {
      const stack = new Stack(new App(), 'S');
      new s3.Bucket(stack, 'Bucket');
      new sqs.Queue(stack, 'Queue');
      new sns.Topic(stack, 'Topic');
      const fs = findingsForApp(stack, RULE);
      expect(fs.map((f) => f.resourceType).sort()).toEqual(['AWS::S3::Bucket', 'AWS::SNS::Topic', 'AWS::SQS::Queue']);
      for (const f of fs) {
        expect(f).toMatchObject({ controlId: 'SRM-IIP-COM-01', ruleId: RULE, kind: 'violation' });
        expect(f.message).toContain('accepts requests without TLS');
        expect(f.message).toContain('enforceSSL');
      }
    });

    it('2: an L1 bucket policy that denies only s3:GetObject', () => {
      const fs = findings(bucketWithPolicy([{ ...DENY_S3, Action: 's3:GetObject' }]), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', logicalId: 'B', message: expect.stringContaining('AWS::S3::BucketPolicy P in stack Stack0 lacks a Deny statement') }]);
    });

    it('3: a deny that covers the bucket ARN but not its objects', () => {
      const fs = findings(bucketWithPolicy([{ ...DENY_S3, Resource: { 'Fn::GetAtt': ['B', 'Arn'] } }]), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining("the bucket's objects") }]);
    });

    it('4: an Allow instead of a Deny, a named principal, a true condition, or an extra narrowing condition', () => {
      const variants = [
        { ...DENY_S3, Effect: 'Allow' },
        { ...DENY_S3, Principal: { AWS: 'arn:aws:iam::111122223333:root' } },
        { ...DENY_S3, Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
        { ...DENY_S3, Condition: { Bool: { 'aws:SecureTransport': 'false' }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
        { ...DENY_S3, Condition: undefined },
      ];
      for (const st of variants) {
        expect(findings(bucketWithPolicy([st]), RULE), JSON.stringify(st)).toMatchObject([{ kind: 'violation' }]);
      }
    });

    it('5: a queue policy for another queue does not protect this one', () => {
      const t = template({
        Q1: { Type: 'AWS::SQS::Queue' },
        Q2: { Type: 'AWS::SQS::Queue' },
        P: {
          Type: 'AWS::SQS::QueuePolicy',
          Properties: {
            Queues: [{ Ref: 'Q2' }],
            PolicyDocument: { Statement: [{ Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: { 'Fn::GetAtt': ['Q2', 'Arn'] }, Condition: { Bool: { 'aws:SecureTransport': false } } }] },
          },
        },
      });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', logicalId: 'Q1', message: expect.stringContaining('has no AWS::SQS::QueuePolicy or AWS::SQS::QueueInlinePolicy') }]);
    });

    it('6: a topic policy whose deny covers sns:Subscribe only', () => {
      const t = template({
        T: { Type: 'AWS::SNS::Topic' },
        P: {
          Type: 'AWS::SNS::TopicPolicy',
          Properties: {
            Topics: [{ Ref: 'T' }],
            PolicyDocument: { Statement: [{ Effect: 'Deny', Principal: '*', Action: 'sns:Subscribe', Resource: { Ref: 'T' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] },
          },
        },
      });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', logicalId: 'T', message: expect.stringContaining('sns:Publish') }]);
    });

    it('7: one Fn::If branch of the statement list drops the deny', () => {
      const t = bucketWithPolicy({ 'Fn::If': ['Prod', [DENY_S3], [{ ...DENY_S3, Effect: 'Allow' }]] }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('in at least one Fn::If branch') }]);
    });

    it('8: a deny statement that exists only in one branch (Fn::If with AWS::NoValue)', () => {
      const t = bucketWithPolicy([{ 'Fn::If': ['Prod', DENY_S3, { Ref: 'AWS::NoValue' }] }], COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('L2 bucket, queue and topic with enforceSSL: true', () => {
      const stack = new Stack(new App(), 'S');
      new s3.Bucket(stack, 'Bucket', { enforceSSL: true });
      new sqs.Queue(stack, 'Queue', { enforceSSL: true });
      new sns.Topic(stack, 'Topic', { enforceSSL: true });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('an L1 policy with Resource *, Action *, a JSON-string document and a literal bucket name', () => {
      const t = template({
        B: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'plant-data' } },
        P: {
          Type: 'AWS::S3::BucketPolicy',
          Properties: {
            Bucket: 'plant-data',
            PolicyDocument: JSON.stringify({ Statement: { Effect: 'Deny', Principal: '*', Action: '*', Resource: 'arn:aws:s3:::plant-data/*', Condition: { Bool: { 'aws:SecureTransport': false } } } }),
          },
        },
      });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('every branch of Fn::If holds the deny', () => {
      const t = bucketWithPolicy({ 'Fn::If': ['Prod', [DENY_S3], [DENY_S3, { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:GetObject', Resource: '*' }]] }, COND);
      expect(findings(t, RULE)).toEqual([]);
    });

    it('an SNS topic inline policy and an SQS queue inline policy count', () => {
      const t = template({
        T: { Type: 'AWS::SNS::Topic' },
        TP: {
          Type: 'AWS::SNS::TopicInlinePolicy',
          Properties: { TopicArn: { Ref: 'T' }, PolicyDocument: { Statement: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sns:*', Resource: { Ref: 'T' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] } },
        },
        Q: { Type: 'AWS::SQS::Queue' },
        QP: {
          Type: 'AWS::SQS::QueueInlinePolicy',
          Properties: { Queue: { Ref: 'Q' }, PolicyDocument: { Statement: [{ Effect: 'Deny', Principal: '*', Action: ['sqs:*'], Resource: '*', Condition: { Bool: { 'aws:SecureTransport': ['false'] } } }] } },
        },
      });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('a bucket and its policy created under the same condition', () => {
      const t = template(
        {
          B: { Type: 'AWS::S3::Bucket', Condition: 'Prod' },
          P: { Type: 'AWS::S3::BucketPolicy', Condition: 'Prod', Properties: { Bucket: { Ref: 'B' }, PolicyDocument: { Statement: [DENY_S3] } } },
        },
        COND,
      );
      expect(findings(t, RULE)).toEqual([]);
    });

    it('a bucket named by Fn::Sub and a policy that names it by the same expression', () => {
      const name = { 'Fn::Sub': '${App}-logs-${AWS::Region}' };
      const t = template(
        {
          B: { Type: 'AWS::S3::Bucket', Properties: { BucketName: name } },
          P: {
            Type: 'AWS::S3::BucketPolicy',
            Properties: {
              Bucket: name,
              PolicyDocument: { Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${App}-logs-${AWS::Region}/*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] },
            },
          },
        },
        { Parameters: { App: { Type: 'String' } } },
      );
      expect(findings(t, RULE)).toEqual([]);
    });

    it('a bucket policy in another stack, tied by Export/ImportValue', () => {
      const data = template(
        { Bucket: { Type: 'AWS::S3::Bucket' } },
        { Outputs: { N: { Value: { Ref: 'Bucket' }, Export: { Name: 'Data-BucketName' } }, A: { Value: { 'Fn::GetAtt': ['Bucket', 'Arn'] }, Export: { Name: 'Data-BucketArn' } } } },
      );
      const policy = template({
        P: {
          Type: 'AWS::S3::BucketPolicy',
          Properties: {
            Bucket: { 'Fn::ImportValue': 'Data-BucketName' },
            PolicyDocument: {
              Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: { 'Fn::Join': ['', [{ 'Fn::ImportValue': 'Data-BucketArn' }, '/*']] }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
            },
          },
        },
      });
      expect(runOnTemplates([data, policy], RULE).findings).toEqual([]);
      // Without the policy stack the bucket is unprotected.
      expect(runOnTemplates([data], RULE).findings).toMatchObject([{ kind: 'violation', stack: 'Stack0', logicalId: 'Bucket' }]);
    });

    it('a CDK app whose bucket policy lives in another stack than the bucket', () => {
      const app = new App();
      const data = new Stack(app, 'Data');
      const bucket = new s3.Bucket(data, 'Bucket');
      const guard = new Stack(app, 'Guard');
      const policy = new s3.BucketPolicy(guard, 'Policy', { bucket });
      policy.document.addStatements(
        new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['s3:*'],
          resources: [bucket.bucketArn, bucket.arnForObjects('*')],
          conditions: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
      expect(findingsForApp(app, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a policy whose bucket is a parameter is unverifiable, never passed', () => {
      const t = template(
        {
          B: { Type: 'AWS::S3::Bucket' },
          P: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: { Ref: 'Target' }, PolicyDocument: { Statement: [DENY_S3] } } },
        },
        { Parameters: { Target: { Type: 'String' } } },
      );
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Target') }]);
    });

    it('a deny whose Resource is a parameter is unverifiable', () => {
      const t = bucketWithPolicy([{ ...DENY_S3, Resource: { Ref: 'Arn' } }], { Parameters: { Arn: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('cannot be read') }]);
    });

    it('a policy that exists only under a deploy-time condition does not prove the deny', () => {
      const t = template(
        {
          B: { Type: 'AWS::S3::Bucket' },
          P: { Type: 'AWS::S3::BucketPolicy', Condition: 'Prod', Properties: { Bucket: { Ref: 'B' }, PolicyDocument: { Statement: [DENY_S3] } } },
        },
        COND,
      );
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('resource condition Prod') }]);
    });

    it('odd shapes never throw', () => {
      for (const doc of [null, 'not json', 42, { Statement: 'x' }, { Statement: [null, 7, { Effect: { 'Fn::If': ['Prod', 'Deny', 'Allow'] } }] }]) {
        const t = template({ B: { Type: 'AWS::S3::Bucket' }, P: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: { Ref: 'B' }, PolicyDocument: doc } } }, COND);
        const fs = findings(t, RULE);
        expect(fs).toHaveLength(1);
        expect(fs[0].message).not.toContain('could not read');
      }
    });
  });
});
