import { App, Stack, Tags } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'DedicatedTenancyForTopLevel';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const level = (l: unknown) => [{ Key: 'srm-iip:level', Value: l }];
const instance = (l: unknown, p: Record<string, unknown> = {}) => ({ Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-1', ...p, ...(l !== undefined ? { Tags: level(l) } : {}) } });
const lt = (l: unknown, tenancy?: unknown, name = 'lt') => ({
  Type: 'AWS::EC2::LaunchTemplate',
  Properties: {
    LaunchTemplateName: name,
    LaunchTemplateData: tenancy !== undefined ? { Placement: { Tenancy: tenancy } } : {},
    ...(l !== undefined ? { TagSpecifications: [{ ResourceType: 'launch-template', Tags: level(l) }] } : {}),
  },
});
const machine = () => ({ instanceType: new ec2.InstanceType('m5.large'), machineImage: ec2.MachineImage.genericLinux({ 'eu-central-1': 'ami-1' }) });
const ENV = { env: { region: 'eu-central-1' } };

describe('SRM-IIP-PHY-03: EC2 capacity at the top classification level runs on dedicated hardware', () => {
  it('is exported from the package root with its judgements', () => {
    expect(kit.DedicatedTenancyForTopLevel.controlId).toBe('SRM-IIP-PHY-03');
    expect(kit.isDedicatedTenancy('host')).toBe(true);
    expect(kit.isDedicatedTenancy('default')).toBe(false);
    expect(kit.isTopLevel(3, 3)).toBe(true);
    expect(kit.isTopLevel(2, 3)).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 instance at the highest tagged level on shared hardware', () => {
      const stack = new Stack(new App(), 'S', ENV);
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1 });
      const low = new ec2.Instance(stack, 'Low', { vpc, ...machine() });
      const high = new ec2.Instance(stack, 'High', { vpc, ...machine() });
      Tags.of(low).add('srm-iip:level', '1');
      Tags.of(high).add('srm-iip:level', '2');
      Tags.of(vpc).add('srm-iip:level', '1');
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-PHY-03', ruleId: RULE, kind: 'violation', location: 'Tenancy', resourceType: 'AWS::EC2::Instance' });
      expect(fs[0].logicalId).toMatch(/^High/);
      expect(fs[0].message).toContain('top classification level 2');
      expect(fs[0].message).toContain("InstanceTenancy of VPC");
    });

    it('2: an L1 launch template at the declared top level without a tenancy', () => {
      const fs = findings(template({ LT: lt('3') }), RULE, { classificationLevels: 3 });
      expect(fs).toMatchObject([{ kind: 'violation', location: 'LaunchTemplateData.Placement.Tenancy', message: expect.stringContaining('classificationLevels is 3') }]);
    });

    it('3: an instance inherits a shared tenancy from its launch template', () => {
      const t = template({ LT: lt('2', 'default'), I: instance('2', { LaunchTemplate: { LaunchTemplateId: { Ref: 'LT' }, Version: '1' } }) });
      const fs = findings(t, RULE);
      expect(fs.map((f) => f.logicalId)).toEqual(['LT', 'I']);
      expect(fs[1].message).toContain("in its launch template LT in stack Stack0, LaunchTemplateData.Placement.Tenancy is 'default'");
    });

    it('4: an untagged instance in a classified app may hold top-level data', () => {
      const fs = findings(template({ A: instance('2', { Tenancy: 'dedicated' }), B: instance(undefined) }), RULE);
      expect(fs).toMatchObject([{ logicalId: 'B', kind: 'violation', message: expect.stringContaining('carries no srm-iip:level tag') }]);
    });

    it('5: one branch of Fn::If shares hardware', () => {
      const t = template({ I: instance('2', { Tenancy: { 'Fn::If': ['Prod', 'dedicated', 'default'] } }) }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining("Tenancy is 'default'") }]);
    });

    it('6: an L2 auto-scaling group at the top level with a shared launch configuration (level taken from the group)', () => {
      const stack = new Stack(new App(), 'S', ENV);
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
      new autoscaling.AutoScalingGroup(stack, 'Asg', { vpc, ...machine() });
      Tags.of(stack).add('srm-iip:level', '2');
      const fs = findingsForApp(stack, RULE);
      expect(fs).toMatchObject([{ kind: 'violation', resourceType: 'AWS::AutoScaling::LaunchConfiguration', message: expect.stringContaining('resources that launch from it') }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 top-level instance on dedicated tenancy; lower levels may share', () => {
      const stack = new Stack(new App(), 'S', ENV);
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1 });
      const high = new ec2.Instance(stack, 'High', { vpc, ...machine() });
      (high.node.defaultChild as ec2.CfnInstance).tenancy = 'dedicated';
      const low = new ec2.Instance(stack, 'Low', { vpc, ...machine() });
      Tags.of(high).add('srm-iip:level', '2');
      Tags.of(low).add('srm-iip:level', '1');
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('a single-level app (no level tags, no declared levels) reports nothing', () => {
      expect(findings(template({ I: instance(undefined) }), RULE)).toEqual([]);
    });

    it('tenancy inherited from a dedicated launch template of another template, or from a dedicated VPC', () => {
      const a = template({ LT: lt('2', 'host') }, { Outputs: { Id: { Value: { Ref: 'LT' }, Export: { Name: 'lt' } } } });
      const b = template({
        I: instance('2', { LaunchTemplate: { LaunchTemplateId: { 'Fn::ImportValue': 'lt' }, Version: '1' } }),
        V: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16', InstanceTenancy: 'dedicated', Tags: level('2') } },
        S: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'V' }, CidrBlock: '10.0.0.0/24', Tags: level('2') } },
        J: instance('2', { SubnetId: { Ref: 'S' } }),
      });
      expect(runOnTemplates([a, b], RULE).findings).toEqual([]);
    });

    it('every Fn::If branch is dedicated', () => {
      const t = template({ I: instance('2', { Tenancy: { 'Fn::If': ['Prod', 'dedicated', 'host'] } }) }, COND);
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a tenancy from a parameter is unverifiable', () => {
      const t = template({ I: instance('2', { Tenancy: { Ref: 'T' } }) }, { Parameters: { T: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter T') }]);
    });

    it('a level from a parameter on shared hardware is unverifiable', () => {
      const t = template({ A: instance('2', { Tenancy: 'dedicated' }), B: instance({ Ref: 'L' }) }, { Parameters: { L: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ logicalId: 'B', kind: 'unverifiable', message: expect.stringContaining('parameter L') }]);
    });
  });
});
