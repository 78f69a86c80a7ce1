import { App, Stack, Tags } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';
import { PROD_CONDITION, subnet, VPC, ZONE, zoneTags } from './network-fixtures';

const RULE = 'ComputeNoPublicIpOutsideIngress';
const IMAGE = ec2.MachineImage.genericLinux({ 'us-east-1': 'ami-1' });

function vpcWithZones(stack: Stack, publicZone: string): ec2.Vpc {
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 1,
    natGateways: 0,
    subnetConfiguration: [
      { name: 'pub', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  for (const s of vpc.publicSubnets) Tags.of(s).add(ZONE, publicZone);
  for (const s of vpc.isolatedSubnets) Tags.of(s).add(ZONE, 'application');
  return vpc;
}

const instance = (iface: Record<string, unknown>, tags?: unknown) => ({
  Type: 'AWS::EC2::Instance',
  Properties: { ImageId: 'ami-1', NetworkInterfaces: [{ DeviceIndex: '0', ...iface }], ...(tags ? { Tags: tags } : {}) },
});

describe('SRM-IIP-NET-03: instances and launch templates get public IPs only in an internet-facing zone', () => {
  it('is exported from the package root', () => {
    expect(kit.ComputeNoPublicIpOutsideIngress.controlId).toBe('SRM-IIP-NET-03');
  });

  describe('Noncompliance', () => {
    it('1: an L2 instance with a public IP in a platform-zone subnet', () => {
      const stack = new Stack(new App(), 'S');
      const vpc = vpcWithZones(stack, 'platform');
      new ec2.Instance(stack, 'Box', { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: IMAGE, associatePublicIpAddress: true, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-NET-03', ruleId: RULE, kind: 'violation', resourceType: 'AWS::EC2::Instance', location: 'NetworkInterfaces.0.AssociatePublicIpAddress' });
      expect(fs[0].message).toMatch(/network interface 0 gets a public IP address .* subnet \w+: its zone 'platform' is not internet-facing/);
    });

    it('2: an L2 launch template with public IPs used by an Auto Scaling group in application subnets', () => {
      const stack = new Stack(new App(), 'S');
      const vpc = vpcWithZones(stack, 'ingress');
      const lt = new ec2.LaunchTemplate(stack, 'Lt', { instanceType: new ec2.InstanceType('t3.micro'), machineImage: IMAGE, associatePublicIpAddress: true });
      new autoscaling.AutoScalingGroup(stack, 'Asg', { vpc, launchTemplate: lt, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toMatchObject([{ kind: 'violation', resourceType: 'AWS::EC2::LaunchTemplate', location: 'LaunchTemplateData.NetworkInterfaces.0.AssociatePublicIpAddress' }]);
      expect(fs[0].message).toContain("its zone 'application' is not internet-facing");
    });

    it('3: a raw launch template with public IPs and neither subnet nor zone tag is unclassified', () => {
      const t = template({ Lt: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: 'true' }] } } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('it has no srm-iip:zone tag (unclassified)') }]);
    });

    it('4: cross-stack: an instance in a platform subnet exported by another stack', () => {
      const net = template({ Vpc: VPC, P: subnet('platform') }, { Outputs: { O: { Value: { Ref: 'P' }, Export: { Name: 'p' } } } });
      const work = template({ I: instance({ AssociatePublicIpAddress: true, SubnetId: { 'Fn::ImportValue': 'p' } }) });
      expect(runOnTemplates([net, work], RULE).findings).toMatchObject([{ kind: 'violation', stack: 'Stack1', message: expect.stringContaining('subnet P (stack Stack0)') }]);
    });

    it('5: one Fn::If branch associates a public IP', () => {
      const t = template({ Vpc: VPC, D: subnet('data'), I: instance({ AssociatePublicIpAddress: { 'Fn::If': ['Prod', false, true] }, SubnetId: { Ref: 'D' } }) }, PROD_CONDITION);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining("zone 'data'") }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 instance with a public IP in an ingress-zone subnet', () => {
      const stack = new Stack(new App(), 'S');
      const vpc = vpcWithZones(stack, 'ingress');
      new ec2.Instance(stack, 'Box', { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: IMAGE, associatePublicIpAddress: true, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('an L2 launch template tagged with the ingress zone and no group', () => {
      const stack = new Stack(new App(), 'S');
      const lt = new ec2.LaunchTemplate(stack, 'Lt', { instanceType: new ec2.InstanceType('t3.micro'), machineImage: IMAGE, associatePublicIpAddress: true });
      Tags.of(lt).add(ZONE, 'ingress');
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('every Fn::If branch keeps public IPs off', () => {
      const t = template({ Vpc: VPC, D: subnet('data'), I: instance({ AssociatePublicIpAddress: { 'Fn::If': ['Prod', false, 'false'] }, SubnetId: { Ref: 'D' } }) }, PROD_CONDITION);
      expect(findings(t, RULE)).toEqual([]);
    });

    it('a subnet outside the app with an ingress-zone instance tag', () => {
      const t = template({ I: instance({ AssociatePublicIpAddress: true, SubnetId: 'subnet-0abc' }, zoneTags('ingress')) });
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('AssociatePublicIpAddress from a parameter in a data subnet is unverifiable', () => {
      const t = template({ Vpc: VPC, D: subnet('data'), I: instance({ AssociatePublicIpAddress: { Ref: 'Pub' }, SubnetId: { Ref: 'D' } }) }, { Parameters: { Pub: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Pub') }]);
    });

    it('a public IP in a subnet outside the app, on an untagged instance, is unverifiable', () => {
      const t = template({ I: instance({ AssociatePublicIpAddress: true, SubnetId: 'subnet-0abc' }) });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining("subnet 'subnet-0abc' is not a subnet of the app") }]);
    });
  });
});
