import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, summarize, template } from '../../support/harness';

const RULE = 'ResourcePolicyNotPublic';
const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
const extra = { Parameters: { Env: { Type: 'String' }, Who: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const one = (Type: string, Properties: Record<string, unknown>) => template({ R: { Type, Properties } }, extra);
const publicRead = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };
const fnCode = () => lambda.Code.fromInline('exports.handler = async () => {}');

describe('SRM-IIP-ACC-06: resource policies grant no public principal without an org, VPC-endpoint, VPC or account condition', () => {
  it('is exported from the package root', () => {
    expect(kit.ResourcePolicyNotPublic.controlId).toBe('SRM-IIP-ACC-06');
    expect(kit.LAMBDA_PERMISSION_SCOPING_PROPERTIES).toContain('PrincipalOrgID');
  });

  describe('Noncompliance', () => {
    it('1: an L2 bucket policy that lets anyone read', () => {
      const stack = new Stack(new App(), 'Data');
      const bucket = new s3.Bucket(stack, 'Site', { enforceSSL: true });
      bucket.addToResourcePolicy(new iam.PolicyStatement({ sid: 'PublicRead', principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] }));
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-ACC-06', ruleId: RULE, kind: 'violation', resourceType: 'AWS::S3::BucketPolicy', location: 'PolicyDocument' });
      expect(fs[0].message).toBe("PolicyDocument statement 'PublicRead' allows Principal AWS '*' without an organization, VPC endpoint, VPC or account condition");
    });

    it('2: an L2 queue policy whose only condition is TLS', () => {
      const stack = new Stack(new App(), 'Data');
      const queue = new sqs.Queue(stack, 'Jobs');
      queue.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['sqs:SendMessage'], resources: [queue.queueArn], conditions: { Bool: { 'aws:SecureTransport': 'true' } } }));
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', resourceType: 'AWS::SQS::QueuePolicy' }]);
    });

    it('3: topic, key, secret, table, file-system and global-table policies', () => {
      const stmt = { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:root', '*'] }, Action: '*', Resource: '*' };
      const t = template({
        Topic: { Type: 'AWS::SNS::TopicPolicy', Properties: { Topics: ['t'], PolicyDocument: doc(stmt) } },
        Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: doc(stmt) } },
        Secret: { Type: 'AWS::SecretsManager::ResourcePolicy', Properties: { SecretId: 's', ResourcePolicy: doc({ Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }) } },
        Table: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [], ResourcePolicy: { PolicyDocument: doc(stmt) } } },
        Fs: { Type: 'AWS::EFS::FileSystem', Properties: { FileSystemPolicy: doc({ ...stmt, Condition: { Bool: { 'aws:SecureTransport': 'true' } } }) } },
        Global: { Type: 'AWS::DynamoDB::GlobalTable', Properties: { Replicas: [{ Region: 'eu-west-1' }, { Region: 'eu-central-1', ResourcePolicy: { PolicyDocument: doc(stmt) } }] } },
      });
      expect(summarize(findings(t, RULE))).toEqual([
        "violation Topic: PolicyDocument statement #1 allows Principal AWS '*' without an organization, VPC endpoint, VPC or account condition",
        "violation Key: KeyPolicy statement #1 allows Principal AWS '*' without an organization, VPC endpoint, VPC or account condition",
        'violation Secret: ResourcePolicy statement #1 allows NotPrincipal (everyone except the listed principals) without an organization, VPC endpoint, VPC or account condition',
        "violation Table: ResourcePolicy.PolicyDocument statement #1 allows Principal AWS '*' without an organization, VPC endpoint, VPC or account condition",
        "violation Fs: FileSystemPolicy statement #1 allows Principal AWS '*' without an organization, VPC endpoint, VPC or account condition",
        "violation Global: Replicas.1.ResourcePolicy.PolicyDocument statement #1 allows Principal AWS '*' without an organization, VPC endpoint, VPC or account condition",
      ]);
    });

    it('4: a public Lambda function URL and a grant to AnyPrincipal (L2)', () => {
      const stack = new Stack(new App(), 'App');
      const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: fnCode() });
      fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
      const fs = findingsForApp(stack, RULE);
      expect(fs.length).toBeGreaterThanOrEqual(1);
      expect(fs.every((f) => f.resourceType === 'AWS::Lambda::Permission' && f.kind === 'violation')).toBe(true);
      expect(fs[0].message).toBe("Lambda permission allows Principal '*' to invoke the function without SourceAccount, SourceArn, PrincipalOrgID");
    });

    it('5: one branch of Fn::If drops the organization condition', () => {
      const t = one('AWS::SQS::QueuePolicy', {
        Queues: ['q'],
        PolicyDocument: doc({ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: '*', Condition: { 'Fn::If': ['Prod', { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def45' } }, { Ref: 'AWS::NoValue' }] } }),
      });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation' }]);
    });

    it('6: a Lambda permission whose SourceArn is set in only one branch', () => {
      const t = one('AWS::Lambda::Permission', { FunctionName: 'f', Action: 'lambda:InvokeFunction', Principal: '*', SourceArn: { 'Fn::If': ['Prod', 'arn:aws:sns:eu-central-1:111122223333:t', { Ref: 'AWS::NoValue' }] } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', location: 'Principal' }]);
    });
  });

  describe('Compliance', () => {
    it('CDK TLS-only Deny statements, grants to roles and service principals', () => {
      const stack = new Stack(new App(), 'Data');
      const bucket = new s3.Bucket(stack, 'B', { enforceSSL: true });
      const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
      bucket.grantRead(role);
      bucket.addToResourcePolicy(new iam.PolicyStatement({ principals: [role], actions: ['s3:PutObject'], resources: [bucket.arnForObjects('*')] }));
      const queue = new sqs.Queue(stack, 'Q', { enforceSSL: true });
      queue.grantSendMessages(new iam.ServicePrincipal('events.amazonaws.com'));
      const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: fnCode() });
      fn.addPermission('FromBucket', { principal: new iam.ServicePrincipal('s3.amazonaws.com'), sourceArn: bucket.bucketArn });
      fn.addPermission('FromOrg', { principal: new iam.AnyPrincipal(), organizationId: 'o-abc123def45' });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('public principals bounded by organization, VPC endpoint, account or EFS mount target', () => {
      const t = template({
        Org: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: 'b', PolicyDocument: doc({ ...publicRead, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def45' } } }) } },
        Vpce: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: 'b', PolicyDocument: doc({ ...publicRead, Condition: { StringEquals: { 'AWS:SourceVpce': 'vpce-1' } } }) } },
        Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': '111122223333', 'kms:ViaService': 's3.eu-central-1.amazonaws.com' } } }) } },
        Fs: { Type: 'AWS::EFS::FileSystem', Properties: { FileSystemPolicy: doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'elasticfilesystem:ClientMount', Condition: { Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } } }) } },
      });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('every branch of Fn::If keeps a scoping condition', () => {
      const t = one('AWS::SNS::TopicPolicy', {
        Topics: ['t'],
        PolicyDocument: doc({ Effect: 'Allow', Principal: '*', Action: 'sns:Publish', Resource: '*', Condition: { 'Fn::If': ['Prod', { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def45' } }, { StringEquals: { 'aws:SourceAccount': '111122223333' } }] } }),
      });
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a principal from a parameter is unverifiable', () => {
      const t = one('AWS::S3::BucketPolicy', { Bucket: 'b', PolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: { Ref: 'Who' } }, Action: 's3:GetObject', Resource: '*' }) });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Who') }]);
    });

    it('a Lambda principal from a parameter is unverifiable', () => {
      const t = one('AWS::Lambda::Permission', { FunctionName: 'f', Action: 'lambda:InvokeFunction', Principal: { Ref: 'Who' } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', location: 'Principal', message: expect.stringContaining('parameter Who') }]);
    });

    it('a policy document from a parameter is unverifiable', () => {
      const t = one('AWS::SQS::QueuePolicy', { Queues: ['q'], PolicyDocument: { Ref: 'Who' } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', location: 'PolicyDocument' }]);
    });
  });
});
