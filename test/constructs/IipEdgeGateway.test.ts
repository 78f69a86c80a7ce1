import { App, CfnParameter, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, test } from 'vitest';
import * as kit from '../../index';
import { appWithStack, envStack, expectCleanUnderAllPacks, expectSrmIipError, kitFindings } from '../support/construct-helpers';

const THING = '${iot:Connection.Thing.ThingName}';
const CSR = '-----BEGIN CERTIFICATE REQUEST-----\nMIIBWjCCAQACAQAwHjEcMBoGA1UEAwwTcGxhbnQtZ3ctMDEuZXhhbXBsZTBZMBMG\nByqGSM49AgEGCCqGSM49AwEHA0IABA==\n-----END CERTIFICATE REQUEST-----\n';
const CORES = [
  { name: 'plant-gw-01', csr: CSR },
  { name: 'plant-gw-02', csr: CSR },
];
const COMPONENTS = [
  { name: 'aws.greengrass.Nucleus', version: '2.14.0', configurationMerge: '{"interpolateComponentConfiguration":true}' },
  { name: 'com.example.PlcReader', version: '1.2.3' },
];

function make(props: kit.IipEdgeGatewayProps = {}): { app: App; stack: Stack; gw: kit.IipEdgeGateway } {
  const { app, stack } = appWithStack();
  const gw = new kit.IipEdgeGateway(stack, 'Gateway', props);
  return { app, stack, gw };
}

function expectError(props: kit.IipEdgeGatewayProps, message: string, stack = envStack()): void {
  expectSrmIipError(() => new kit.IipEdgeGateway(stack, 'Gateway', props), message);
}

