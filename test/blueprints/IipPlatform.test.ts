import { App, Stack, Stage, Tags, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import * as kit from '../../index';
import { IipPlatform, IipPlatformProps } from '../../blueprints/IipPlatform';
import { SecurityLevel, securityLevelProfile } from '../../blueprints/security-levels';
import { describeViolations, kitControlIds, PackResults, runAllPacks, vagueReasons } from '../support/packs';

const ENV = { account: '111122223333', region: 'eu-central-1' };
const CSR = '-----BEGIN CERTIFICATE REQUEST-----\nMIIBWjCCAQACAQAwHjEcMBoGA1UEAwwTcHJlc3MtMDEuZmFjdG9yeS5leDBZMBMG\nByqGSM49AgEGCCqGSM49AwEHA0IABA==\n-----END CERTIFICATE REQUEST-----\n';
const ACME: kit.PartnerSpec = { name: 'acme', accountId: '444455556666', externalId: 'acme-iip-2024' };
const APP_LEVEL = ['SRM-IIP-OPS-01', 'SRM-IIP-OPS-03', 'SRM-IIP-OPS-04', 'SRM-IIP-OPS-05', 'SRM-IIP-MGT-03'];

type Res = { Type: string; Properties: Record<string, any> };

/** A full platform: every optional part on. */
const FULL: IipPlatformProps = {
  platformName: 'plant',
  env: ENV,
  securityLevel: SecurityLevel.SL3,
  classificationLevels: 2,
  allowedRegions: ['eu-central-1', 'eu-west-1'],
  partners: [ACME],
  siteConnections: [{ name: 'PlantA', plantPublicIp: '203.0.113.10', staticRoutes: ['192.168.10.0/24'] }],
  devices: [{ name: 'press-01', csr: CSR }],
  coreDevices: [{ name: 'line1-gateway', csr: CSR }],
};

function build(props: IipPlatformProps = {}, app = new App()): { app: App; platform: IipPlatform } {
  return { app, platform: new IipPlatform(app, 'P', props) };
}

function resources(stack: Stack): Record<string, Res> {
  return Template.fromStack(stack).toJSON().Resources as Record<string, Res>;
}
function ofType(stack: Stack, type: string): Res[] {
  return Object.values(resources(stack)).filter((r) => r.Type === type);
}

function expectError(props: IipPlatformProps, message: string): void {
  let error: unknown;
  try {
    build(props);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(kit.SrmIipError);
  expect((error as Error).message).toBe(message);
}

/** The three packs, with the options the platform recommends; cdk-nag warnings too (they fail `cdk synth`). */
function packs(app: App, platform: IipPlatform): PackResults & { nagWarnings: string[] } {
  const r = runAllPacks(app, platform.checkOptions);
  const warnings = [new AwsSolutionsChecks(app), new NIST80053R5Checks(app)].flatMap((p) => describeViolations(p.validateScope(app).violations));
  return { ...r, nagWarnings: warnings };
}

function expectClean(r: ReturnType<typeof packs>): void {
  expect(describeViolations(r.srmIip)).toEqual([]);
  expect(describeViolations(r.awsSolutions)).toEqual([]);
  expect(describeViolations(r.nist)).toEqual([]);
  expect(r.nagWarnings).toEqual([]);
  expect(vagueReasons(r.acknowledgements)).toEqual([]);
}

describe('securityLevelProfile', () => {
  it('SL1 and SL2 are the kit baseline', () => {
    for (const level of [SecurityLevel.SL1, SecurityLevel.SL2]) {
      expect(securityLevelProfile(level)).toEqual({
        level,
        wafOnEveryEntryPoint: false,
        dedicatedTenancyForTopLevel: false,
        edgeCredentialDurationSeconds: 3600,
        partnerMaxSessionDurationHours: 1,
        keyRotationPeriodDays: 365,
        alertSeverity: kit.FindingSeverity.HIGH,
        minPasswordLength: 14,
        apiRateLimitPer5Minutes: 2000,
        logRetentionFloorDays: 365,
        defaultLogRetentionDays: 365,
        backupDailyRetentionDays: 35,
        backupMonthlyRetentionDays: 365,
        deviceAuditFrequency: kit.AuditFrequency.WEEKLY,
      });
    }
  });

  it('SL3 adds WAF everywhere, dedicated tenancy, 15-minute edge credentials, 180-day rotation, MEDIUM alerts, 16-character passwords', () => {
    expect(securityLevelProfile(SecurityLevel.SL3)).toEqual({
      level: SecurityLevel.SL3,
      wafOnEveryEntryPoint: true,
      dedicatedTenancyForTopLevel: true,
      edgeCredentialDurationSeconds: 900,
      partnerMaxSessionDurationHours: 1,
      keyRotationPeriodDays: 180,
      alertSeverity: kit.FindingSeverity.MEDIUM,
      minPasswordLength: 16,
      apiRateLimitPer5Minutes: 1000,
      logRetentionFloorDays: 365,
      defaultLogRetentionDays: 365,
      backupDailyRetentionDays: 35,
      backupMonthlyRetentionDays: 730,
      deviceAuditFrequency: kit.AuditFrequency.DAILY,
    });
  });

  it('SL4 adds 90-day rotation, a 731-day log floor, three-year monthly backups and a tighter rate limit', () => {
    expect(securityLevelProfile(SecurityLevel.SL4)).toEqual({
      level: SecurityLevel.SL4,
      wafOnEveryEntryPoint: true,
      dedicatedTenancyForTopLevel: true,
      edgeCredentialDurationSeconds: 900,
      partnerMaxSessionDurationHours: 1,
      keyRotationPeriodDays: 90,
      alertSeverity: kit.FindingSeverity.MEDIUM,
      minPasswordLength: 16,
      apiRateLimitPer5Minutes: 500,
      logRetentionFloorDays: 731,
      defaultLogRetentionDays: 731,
      backupDailyRetentionDays: 35,
      backupMonthlyRetentionDays: 1096,
      deviceAuditFrequency: kit.AuditFrequency.DAILY,
    });
  });

  it('never loosens from one level to the next', () => {
    const p = [SecurityLevel.SL1, SecurityLevel.SL2, SecurityLevel.SL3, SecurityLevel.SL4].map(securityLevelProfile);
    for (let i = 1; i < p.length; i++) {
      expect(p[i].edgeCredentialDurationSeconds).toBeLessThanOrEqual(p[i - 1].edgeCredentialDurationSeconds);
      expect(p[i].keyRotationPeriodDays).toBeLessThanOrEqual(p[i - 1].keyRotationPeriodDays);
      expect(p[i].minPasswordLength).toBeGreaterThanOrEqual(p[i - 1].minPasswordLength);
      expect(p[i].apiRateLimitPer5Minutes).toBeLessThanOrEqual(p[i - 1].apiRateLimitPer5Minutes);
      expect(p[i].logRetentionFloorDays).toBeGreaterThanOrEqual(p[i - 1].logRetentionFloorDays);
      expect(p[i].backupMonthlyRetentionDays).toBeGreaterThanOrEqual(p[i - 1].backupMonthlyRetentionDays);
    }
  });

  it('returns a copy, so callers cannot change the table', () => {
    const a = securityLevelProfile(SecurityLevel.SL3) as { keyRotationPeriodDays: number };
    a.keyRotationPeriodDays = 365;
    expect(securityLevelProfile(SecurityLevel.SL3).keyRotationPeriodDays).toBe(180);
  });

  it('refuses a value that is not a level', () => {
    expect(() => securityLevelProfile('SL5' as SecurityLevel)).toThrow(kit.SrmIipError);
    expect(() => securityLevelProfile('SL5' as SecurityLevel)).toThrow("securityLevel must be one of SL1, SL2, SL3, SL4, got 'SL5'");
  });
});

describe('IipPlatform (SL3, two levels, every part on)', () => {
  const { app, platform } = build(FULL);
  const r = packs(app, platform);
  const [security, network, edge, plat, application] = platform.stacks;

  it('splits into five stacks named after the platform, deployed security first', () => {
    expect(platform.stacks.map((s) => s.stackName)).toEqual(['plant-security', 'plant-network', 'plant-edge', 'plant-platform', 'plant-application']);
    expect(platform.stacks.map((s) => s.node.path)).toEqual(['P/Security', 'P/Network', 'P/Edge', 'P/Platform', 'P/Application']);
    for (const s of platform.stacks.slice(1)) expect(s.dependencies).toContain(security);
    expect(application.dependencies).toContain(plat);
    for (const s of platform.stacks) {
      expect(s.account).toBe('111122223333');
      expect(s.region).toBe('eu-central-1');
    }
  });

  it('resource counts per stack (regression net)', () => {
    expect(platform.stacks.map((s) => Object.keys(resources(s)).length)).toEqual([38, 181, 34, 16, 22]);
  });

  it('security stack: key ring per level, multi-region trail on the ring\'s logs key, GuardDuty, Security Hub, Config, locked backup vault', () => {
    expect(ofType(security, 'AWS::KMS::Key')).toHaveLength(5 * 2 + 1);
    expect(platform.keyRing.keys).toHaveLength(10);
    expect(platform.auditTrail.encryptionKey).toBe(platform.keyRing.key(kit.KeyPurpose.LOGS, 1));
    expect(platform.backupPlan.encryptionKey).toBe(platform.keyRing.key(kit.KeyPurpose.BACKUP, 1));
    const [trail] = ofType(security, 'AWS::CloudTrail::Trail');
    expect(trail.Properties).toMatchObject({ IsMultiRegionTrail: true, EnableLogFileValidation: true, IncludeGlobalServiceEvents: true });
    for (const t of ['AWS::GuardDuty::Detector', 'AWS::SecurityHub::Hub', 'AWS::Config::ConfigurationRecorder', 'AWS::Backup::BackupVault', 'AWS::Backup::BackupPlan', 'AWS::Backup::BackupSelection']) {
      expect(ofType(security, t)).toHaveLength(1);
    }
    expect(ofType(security, 'AWS::Backup::BackupVault')[0].Properties.LockConfiguration).toBeDefined();
  });

  it('network stack: the zoned VPC with flow logs and the plant\'s VPN on the edge zone', () => {
    expect(ofType(network, 'AWS::EC2::VPC')).toHaveLength(1);
    expect(ofType(network, 'AWS::EC2::FlowLog')[0].Properties.TrafficType).toBe('ALL');
    expect(ofType(network, 'AWS::EC2::VPNConnection')).toHaveLength(1);
    expect(platform.siteConnections).toHaveLength(1);
    expect(platform.siteConnections[0].vpc).toBe(platform.network.vpc);
    const [propagation] = ofType(network, 'AWS::EC2::VPNGatewayRoutePropagation');
    const edgeTables = platform.network.vpc.selectSubnets(platform.network.subnets('edge')).subnets.map((s) => network.resolve(s.routeTable.routeTableId));
    expect(propagation.Properties.RouteTableIds).toEqual(edgeTables);
  });

  it('edge stack: device fleet with its devices and the gateway, nothing else', () => {
    expect(ofType(edge, 'AWS::IoT::Thing')).toHaveLength(2);
    expect(platform.deviceFleet).toBeDefined();
    expect(platform.edgeGateway).toBeDefined();
  });

  it('platform stack: the telemetry pipeline reads the fleet\'s topics into the stream and the data lake, no Timestream', () => {
    const [rule] = ofType(plat, 'AWS::IoT::TopicRule');
    expect(rule.Properties.TopicRulePayload.Sql).toContain("'factory/+/telemetry/#'");
    expect(ofType(plat, 'AWS::Timestream::Database')).toHaveLength(0);
    expect(platform.dataLake).toBe(platform.telemetry.dataLake);
  });

  it('application stack: API ingress behind WAF and partner roles that read only their prefix of the data lake (cross-stack)', () => {
    expect(ofType(application, 'AWS::WAFv2::WebACLAssociation')).toHaveLength(1);
    const policies = ofType(application, 'AWS::IAM::ManagedPolicy').filter((p) => String(p.Properties.Description).includes('partner acme: read'));
    expect(policies).toHaveLength(1);
    const statements = policies[0].Properties.PolicyDocument.Statement;
    expect(statements.map((s: any) => [s.Sid, s.Action])).toEqual([
      ['ListOwnPrefix', 's3:ListBucket'],
      ['ReadOwnPrefix', 's3:GetObject'],
      ['DecryptThroughS3', 'kms:Decrypt'],
    ]);
    expect(statements[0].Condition).toEqual({ StringLike: { 's3:prefix': ['partners/acme/*'] } });
    expect(statements[1].Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::ImportValue': 'plant-platform-DataLakeArn' }, '/partners/acme/*']] });
    expect(Template.fromStack(plat).toJSON().Outputs.ExportplantplatformDataLakeArn.Export.Name).toBe('plant-platform-DataLakeArn');
  });

  it('applies the SL3 profile: 900-second edge credentials, 180-day rotation on every key, MEDIUM alerts, 16-character passwords', () => {
    expect(ofType(edge, 'AWS::IoT::RoleAlias')[0].Properties.CredentialDurationSeconds).toBe(900);
    const keys = platform.stacks.flatMap((s) => ofType(s, 'AWS::KMS::Key'));
    expect(keys.length).toBe(18);
    for (const k of keys) expect(k.Properties).toMatchObject({ EnableKeyRotation: true, RotationPeriodInDays: 180 });
    const gd = ofType(security, 'AWS::Events::Rule').find((x) => x.Properties.EventPattern.source[0] === 'aws.guardduty')!;
    expect(gd.Properties.EventPattern.detail.severity).toEqual([{ numeric: ['>=', 4] }]);
    expect(ofType(application, 'AWS::Cognito::UserPool')[0].Properties.Policies.PasswordPolicy.MinimumLength).toBe(16);
    const rate = ofType(application, 'AWS::WAFv2::WebACL')[0].Properties.Rules.find((x: any) => x.Statement.RateBasedStatement);
    expect(rate.Statement.RateBasedStatement.Limit).toBe(1000);
    expect(ofType(edge, 'AWS::IoT::ScheduledAudit')[0].Properties.Frequency).toBe('DAILY');
    const plan = ofType(security, 'AWS::Backup::BackupPlan')[0].Properties.BackupPlan.BackupPlanRule;
    expect(plan.map((x: any) => [x.RuleName, x.Lifecycle.DeleteAfterDays])).toEqual([['Daily', 35], ['Monthly', 730]]);
    const partner = ofType(application, 'AWS::IAM::Role').find((x) => JSON.stringify(x.Properties.AssumeRolePolicyDocument).includes('444455556666'))!;
    expect(partner.Properties.MaxSessionDuration).toBe(3600);
  });

  it('keeps every log group 365 days', () => {
    const groups = platform.stacks.flatMap((s) => ofType(s, 'AWS::Logs::LogGroup'));
    expect(groups.length).toBe(9);
    for (const g of groups) expect(g.Properties.RetentionInDays).toBe(365);
  });

  it('recommends the check options it satisfies', () => {
    expect(platform.checkOptions).toEqual({ allowedRegions: ['eu-central-1', 'eu-west-1'], classificationLevels: 2, logRetentionDays: 365 });
  });

  it('passes the three packs with no unacknowledged error, no cdk-nag warning and no vague reason', () => {
    expectClean(r);
  });

  it('provides the app-level controls itself: OPS-01/03/04/05 and MGT-03 pass, not acknowledged', () => {
    const status = Object.fromEntries(r.pack.lastResult!.controls.map((c) => [c.controlId, c.status]));
    for (const id of APP_LEVEL) expect([id, status[id]]).toEqual([id, 'passed']);
    expect(r.acknowledgements.filter((a) => APP_LEVEL.includes(a.id))).toEqual([]);
  });

  it('acknowledges only findings on named resources, each with a reason that names why', () => {
    const ids = r.acknowledgements.map((a) => a.id);
    expect(ids).toContain('AwsSolutions-IAM5[Resource::plant-platform-DataLakeArn/partners/acme/*]');
    expect(ids).toContain('AwsSolutions-VPC3');
    expect(ids).toContain('AwsSolutions-KDS3');
    for (const a of r.acknowledgements) expect(a.scope).toMatch(/^P\/(Security|Network|Edge|Platform|Application)(\/|$)/);
  });
});

describe('IipPlatform at the other levels', () => {
  it('SL2 default props (env given): secure and clean, no partner access, 3600-second edge credentials, yearly rotation', () => {
    const { app, platform } = build({ env: ENV });
    expect(platform.stacks.map((s) => s.stackName)).toEqual(['iip-security', 'iip-network', 'iip-edge', 'iip-platform', 'iip-application']);
    expect(platform.profile.level).toBe(SecurityLevel.SL2);
    expect(platform.partnerAccess).toBeUndefined();
    expect(platform.siteConnections).toEqual([]);
    expect(platform.allowedRegions).toEqual(['eu-central-1']);
    expect(ofType(platform.edgeStack, 'AWS::IoT::RoleAlias')[0].Properties.CredentialDurationSeconds).toBe(3600);
    for (const k of platform.stacks.flatMap((s) => ofType(s, 'AWS::KMS::Key'))) expect(k.Properties.RotationPeriodInDays).toBe(365);
    expectClean(packs(app, platform));
  });

  it('SL4: 731-day logs, 90-day rotation, three-year monthly backups; clean', () => {
    const { app, platform } = build({ env: ENV, securityLevel: SecurityLevel.SL4, partners: [ACME] });
    for (const g of platform.stacks.flatMap((s) => ofType(s, 'AWS::Logs::LogGroup'))) expect(g.Properties.RetentionInDays).toBe(731);
    for (const k of platform.stacks.flatMap((s) => ofType(s, 'AWS::KMS::Key'))) expect(k.Properties.RotationPeriodInDays).toBe(90);
    const plan = ofType(platform.securityStack, 'AWS::Backup::BackupPlan')[0].Properties.BackupPlan.BackupPlanRule;
    expect(plan[1].Lifecycle.DeleteAfterDays).toBe(1096);
    expect(platform.checkOptions.logRetentionDays).toBe(731);
    expectClean(packs(app, platform));
  });

  it('SL1 without edge and API ingress: Security Monitoring owns the IoT audit; clean', () => {
    const { app, platform } = build({ env: ENV, securityLevel: SecurityLevel.SL1, enableEdge: false, enableApiIngress: false });
    expect(platform.deviceFleet).toBeUndefined();
    expect(platform.edgeGateway).toBeUndefined();
    expect(platform.apiIngress).toBeUndefined();
    // The edge stack stays (teams may add to it) but is empty; `cdk deploy` skips a stack without resources.
    expect(Template.fromStack(platform.edgeStack).toJSON().Resources).toBeUndefined();
    expect(ofType(platform.securityStack, 'AWS::IoT::AccountAuditConfiguration')).toHaveLength(1);
    const r = packs(app, platform);
    expectClean(r);
    // The CloudFormation validator refuses an empty template (F0001); the empty stacks say why they are empty.
    const empty = r.acknowledgements.filter((a) => a.id === 'CloudFormation-Validate::F0001');
    expect(empty.map((a) => [a.scope, a.reason])).toEqual([
      ['P/Edge', 'Stack iip-edge holds no resources because enableEdge is false; cdk deploy skips a stack without resources, and the stack stays for the team\'s own constructs'],
      [
        'P/Application',
        'Stack iip-application holds no resources because enableApiIngress is false and there are no partners; cdk deploy skips a stack without resources, and the stack stays for the team\'s own constructs',
      ],
    ]);
  });

  it('works in a Stage, and without env (environment-agnostic stacks, no region list)', () => {
    const app = new App();
    const stage = new Stage(app, 'Prod', { env: ENV });
    const inStage = new IipPlatform(stage, 'P');
    expect(inStage.securityStack.node.path).toBe('Prod/P/Security');
    expect([inStage.securityStack.account, inStage.securityStack.region]).toEqual(['111122223333', 'eu-central-1']);
    expect(inStage.allowedRegions).toEqual(['eu-central-1']);
    const saved = [process.env.CDK_DEFAULT_ACCOUNT, process.env.CDK_DEFAULT_REGION];
    delete process.env.CDK_DEFAULT_ACCOUNT;
    delete process.env.CDK_DEFAULT_REGION;
    try {
      const { platform } = build();
      expect(Token.isUnresolved(platform.securityStack.region)).toBe(true);
      expect(platform.allowedRegions).toEqual([]);
      expect(platform.checkOptions.allowedRegions).toBeUndefined();
    } finally {
      if (saved[0] !== undefined) process.env.CDK_DEFAULT_ACCOUNT = saved[0];
      if (saved[1] !== undefined) process.env.CDK_DEFAULT_REGION = saved[1];
    }
  });
});

describe('IipPlatform profile enforcement on what teams add', () => {
  it('SL3: top-level EC2 gets dedicated tenancy; lower levels keep theirs; an explicit shared tenancy at the top fails', () => {
    const { app, platform } = build({ env: ENV, securityLevel: SecurityLevel.SL3, classificationLevels: 2, enableEdge: false, enableApiIngress: false });
    const top = new ec2.CfnInstance(platform.platformStack, 'Historian', { imageId: 'ami-12345678', tags: [{ key: 'srm-iip:level', value: '2' }] });
    const low = new ec2.CfnInstance(platform.platformStack, 'Kiosk', { imageId: 'ami-12345678', tags: [{ key: 'srm-iip:level', value: '1' }] });
    const lt = new ec2.CfnLaunchTemplate(platform.platformStack, 'Workers', { launchTemplateData: { instanceType: 'm7i.large' } });
    // Levels set with Tags.of() are read too: the profile's aspect runs after the tag aspects.
    const tagged = new ec2.CfnInstance(platform.platformStack, 'Display', { imageId: 'ami-12345678' });
    Tags.of(tagged).add('srm-iip:level', '1');
    app.synth();
    const res = resources(platform.platformStack);
    expect(res[platform.platformStack.getLogicalId(tagged)].Properties.Tenancy).toBeUndefined();
    expect(res[platform.platformStack.getLogicalId(top)].Properties.Tenancy).toBe('dedicated');
    expect(res[platform.platformStack.getLogicalId(low)].Properties.Tenancy).toBeUndefined();
    expect(res[platform.platformStack.getLogicalId(lt)].Properties.LaunchTemplateData.Placement).toEqual({ Tenancy: 'dedicated' });

    const again = build({ env: ENV, securityLevel: SecurityLevel.SL3, classificationLevels: 2, enableEdge: false, enableApiIngress: false });
    new ec2.CfnInstance(again.platform.platformStack, 'Shared', { imageId: 'ami-12345678', tenancy: 'default', tags: [{ key: 'srm-iip:level', value: '2' }] });
    expect(() => again.app.synth()).toThrow(kit.SrmIipError);
    expect(() => again.app.synth()).toThrow(
      "[P/Platform/Shared] SRM-IIP-PHY-03: security level SL3 runs the top classification level (2) on dedicated hardware; Tenancy must be dedicated or host, got 'default'",
    );
  });

  it('SL2 leaves tenancy to the team', () => {
    const { app, platform } = build({ env: ENV, classificationLevels: 2, enableEdge: false, enableApiIngress: false });
    const top = new ec2.CfnInstance(platform.platformStack, 'Historian', { imageId: 'ami-12345678', tags: [{ key: 'srm-iip:level', value: '2' }] });
    app.synth();
    expect(resources(platform.platformStack)[platform.platformStack.getLogicalId(top)].Properties.Tenancy).toBeUndefined();
  });

  it('SL3: an API stage a team adds without a web ACL fails synthesis naming NET-07; at SL2 it does not', () => {
    const sl3 = build({ env: ENV, securityLevel: SecurityLevel.SL3, enableEdge: false });
    const api = new apigateway.RestApi(sl3.platform.applicationStack, 'TeamApi', { cloudWatchRole: false });
    api.root.addMethod('GET');
    expect(() => sl3.app.synth()).toThrow(
      '[P/Application/TeamApi/DeploymentStage.prod/Resource] SRM-IIP-NET-07: security level SL3 puts a WAFv2 web ACL on every entry point; this AWS::ApiGateway::Stage has none (associate a web ACL with a wafv2.CfnWebACLAssociation in the same stack)',
    );
    const sl2 = build({ env: ENV, enableEdge: false });
    new apigateway.RestApi(sl2.platform.applicationStack, 'TeamApi', { cloudWatchRole: false }).root.addMethod('GET');
    expect(() => sl2.app.synth()).not.toThrow();
  });
});

describe('IipPlatform mutation: switching off a secure default through an escape hatch is reported', () => {
  const { app, platform } = build({ env: ENV, allowedRegions: ['eu-central-1'] });
  // Data lake without its customer-managed key; trail in one region only; flow logs deleted; API without authorization.
  (platform.dataLake.bucket.node.defaultChild as s3.CfnBucket).addPropertyOverride('BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault', { SSEAlgorithm: 'AES256' });
  (platform.auditTrail.trail.node.defaultChild as any).addPropertyOverride('IsMultiRegionTrail', false);
  platform.network.flowLog.node.tryRemoveChild('FlowLog');
  const ids = kitControlIds(app, platform.checkOptions);

  it('SYS-01 for the data lake without its customer-managed key', () => expect(ids).toContain('SRM-IIP-SYS-01'));
  it('OPS-01 for a single-region trail', () => expect(ids).toContain('SRM-IIP-OPS-01'));
  it('NET-05 for a VPC without flow logs', () => expect(ids).toContain('SRM-IIP-NET-05'));
});

describe('IipPlatform bad options', () => {
  it('an unknown security level', () => {
    expectError({ env: ENV, securityLevel: 'SL5' as SecurityLevel }, "[P] securityLevel must be one of SL1, SL2, SL3, SL4, got 'SL5'");
  });
  it('a malformed platform name', () => {
    expectError({ platformName: 'Smart_Factory' }, "[P] platformName must be 1..24 lowercase letters, digits and hyphens, starting with a letter, got 'Smart_Factory'");
  });
  it('an allowed-region list without the stacks\' region', () => {
    expectError({ env: ENV, allowedRegions: ['eu-west-1', 'eu-west-3'] }, "[P] allowedRegions must include the stacks' region 'eu-central-1' (env.region), got [eu-west-1, eu-west-3]");
  });
  it('an empty, malformed or repeating allowed-region list', () => {
    expectError({ env: ENV, allowedRegions: [] }, '[P] allowedRegions must name at least one region, got []');
    expectError({ env: ENV, allowedRegions: ['eu-central-1', 'europe'] }, "[P] allowedRegions: 'europe' is not an AWS region name; expected names such as eu-central-1 or us-gov-west-1");
    expectError({ env: ENV, allowedRegions: ['eu-central-1', 'eu-central-1'] }, "[P] allowedRegions lists 'eu-central-1' twice");
  });
  it('classification levels that are not 1..n', () => {
    expectError({ env: ENV, classificationLevels: 0 }, '[P] classificationLevels must be a whole number 1..16 (levels are numbered 1..n), got 0');
    expectError({ env: ENV, classificationLevels: 2.5 }, '[P] classificationLevels must be a whole number 1..16 (levels are numbered 1..n), got 2.5');
    expectError({ env: ENV, classificationLevels: 17 }, '[P] classificationLevels must be a whole number 1..16 (levels are numbered 1..n), got 17');
  });
  it('a log retention below the floor of the level, or one CloudWatch Logs does not offer', () => {
    expectError({ env: ENV, logRetentionDays: 90 }, '[P] logRetentionDays must be at least 365 (the log retention floor at SL2), got 90');
    expectError({ env: ENV, securityLevel: SecurityLevel.SL4, logRetentionDays: 365 }, '[P] logRetentionDays must be at least 731 (the log retention floor at SL4), got 365');
    expectError(
      { env: ENV, logRetentionDays: 500 },
      '[P] logRetentionDays must be a retention CloudWatch Logs accepts (365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653), got 500',
    );
  });
  it('malformed, duplicate or own partner accounts', () => {
    expectError({ env: ENV, partners: [{ ...ACME, accountId: '4444-5555-6666' }] }, "[P] partners[0].accountId must be an AWS account ID of 12 digits, got '4444-5555-6666'");
    expectError(
      { env: ENV, partners: [ACME, { name: 'globex', accountId: '444455556666', externalId: 'globex-1' }] },
      "[P] partners[1].accountId '444455556666' repeats partners[0]; each partner account may be listed once",
    );
    expectError({ env: ENV, partners: [{ ...ACME, accountId: '111122223333' }] }, "[P] partners[0].accountId '111122223333' is the platform's own account (env.account); partners are other accounts");
  });
  it('more than one site connection, or a malformed site name', () => {
    expectError(
      { env: ENV, siteConnections: [{ name: 'A' }, { name: 'B' }] },
      '[P] siteConnections may hold at most one plant (each connection attaches a virtual private gateway and a VPC takes one), got 2: A, B',
    );
    expectError({ env: ENV, siteConnections: [{ name: 'plant a' }] }, "[P] siteConnections[0].name must be 1..32 letters, digits and hyphens, starting with a letter, got 'plant a'");
  });
  it('devices without the edge', () => {
    expectError({ env: ENV, enableEdge: false, devices: [{ name: 'press-01', csr: CSR }] }, '[P] devices, coreDevices and edgeComponents need the edge; remove them or leave enableEdge at true, got enableEdge false');
  });
  it('a scope inside a stack', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    expect(() => new IipPlatform(stack, 'P')).toThrow("[S/P] IipPlatform creates its own stacks, so its scope must be an App or a Stage, got 'S' (a stack, or a construct in one)");
  });
  it('tokens pass validation', () => {
    expect(() => build({ env: ENV, logRetentionDays: Token.asNumber({ Ref: 'Days' }) })).not.toThrow();
  });
});
