import { App, CfnCondition, CfnParameter, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import * as kit from '../../index';
import { appWithStack, ENV, envStack, expectCleanUnderAllPacks, expectSrmIipError, kitFindings } from '../support/construct-helpers';

const PROVIDED = ['SRM-IIP-OPS-03', 'SRM-IIP-OPS-04'];

type Res = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };
type Statement = { Sid?: string; Effect: string; Principal?: any; Action: string | string[]; Condition?: any; Resource?: unknown };

function make(props: kit.IipSecurityMonitoringProps = {}, env = true): { app: App; stack: Stack; mon: kit.IipSecurityMonitoring } {
  const { app, stack } = appWithStack(env ? ENV : false);
  const mon = new kit.IipSecurityMonitoring(stack, 'Mon', props);
  return { app, stack, mon };
}

function expectError(props: kit.IipSecurityMonitoringProps, message: string): void {
  expectSrmIipError(() => make(props), message);
}

function logicalId(stack: Stack, c: { node: { defaultChild?: unknown } } | CfnResource): string {
  return stack.getLogicalId((c instanceof CfnResource ? c : c.node.defaultChild) as CfnResource);
}

describe('IipSecurityMonitoring', () => {
  describe('secure defaults', () => {
    const { stack, mon } = make();
    const t = Template.fromStack(stack);
    const res = t.toJSON().Resources as Record<string, Res>;
    const keyId = logicalId(stack, mon.encryptionKey as kms.Key);
    const topicId = logicalId(stack, mon.alertTopic);
    const roleId = logicalId(stack, mon.configRole!);
    const bucketId = logicalId(stack, mon.configBucket as s3.Bucket);
    const keyStatements = res[keyId].Properties.KeyPolicy.Statement as Statement[];
    const ruleIds = mon.alertRules.map((r) => logicalId(stack, r));

    it('creates a key, the alert topic and its policy, GuardDuty, Security Hub with one standard, AWS Config with its role and bucket, and three rules (16 resources)', () => {
      expect(Object.values(res).map((r) => r.Type).sort()).toEqual([
        'AWS::Config::ConfigurationRecorder',
        'AWS::Config::DeliveryChannel',
        'AWS::Events::Rule',
        'AWS::Events::Rule',
        'AWS::Events::Rule',
        'AWS::GuardDuty::Detector',
        'AWS::IAM::Role',
        'AWS::KMS::Key',
        'AWS::S3::Bucket',
        'AWS::S3::Bucket',
        'AWS::S3::BucketPolicy',
        'AWS::S3::BucketPolicy',
        'AWS::SNS::Topic',
        'AWS::SNS::TopicPolicy',
        'AWS::SecurityHub::Hub',
        'AWS::SecurityHub::Standard',
      ]);
    });

    it('the key rotates yearly, has a 30-day deletion window and is retained (SYS-02, SYS-08)', () => {
      t.hasResource('AWS::KMS::Key', { Properties: Match.objectLike({ EnableKeyRotation: true, RotationPeriodInDays: 365, PendingWindowInDays: 30 }), DeletionPolicy: 'Retain' });
    });

    it('a GuardDuty detector, enabled, publishing every 15 minutes, with every agentless protection plan (OPS-03)', () => {
      t.hasResourceProperties('AWS::GuardDuty::Detector', {
        Enable: true,
        FindingPublishingFrequency: 'FIFTEEN_MINUTES',
        Features: ['S3_DATA_EVENTS', 'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS', 'LAMBDA_NETWORK_LOGS'].map((Name) => ({ Name, Status: 'ENABLED' })),
      });
    });

    it('Security Hub with consolidated control findings, and the AWS Foundational Security Best Practices standard after the hub (OPS-03)', () => {
      t.hasResourceProperties('AWS::SecurityHub::Hub', { EnableDefaultStandards: false, ControlFindingGenerator: 'SECURITY_CONTROL', AutoEnableControls: true });
      const standards = Object.values(res).filter((r) => r.Type === 'AWS::SecurityHub::Standard');
      expect(standards).toHaveLength(1);
      expect(standards[0].Properties.StandardsArn).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':securityhub:eu-central-1::standards/aws-foundational-security-best-practices/v/1.0.0']],
      });
      expect(standards[0].DependsOn).toEqual([logicalId(stack, mon.hub!)]);
    });

    it('an AWS Config recorder of every supported resource type, global types included, recording continuously (OPS-03)', () => {
      t.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
        RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: true },
        RecordingMode: { RecordingFrequency: 'CONTINUOUS' },
        RoleARN: { 'Fn::GetAtt': [roleId, 'Arn'] },
      });
    });

    it('the recorder role is trusted only by AWS Config for this account, with the AWS-managed AWS_ConfigRole policy', () => {
      t.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'config.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } }],
        },
        ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWS_ConfigRole']] }],
      });
      expect(res[roleId].Properties.Policies).toBeUndefined();
    });

    it('a delivery channel into the Config bucket, encrypted with the key, created after the recorder and the bucket policy', () => {
      const channel = Object.values(res).find((r) => r.Type === 'AWS::Config::DeliveryChannel')!;
      expect(channel.Properties).toEqual({
        S3BucketName: { Ref: bucketId },
        S3KmsKeyArn: { 'Fn::GetAtt': [keyId, 'Arn'] },
        ConfigSnapshotDeliveryProperties: { DeliveryFrequency: 'TwentyFour_Hours' },
      });
      const policyId = logicalId(stack, (mon.configBucket as s3.Bucket).policy!);
      expect(channel.DependsOn?.sort()).toEqual([logicalId(stack, mon.configRecorder!), policyId].sort());
    });

    it('the Config bucket is KMS-encrypted with the key, versioned, private and TLS-only (SYS-01, COM-01, ACC-06)', () => {
      const b = res[bucketId].Properties;
      expect(b.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({ SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } });
      expect(b.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(b.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      t.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucketId },
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    });

    it('the bucket policy lets AWS Config (bound to this account) and the recorder role deliver under AWSLogs/<account>/Config/ only', () => {
      const policy = Object.values(res).find((r) => r.Type === 'AWS::S3::BucketPolicy' && r.Properties.Bucket.Ref === bucketId)!;
      const statements = policy.Properties.PolicyDocument.Statement as Statement[];
      const objects = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/AWSLogs/111122223333/Config/*']] };
      expect(statements.find((s) => s.Sid === 'AWSConfigBucketDelivery')).toEqual({
        Sid: 'AWSConfigBucketDelivery',
        Effect: 'Allow',
        Principal: { Service: 'config.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: objects,
        Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceAccount': '111122223333' } },
      });
      expect(statements.find((s) => s.Sid === 'AWSConfigRoleDelivery')).toEqual({
        Sid: 'AWSConfigRoleDelivery',
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::GetAtt': [roleId, 'Arn'] } },
        Action: 's3:PutObject',
        Resource: objects,
      });
    });

    it('the alert topic is encrypted with the key and refuses publishing without TLS (SYS-01, COM-01)', () => {
      expect(res[topicId].Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
      t.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    });

    it('only the three finding rules may publish to the topic (aws:SourceArn), not any EventBridge rule', () => {
      const policy = Object.values(res).find((r) => r.Type === 'AWS::SNS::TopicPolicy')!;
      const allow = (policy.Properties.PolicyDocument.Statement as Statement[]).filter((s) => s.Effect === 'Allow');
      expect(allow).toEqual([
        {
          Sid: 'EventBridgeSecurityFindings',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: { Ref: topicId },
          Condition: { ArnEquals: { 'aws:SourceArn': ruleIds.map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] })) } },
        },
      ]);
    });

    it('the key policy lets EventBridge encrypt for the topic and AWS Config (this account) and its role encrypt deliveries', () => {
      expect(keyStatements.find((s) => s.Sid === 'EventBridgeSecurityFindings')).toMatchObject({ Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey'] });
      expect(keyStatements.find((s) => s.Sid === 'AWSConfigDelivery')).toMatchObject({
        Principal: { Service: 'config.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
      });
      expect(keyStatements.find((s) => s.Sid === 'AWSConfigRoleDelivery')).toMatchObject({ Principal: { AWS: { 'Fn::GetAtt': [roleId, 'Arn'] } } });
      expect(keyStatements.some((s) => s.Principal === '*' || s.Principal?.AWS === '*')).toBe(false);
    });

    it('EventBridge rules send GuardDuty findings of severity ≥ 7 (HIGH) to the topic (OPS-04)', () => {
      t.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'], detail: { severity: [{ numeric: ['>=', 7] }] } },
        State: 'ENABLED',
        Targets: [{ Arn: { Ref: topicId }, Id: 'Target0' }],
      });
    });

    it('… new, active Security Hub findings labelled HIGH or CRITICAL (OPS-04)', () => {
      t.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.securityhub'],
          'detail-type': ['Security Hub Findings - Imported'],
          detail: { findings: { Severity: { Label: ['HIGH', 'CRITICAL'] }, Workflow: { Status: ['NEW'] }, RecordState: ['ACTIVE'] } },
        },
        Targets: [{ Arn: { Ref: topicId }, Id: 'Target0' }],
      });
    });

    it('… and AWS Config rule evaluations that turn NON_COMPLIANT, except Security Hub\'s own control rules (already routed by severity)', () => {
      t.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.config'],
          'detail-type': ['Config Rules Compliance Change'],
          detail: {
            messageType: ['ComplianceChangeNotification'],
            configRuleName: [{ 'anything-but': { prefix: 'securityhub-' } }],
            newEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
          },
        },
        Targets: [{ Arn: { Ref: topicId }, Id: 'Target0' }],
      });
    });

    it('no IoT Device Defender audit (an account singleton that IipDeviceFleet creates by default) and no subscription', () => {
      t.resourceCountIs('AWS::IoT::AccountAuditConfiguration', 0);
      t.resourceCountIs('AWS::IoT::ScheduledAudit', 0);
      t.resourceCountIs('AWS::SNS::Subscription', 0);
      expect(mon.iotAuditConfiguration).toBeUndefined();
    });

    it('every taggable resource carries the kit tags, zone cloud-infrastructure (MGT-02)', () => {
      for (const type of ['AWS::KMS::Key', 'AWS::SNS::Topic', 'AWS::GuardDuty::Detector', 'AWS::IAM::Role', 'AWS::S3::Bucket', 'AWS::Events::Rule']) {
        for (const r of Object.values(res).filter((x) => x.Type === type)) {
          expect(r.Properties.Tags).toEqual(
            expect.arrayContaining([
              { Key: 'srm-iip:zone', Value: 'cloud-infrastructure' },
              { Key: 'srm-iip:level', Value: '1' },
              { Key: 'srm-iip:owner', Value: 'iip-platform' },
              { Key: 'srm-iip:stage', Value: 'utilization-support' },
            ]),
          );
        }
      }
      t.hasResourceProperties('AWS::SecurityHub::Hub', { Tags: { 'srm-iip:zone': 'cloud-infrastructure', 'srm-iip:level': '1', 'srm-iip:owner': 'iip-platform', 'srm-iip:stage': 'utilization-support' } });
    });
  });

  describe('props', () => {
    it('alertEmails subscribes each address to the topic', () => {
      const { stack } = make({ alertEmails: ['secops@example.com', 'plant-ot@example.org'] });
      const t = Template.fromStack(stack);
      t.resourceCountIs('AWS::SNS::Subscription', 2);
      t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'plant-ot@example.org' });
    });

    it('alertSeverity MEDIUM lowers both thresholds: GuardDuty ≥ 4, Security Hub MEDIUM and above', () => {
      const t = Template.fromStack(make({ alertSeverity: kit.FindingSeverity.MEDIUM }).stack);
      t.hasResourceProperties('AWS::Events::Rule', { EventPattern: { source: ['aws.guardduty'], detail: { severity: [{ numeric: ['>=', 4] }] } } });
      t.hasResourceProperties('AWS::Events::Rule', { EventPattern: { source: ['aws.securityhub'], detail: { findings: { Severity: { Label: ['MEDIUM', 'HIGH', 'CRITICAL'] } } } } });
    });

    it('guardDutyFeatures and securityHubStandards choose the protection plans and standards', () => {
      const { stack } = make({
        guardDutyFeatures: [kit.GuardDutyFeature.RUNTIME_MONITORING],
        securityHubStandards: [kit.SecurityHubStandard.AWS_FOUNDATIONAL_SECURITY_BEST_PRACTICES, kit.SecurityHubStandard.NIST_800_53_REV_5],
      });
      const t = Template.fromStack(stack);
      t.hasResourceProperties('AWS::GuardDuty::Detector', { Features: [{ Name: 'RUNTIME_MONITORING', Status: 'ENABLED' }] });
      t.resourceCountIs('AWS::SecurityHub::Standard', 2);
      t.hasResourceProperties('AWS::SecurityHub::Standard', {
        StandardsArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':securityhub:eu-central-1::standards/nist-800-53/v/5.0.0']] },
      });
    });

    it('includeGlobalResourceTypes: false, for the platform\'s other regions', () => {
      Template.fromStack(make({ includeGlobalResourceTypes: false }).stack).hasResourceProperties('AWS::Config::ConfigurationRecorder', {
        RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: false },
      });
    });

    it('encryptionKey and configBucket are used instead of creating them', () => {
      const stack = envStack();
      const key = new kms.Key(stack, 'SharedKey', { enableKeyRotation: true });
      const bucket = new s3.Bucket(stack, 'Central', { encryptionKey: key, enforceSSL: true, versioned: true });
      const mon = new kit.IipSecurityMonitoring(stack, 'Mon', { encryptionKey: key, configBucket: bucket });
      const t = Template.fromStack(stack);
      t.resourceCountIs('AWS::KMS::Key', 1);
      t.resourceCountIs('AWS::S3::Bucket', 1);
      expect(mon.configBucket).toBe(bucket);
      t.hasResourceProperties('AWS::Config::DeliveryChannel', { S3BucketName: { Ref: stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket) } });
      t.hasResourceProperties('AWS::S3::BucketPolicy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AWSConfigBucketDelivery' })]) } });
      t.hasResource('AWS::Config::DeliveryChannel', { DependsOn: Match.arrayWith([stack.getLogicalId(bucket.policy!.node.defaultChild as s3.CfnBucketPolicy)]) });
      t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] } });
    });

    it('enableIotAudit: every Device Defender check, notifications to the topic, and a daily audit of every check', () => {
      const { stack, mon } = make({ enableIotAudit: true });
      const t = Template.fromStack(stack);
      const roleArn = { 'Fn::GetAtt': [logicalId(stack, mon.iotAuditRole!), 'Arn'] };
      const audit = Object.values(t.toJSON().Resources as Record<string, Res>).find((r) => r.Type === 'AWS::IoT::AccountAuditConfiguration')!;
      const checks = audit.Properties.AuditCheckConfigurations as Record<string, { Enabled: boolean }>;
      expect(Object.keys(checks)).toHaveLength(17);
      expect(Object.values(checks).every((c) => c.Enabled === true)).toBe(true);
      expect(audit.Properties.AccountId).toBe('111122223333');
      expect(audit.Properties.RoleArn).toEqual(roleArn);
      expect(audit.Properties.AuditNotificationTargetConfigurations).toEqual({ Sns: { Enabled: true, TargetArn: { Ref: logicalId(stack, mon.alertTopic) }, RoleArn: roleArn } });
      t.hasResource('AWS::IoT::ScheduledAudit', {
        Properties: Match.objectLike({ Frequency: 'DAILY', TargetCheckNames: Match.arrayWith(['DEVICE_CERTIFICATE_SHARED_CHECK', 'IOT_POLICY_OVERLY_PERMISSIVE_CHECK', 'LOGGING_DISABLED_CHECK']) }),
        DependsOn: [logicalId(stack, mon.iotAuditConfiguration!)],
      });
      t.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'iot.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } })] },
        ManagedPolicyArns: Match.arrayWith([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSIoTDeviceDefenderAudit']] }]),
      });
      t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: { Statement: [Match.objectLike({ Action: 'sns:Publish', Resource: { Ref: logicalId(stack, mon.alertTopic) } }), Match.objectLike({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'] })] },
      });
    });

    it('enableIotAudit next to another audit configuration of the same account and region fails at synthesis, naming both', () => {
      const { app, stack } = make({ enableIotAudit: true });
      new iot.CfnAccountAuditConfiguration(stack, 'FleetAudit', { accountId: '111122223333', roleArn: 'arn:aws:iam::111122223333:role/x', auditCheckConfigurations: {} });
      expect(() => app.synth()).toThrow(/\[S\/Mon\] IoT Device Defender audit is configured twice for account 111122223333 in eu-central-1: here \(enableIotAudit: true\) and at S\/FleetAudit/);
    });

    it('enableGuardDuty, enableSecurityHub and enableConfig false leave those services to an organization; the alert rules stay', () => {
      const { stack, mon } = make({ enableGuardDuty: false, enableSecurityHub: false, enableConfig: false });
      const t = Template.fromStack(stack);
      for (const type of ['AWS::GuardDuty::Detector', 'AWS::SecurityHub::Hub', 'AWS::Config::ConfigurationRecorder', 'AWS::Config::DeliveryChannel', 'AWS::S3::Bucket']) t.resourceCountIs(type, 0);
      t.resourceCountIs('AWS::Events::Rule', 3);
      expect([mon.detector, mon.hub, mon.configRecorder, mon.configBucket]).toEqual([undefined, undefined, undefined, undefined]);
    });

    it('tagging props reach the nested Config bucket', () => {
      const t = Template.fromStack(make({ owner: 'secops', classificationLevel: 2 }).stack);
      t.hasResourceProperties('AWS::S3::Bucket', { Tags: Match.arrayWith([{ Key: 'srm-iip:owner', Value: 'secops' }, { Key: 'srm-iip:zone', Value: 'cloud-infrastructure' }]) });
    });
  });

  describe('bad props fail at construction with the prop, the value and what is allowed', () => {
    it('a GuardDuty feature listed twice', () => {
      expectError({ guardDutyFeatures: [kit.GuardDutyFeature.S3_DATA_EVENTS, kit.GuardDutyFeature.S3_DATA_EVENTS] }, "[S/Mon] guardDutyFeatures lists 'S3_DATA_EVENTS' twice");
    });
    it('an unknown GuardDuty feature', () => {
      expectError(
        { guardDutyFeatures: ['MAGIC' as kit.GuardDutyFeature] },
        "[S/Mon] guardDutyFeatures[0] must be one of S3_DATA_EVENTS, EKS_AUDIT_LOGS, EBS_MALWARE_PROTECTION, RDS_LOGIN_EVENTS, LAMBDA_NETWORK_LOGS, RUNTIME_MONITORING, got 'MAGIC'",
      );
    });
    it('a Security Hub standard listed twice', () => {
      expectError(
        { securityHubStandards: [kit.SecurityHubStandard.PCI_DSS_3_2_1, kit.SecurityHubStandard.PCI_DSS_3_2_1] },
        "[S/Mon] securityHubStandards lists 'pci-dss/v/3.2.1' twice",
      );
    });
    it('an unknown alert severity', () => {
      expectError({ alertSeverity: 'LOW' as kit.FindingSeverity }, "[S/Mon] alertSeverity must be one of MEDIUM, HIGH, CRITICAL, got 'LOW'");
    });
    it('guardDutyFeatures without a detector', () => {
      expectError(
        { enableGuardDuty: false, guardDutyFeatures: [] },
        '[S/Mon] guardDutyFeatures needs enableGuardDuty: true; without a detector there is nothing to switch the features on, got enableGuardDuty: false',
      );
    });
    it('securityHubStandards without a hub', () => {
      expectError(
        { enableSecurityHub: false, securityHubStandards: [kit.SecurityHubStandard.CIS_AWS_FOUNDATIONS_3_0_0] },
        '[S/Mon] securityHubStandards needs enableSecurityHub: true; standards belong to a hub, got enableSecurityHub: false',
      );
    });
    it('Config props without the recorder', () => {
      expectError(
        { enableConfig: false, includeGlobalResourceTypes: false },
        '[S/Mon] configBucket and includeGlobalResourceTypes need enableConfig: true; they configure the AWS Config recorder, got enableConfig: false',
      );
    });
    it('an alert e-mail that is not an address', () => {
      expectError({ alertEmails: ['secops@example.com', 'secops at example'] }, "[S/Mon] alertEmails[1] must be an e-mail address such as secops@example.com, got 'secops at example'");
    });
    it('an alert e-mail listed twice (case-insensitively)', () => {
      expectError({ alertEmails: ['secops@example.com', 'SecOps@example.com'] }, "[S/Mon] alertEmails lists 'SecOps@example.com' twice");
    });
  });

  it('an unresolved token passes validation (an e-mail from a CloudFormation parameter)', () => {
    const stack = envStack();
    const email = new CfnParameter(stack, 'AlertEmail', { type: 'String' });
    new kit.IipSecurityMonitoring(stack, 'Mon', { alertEmails: [email.valueAsString] });
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Subscription', { Endpoint: { Ref: 'AlertEmail' } });
  });

  describe('deliberate weakening is visible as a warning naming the control', () => {
    const cases: Array<[string, kit.IipSecurityMonitoringProps, string]> = [
      ['enableGuardDuty: false', { enableGuardDuty: false }, 'SRM-IIP-OPS-03'],
      ['enableSecurityHub: false', { enableSecurityHub: false }, 'SRM-IIP-OPS-03'],
      ['enableConfig: false', { enableConfig: false }, 'SRM-IIP-OPS-03'],
      ['guardDutyFeatures: []', { guardDutyFeatures: [] }, 'SRM-IIP-OPS-03'],
      ['securityHubStandards: []', { securityHubStandards: [] }, 'SRM-IIP-OPS-03'],
      ['alertSeverity: CRITICAL', { alertSeverity: kit.FindingSeverity.CRITICAL }, 'SRM-IIP-OPS-04'],
    ];
    for (const [what, props, control] of cases) {
      it(`${what} → ${control}`, () => {
        const { stack } = make(props);
        Annotations.fromStack(stack).hasWarning('/S/Mon', Match.stringLikeRegexp(control));
      });
    }
    it('the defaults warn about nothing', () => {
      expect(Annotations.fromStack(make().stack).findWarning('*', Match.stringLikeRegexp('SRM-IIP'))).toEqual([]);
    });
  });

  describe('packs: alone in a stack, with default props', () => {
    for (const [what, props] of [
      ['default props', {}],
      ['enableIotAudit: true', { enableIotAudit: true }],
    ] as Array<[string, kit.IipSecurityMonitoringProps]>) {
      it(`${what}: SrmIipChecks, AwsSolutionsChecks and NIST80053R5Checks report no unacknowledged error; every acknowledgement has a specific reason`, () => {
        const { app } = make(props);
        const r = expectCleanUnderAllPacks(app, PROVIDED);
        // OPS-03 and OPS-04 are provided here, not acknowledged.
        expect(r.acknowledgements.filter((a) => a.scope === '' && PROVIDED.includes(a.id))).toEqual([]);
      });
    }
  });

  describe('mutation: a secure default switched off through an escape hatch is reported', () => {
    function mutated(change: (mon: kit.IipSecurityMonitoring, stack: Stack) => void, props: kit.IipSecurityMonitoringProps = {}): string[] {
      const { app, stack, mon } = make(props);
      change(mon, stack);
      return kitFindings(app, PROVIDED);
    }
    const never = (stack: Stack) => new CfnCondition(stack, 'Never', { expression: Fn.conditionEquals('a', 'b') });
    const baseline = mutated(() => undefined);

    it('the unmutated construct reports none of the controls below', () => {
      for (const id of ['SRM-IIP-OPS-03', 'SRM-IIP-OPS-04', 'SRM-IIP-SYS-01', 'SRM-IIP-SYS-02', 'SRM-IIP-COM-01', 'SRM-IIP-MGT-02']) expect(baseline).not.toContain(id);
    });
    it('GuardDuty detector disabled (Enable false) → SRM-IIP-OPS-03', () => {
      expect(mutated((m) => m.detector!.addPropertyOverride('Enable', false))).toContain('SRM-IIP-OPS-03');
    });
    it('Security Hub hub never created (a false condition) → SRM-IIP-OPS-03', () => {
      expect(mutated((m, s) => (m.hub!.cfnOptions.condition = never(s)))).toContain('SRM-IIP-OPS-03');
    });
    it('recorder limited to selected resource types (AllSupported false) → SRM-IIP-OPS-03', () => {
      expect(mutated((m) => m.configRecorder!.addPropertyOverride('RecordingGroup.AllSupported', false))).toContain('SRM-IIP-OPS-03');
    });
    it('delivery channel never created → SRM-IIP-OPS-03', () => {
      expect(mutated((m, s) => (m.deliveryChannel!.cfnOptions.condition = never(s)))).toContain('SRM-IIP-OPS-03');
    });
    it('IoT audit configuration and scheduled audit never created while the app uses AWS IoT → SRM-IIP-OPS-03', () => {
      const ids = mutated(
        (m, s) => {
          new iot.CfnThing(s, 'Press', { thingName: 'press-1' });
          const c = never(s);
          m.iotAuditConfiguration!.cfnOptions.condition = c;
          m.iotScheduledAudit!.cfnOptions.condition = c;
        },
        { enableIotAudit: true },
      );
      expect(ids).toContain('SRM-IIP-OPS-03');
    });
    it('the GuardDuty and Security Hub rules disabled (State DISABLED) → SRM-IIP-OPS-04', () => {
      expect(
        mutated((m) => {
          for (const r of m.alertRules.slice(0, 2)) (r.node.defaultChild as CfnResource).addPropertyOverride('State', 'DISABLED');
        }),
      ).toContain('SRM-IIP-OPS-04');
    });
    it('alert topic without its key (KmsMasterKeyId removed) → SRM-IIP-OPS-04 and SRM-IIP-SYS-01', () => {
      const ids = mutated((m) => (m.alertTopic.node.defaultChild as sns.CfnTopic).addPropertyDeletionOverride('KmsMasterKeyId'));
      expect(ids).toContain('SRM-IIP-OPS-04');
      expect(ids).toContain('SRM-IIP-SYS-01');
    });
    it('topic policy without the TLS deny → SRM-IIP-COM-01', () => {
      const ids = mutated((m) => {
        const policy = m.alertTopic.node.findChild('Policy').node.defaultChild as CfnResource;
        policy.addPropertyOverride('PolicyDocument.Statement.0.Condition', { Bool: { 'aws:MultiFactorAuthPresent': 'false' } });
      });
      expect(ids).toContain('SRM-IIP-COM-01');
    });
    it('Config bucket without default encryption → SRM-IIP-SYS-01', () => {
      expect(mutated((m) => ((m.configBucket as s3.Bucket).node.defaultChild as s3.CfnBucket).addPropertyDeletionOverride('BucketEncryption'))).toContain('SRM-IIP-SYS-01');
    });
    it('key rotation off → SRM-IIP-SYS-02', () => {
      expect(mutated((m) => ((m.encryptionKey as kms.Key).node.defaultChild as kms.CfnKey).addPropertyOverride('EnableKeyRotation', false))).toContain('SRM-IIP-SYS-02');
    });
    it('detector tags removed → SRM-IIP-MGT-02', () => {
      expect(mutated((m) => m.detector!.addPropertyDeletionOverride('Tags'))).toContain('SRM-IIP-MGT-02');
    });
  });
});
