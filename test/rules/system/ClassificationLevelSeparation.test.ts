import { App, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'ClassificationLevelSeparation';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const level = (l: unknown) => [{ Key: 'srm-iip:level', Value: l }];
const key = (l?: unknown, p: Record<string, unknown> = {}) => ({ Type: 'AWS::KMS::Key', Properties: { ...p, ...(l !== undefined ? { Tags: level(l) } : {}) } });
const queue = (l: unknown, keyRef: unknown) => ({ Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: keyRef, ...(l !== undefined ? { Tags: level(l) } : {}) } });
const role = (l?: unknown, p: Record<string, unknown> = {}) => ({
  Type: 'AWS::IAM::Role',
  Properties: { AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }, ...p, ...(l !== undefined ? { Tags: level(l) } : {}) },
});
const decryptPolicy = (roleId: string, resource: unknown) => ({
  Type: 'AWS::IAM::Policy',
  Properties: { PolicyName: 'p', Roles: [{ Ref: roleId }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: resource }] } },
});
const fnIn = (stack: Stack, id: string, vpc?: ec2.IVpc) =>
  new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'i.h', code: lambda.Code.fromInline('x'), ...(vpc ? { vpc } : {}) });

describe('SRM-IIP-SYS-06: each classification level keeps its own keys, subnets and grants', () => {
  it('is exported from the package root with its judgements', () => {
    expect(kit.ClassificationLevelSeparation.controlId).toBe('SRM-IIP-SYS-06');
    expect(kit.mayUseLevel(2, 2)).toBe(true);
    expect(kit.mayUseLevel(3, 2)).toBe(false);
    expect(kit.mayUseLevel(1, 2)).toBe(false);
    expect(kit.mayDecryptLevel(3, 2)).toBe(true);
    expect(kit.mayDecryptLevel(1, 2)).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 level-3 bucket encrypted with a level-2 key of another stack', () => {
      const app = new App();
      const keys = new Stack(app, 'Keys');
      const k = new kms.Key(keys, 'K');
      Tags.of(keys).add('srm-iip:level', '2');
      const data = new Stack(app, 'Data');
      new s3.Bucket(data, 'B', { encryption: s3.BucketEncryption.KMS, encryptionKey: k });
      Tags.of(data).add('srm-iip:level', '3');
      const fs = findingsForApp(app, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-SYS-06', ruleId: RULE, kind: 'violation', resourceType: 'AWS::S3::Bucket', stack: 'Data' });
      expect(fs[0].message).toContain('a level-3 resource uses KMS key');
      expect(fs[0].message).toContain('of level 2');
      expect(fs[0].location).toContain('KMSMasterKeyID');
    });

    it('2: an L2 level-1 function in subnets of a level-2 VPC', () => {
      const app = new App();
      const net = new Stack(app, 'Net');
      const vpc = new ec2.Vpc(net, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      Tags.of(net).add('srm-iip:level', '2');
      const compute = new Stack(app, 'Compute');
      fnIn(compute, 'F', vpc);
      Tags.of(compute).add('srm-iip:level', '1');
      const fs = findingsForApp(app, RULE).filter((f) => f.resourceType === 'AWS::Lambda::Function');
      expect(fs.length).toBe(2);
      expect(fs[0]).toMatchObject({ kind: 'violation', location: expect.stringContaining('VpcConfig.SubnetIds') });
      expect(fs[0].message).toContain("a lower level must not use a higher level's keys or subnets");
    });

    it('3: a key and a subnet without a level tag while the app is classified', () => {
      const t = template({ K: key(), S: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: 'vpc-1', CidrBlock: '10.0.0.0/24' } }, Q: queue('1', 'alias/aws/sqs') });
      const fs = findings(t, RULE);
      expect(fs.map((f) => [f.logicalId, f.kind])).toEqual([
        ['K', 'violation'],
        ['S', 'violation'],
      ]);
      expect(fs[0].message).toContain('unclassified KMS key');
      expect(fs[1].message).toContain('unclassified subnet');
    });

    it('4: an L2 grant lets a level-1 role decrypt with a level-2 key', () => {
      const stack = new Stack(new App(), 'S');
      const k = new kms.Key(stack, 'K');
      Tags.of(k).add('srm-iip:level', '2');
      const r = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      Tags.of(r).add('srm-iip:level', '1');
      k.grantDecrypt(r);
      const fs = findingsForApp(stack, RULE);
      expect(fs).toMatchObject([{ kind: 'violation', resourceType: 'AWS::IAM::Policy', message: expect.stringContaining('lets level-1 role Reader') }]);
      expect(fs[0].message).toContain('kms:Decrypt with level-2 key K');
    });

    it('5: a key policy lets a level-1 role decrypt a level-3 key', () => {
      const t = template({
        R: role('1'),
        K: key('3', { KeyPolicy: { Statement: [{ Sid: 'Readers', Effect: 'Allow', Principal: { AWS: { 'Fn::GetAtt': ['R', 'Arn'] } }, Action: 'kms:*', Resource: '*' }] } }),
      });
      expect(findings(t, RULE)).toMatchObject([{ logicalId: 'K', kind: 'violation', message: expect.stringContaining('its key policy (statement Readers) lets level-1 role R') }]);
    });

    it('6: a wildcard Resource gives a level-1 role every key, including higher ones', () => {
      const t = template({ K1: key('1'), K2: key('2'), R: role('1'), P: decryptPolicy('R', '*') });
      expect(findings(t, RULE)).toMatchObject([{ logicalId: 'P', kind: 'violation', message: expect.stringContaining('every key (a wildcard resource), including level-2 key(s) K2') }]);
    });

    it('7: one branch of Fn::If uses a key of another level', () => {
      const t = template({ K1: key('1'), K2: key('2'), Q: queue('1', { 'Fn::If': ['Prod', { Ref: 'K1' }, { Ref: 'K2' }] }) }, COND);
      expect(findings(t, RULE)).toMatchObject([{ logicalId: 'Q', kind: 'violation', message: expect.stringContaining('of level 2') }]);
    });

    it('8: a taggable resource without a level tag uses a classified key; a level above the declared levels', () => {
      const t = template({ K: key('2'), Q: queue(undefined, { Ref: 'K' }), K9: key('9') });
      const fs = findings(t, RULE, { classificationLevels: 3 });
      expect(fs.map((f) => [f.logicalId, f.kind])).toEqual([
        ['K9', 'violation'],
        ['Q', 'violation'],
      ]);
      expect(fs[0].message).toContain('above the top level (classificationLevels is 3)');
      expect(fs[1].message).toContain('unclassified resource');
    });

    it('9: declared levels with no tags at all: every key is unclassified', () => {
      expect(findings(template({ K: key() }), RULE, { classificationLevels: 2 })).toMatchObject([{ kind: 'violation', message: expect.stringContaining('unclassified KMS key') }]);
    });
  });

  describe('Compliance', () => {
    it('a single-level app (no level tags, no declared levels) reports nothing', () => {
      const t = template({ K: key(), Q: queue(undefined, { Ref: 'K' }), R: role(), P: decryptPolicy('R', '*') });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('L2 stacks that keep to their own level, with a higher role reading down', () => {
      const app = new App();
      const keys = new Stack(app, 'Keys');
      const k = new kms.Key(keys, 'K');
      const net = new Stack(app, 'Net');
      const vpc = new ec2.Vpc(net, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      const data = new Stack(app, 'Data');
      new s3.Bucket(data, 'B', { encryption: s3.BucketEncryption.KMS, encryptionKey: k });
      const f = fnIn(data, 'F', vpc);
      Tags.of(app).add('srm-iip:level', '2');
      const ops = new Stack(app, 'Ops');
      const auditor = new iam.Role(ops, 'Auditor', { assumedBy: new iam.AccountRootPrincipal() });
      Tags.of(ops).add('srm-iip:level', '3');
      k.grantDecrypt(auditor);
      void f;
      expect(findingsForApp(app, RULE)).toEqual([]);
    });

    it('untaggable glue (route-table associations) is not reported as unclassified', () => {
      const t = template({
        S: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: 'vpc-1', CidrBlock: '10.0.0.0/24', Tags: level('2') } },
        A: { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: { Ref: 'S' }, RouteTableId: 'rtb-1' } },
      });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('every Fn::If branch uses a key of the same level; aliases and imports are followed', () => {
      const keys = template({ K1: key('1') }, { Outputs: { A: { Value: { 'Fn::GetAtt': ['K1', 'Arn'] }, Export: { Name: 'k1' } } } });
      const t = template(
        {
          K2: key('1'),
          Al: { Type: 'AWS::KMS::Alias', Properties: { AliasName: 'alias/l1', TargetKeyId: { Ref: 'K2' } } },
          Q: queue('1', { 'Fn::If': ['Prod', { 'Fn::ImportValue': 'k1' }, { Ref: 'Al' }] }),
          Q2: queue('1', 'alias/l1'),
        },
        COND,
      );
      expect(runOnTemplates([keys, t], RULE).findings).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a level tag from a parameter is unverifiable', () => {
      const t = template({ K: key('2'), Q: queue({ Ref: 'Lvl' }, { Ref: 'K' }) }, { Parameters: { Lvl: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ logicalId: 'Q', kind: 'unverifiable', message: expect.stringContaining('parameter Lvl') }]);
    });

    it('a grant whose action comes from a parameter is unverifiable', () => {
      const t = template(
        { K: key('2'), R: role('1'), P: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', Roles: [{ Ref: 'R' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: { Ref: 'Act' }, Resource: { 'Fn::GetAtt': ['K', 'Arn'] } }] } } } },
        { Parameters: { Act: { Type: 'String' } } },
      );
      expect(findings(t, RULE)).toMatchObject([{ logicalId: 'P', kind: 'unverifiable' }]);
    });
  });
});
