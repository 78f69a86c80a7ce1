import { App, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'InstanceMetadataV2Required';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const lt = (metadata?: Record<string, unknown>, name = 'lt') => ({
  Type: 'AWS::EC2::LaunchTemplate',
  Properties: { LaunchTemplateName: name, LaunchTemplateData: metadata ? { MetadataOptions: metadata } : {} },
});
const instance = (p: Record<string, unknown> = {}) => ({ Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-1', ...p } });
const machine = () => ({ instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.genericLinux({ 'eu-central-1': 'ami-1' }) });

describe('SRM-IIP-SYS-03: EC2 capacity requires IMDSv2', () => {
  it('is exported from the package root with its judgements', () => {
    expect(kit.InstanceMetadataV2Required.controlId).toBe('SRM-IIP-SYS-03');
    expect(kit.isImdsV2Required('required')).toBe(true);
    expect(kit.isImdsV2Required('optional')).toBe(false);
    expect(kit.isImdsDisabled('disabled')).toBe(true);
  });

  describe('Noncompliance', () => {
    it('1: an L2 instance without requireImdsv2 (no launch template)', () => {
      const stack = new Stack(new App(), 'S', { env: { region: 'eu-central-1' } });
      new ec2.Instance(stack, 'I', { vpc: new ec2.Vpc(stack, 'Vpc'), ...machine() });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toMatchObject([{ controlId: 'SRM-IIP-SYS-03', ruleId: RULE, kind: 'violation', resourceType: 'AWS::EC2::Instance', location: 'LaunchTemplate' }]);
      expect(fs[0].message).toContain('no MetadataOptions property');
    });

    it('2: an L2 auto-scaling group (launch configuration) without requireImdsv2', () => {
      const stack = new Stack(new App(), 'S', { env: { region: 'eu-central-1' } });
      new autoscaling.AutoScalingGroup(stack, 'Asg', { vpc: new ec2.Vpc(stack, 'Vpc'), ...machine() });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', resourceType: 'AWS::AutoScaling::LaunchConfiguration', location: 'MetadataOptions.HttpTokens' }]);
    });

    it('3: an L1 launch template with HttpTokens optional, and the instance launched from it', () => {
      const t = template({ LT: lt({ HttpTokens: 'optional' }), I: instance({ LaunchTemplate: { LaunchTemplateId: { Ref: 'LT' }, Version: '1' } }) });
      const fs = findings(t, RULE);
      expect(fs.map((f) => [f.logicalId, f.kind])).toEqual([
        ['LT', 'violation'],
        ['I', 'violation'],
      ]);
      expect(fs[1].message).toContain('launch template LT in stack Stack0');
      expect(fs[1].message).toContain("'optional'");
    });

    it('4: a launch template without MetadataOptions', () => {
      expect(findings(template({ LT: lt() }), RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('HttpTokens is not set') }]);
    });

    it('5: one branch of Fn::If allows IMDSv1', () => {
      const t = template({ LT: lt({ HttpTokens: { 'Fn::If': ['Prod', 'required', 'optional'] } }) }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 instance with requireImdsv2 (CDK writes a launch template, referenced by name)', () => {
      const stack = new Stack(new App(), 'S', { env: { region: 'eu-central-1' } });
      new ec2.Instance(stack, 'I', { vpc: new ec2.Vpc(stack, 'Vpc'), ...machine(), requireImdsv2: true });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('an L2 launch template with requireImdsv2 used by an auto-scaling group', () => {
      const stack = new Stack(new App(), 'S', { env: { region: 'eu-central-1' } });
      const template2 = new ec2.LaunchTemplate(stack, 'LT', { ...machine(), requireImdsv2: true });
      new autoscaling.AutoScalingGroup(stack, 'Asg', { vpc: new ec2.Vpc(stack, 'Vpc'), launchTemplate: template2 });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('the metadata endpoint turned off, and every Fn::If branch requiring tokens', () => {
      const t = template({ A: lt({ HttpEndpoint: 'disabled' }, 'a'), B: lt({ HttpTokens: { 'Fn::If': ['Prod', 'required', 'required'] } }, 'b') }, COND);
      expect(findings(t, RULE)).toEqual([]);
    });

    it('an instance launched from a launch template of another template (cross-stack import)', () => {
      const a = template({ LT: lt({ HttpTokens: 'required' }) }, { Outputs: { Id: { Value: { Ref: 'LT' }, Export: { Name: 'lt-id' } } } });
      const b = template({ I: instance({ LaunchTemplate: { LaunchTemplateId: { 'Fn::ImportValue': 'lt-id' }, Version: '1' } }) });
      expect(runOnTemplates([a, b], RULE).findings).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('HttpTokens from a parameter is unverifiable', () => {
      const t = template({ LT: lt({ HttpTokens: { Ref: 'Tokens' } }) }, { Parameters: { Tokens: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Tokens') }]);
    });

    it('an instance launched from a launch template outside the app is unverifiable', () => {
      const t = template({ I: instance({ LaunchTemplate: { LaunchTemplateName: 'shared-hardened', Version: '3' } }) });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining("'shared-hardened' is not part of the app") }]);
    });
  });
});
