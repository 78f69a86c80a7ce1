import { App, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'AutoScalingGroupMultiAz';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const subnet = (az: unknown) => ({ Type: 'AWS::EC2::Subnet', Properties: { VpcId: 'vpc-1', CidrBlock: '10.0.0.0/24', AvailabilityZone: az } });
const selectAz = (i: number) => ({ 'Fn::Select': [i, { 'Fn::GetAZs': '' }] });
const asg = (p: Record<string, unknown>) => ({ Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { MinSize: '1', MaxSize: '2', LaunchConfigurationName: 'lc', ...p } });
const machine = () => ({ instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.genericLinux({ 'eu-central-1': 'ami-1' }) });

describe('SRM-IIP-SYS-07: auto-scaling groups span at least two availability zones', () => {
  it('is exported from the package root with its judgements', () => {
    expect(kit.AutoScalingGroupMultiAz.controlId).toBe('SRM-IIP-SYS-07');
    expect(kit.spansTwoZones(['index:0', 'index:1'])).toBe(true);
    expect(kit.spansTwoZones(['zone:eu-central-1a', 'zone:eu-central-1a'])).toBe(false);
    // A zone name and a zone ID cannot be compared.
    expect(kit.spansTwoZones(['zone:eu-central-1a', 'zoneid:euc1-az2'])).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 group in a single-AZ VPC', () => {
      const stack = new Stack(new App(), 'S', { env: { region: 'eu-central-1' } });
      new autoscaling.AutoScalingGroup(stack, 'Asg', { vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 1 }), ...machine() });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toMatchObject([{ controlId: 'SRM-IIP-SYS-07', ruleId: RULE, kind: 'violation', location: 'VPCZoneIdentifier' }]);
      expect(fs[0].message).toContain('in 1 availability zone');
    });

    it('2: two L1 subnets in the same zone', () => {
      const t = template({ A: subnet('eu-central-1a'), B: subnet('eu-central-1a'), G: asg({ VPCZoneIdentifier: [{ Ref: 'A' }, { Ref: 'B' }] }) });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('2 subnet(s) in 1 availability zone (eu-central-1a)') }]);
    });

    it('3: AvailabilityZones with one zone', () => {
      expect(findings(template({ G: asg({ AvailabilityZones: ['eu-central-1a'] }) }), RULE)).toMatchObject([{ kind: 'violation', location: 'AvailabilityZones' }]);
    });

    it('4: one branch of Fn::If uses a single subnet', () => {
      const t = template({ A: subnet(selectAz(0)), B: subnet(selectAz(1)), G: asg({ VPCZoneIdentifier: { 'Fn::If': ['Prod', [{ Ref: 'A' }, { Ref: 'B' }], [{ Ref: 'A' }]] } }) }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 group in a two-AZ VPC of another stack (cross-stack references)', () => {
      const app = new App();
      const net = new Stack(app, 'Net');
      const vpc = new ec2.Vpc(net, 'Vpc', { maxAzs: 2 });
      const compute = new Stack(app, 'Compute');
      new autoscaling.AutoScalingGroup(compute, 'Asg', { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() });
      expect(findingsForApp(app, RULE)).toEqual([]);
    });

    it('subnets placed with Fn::Select indexes of Fn::GetAZs, and AvailabilityZones from Fn::GetAZs', () => {
      const t = template({ A: subnet(selectAz(0)), B: subnet(selectAz(1)), G: asg({ VPCZoneIdentifier: [{ Ref: 'A' }, { Ref: 'B' }] }), H: asg({ AvailabilityZones: { 'Fn::GetAZs': '' } }) });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('every Fn::If branch spans two zones', () => {
      const t = template(
        { A: subnet('eu-central-1a'), B: subnet('eu-central-1b'), C: subnet('eu-central-1c'), G: asg({ VPCZoneIdentifier: { 'Fn::If': ['Prod', [{ Ref: 'A' }, { Ref: 'B' }], [{ Ref: 'B' }, { Ref: 'C' }]] } }) },
        COND,
      );
      expect(findings(t, RULE)).toEqual([]);
    });

    it('raw subnets exported by another template', () => {
      const net = template({ A: subnet('eu-central-1a'), B: subnet('eu-central-1b') }, { Outputs: { A: { Value: { Ref: 'A' }, Export: { Name: 'a' } }, B: { Value: { Ref: 'B' }, Export: { Name: 'b' } } } });
      const g = template({ G: asg({ VPCZoneIdentifier: [{ 'Fn::ImportValue': 'a' }, { 'Fn::ImportValue': 'b' }] }) });
      expect(runOnTemplates([net, g], RULE).findings).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('subnets from a parameter are unverifiable', () => {
      const t = template({ G: asg({ VPCZoneIdentifier: { Ref: 'Subnets' } }) }, { Parameters: { Subnets: { Type: 'List<AWS::EC2::Subnet::Id>' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Subnets') }]);
    });

    it('subnet IDs outside the app are unverifiable', () => {
      expect(findings(template({ G: asg({ VPCZoneIdentifier: ['subnet-1', 'subnet-2'] }) }), RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('not in the template') }]);
    });
  });
});
