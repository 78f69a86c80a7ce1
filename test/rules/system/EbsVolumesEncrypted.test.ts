import { App, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'EbsVolumesEncrypted';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const machine = () => ({ instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.genericLinux({ 'eu-central-1': 'ami-1' }) });
const ENV = { env: { region: 'eu-central-1' } };
const mapping = (ebs: Record<string, unknown>) => [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 8, ...ebs } }];

describe('SRM-IIP-SYS-03: EBS volumes of EC2 capacity are encrypted explicitly', () => {
  it('is exported from the package root', () => {
    expect(kit.EbsVolumesEncrypted.controlId).toBe('SRM-IIP-SYS-03');
  });

  describe('Noncompliance', () => {
    it('1: an L2 instance without block devices relies on the account default', () => {
      const stack = new Stack(new App(), 'S', ENV);
      new ec2.Instance(stack, 'I', { vpc: new ec2.Vpc(stack, 'Vpc'), ...machine() });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toMatchObject([{ controlId: 'SRM-IIP-SYS-03', ruleId: RULE, kind: 'violation', resourceType: 'AWS::EC2::Instance', location: 'BlockDeviceMappings' }]);
      expect(fs[0].message).toContain("relies on the account's EBS encryption-by-default");
    });

    it('2: an L2 instance with an unencrypted block device', () => {
      const stack = new Stack(new App(), 'S', ENV);
      new ec2.Instance(stack, 'I', { vpc: new ec2.Vpc(stack, 'Vpc'), ...machine(), blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(8, { encrypted: false }) }] });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', location: 'BlockDeviceMappings.0.Ebs.Encrypted', message: expect.stringContaining('unencrypted') }]);
    });

    it('3: an L1 launch template with Ebs.Encrypted unset', () => {
      const t = template({ LT: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { BlockDeviceMappings: mapping({}) } } } });
      expect(findings(t, RULE)).toMatchObject([
        { kind: 'violation', location: 'LaunchTemplateData.BlockDeviceMappings.0.Ebs.Encrypted', message: expect.stringContaining('encryption-by-default') },
      ]);
    });

    it('4: an L2 auto-scaling group with a launch configuration and no block devices', () => {
      const stack = new Stack(new App(), 'S', ENV);
      new autoscaling.AutoScalingGroup(stack, 'Asg', { vpc: new ec2.Vpc(stack, 'Vpc'), ...machine() });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', resourceType: 'AWS::AutoScaling::LaunchConfiguration' }]);
    });

    it('5: a launch template without mappings used by an auto-scaling group', () => {
      const t = template({
        LT: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { ImageId: 'ami-1' } } },
        G: { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { MinSize: '1', MaxSize: '2', LaunchTemplate: { LaunchTemplateId: { Ref: 'LT' }, Version: '1' } } },
      });
      expect(findings(t, RULE)).toMatchObject([{ logicalId: 'LT', kind: 'violation', message: expect.stringContaining('LaunchTemplateData.BlockDeviceMappings is not set') }]);
    });

    it('6: one branch of Fn::If leaves a volume unencrypted', () => {
      const t = template({ I: { Type: 'AWS::EC2::Instance', Properties: { BlockDeviceMappings: mapping({ Encrypted: { 'Fn::If': ['Prod', true, false] } }) } } }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 instance with encrypted block devices and requireImdsv2 (its launch template has no mappings of its own)', () => {
      const stack = new Stack(new App(), 'S', ENV);
      new ec2.Instance(stack, 'I', {
        vpc: new ec2.Vpc(stack, 'Vpc'),
        ...machine(),
        requireImdsv2: true,
        blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(8, { encrypted: true }) }],
      });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('an L2 launch template with encrypted devices, and instance-store or suppressed mappings', () => {
      const stack = new Stack(new App(), 'S', ENV);
      new ec2.LaunchTemplate(stack, 'LT', {
        ...machine(),
        blockDevices: [
          { deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(8, { encrypted: true }) },
          { deviceName: '/dev/sdb', volume: ec2.BlockDeviceVolume.ephemeral(0) },
          { deviceName: '/dev/sdc', volume: ec2.BlockDeviceVolume.ephemeral(1), mappingEnabled: false },
        ],
      });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('an instance without mappings that launches from an encrypting template of another template', () => {
      const a = template(
        { LT: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { BlockDeviceMappings: mapping({ Encrypted: true }) } } } },
        { Outputs: { Id: { Value: { Ref: 'LT' }, Export: { Name: 'lt' } } } },
      );
      const b = template({ I: { Type: 'AWS::EC2::Instance', Properties: { LaunchTemplate: { LaunchTemplateId: { 'Fn::ImportValue': 'lt' }, Version: '1' } } } });
      expect(runOnTemplates([a, b], RULE).findings).toEqual([]);
    });

    it('every Fn::If branch encrypts', () => {
      const t = template({ I: { Type: 'AWS::EC2::Instance', Properties: { BlockDeviceMappings: mapping({ Encrypted: { 'Fn::If': ['Prod', true, 'true'] } }) } } }, COND);
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('Encrypted from a parameter is unverifiable', () => {
      const t = template({ I: { Type: 'AWS::EC2::Instance', Properties: { BlockDeviceMappings: mapping({ Encrypted: { Ref: 'Enc' } }) } } }, { Parameters: { Enc: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Enc') }]);
    });

    it('an instance without mappings launched from a template outside the app is unverifiable', () => {
      const t = template({ I: { Type: 'AWS::EC2::Instance', Properties: { LaunchTemplate: { LaunchTemplateId: 'lt-0123456789abcdef0', Version: '1' } } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('lt-0123456789abcdef0') }]);
    });
  });
});
