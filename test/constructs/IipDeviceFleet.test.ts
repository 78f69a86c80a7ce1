import { App, CfnParameter, Lazy, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { describe, expect, test } from 'vitest';
import * as kit from '../../index';
import { appWithStack, CHECK, checked, ENV, envStack, expectCleanUnderAllPacks, expectSrmIipError, kitFindings } from '../support/construct-helpers';

const THING = '${iot:Connection.Thing.ThingName}';
const CSR = '-----BEGIN CERTIFICATE REQUEST-----\nMIIBWjCCAQACAQAwHjEcMBoGA1UEAwwTcHJlc3MtMDEuZmFjdG9yeS5leDBZMBMG\nByqGSM49AgEGCCqGSM49AwEHA0IABA==\n-----END CERTIFICATE REQUEST-----\n';
const DEVICES = [
  { name: 'press-01', csr: CSR },
  { name: 'press-02', csr: CSR },
];
const HOOK_ARN = 'arn:aws:lambda:eu-central-1:111122223333:function:fleet-hook';

function make(props: kit.IipDeviceFleetProps = {}): { app: App; stack: Stack; fleet: kit.IipDeviceFleet } {
  const { app, stack } = appWithStack();
  const fleet = new kit.IipDeviceFleet(stack, 'Fleet', props);
  return { app, stack, fleet };
}

function expectError(props: kit.IipDeviceFleetProps, message: string): void {
  expectSrmIipError(() => new kit.IipDeviceFleet(envStack(), 'Fleet', props), message);
}

function arn(tail: string): unknown {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iot:eu-central-1:111122223333:${tail}`]] };
}

function one(t: Template, type: string): { Properties: Record<string, any> } {
  const all = Object.values(t.findResources(type));
  expect(all).toHaveLength(1);
  return all[0] as { Properties: Record<string, any> };
}

describe('IipDeviceFleet: secure defaults', () => {
  const { stack, fleet } = make({ devices: DEVICES });
  const t = Template.fromStack(stack);

  test('creates a thing type, a thing group, the device policy and the fleet services (24 resources with two devices, 16 without)', () => {
    t.resourceCountIs('AWS::IoT::ThingType', 1);
    t.resourceCountIs('AWS::IoT::ThingGroup', 1);
    t.resourceCountIs('AWS::IoT::Policy', 1);
    expect(Object.keys(t.toJSON().Resources)).toHaveLength(24);
    expect(Object.keys(Template.fromStack(make().stack).toJSON().Resources)).toHaveLength(16);
  });

  test('the device policy binds connect, publish, receive and subscribe to the connected thing name; no iot:* and no * (ACC-04)', () => {
    t.hasResourceProperties('AWS::IoT::Policy', {
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'ConnectAsOwnThing', Effect: 'Allow', Action: 'iot:Connect', Resource: arn(`client/${THING}`), Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } },
          { Sid: 'OwnTopics', Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: arn(`topic/factory/${THING}/*`) },
          { Sid: 'OwnTopicFilters', Effect: 'Allow', Action: 'iot:Subscribe', Resource: arn(`topicfilter/factory/${THING}/*`) },
        ],
      },
    });
  });

  test('each declared device gets its own thing, its own certificate from its CSR, an exclusive attachment and the device policy (ACC-03)', () => {
    t.resourceCountIs('AWS::IoT::Thing', 2);
    t.resourceCountIs('AWS::IoT::Certificate', 2);
    t.resourceCountIs('AWS::IoT::ThingPrincipalAttachment', 2);
    t.resourceCountIs('AWS::IoT::PolicyPrincipalAttachment', 2);
    t.hasResourceProperties('AWS::IoT::Thing', { ThingName: 'press-01' });
    t.hasResourceProperties('AWS::IoT::Certificate', { CertificateSigningRequest: CSR, Status: 'ACTIVE' });
    const attachments = Object.values(t.findResources('AWS::IoT::ThingPrincipalAttachment')).map((a) => a.Properties);
    expect(attachments.map((a) => a.ThingPrincipalType)).toEqual(['EXCLUSIVE_THING', 'EXCLUSIVE_THING']);
    expect(attachments.map((a) => a.ThingName)).toEqual(fleet.things.map((x) => stack.resolve(x.ref)));
    expect(attachments.map((a) => a.Principal)).toEqual(fleet.certificates.map((c) => stack.resolve(c.attrArn)));
    t.hasResourceProperties('AWS::IoT::PolicyPrincipalAttachment', { PolicyName: stack.resolve(fleet.devicePolicy.ref), Principal: stack.resolve(fleet.certificates[1].attrArn) });
  });

  test('the device endpoint accepts X.509 client certificates over MQTT with TLS 1.2+ only (COM-03)', () => {
    t.hasResourceProperties('AWS::IoT::DomainConfiguration', {
      ServiceType: 'DATA',
      AuthenticationType: 'AWS_X509',
      ApplicationProtocol: 'SECURE_MQTT',
      DomainConfigurationStatus: 'ENABLED',
      TlsConfig: { SecurityPolicy: 'IoTSecurityPolicy_TLS13_1_2_2022_10' },
      DomainName: Match.absent(),
    });
  });

  test('AWS IoT logs at WARN into AWSIotLogsV2, kept 365 days under a rotating customer-managed key (OPS-02, SYS-01)', () => {
    t.hasResourceProperties('AWS::IoT::Logging', { AccountId: '111122223333', DefaultLogLevel: 'WARN', RoleArn: stack.resolve(fleet.logging!.roleArn) });
    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: 'AWSIotLogsV2', RetentionInDays: 365, KmsKeyId: stack.resolve((fleet.logKey as kms.Key).keyArn) });
    t.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
    t.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      PendingWindowInDays: 30,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'logs.eu-central-1.amazonaws.com' }, Condition: { ArnEquals: Match.anyValue() } })]) },
    });
  });

  test('the logging role is trusted by AWS IoT of this account only and may write to the IoT log group only', () => {
    const role = t.toJSON().Resources[stack.getLogicalId(fleet.node.findChild('LoggingRole').node.defaultChild as iam.CfnRole)];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'iot.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' }, ArnLike: { 'aws:SourceArn': arn('*') } },
      },
    ]);
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: stack.resolve(fleet.logGroup!.logGroupArn) }],
      },
    });
    t.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('Device Defender audit: every check on, a daily scheduled audit of every check, the AWS read-only audit policy (OPS-03)', () => {
    const audit = one(t, 'AWS::IoT::AccountAuditConfiguration').Properties;
    expect(Object.keys(audit.AuditCheckConfigurations)).toHaveLength(17);
    for (const c of Object.values<{ Enabled: boolean }>(audit.AuditCheckConfigurations)) expect(c).toEqual({ Enabled: true });
    expect(audit.AccountId).toBe('111122223333');
    const scheduled = one(t, 'AWS::IoT::ScheduledAudit').Properties;
    expect(scheduled.Frequency).toBe('DAILY');
    expect(scheduled.TargetCheckNames).toHaveLength(17);
    expect(scheduled.TargetCheckNames).toContain('DEVICE_CERTIFICATE_SHARED_CHECK');
    expect(scheduled.TargetCheckNames).toContain('IOT_POLICY_OVERLY_PERMISSIVE_CHECK');
    t.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSIoTDeviceDefenderAudit']] }],
    });
  });

  test('the detect security profile watches the fleet group for authorization failures, connection storms, disconnects and oversized messages', () => {
    const p = one(t, 'AWS::IoT::SecurityProfile').Properties;
    expect(p.TargetArns).toEqual([stack.resolve(fleet.thingGroup.attrArn)]);
    expect(p.Behaviors.map((b: { Metric: string }) => b.Metric)).toEqual(['aws:num-authorization-failures', 'aws:num-connection-attempts', 'aws:num-disconnects', 'aws:message-byte-size']);
  });

  test('without a pre-provisioning hook the provisioning template exists but is disabled', () => {
    const p = one(t, 'AWS::IoT::ProvisioningTemplate').Properties;
    expect(p.Enabled).toBe(false);
    expect(p.TemplateType).toBe('FLEET_PROVISIONING');
    expect(p.PreProvisioningHook).toBeUndefined();
    t.resourceCountIs('AWS::Lambda::Function', 0);
    t.resourceCountIs('AWS::Lambda::Permission', 0);
  });

  test('the template creates <prefix><serial> things of the fleet type and group with the device policy and an activated certificate', () => {
    const body = stack.resolve(fleet.provisioningTemplate.templateBody);
    const text = body['Fn::Join'][1].map((x: unknown) => (typeof x === 'string' ? x : `@${(x as { Ref: string }).Ref}@`)).join('');
    const parsed = JSON.parse(text);
    expect(parsed.Resources.thing.Properties.ThingName).toEqual({ 'Fn::Join': ['', [fleet.thingNamePrefix, { Ref: 'SerialNumber' }]] });
    expect(parsed.Resources.thing.Properties.ThingTypeName).toBe(`@${stack.resolve(fleet.thingType.ref).Ref}@`);
    expect(parsed.Resources.thing.Properties.ThingGroups).toEqual([`@${stack.resolve(fleet.thingGroup.ref).Ref}@`]);
    expect(parsed.Resources.policy.Properties.PolicyName).toBe(`@${stack.resolve(fleet.devicePolicy.ref).Ref}@`);
    expect(parsed.Resources.certificate.Properties.Status).toBe('Active');
    expect(fleet.thingNamePrefix).toBe('S-Fleet-790C261F-');
  });

  test('the provisioning role may change only things of the prefix, the fleet group and type, and the device policy; no Resource "*"', () => {
    const policy = Object.values(t.findResources('AWS::IAM::ManagedPolicy')).find((p) => p.Properties.Description.startsWith('SRM-IIP fleet provisioning'))!;
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements.map((s: { Sid: string }) => s.Sid)).toEqual(['FleetThings', 'FleetGroupAndType', 'NewCertificates', 'DevicePolicy']);
    expect(statements[0].Resource).toEqual(arn('thing/S-Fleet-790C261F-*'));
    expect(statements[2].Resource).toEqual(arn('cert/*'));
    for (const s of statements) {
      expect(s.Resource).not.toBe('*');
      for (const a of [s.Action].flat()) expect(a).not.toMatch(/\*/);
    }
  });

  test('every taggable resource carries the four kit tags, zone edge (MGT-02)', () => {
    for (const type of ['AWS::IoT::ThingType', 'AWS::IoT::ThingGroup', 'AWS::IoT::Policy', 'AWS::IoT::DomainConfiguration', 'AWS::IoT::SecurityProfile', 'AWS::IoT::ScheduledAudit', 'AWS::IoT::ProvisioningTemplate', 'AWS::Logs::LogGroup', 'AWS::KMS::Key', 'AWS::IAM::Role']) {
      for (const r of Object.values(t.findResources(type))) {
        const tags = Object.fromEntries((r.Properties.Tags as Array<{ Key: string; Value: string }>).map((x) => [x.Key, x.Value]));
        expect(tags).toEqual({ 'srm-iip:zone': 'edge', 'srm-iip:level': '1', 'srm-iip:owner': 'iip-platform', 'srm-iip:stage': 'utilization-support' });
      }
    }
  });
});

