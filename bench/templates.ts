/** Raw CloudFormation templates of the benchmark. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from './apps';

/**
 * One template of exactly `target` resources with the same mix as the CDK
 * apps (the same Sites, synthesized into a single stack with CDK's
 * 500-resource limit lifted). CloudFormation would refuse to deploy it; it
 * only measures checker speed.
 */
export function singleTemplate(target: number, scratch: string): { template: Record<string, unknown>; resources: number } {
  const outdir = join(scratch, `cdk.out-single-${target}-${process.pid}`);
  rmSync(outdir, { recursive: true, force: true });
  const { app } = buildApp(target, { outdir, stackLimit: Number.MAX_SAFE_INTEGER });
  const assembly = app.synth();
  if (assembly.stacks.length !== 1) throw new Error(`expected one stack, got ${assembly.stacks.length}`);
  const template = assembly.stacks[0].template as Record<string, unknown>;
  rmSync(outdir, { recursive: true, force: true });
  return { template, resources: Object.keys(template.Resources as object).length };
}

export const NESTED_IF_DEPTH = 14;

/**
 * Condition-heavy template: 14 independent conditions (one parameter each) and
 *  - a KMS key whose EnableKeyRotation is an Fn::If chain 14 deep (the last leaf is false),
 *  - a bucket policy whose Statement list has 14 Fn::If elements (Deny-insecure-transport or AWS::NoValue; odd ones public Allow),
 *  - three properties that are one Fn::Join of 14 independent Fn::If (2^14 = 16,384 combinations each):
 *    the bucket's KMSMasterKeyID, a security group ingress CidrIp and an IAM policy statement Resource.
 */
export function nestedIfTemplate(depth = NESTED_IF_DEPTH): Record<string, unknown> {
  const ids = Array.from({ length: depth }, (_, i) => i + 1);
  const parameters: Record<string, unknown> = {};
  const conditions: Record<string, unknown> = {};
  for (const i of ids) {
    parameters[`Flag${i}`] = { Type: 'String', AllowedValues: ['yes', 'no'], Default: i % 2 ? 'yes' : 'no' };
    conditions[`C${i}`] = { 'Fn::Equals': [{ Ref: `Flag${i}` }, 'yes'] };
  }
  let rotation: unknown = false;
  for (const i of [...ids].reverse()) rotation = { 'Fn::If': [`C${i}`, i % 3 === 0 ? false : true, rotation] };
  const join = (prefix: string, a: (i: number) => string, b: (i: number) => string) => ({
    'Fn::Join': ['', [prefix, ...ids.map((i) => ({ 'Fn::If': [`C${i}`, a(i), b(i)] }))]],
  });
  const bucketArn = { 'Fn::GetAtt': ['Bucket', 'Arn'] };
  const statements = ids.map((i) => ({
    'Fn::If': [
      `C${i}`,
      i % 2
        ? { Sid: `Public${i}`, Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [bucketArn, `/public${i}/*`]] } }
        : {
            Sid: `DenyInsecure${i}`,
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Resource: [bucketArn, { 'Fn::Join': ['', [bucketArn, '/*']] }],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
      { Ref: 'AWS::NoValue' },
    ],
  }));
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `SRM-IIP bench: ${depth} nested / independent Fn::If`,
    Parameters: parameters,
    Conditions: conditions,
    Resources: {
      Key: {
        Type: 'AWS::KMS::Key',
        Properties: {
          EnableKeyRotation: rotation,
          KeyPolicy: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }, Action: 'kms:*', Resource: '*' }],
          },
        },
      },
      Bucket: {
        Type: 'AWS::S3::Bucket',
        Properties: {
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              {
                ServerSideEncryptionByDefault: {
                  SSEAlgorithm: 'aws:kms',
                  KMSMasterKeyID: join('arn:aws:kms:eu-central-1:111122223333:key/', (i) => `a${i}`, (i) => `b${i}`),
                },
              },
            ],
          },
        },
      },
      BucketPolicy: {
        Type: 'AWS::S3::BucketPolicy',
        Properties: { Bucket: { Ref: 'Bucket' }, PolicyDocument: { Version: '2012-10-17', Statement: statements } },
      },
      Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
      Sg: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: {
          GroupDescription: 'bench',
          VpcId: { Ref: 'Vpc' },
          SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: join('', (i) => (i === 1 ? '0.0.0.0/0' : `${i}`), (i) => (i === 1 ? '10.0.0.0/8' : '')) }],
        },
      },
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          },
        },
      },
      RolePolicy: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          PolicyName: 'bench',
          Roles: [{ Ref: 'Role' }],
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: join('arn:aws:s3:::bench-', (i) => `x${i}`, (i) => (i === depth ? '*' : `y${i}`)) }],
          },
        },
      },
    },
  };
}