function arn(tail: string): unknown {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iot:eu-central-1:111122223333:${tail}`]] };
}

describe('IipEdgeGateway: secure defaults', () => {
  const { stack, gw } = make();
  const t = Template.fromStack(stack);

  test('creates the token exchange, the core-device policy, the thing group and the artifact store, and no deployment (10 resources)', () => {
    expect(Object.values(t.toJSON().Resources).map((r: any) => r.Type).sort()).toEqual([
      'AWS::IAM::ManagedPolicy',
      'AWS::IAM::Role',
      'AWS::IoT::Policy',
      'AWS::IoT::RoleAlias',
      'AWS::IoT::ThingGroup',
      'AWS::KMS::Key',
      'AWS::S3::Bucket',
      'AWS::S3::Bucket',
      'AWS::S3::BucketPolicy',
      'AWS::S3::BucketPolicy',
    ]);
    t.resourceCountIs('AWS::GreengrassV2::Deployment', 0);
    expect(gw.deployment).toBeUndefined();
  });

  test('the token-exchange role is trusted by the AWS IoT credentials provider only', () => {
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'credentials.iot.amazonaws.com' } }] },
      MaxSessionDuration: 3600,
    });
  });

  test('the token-exchange role may write Greengrass logs, read the artifact bucket and decrypt its key through S3, nothing else (ACC-01)', () => {
    const bucketArn = stack.resolve(gw.artifactBucket.bucketArn);
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [stack.resolve(gw.tokenExchangeRole.roleName)],
      PolicyDocument: {
        Statement: [
          {
            Sid: 'GreengrassLogs',
            Effect: 'Allow',
            Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-central-1:111122223333:log-group:/aws/greengrass/*']] },
          },
          { Sid: 'ArtifactBucket', Effect: 'Allow', Action: 's3:GetBucketLocation', Resource: bucketArn },
          { Sid: 'Artifacts', Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [bucketArn, '/*']] } },
          {
            Sid: 'ArtifactKey',
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: stack.resolve(gw.artifactKey.keyArn),
            Condition: { StringEquals: { 'kms:ViaService': 's3.eu-central-1.amazonaws.com' } },
          },
        ],
      },
    });
    t.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('the role alias hands out credentials for 3600 seconds', () => {
    t.hasResourceProperties('AWS::IoT::RoleAlias', { RoleAlias: 'S-Gateway-F31FD8AC', CredentialDurationSeconds: 3600, RoleArn: stack.resolve(gw.tokenExchangeRole.roleArn) });
    expect(gw.credentialDurationSeconds).toBe(3600);
  });

  test('the core-device policy is AWS\'s minimal Greengrass policy bound to the connected thing name (ACC-04)', () => {
    const things = `$aws/things/${THING}`;
    t.hasResourceProperties('AWS::IoT::Policy', {
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'ConnectAsOwnThing', Effect: 'Allow', Action: 'iot:Connect', Resource: arn(`client/${THING}*`), Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } },
          {
            Sid: 'OwnHealthJobsShadow',
            Effect: 'Allow',
            Action: ['iot:Publish', 'iot:Receive'],
            Resource: [arn(`topic/${things}/greengrass/health/json`), arn(`topic/${things}/greengrassv2/health/json`), arn(`topic/${things}/jobs/*`), arn(`topic/${things}/shadow/*`)],
          },
          { Sid: 'OwnJobsShadowFilters', Effect: 'Allow', Action: 'iot:Subscribe', Resource: [arn(`topicfilter/${things}/jobs/*`), arn(`topicfilter/${things}/shadow/*`)] },
          { Sid: 'TokenExchange', Effect: 'Allow', Action: 'iot:AssumeRoleWithCertificate', Resource: stack.resolve(gw.roleAlias.attrRoleAliasArn) },
          {
            Sid: 'GreengrassDataPlane',
            Effect: 'Allow',
            Action: ['greengrass:GetComponentVersionArtifact', 'greengrass:ResolveComponentCandidates', 'greengrass:GetDeploymentConfiguration', 'greengrass:ListThingGroupsForCoreDevice'],
            Resource: '*',
          },
        ],
      },
    });
  });

  test('artifacts live in an IipSecureBucket under a rotating customer-managed key, TLS-only and versioned (SYS-01, COM-01)', () => {
    expect(gw.createdArtifactBucket).toBeInstanceOf(kit.IipSecureBucket);
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: stack.resolve(gw.artifactKey.keyArn) } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, PendingWindowInDays: 30 });
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: stack.resolve((gw.artifactBucket as s3.Bucket).bucketName),
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('every taggable resource carries the four kit tags, zone edge (MGT-02)', () => {
    for (const type of ['AWS::IAM::Role', 'AWS::IoT::RoleAlias', 'AWS::IoT::Policy', 'AWS::IoT::ThingGroup', 'AWS::KMS::Key', 'AWS::S3::Bucket']) {
      for (const r of Object.values(t.findResources(type))) {
        const tags = Object.fromEntries((r.Properties.Tags as Array<{ Key: string; Value: string }>).map((x) => [x.Key, x.Value]));
        expect(tags).toEqual({ 'srm-iip:zone': 'edge', 'srm-iip:level': '1', 'srm-iip:owner': 'iip-platform', 'srm-iip:stage': 'utilization-support' });
      }
    }
  });
});

describe('IipEdgeGateway: props', () => {
  test('each core device gets its own thing, certificate from its CSR, exclusive attachment and the core-device policy (ACC-03)', () => {
    const { stack, gw } = make({ coreDevices: CORES });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::IoT::Thing', 2);
    t.resourceCountIs('AWS::IoT::Certificate', 2);
    t.hasResourceProperties('AWS::IoT::Thing', { ThingName: 'plant-gw-02' });
    t.hasResourceProperties('AWS::IoT::Certificate', { CertificateSigningRequest: CSR, Status: 'ACTIVE' });
    t.hasResourceProperties('AWS::IoT::ThingPrincipalAttachment', { ThingName: stack.resolve(gw.things[1].ref), Principal: stack.resolve(gw.certificates[1].attrArn), ThingPrincipalType: 'EXCLUSIVE_THING' });
    t.hasResourceProperties('AWS::IoT::PolicyPrincipalAttachment', { PolicyName: stack.resolve(gw.corePolicy.ref), Principal: stack.resolve(gw.certificates[0].attrArn) });
  });

  test('components are deployed to the core-device group with rollback, deferrable updates and an abort threshold', () => {
    const { stack, gw } = make({ components: COMPONENTS });
    Template.fromStack(stack).hasResourceProperties('AWS::GreengrassV2::Deployment', {
      TargetArn: stack.resolve(gw.thingGroup.attrArn),
      Components: {
        'aws.greengrass.Nucleus': { ComponentVersion: '2.14.0', ConfigurationUpdate: { Merge: '{"interpolateComponentConfiguration":true}' } },
        'com.example.PlcReader': { ComponentVersion: '1.2.3' },
      },
      DeploymentPolicies: {
        FailureHandlingPolicy: 'ROLLBACK',
        ComponentUpdatePolicy: { Action: 'NOTIFY_COMPONENTS', TimeoutInSeconds: 60 },
        ConfigurationValidationPolicy: { TimeoutInSeconds: 60 },
      },
      IotJobConfiguration: { AbortConfig: { CriteriaList: [{ FailureType: 'ALL', Action: 'CANCEL', ThresholdPercentage: 10, MinNumberOfExecutedThings: 1 }] } },
      Tags: { 'srm-iip:zone': 'edge', 'srm-iip:level': '1', 'srm-iip:owner': 'iip-platform', 'srm-iip:stage': 'utilization-support' },
    });
  });

  test('classification level 3 and above: credentials live 900 seconds', () => {
    const { stack, gw } = make({ classificationLevel: 3 });
    Template.fromStack(stack).hasResourceProperties('AWS::IoT::RoleAlias', { CredentialDurationSeconds: 900 });
    expect(gw.credentialDurationSeconds).toBe(900);
  });

  test('a longer credential lifetime raises the role\'s session limit with it', () => {
    const { stack } = make({ credentialDurationSeconds: 7200 });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IoT::RoleAlias', { CredentialDurationSeconds: 7200 });
    t.hasResourceProperties('AWS::IAM::Role', { MaxSessionDuration: 7200 });
  });

  test('a given artifact bucket and key: no bucket is created, the role reads that bucket and decrypts with that key only', () => {
    const stack = envStack();
    const key = new kms.Key(stack, 'Key');
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'plant-artifacts');
    const gw = new kit.IipEdgeGateway(stack, 'Gateway', { artifactBucket: bucket, artifactKey: key });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::S3::Bucket', 0);
    t.resourceCountIs('AWS::KMS::Key', 1);
    expect(gw.createdArtifactBucket).toBeUndefined();
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'Artifacts', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::plant-artifacts/*']] } }),
          Match.objectLike({ Sid: 'ArtifactKey', Resource: stack.resolve(key.keyArn) }),
        ]),
      },
    });
  });

  test('a given artifact key is used for the created bucket', () => {
    const stack = envStack();
    const ring = new kit.IipKeyRing(stack, 'Keys', { purposes: [kit.KeyPurpose.DEVICES] });
    const gw = new kit.IipEdgeGateway(stack, 'Gateway', { artifactKey: ring.key(kit.KeyPurpose.DEVICES) });
    expect(gw.artifactKey).toBe(ring.key(kit.KeyPurpose.DEVICES));
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 1);
  });

  test('retirement: core-device certificates are revoked (OPS-07)', () => {
    const { stack } = make({ coreDevices: CORES, lifecycleStage: kit.LifecycleStage.RETIREMENT });
    for (const c of Object.values(Template.fromStack(stack).findResources('AWS::IoT::Certificate'))) expect(c.Properties.Status).toBe('REVOKED');
  });
});

describe('IipEdgeGateway: bad props', () => {
  test('a core device name that is not a thing name, or declared twice', () => {
    expectError({ coreDevices: [{ name: 'plant/gw', csr: CSR }] }, "[S/Gateway] coreDevices[0].name must be a thing name of 1..128 letters, digits, ':', '_' or '-', got 'plant/gw'");
    expectError({ coreDevices: [CORES[0], CORES[0]] }, "[S/Gateway] coreDevices[1].name 'plant-gw-01' is declared twice; each device needs its own thing and certificate");
  });

  test('a core device without a CSR', () => {
    expectError(
      { coreDevices: [{ name: 'plant-gw-01', csr: '' }] },
      "[S/Gateway] coreDevices[0].csr must be a PEM certificate signing request (-----BEGIN CERTIFICATE REQUEST----- … -----END CERTIFICATE REQUEST-----) generated on device 'plant-gw-01', got ''",
    );
  });

  test('credential lifetimes outside 900..43200 seconds', () => {
    expectError({ credentialDurationSeconds: 600 }, '[S/Gateway] credentialDurationSeconds must be a whole number 900..43200, got 600');
    expectError({ credentialDurationSeconds: 86400 }, '[S/Gateway] credentialDurationSeconds must be a whole number 900..43200, got 86400');
    expectError({ credentialDurationSeconds: 1800.5 }, '[S/Gateway] credentialDurationSeconds must be a whole number 900..43200, got 1800.5');
  });

  test('a component name with a space, a component listed twice', () => {
    expectError({ components: [{ name: 'PLC reader', version: '1.0.0' }] }, "[S/Gateway] components[0].name must be 1..128 letters, digits, '.', '_' or '-', got 'PLC reader'");
    expectError(
      { components: [COMPONENTS[1], { name: 'com.example.PlcReader', version: '1.3.0' }] },
      "[S/Gateway] components[1].name 'com.example.PlcReader' is listed twice; a deployment holds one version of each component",
    );
  });

  test('a version range instead of an exact version', () => {
    expectError({ components: [{ name: 'aws.greengrass.Nucleus', version: '^2.14.0' }] }, "[S/Gateway] components[0].version must be an exact semantic version such as 2.14.0, got '^2.14.0'");
    expectError({ components: [{ name: 'aws.greengrass.Nucleus', version: '2.14' }] }, "[S/Gateway] components[0].version must be an exact semantic version such as 2.14.0, got '2.14'");
  });

  test('a configuration merge that is not a JSON object', () => {
    expectError({ components: [{ ...COMPONENTS[1], configurationMerge: '{plc: 1}' }] }, "[S/Gateway] components[0].configurationMerge must be the text of a JSON object, got '{plc: 1}'");
    expectError({ components: [{ ...COMPONENTS[1], configurationMerge: '[1]' }] }, "[S/Gateway] components[0].configurationMerge must be the text of a JSON object, got '[1]'");
  });

  test('an artifact bucket without a key', () => {
    const stack = envStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'plant-artifacts');
    expectError(
      { artifactBucket: bucket },
      '[S/Gateway] artifactKey is required with artifactBucket S/Bucket: the bucket names no encryptionKey, and the core devices must decrypt artifacts encrypted with a customer-managed key',
      stack,
    );
  });

  test('unresolved tokens pass validation', () => {
    const stack = envStack();
    const seconds = Token.asNumber(new CfnParameter(stack, 'Seconds', { type: 'Number' }).valueAsNumber);
    new kit.IipEdgeGateway(stack, 'Gateway', {
      credentialDurationSeconds: seconds,
      coreDevices: [{ name: new CfnParameter(stack, 'Name').valueAsString, csr: new CfnParameter(stack, 'Csr').valueAsString }],
      components: [{ name: 'com.example.PlcReader', version: new CfnParameter(stack, 'Version').valueAsString, configurationMerge: new CfnParameter(stack, 'Merge').valueAsString }],
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IoT::RoleAlias', { CredentialDurationSeconds: { Ref: 'Seconds' } });
    t.hasResourceProperties('AWS::IAM::Role', { MaxSessionDuration: 43200 });
    t.hasResourceProperties('AWS::GreengrassV2::Deployment', { Components: { 'com.example.PlcReader': { ComponentVersion: { Ref: 'Version' } } } });
  });

  test('a component name that is a token: it is a map key, so it must be known at synthesis', () => {
    const stack = envStack();
    expectError(
      { components: [{ name: new CfnParameter(stack, 'Component').valueAsString, version: '1.0.0' }] },
      "[S/Gateway] components[0].name must be a literal component name (it is a key of the deployment's component map), got a token that is resolved only at deployment",
      stack,
    );
  });
});

describe('IipEdgeGateway: deliberate weakenings are reported', () => {
  test('credentials valid longer than an hour → SRM-IIP-ACC-02', () => {
    const { stack } = make({ credentialDurationSeconds: 7200 });
    Annotations.fromStack(stack).hasWarning('/S/Gateway', Match.stringLikeRegexp('SRM-IIP-ACC-02: .*7200 seconds'));
  });

  test('the secure default reports no warning', () => {
    const { stack } = make({ coreDevices: CORES, components: COMPONENTS });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('SRM-IIP-'));
  });
});

describe('IipEdgeGateway: packs', () => {
  test('alone in a stack with default props, it passes SrmIipChecks, AwsSolutions and NIST 800-53 R5', () => {
    const { app } = make();
    const r = expectCleanUnderAllPacks(app);
    expect(r.acknowledgements.filter((a) => a.scope.startsWith('S/Gateway/Token')).map((a) => a.id)).toEqual([
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:eu-central-1:111122223333:log-group:/aws/greengrass/*]',
      'AwsSolutions-IAM5[Resource::<GatewayArtifacts4A51E76A.Arn>/*]',
    ]);
  });

  test('with core devices and a component deployment, it passes the three packs too', () => {
    const { app } = make({ coreDevices: CORES, components: COMPONENTS });
    expectCleanUnderAllPacks(app);
  });
});

describe('IipEdgeGateway: turning a secure default off is caught by the kit pack', () => {
  function mutated(mutate: (gw: kit.IipEdgeGateway, stack: Stack) => void): string[] {
    const { app, stack, gw } = make({ coreDevices: CORES, components: COMPONENTS });
    mutate(gw, stack);
    return kitFindings(app);
  }
  const tesPolicy = (gw: kit.IipEdgeGateway) => gw.node.findChild('TokenExchangePolicy').node.defaultChild as iam.CfnManagedPolicy;
  const baseline = mutated(() => undefined);

  test('the unmutated gateway reports none of the controls below', () => {
    for (const id of ['SRM-IIP-ACC-01', 'SRM-IIP-ACC-02', 'SRM-IIP-ACC-03', 'SRM-IIP-ACC-04', 'SRM-IIP-SYS-01', 'SRM-IIP-SYS-02', 'SRM-IIP-MGT-02']) {
      expect(baseline).not.toContain(id);
    }
  });

  test('greengrass:* on every resource (the installer\'s default) → SRM-IIP-ACC-04', () => {
    expect(mutated((gw) => gw.corePolicy.addPropertyOverride('PolicyDocument.Statement.4.Action', 'greengrass:*'))).toContain('SRM-IIP-ACC-04');
  });

  test('publish on every topic → SRM-IIP-ACC-04', () => {
    expect(mutated((gw) => gw.corePolicy.addPropertyOverride('PolicyDocument.Statement.1.Resource', 'arn:aws:iot:eu-central-1:111122223333:topic/*'))).toContain('SRM-IIP-ACC-04');
  });

  test('every action for the token-exchange role → SRM-IIP-ACC-01', () => {
    expect(mutated((gw) => tesPolicy(gw).addPropertyOverride('PolicyDocument.Statement.2.Action', '*'))).toContain('SRM-IIP-ACC-01');
  });

  test('a token-exchange role anyone may assume → SRM-IIP-ACC-02', () => {
    expect(mutated((gw) => (gw.tokenExchangeRole.node.defaultChild as iam.CfnRole).addPropertyOverride('AssumeRolePolicyDocument.Statement.0.Principal', { AWS: '*' }))).toContain('SRM-IIP-ACC-02');
  });

  test('one certificate on both core devices → SRM-IIP-ACC-03', () => {
    expect(
      mutated((gw, stack) => (gw.node.findChild('Core1Attachment') as iot.CfnThingPrincipalAttachment).addPropertyOverride('Principal', stack.resolve(gw.certificates[0].attrArn))),
    ).toContain('SRM-IIP-ACC-03');
  });

  test('the artifact bucket without its customer-managed key → SRM-IIP-SYS-01', () => {
    expect(
      mutated((gw) =>
        (gw.createdArtifactBucket!.bucket.node.defaultChild as s3.CfnBucket).addPropertyOverride('BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault', {
          SSEAlgorithm: 'AES256',
        }),
      ),
    ).toContain('SRM-IIP-SYS-01');
  });

  test('the artifact key not rotating → SRM-IIP-SYS-02', () => {
    expect(mutated((gw) => ((gw.artifactKey as kms.Key).node.defaultChild as kms.CfnKey).addPropertyOverride('EnableKeyRotation', false))).toContain('SRM-IIP-SYS-02');
  });

  test('the role alias without its tags → SRM-IIP-MGT-02', () => {
    expect(mutated((gw) => gw.roleAlias.addPropertyDeletionOverride('Tags'))).toContain('SRM-IIP-MGT-02');
  });
});