describe('IipDeviceFleet: props', () => {
  test('a pre-provisioning hook enables the template and may be invoked by AWS IoT for this template only', () => {
    const { stack } = make({ preProvisioningHook: lambda.Function.fromFunctionArn(new Stack(new App(), 'X', { env: ENV }), 'Hook', HOOK_ARN) });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IoT::ProvisioningTemplate', { Enabled: true, PreProvisioningHook: { TargetArn: HOOK_ARN, PayloadVersion: '2020-04-01' } });
    t.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: HOOK_ARN,
      Principal: 'iot.amazonaws.com',
      SourceAccount: '111122223333',
      SourceArn: arn('provisioningtemplate/S-Fleet-790C261F'),
    });
    t.hasResource('AWS::IoT::ProvisioningTemplate', { DependsOn: Match.arrayWith([Match.stringLikeRegexp('^FleetHookPermission')]) });
  });

  test('retirement: certificates are revoked and the provisioning template is disabled (OPS-07)', () => {
    const hook = lambda.Function.fromFunctionArn(new Stack(new App(), 'X', { env: ENV }), 'Hook', HOOK_ARN);
    const { stack } = make({ devices: DEVICES, preProvisioningHook: hook, lifecycleStage: kit.LifecycleStage.RETIREMENT });
    const t = Template.fromStack(stack);
    for (const c of Object.values(t.findResources('AWS::IoT::Certificate'))) expect(c.Properties.Status).toBe('REVOKED');
    t.hasResourceProperties('AWS::IoT::ProvisioningTemplate', { Enabled: false });
  });

  test('topicPrefix, logLevel, logRetentionDays, auditFrequency, thingNamePrefix and a shared log key', () => {
    const stack = envStack();
    const ring = new kit.IipKeyRing(stack, 'Keys', { purposes: [kit.KeyPurpose.LOGS] });
    const fleet = new kit.IipDeviceFleet(stack, 'Fleet', {
      topicPrefix: 'plant-a/line_1',
      logLevel: kit.IotLogLevel.INFO,
      logRetentionDays: 731,
      auditFrequency: kit.AuditFrequency.WEEKLY,
      thingNamePrefix: 'plant-a-',
      logKey: ring.key(kit.KeyPurpose.LOGS),
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IoT::Policy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Resource: arn(`topic/plant-a/line_1/${THING}/*`) })]) } });
    t.hasResourceProperties('AWS::IoT::Logging', { DefaultLogLevel: 'INFO' });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 731, KmsKeyId: stack.resolve((ring.key(kit.KeyPurpose.LOGS) as kms.Key).keyArn) });
    t.hasResourceProperties('AWS::IoT::ScheduledAudit', { Frequency: 'WEEKLY', DayOfWeek: 'SUN' });
    expect(fleet.thingNamePrefix).toBe('plant-a-');
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Resource: arn('thing/plant-a-*') })]) } });
    t.resourceCountIs('AWS::KMS::Key', 1);
  });

  test('enableAccountLogging: false and enableDeviceDefenderAudit: false leave the account singletons to another stack', () => {
    const { stack, fleet } = make({ enableAccountLogging: false, enableDeviceDefenderAudit: false });
    const t = Template.fromStack(stack);
    for (const type of ['AWS::IoT::Logging', 'AWS::Logs::LogGroup', 'AWS::KMS::Key', 'AWS::IoT::AccountAuditConfiguration', 'AWS::IoT::ScheduledAudit']) t.resourceCountIs(type, 0);
    t.resourceCountIs('AWS::IoT::SecurityProfile', 1);
    expect(fleet.logging).toBeUndefined();
    expect(fleet.auditConfiguration).toBeUndefined();
  });
});

