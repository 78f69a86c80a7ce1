import { App, Stack } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template, type Resources } from '../../support/harness';

const RULE = 'SecurityMonitoringEnabled';
const ALL: Resources = {
  Detector: { Type: 'AWS::GuardDuty::Detector', Properties: { Enable: true } },
  Hub: { Type: 'AWS::SecurityHub::Hub', Properties: {} },
  Recorder: { Type: 'AWS::Config::ConfigurationRecorder', Properties: { RoleARN: 'arn:aws:iam::1:role/config', RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: true } } },
  Channel: { Type: 'AWS::Config::DeliveryChannel', Properties: { S3BucketName: 'config' } },
};
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const messages = (fs: { message: string }[]) => fs.map((f) => f.message);

describe('SRM-IIP-OPS-03: GuardDuty, Security Hub, AWS Config and (with IoT) Device Defender audit are on', () => {
  it('is exported from the package root', () => {
    expect(kit.SecurityMonitoringEnabled.controlId).toBe('SRM-IIP-OPS-03');
    expect(kit.recordsAllResourceTypes('ALL_SUPPORTED_RESOURCE_TYPES', undefined)).toBe(true);
    expect(kit.recordsAllResourceTypes('INCLUSION_BY_RESOURCE_TYPES', true)).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an app without any monitoring gets one app-level violation per service, naming it', () => {
      const r = runOnTemplates([template({ B: { Type: 'AWS::S3::Bucket' } }), template({ Q: { Type: 'AWS::SQS::Queue' } })], RULE);
      expect(r.findings.every((f) => f.kind === 'violation' && f.controlId === 'SRM-IIP-OPS-03' && f.logicalId === undefined)).toBe(true);
      expect(messages(r.findings)).toEqual([
        expect.stringMatching(/^GuardDuty is not enabled: no AWS::GuardDuty::Detector in any of the 2 stacks: Stack0, Stack1/),
        expect.stringMatching(/^Security Hub is not enabled/),
        expect.stringMatching(/^AWS Config recording is not enabled/),
        expect.stringMatching(/^AWS Config delivery .* is not enabled/),
      ]);
    });

    it('2: a disabled detector is named', () => {
      const fs = findings(template({ ...ALL, Detector: { Type: 'AWS::GuardDuty::Detector', Properties: { Enable: false } } }), RULE);
      expect(messages(fs)).toEqual([expect.stringContaining('GuardDuty is not enabled: Detector (AWS::GuardDuty::Detector) in stack Stack0 has Enable false')]);
    });

    it('3: a recorder that records only selected types', () => {
      const fs = findings(template({ ...ALL, Recorder: { Type: 'AWS::Config::ConfigurationRecorder', Properties: { RoleARN: 'r', RecordingGroup: { AllSupported: false, ResourceTypes: ['AWS::S3::Bucket'] } } } }), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining('records only selected resource types') }]);
    });

    it('4: IoT in use without Device Defender audit (L2/L1 mix: an IoT thing from CDK)', () => {
      const stack = new Stack(new App(), 'Devices');
      new iot.CfnThing(stack, 'Thing', {});
      new guardduty.CfnDetector(stack, 'Detector', { enable: true });
      new securityhub.CfnHub(stack, 'Hub', {});
      new config.CfnConfigurationRecorder(stack, 'Recorder', { roleArn: 'arn:aws:iam::1:role/c' });
      new config.CfnDeliveryChannel(stack, 'Channel', { s3BucketName: 'b' });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining('IoT Device Defender audit (the app uses AWS IoT) is not enabled') }]);
    });

    it('5: an audit configuration with every check disabled', () => {
      const t = template({
        ...ALL,
        Thing: { Type: 'AWS::IoT::Thing' },
        Audit: { Type: 'AWS::IoT::AccountAuditConfiguration', Properties: { AccountId: '1', RoleArn: 'r', AuditCheckConfigurations: { LoggingDisabledCheck: { Enabled: false } } } },
      });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('enables no audit check') }]);
    });

    it('6: one branch of Fn::If disables the detector', () => {
      const t = template({ ...ALL, Detector: { Type: 'AWS::GuardDuty::Detector', Properties: { Enable: { 'Fn::If': ['Prod', true, false] } } } }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('GuardDuty is not enabled') }]);
    });
  });

  describe('Compliance', () => {
    it('every service in its own stack of one app (L1 constructs from CDK)', () => {
      const app = new App();
      new guardduty.CfnDetector(new Stack(app, 'Detection'), 'Detector', { enable: true });
      new securityhub.CfnHub(new Stack(app, 'Hub'), 'Hub', {});
      const cfg = new Stack(app, 'Config');
      new config.CfnConfigurationRecorder(cfg, 'Recorder', { roleArn: 'arn:aws:iam::1:role/c', recordingGroup: { recordingStrategy: { useOnly: 'ALL_SUPPORTED_RESOURCE_TYPES' }, allSupported: true } });
      new config.CfnDeliveryChannel(cfg, 'Channel', { s3BucketName: 'b' });
      expect(findingsForApp(app, RULE)).toEqual([]);
    });

    it('IoT with a scheduled audit in another stack', () => {
      const r = runOnTemplates([template({ ...ALL, Thing: { Type: 'AWS::IoT::Thing' } }), template({ Sched: { Type: 'AWS::IoT::ScheduledAudit', Properties: { Frequency: 'DAILY', TargetCheckNames: ['LOGGING_DISABLED_CHECK'] } } })], RULE);
      expect(r.findings).toEqual([]);
    });

    it('a recorder with no recording group records everything; Security Hub V2 counts', () => {
      const t = template({ ...ALL, Hub: { Type: 'AWS::SecurityHub::HubV2', Properties: {} }, Recorder: { Type: 'AWS::Config::ConfigurationRecorder', Properties: { RoleARN: 'r' } } });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('every branch of Fn::If enables the detector', () => {
      const t = template({ ...ALL, Detector: { Type: 'AWS::GuardDuty::Detector', Properties: { Enable: { 'Fn::If': ['Prod', true, 'true'] } } } }, COND);
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a detector switched by a parameter is unverifiable', () => {
      const t = template({ ...ALL, Detector: { Type: 'AWS::GuardDuty::Detector', Properties: { Enable: { Ref: 'On' } } } }, { Parameters: { On: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter On') }]);
    });

    it('a hub that only exists under an unknown condition is unverifiable', () => {
      const t = template({ ...ALL, Hub: { Type: 'AWS::SecurityHub::Hub', Condition: 'Prod', Properties: {} } }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('Security Hub') }]);
    });
  });
});
