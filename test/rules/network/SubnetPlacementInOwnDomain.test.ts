import { App, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';
import { PROD_CONDITION, subnet, VPC, ZONE, zoneTags } from './network-fixtures';

const RULE = 'SubnetPlacementInOwnDomain';

function zonedVpc(stack: Stack): ec2.Vpc {
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 1,
    natGateways: 0,
    subnetConfiguration: [{ name: 'platform', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  for (const s of vpc.isolatedSubnets) Tags.of(s).add(ZONE, 'platform');
  return vpc;
}

function instance(props: Record<string, unknown>, zone?: unknown) {
  return { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-1', ...props, ...(zone === undefined ? {} : { Tags: zoneTags(zone) }) } };
}

describe('SRM-IIP-NET-01: resources sit only in subnets of their own security domain', () => {
  it('is exported from the package root', () => {
    expect(kit.SubnetPlacementInOwnDomain.controlId).toBe('SRM-IIP-NET-01');
    expect(kit.placementMixesDomains('edge', ['platform'])).toBe(true);
    expect(kit.placementMixesDomains(undefined, ['platform', 'platform'])).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 Lambda function of the edge zone in a platform-zone subnet', () => {
      const stack = new Stack(new App(), 'S');
      const vpc = zonedVpc(stack);
      const fn = new lambda.Function(stack, 'Fn', { vpc, runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => 1;') });
      Tags.of(fn).add(ZONE, 'edge');
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-NET-01', ruleId: RULE, kind: 'violation', resourceType: 'AWS::Lambda::Function', location: 'VpcConfig.SubnetIds' });
      expect(fs[0].message).toMatch(/zone 'edge' \(domain edge\) is placed in subnet .* of zone 'platform' \(domain platform\)/);
    });

    it('2: an untagged DB subnet group spanning two domains', () => {
      const t = template({
        Vpc: VPC,
        A: subnet('edge', '10.0.1.0/24'),
        B: subnet('platform', '10.0.2.0/24'),
        G: { Type: 'AWS::RDS::DBSubnetGroup', Properties: { DBSubnetGroupDescription: 'g', SubnetIds: [{ Ref: 'A' }, { Ref: 'B' }] } },
      });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', logicalId: 'G', message: expect.stringContaining('subnets of different security domains: A') }]);
    });

    it('3: cross-stack: an edge instance in a subnet of another stack', () => {
      const app = new App();
      const net = new Stack(app, 'Network');
      const vpc = zonedVpc(net);
      const work = new Stack(app, 'Work');
      const i = new ec2.Instance(work, 'Box', { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.genericLinux({ 'us-east-1': 'ami-1' }), vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
      Tags.of(i).add(ZONE, 'edge');
      const fs = findingsForApp(app, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ stack: 'Work', resourceType: 'AWS::EC2::Instance', kind: 'violation' });
      expect(fs[0].message).toContain('(stack Network)');
    });

    it('4: cross-stack raw templates joined by Export/ImportValue', () => {
      const net = template({ Vpc: VPC, Sub: subnet('platform') }, { Outputs: { O: { Value: { Ref: 'Sub' }, Export: { Name: 'sub-id' } } } });
      const work = template({ Nic: { Type: 'AWS::EC2::NetworkInterface', Properties: { SubnetId: { 'Fn::ImportValue': 'sub-id' }, Tags: zoneTags('edge') } } });
      const fs = runOnTemplates([net, work], RULE).findings;
      expect(fs).toMatchObject([{ kind: 'violation', stack: 'Stack1', logicalId: 'Nic', message: expect.stringContaining('Sub (stack Stack0)') }]);
    });

    it('5: one Fn::If branch places the instance in another domain', () => {
      const t = template(
        { Vpc: VPC, E: subnet('edge', '10.0.1.0/24'), P: subnet('platform', '10.0.2.0/24'), I: instance({ SubnetId: { 'Fn::If': ['Prod', { Ref: 'E' }, { Ref: 'P' }] } }, 'edge') },
        PROD_CONDITION,
      );
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', location: 'SubnetId', message: expect.stringContaining("subnet P of zone 'platform'") }]);
    });
  });

  describe('Compliance', () => {
    it('different zones of the same domain may share a subnet (ingress and application are both application)', () => {
      const t = template({ Vpc: VPC, A: subnet('application'), I: instance({ SubnetId: { Ref: 'A' } }, 'ingress') });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('an untagged L2 Lambda function in subnets of one domain', () => {
      const stack = new Stack(new App(), 'S');
      const vpc = zonedVpc(stack);
      new lambda.Function(stack, 'Fn', { vpc, runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => 1;') });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('every Fn::If branch stays in the same domain', () => {
      const t = template(
        { Vpc: VPC, P: subnet('platform', '10.0.1.0/24'), D: subnet('data', '10.0.2.0/24'), I: instance({ SubnetId: { 'Fn::If': ['Prod', { Ref: 'P' }, { Ref: 'D' }] } }, 'platform') },
        PROD_CONDITION,
      );
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a subnet ID from a parameter is unverifiable for a zoned resource', () => {
      const t = template({ I: instance({ SubnetId: { Ref: 'SubnetParam' } }, 'edge') }, { Parameters: { SubnetParam: { Type: 'AWS::EC2::Subnet::Id' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', location: 'SubnetId', message: expect.stringContaining('parameter SubnetParam') }]);
    });

    it('a literal subnet ID outside the app is unverifiable for a zoned resource', () => {
      const t = template({ I: instance({ SubnetId: 'subnet-0abc' }, 'edge') });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining("'subnet-0abc'") }]);
    });

    it('a zone tag from a parameter is unverifiable', () => {
      const t = template({ Vpc: VPC, A: subnet('platform'), I: instance({ SubnetId: { Ref: 'A' } }, { Ref: 'Z' }) }, { Parameters: { Z: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Z') }]);
    });
  });
});