describe('IipDeviceFleet: account singletons', () => {
  test('two fleets that both configure IoT logging and Device Defender audit for one account and region fail at synthesis', () => {
    const { app, stack } = make();
    new kit.IipDeviceFleet(stack, 'Fleet2');
    const errors = (() => {
      try {
        app.synth();
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(errors).toContain(
      '[S/Fleet] AWS IoT Core logging (AWS::IoT::Logging and the AWSIotLogsV2 log group) is configured twice for account 111122223333 in eu-central-1: here and at S/Fleet2/Logging. It exists once per account and region; keep one (set enableAccountLogging: false on the other fleets)',
    );
    expect(errors).toContain(
      '[S/Fleet] IoT Device Defender audit (AWS::IoT::AccountAuditConfiguration) is configured twice for account 111122223333 in eu-central-1: here and at S/Fleet2/Audit. It exists once per account and region; keep one (set enableDeviceDefenderAudit: false on the other fleets, or enableIotAudit: false on IipSecurityMonitoring)',
    );
  });

  test('a second fleet that leaves the singletons to the first synthesizes', () => {
    const { app, stack } = make();
    new kit.IipDeviceFleet(stack, 'Fleet2', { enableAccountLogging: false, enableDeviceDefenderAudit: false });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('IipDeviceFleet: bad props', () => {
  test('a device name that is not a thing name', () => {
    expectError({ devices: [{ name: 'press 01', csr: CSR }] }, "[S/Fleet] devices[0].name must be a thing name of 1..128 letters, digits, ':', '_' or '-', got 'press 01'");
  });

  test('two devices with one name', () => {
    expectError({ devices: [DEVICES[0], { name: 'press-01', csr: CSR }] }, "[S/Fleet] devices[1].name 'press-01' is declared twice; each device needs its own thing and certificate");
  });

  test('an empty CSR', () => {
    expectError(
      { devices: [{ name: 'press-01', csr: '  ' }] },
      "[S/Fleet] devices[0].csr must be a PEM certificate signing request (-----BEGIN CERTIFICATE REQUEST----- … -----END CERTIFICATE REQUEST-----) generated on device 'press-01', got ''",
    );
  });

  test('a certificate where a CSR belongs', () => {
    expectError(
      { devices: [{ name: 'press-01', csr: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' }] },
      "[S/Fleet] devices[0].csr must be a PEM certificate signing request (-----BEGIN CERTIFICATE REQUEST----- … -----END CERTIFICATE REQUEST-----) generated on device 'press-01', got '-----BEGIN CERTIFICATE----- MIIB -----EN…'",
    );
  });

  test('a topic prefix with a wildcard, a reserved topic, or a leading slash', () => {
    const msg = (p: string) =>
      `[S/Fleet] topicPrefix must be 1..128 characters of topic levels (letters, digits, '_', '-') separated by '/', without wildcards, '$' or a leading or trailing '/', got '${p}'`;
    expectError({ topicPrefix: 'factory/#' }, msg('factory/#'));
    expectError({ topicPrefix: '$aws/things' }, msg('$aws/things'));
    expectError({ topicPrefix: '/factory' }, msg('/factory'));
  });

  test('a TLS security policy that is not an AWS IoT Core policy', () => {
    expectError({ tlsSecurityPolicy: 'TLSv1.2_2021' }, "[S/Fleet] tlsSecurityPolicy must name an AWS IoT Core security policy such as IoTSecurityPolicy_TLS13_1_2_2022_10, got 'TLSv1.2_2021'");
  });

  test('a log retention CloudWatch Logs does not offer', () => {
    expectError(
      { logRetentionDays: 500 },
      '[S/Fleet] logRetentionDays must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653), got 500',
    );
  });

  test('a thing-name prefix with a space', () => {
    expectError({ thingNamePrefix: 'plant a-' }, "[S/Fleet] thingNamePrefix must be 1..64 letters, digits, ':', '_' or '-', got 'plant a-'");
  });

  test('logging settings without logging, an audit frequency without audit', () => {
    expectError({ enableAccountLogging: false, logLevel: kit.IotLogLevel.INFO }, '[S/Fleet] logLevel, logRetentionDays and logKey need enableAccountLogging: true, got enableAccountLogging: false');
    expectError(
      { enableDeviceDefenderAudit: false, auditFrequency: kit.AuditFrequency.WEEKLY },
      '[S/Fleet] auditFrequency needs enableDeviceDefenderAudit: true, got auditFrequency WEEKLY with enableDeviceDefenderAudit: false',
    );
  });

  test('unresolved tokens pass validation', () => {
    const stack = envStack();
    const csr = new CfnParameter(stack, 'Csr').valueAsString;
    const name = new CfnParameter(stack, 'Name').valueAsString;
    new kit.IipDeviceFleet(stack, 'Fleet', {
      devices: [{ name, csr }],
      topicPrefix: Lazy.string({ produce: () => 'factory' }),
      logRetentionDays: Token.asNumber(new CfnParameter(stack, 'Days', { type: 'Number' }).valueAsNumber),
      thingNamePrefix: new CfnParameter(stack, 'Prefix').valueAsString,
      tlsSecurityPolicy: new CfnParameter(stack, 'Tls').valueAsString,
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IoT::Certificate', { CertificateSigningRequest: { Ref: 'Csr' } });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: { Ref: 'Days' } });
  });
});

describe('IipDeviceFleet: deliberate weakenings are reported', () => {
  test('a TLS policy that admits TLS 1.0 → SRM-IIP-COM-03', () => {
    const { stack } = make({ tlsSecurityPolicy: 'IoTSecurityPolicy_TLS12_1_0_2016_01' });
    Annotations.fromStack(stack).hasWarning('/S/Fleet', Match.stringLikeRegexp('SRM-IIP-COM-03: .*IoTSecurityPolicy_TLS12_1_0_2016_01'));
  });

  test('account logging left to another stack → SRM-IIP-OPS-03', () => {
    const { stack } = make({ enableAccountLogging: false });
    Annotations.fromStack(stack).hasWarning('/S/Fleet', Match.stringLikeRegexp('SRM-IIP-OPS-03: AWS IoT Core logging'));
  });

  test('Device Defender audit left to another stack → SRM-IIP-OPS-03', () => {
    const { stack } = make({ enableDeviceDefenderAudit: false });
    Annotations.fromStack(stack).hasWarning('/S/Fleet', Match.stringLikeRegexp('SRM-IIP-OPS-03: Device Defender audit'));
  });

  test('logs kept less than 365 days → SRM-IIP-OPS-02', () => {
    const { stack } = make({ logRetentionDays: 90 });
    Annotations.fromStack(stack).hasWarning('/S/Fleet', Match.stringLikeRegexp('SRM-IIP-OPS-02: .*90 days'));
  });

  test('the secure default reports no warning', () => {
    const { stack } = make({ devices: DEVICES });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('SRM-IIP-'));
  });
});

describe('IipDeviceFleet: packs', () => {
  test('alone in a stack with default props, it passes SrmIipChecks, AwsSolutions and NIST 800-53 R5', () => {
    const { app } = make();
    const r = expectCleanUnderAllPacks(app);
    expect(r.acknowledgements.filter((a) => a.scope !== '').map((a) => a.id)).toEqual([
      'AwsSolutions-IAM5[Resource::<FleetLogGroupFE4FB1F1.Arn>]',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSIoTDeviceDefenderAudit]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:eu-central-1:111122223333:thing/S-Fleet-790C261F-*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:eu-central-1:111122223333:cert/*]',
    ]);
  });

  test('with declared devices and a pre-provisioning hook, it passes the three packs too', () => {
    const { app, stack } = appWithStack();
    new kit.IipDeviceFleet(stack, 'Fleet', { devices: DEVICES, preProvisioningHook: lambda.Function.fromFunctionArn(stack, 'Hook', HOOK_ARN) });
    expectCleanUnderAllPacks(app);
  });
});

describe('IipDeviceFleet: turning a secure default off is caught by the kit pack', () => {
  function mutated(mutate: (fleet: kit.IipDeviceFleet, stack: Stack) => void): string[] {
    const { app, stack, fleet } = make({ devices: DEVICES });
    mutate(fleet, stack);
    return kitFindings(app);
  }
  /** Findings of OPS-03 about Device Defender (the app-level part a fleet provides), without acknowledging OPS-03. */
  function deviceDefenderFindings(mutate: (fleet: kit.IipDeviceFleet) => void): string[] {
    const { app, fleet } = make();
    mutate(fleet);
    const pack = new kit.SrmIipChecks(undefined, CHECK);
    pack.validateScope(checked(app));
    return pack.lastResult!.findings.filter((f) => f.controlId === 'SRM-IIP-OPS-03' && /Device Defender/.test(f.message)).map((f) => f.message);
  }
  const baseline = mutated(() => undefined);

  test('the unmutated fleet reports none of the controls below', () => {
    for (const id of ['SRM-IIP-ACC-01', 'SRM-IIP-ACC-03', 'SRM-IIP-ACC-04', 'SRM-IIP-COM-03', 'SRM-IIP-OPS-02', 'SRM-IIP-OPS-07', 'SRM-IIP-SYS-01', 'SRM-IIP-SYS-02', 'SRM-IIP-MGT-02']) {
      expect(baseline).not.toContain(id);
    }
    expect(deviceDefenderFindings(() => undefined)).toEqual([]);
  });

  test('connect allowed for any client ID → SRM-IIP-ACC-04', () => {
    expect(mutated((f) => f.devicePolicy.addPropertyOverride('PolicyDocument.Statement.0.Resource', 'arn:aws:iot:eu-central-1:111122223333:client/*'))).toContain('SRM-IIP-ACC-04');
  });

  test('iot:* in the device policy → SRM-IIP-ACC-04', () => {
    expect(mutated((f) => f.devicePolicy.addPropertyOverride('PolicyDocument.Statement.1.Action', 'iot:*'))).toContain('SRM-IIP-ACC-04');
  });

  test('the second device attached to the first device\'s certificate → SRM-IIP-ACC-03', () => {
    expect(
      mutated((f, stack) => {
        const att = f.node.findChild('Device1Attachment') as iot.CfnThingPrincipalAttachment;
        att.addPropertyOverride('Principal', stack.resolve(f.certificates[0].attrArn));
      }),
    ).toContain('SRM-IIP-ACC-03');
  });

  test('a TLS 1.0 security policy on the device endpoint → SRM-IIP-COM-03', () => {
    expect(mutated((f) => f.domainConfiguration.addPropertyOverride('TlsConfig.SecurityPolicy', 'IoTSecurityPolicy_TLS12_1_0_2015_01'))).toContain('SRM-IIP-COM-03');
  });

  test('the IoT log group without its key → SRM-IIP-SYS-01 and SRM-IIP-OPS-02; kept 30 days → SRM-IIP-OPS-02', () => {
    const ids = mutated((f) => (f.logGroup!.node.defaultChild as logs.CfnLogGroup).addPropertyDeletionOverride('KmsKeyId'));
    expect(ids).toContain('SRM-IIP-SYS-01');
    expect(ids).toContain('SRM-IIP-OPS-02');
    expect(mutated((f) => (f.logGroup!.node.defaultChild as logs.CfnLogGroup).addPropertyOverride('RetentionInDays', 30))).toContain('SRM-IIP-OPS-02');
  });

  test('the log key not rotating → SRM-IIP-SYS-02', () => {
    expect(mutated((f) => ((f.logKey as kms.Key).node.defaultChild as kms.CfnKey).addPropertyOverride('EnableKeyRotation', false))).toContain('SRM-IIP-SYS-02');
  });

  test('iot:* on every resource for the provisioning role → SRM-IIP-ACC-01', () => {
    expect(
      mutated((f) => {
        const policy = f.node.findChild('ProvisioningPolicy').node.defaultChild as iam.CfnManagedPolicy;
        policy.addPropertyOverride('PolicyDocument.Statement.2.Action', 'iot:*');
        policy.addPropertyOverride('PolicyDocument.Statement.2.Resource', '*');
      }),
    ).toContain('SRM-IIP-ACC-01');
  });

  test('the endpoint without its tags → SRM-IIP-MGT-02', () => {
    expect(mutated((f) => f.domainConfiguration.addPropertyDeletionOverride('Tags'))).toContain('SRM-IIP-MGT-02');
  });

  test('a certificate left active in a retirement stack → SRM-IIP-OPS-07', () => {
    const { app, stack } = appWithStack();
    const fleet = new kit.IipDeviceFleet(stack, 'Fleet', { devices: DEVICES, lifecycleStage: kit.LifecycleStage.RETIREMENT });
    expect(kitFindings(app)).not.toContain('SRM-IIP-OPS-07');
    const app2 = new App();
    const stack2 = new Stack(app2, 'S', { env: ENV });
    const fleet2 = new kit.IipDeviceFleet(stack2, 'Fleet', { devices: DEVICES, lifecycleStage: kit.LifecycleStage.RETIREMENT });
    fleet2.certificates[0].addPropertyOverride('Status', 'ACTIVE');
    expect(kitFindings(app2)).toContain('SRM-IIP-OPS-07');
    expect(fleet.certificates).toHaveLength(2);
  });

  test('every audit check switched off, or no audit at all → SRM-IIP-OPS-03 (Device Defender)', () => {
    expect(
      deviceDefenderFindings((f) => {
        for (const [key] of kit.DEVICE_DEFENDER_AUDIT_CHECKS) {
          f.auditConfiguration!.addPropertyOverride(`AuditCheckConfigurations.${key.charAt(0).toUpperCase()}${key.slice(1)}.Enabled`, false);
        }
        f.node.tryRemoveChild('ScheduledAudit');
      }),
    ).toHaveLength(1);
    expect(
      deviceDefenderFindings((f) => {
        f.node.tryRemoveChild('Audit');
        f.node.tryRemoveChild('ScheduledAudit');
      }),
    ).toHaveLength(1);
  });
});
