import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, test } from 'vitest';
import * as kit from '../../index';
import {
  DEFAULT_BYTES_SCANNED_CUTOFF_PER_QUERY,
  ProductionOptimizationBlueprint,
  ProductionOptimizationBlueprintProps,
  productionOptimizationConduits,
  productionOptimizationZones,
} from '../../blueprints/ProductionOptimizationBlueprint';
import { describeViolations, kitControlIds, vagueReasons } from '../support/packs';
import { acknowledgementsByPack, runPacksStrict } from './support';

const ENV = { account: '111122223333', region: 'eu-central-1' };

// One platform for the whole file; the mutation tests at the end change it, after every other assertion was computed.
const app = new App();
const plant = new ProductionOptimizationBlueprint(app, 'Plant', { platformName: 'press-shop', env: ENV });
const packs = runPacksStrict(app, plant.checkOptions);
const assembly = app.synth();
const template = (suffix: string) => Template.fromJSON(assembly.getStackByName(`press-shop-${suffix}`).template);
const network = template('network');
const application = template('application');
const allTemplates = assembly.stacks.map((s) => JSON.stringify(s.template));

function expectError(props: ProductionOptimizationBlueprintProps, message: string): void {
  let error: unknown;
  try {
    new ProductionOptimizationBlueprint(new App(), 'Plant', { env: ENV, ...props });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(kit.SrmIipError);
  expect((error as Error).message).toBe(message);
}

describe('ProductionOptimizationBlueprint: what it adds to IipPlatform', () => {
  test('five stacks; the network holds only the edge, platform and data zones (6 subnets), no internet gateway', () => {
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(['press-shop-application', 'press-shop-edge', 'press-shop-network', 'press-shop-platform', 'press-shop-security']);
    network.resourceCountIs('AWS::EC2::Subnet', 6);
    network.resourceCountIs('AWS::EC2::InternetGateway', 0);
    const zones = Object.values(network.findResources('AWS::EC2::Subnet')).map((s) => (s.Properties.Tags as Array<{ Key: string; Value: string }>).find((t) => t.Key === 'srm-iip:zone')!.Value);
    expect([...new Set(zones)].sort()).toEqual(['data', 'edge', 'platform']);
  });

  test('the zone model has conduits edge → platform and platform → data only', () => {
    const model = (assembly.getStackByName('press-shop-network').template.Metadata as any)['srm-iip'].zoneModel;
    expect(model.conduits.map((c: kit.Conduit) => `${c.from}→${c.to}:${c.fromPort}`)).toEqual(['edge→platform:8883', 'edge→platform:443', 'platform→data:5432']);
    expect(plant.network.conduits).toEqual(productionOptimizationConduits().map((c) => expect.objectContaining({ from: c.from, to: c.to, fromPort: c.fromPort })));
  });

  test('no application ingress and no partner access anywhere', () => {
    expect(plant.apiIngress).toBeUndefined();
    expect(plant.partnerAccess).toBeUndefined();
    for (const t of allTemplates) {
      expect(t).not.toContain('AWS::ApiGateway::RestApi');
      expect(t).not.toContain('AWS::WAFv2::WebACL"');
    }
  });

  test('an Athena workgroup that enforces its configuration, encrypts results with the results key and caps each query', () => {
    application.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'press-shop-analytics',
      State: 'ENABLED',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        BytesScannedCutoffPerQuery: DEFAULT_BYTES_SCANNED_CUTOFF_PER_QUERY,
        ResultConfiguration: {
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AnalyticsResultsKey'), 'Arn'] } },
          OutputLocation: Match.anyValue(),
        },
      },
    });
  });

  test('query results expire after 30 days; the results bucket is an IipSecureBucket (SSE-KMS, versioned, noncurrent expiry)', () => {
    application.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })] },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: { Rules: Match.arrayWith([{ Id: 'srm-iip-expire-query-results', Status: 'Enabled', ExpirationInDays: 30 }]) },
    });
  });

  test('a Glue database for the telemetry tables over the data lake\'s telemetry prefix', () => {
    application.hasResourceProperties('AWS::Glue::Database', { CatalogId: '111122223333', DatabaseInput: Match.objectLike({ Name: 'press_shop_telemetry' }) });
  });

  test('the analyst role: assumable from the account, 1-hour sessions, Athena in its workgroup, read on the telemetry prefix only', () => {
    application.hasResourceProperties('AWS::IAM::Role', {
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:root']] } } })] },
    });
    const policy = Object.values(application.findResources('AWS::IAM::ManagedPolicy')).find((p) => String(p.Properties.Description).startsWith('SRM-IIP analysts'))!;
    const statements = policy.Properties.PolicyDocument.Statement as Array<{ Sid: string; Action: string | string[]; Resource: unknown }>;
    expect(statements.map((s) => s.Sid)).toEqual(['Queries', 'TelemetryTables', 'ListTelemetry', 'ReadTelemetry', 'DecryptTelemetry', 'ResultsBucket', 'Results', 'ResultsKey']);
    expect(JSON.stringify(statements.find((s) => s.Sid === 'ReadTelemetry')!.Resource)).toContain('press-shop-platform-AnalyticsDataLakeArn');
    expect(JSON.stringify(statements.find((s) => s.Sid === 'ReadTelemetry')!.Resource)).toContain('/telemetry/data/*');
    for (const s of statements) expect(JSON.stringify(s.Action)).not.toMatch(/[:"]\*"/);
  });

  test('what the platform promises is what the pack checks', () => {
    expect(plant.checkOptions).toEqual({ allowedRegions: ['eu-central-1'], classificationLevels: 1, logRetentionDays: 365 });
  });
});

describe('ProductionOptimizationBlueprint: the three packs', () => {
  test('no unacknowledged error of the kit\'s pack; no unacknowledged finding of AwsSolutions or NIST 800-53 R5', () => {
    expect(describeViolations(packs.srmIip)).toEqual([]);
    expect(describeViolations(packs.awsSolutions)).toEqual([]);
    expect(describeViolations(packs.nist)).toEqual([]);
  });

  test('every acknowledgement carries a specific reason', () => {
    expect(vagueReasons(packs.acknowledgements)).toEqual([]);
    const mine = packs.acknowledgements.filter((a) => a.scope.includes('/Analytics/'));
    expect(mine.map((a) => a.id).filter((id) => id.startsWith('AwsSolutions-IAM5'))).toEqual([
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:glue:eu-central-1:111122223333:table/press_shop_telemetry/*]',
      'AwsSolutions-IAM5[Resource::press-shop-platform-AnalyticsDataLakeArn/telemetry/data/*]',
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<AnalyticsResults[0-9A-F]{8}\.Arn>\/results\/\*\]$/),
    ]);
    expect(acknowledgementsByPack(packs.acknowledgements)).toEqual(expect.objectContaining({ AwsSolutions: expect.any(Number), NIST: expect.any(Number) }));
  });

  test('the controls this scenario adds are checked and pass', () => {
    const status = Object.fromEntries(packs.pack.lastResult!.controls.map((c) => [c.controlId, c.status]));
    for (const id of ['SRM-IIP-NET-01', 'SRM-IIP-NET-03', 'SRM-IIP-NET-06', 'SRM-IIP-ACC-01', 'SRM-IIP-OPS-07']) expect([id, status[id]]).toEqual([id, 'passed']);
    // SSE-S3 access-log buckets are acknowledged (S3 delivers access logs only to SSE-S3 targets).
    expect(status['SRM-IIP-SYS-01']).toBe('acknowledged');
  });
});

describe('ProductionOptimizationBlueprint: bad options', () => {
  test.each<[ProductionOptimizationBlueprintProps, string]>([
    [{ enableApiIngress: true }, '[Plant] enableApiIngress must be false or unset for production optimization, got true: telemetry flows from the edge into the platform and no application entry point exists; use ProductCustomizationBlueprint for a customer-facing API'],
    [{ partners: [{ name: 'oem', accountId: '444455556666', externalId: 'oem-2024' }] }, '[Plant] partners must be empty for production optimization, got 1 partner(s); use TransnationalCooperationBlueprint for partner access'],
    [{ zones: kit.defaultNetworkZones() }, "[Plant] zones[0] 'ingress' is internet-facing; production optimization has no internet entry point, allowed: zones of the edge and platform domains that are not internet-facing"],
    [{ zones: [...productionOptimizationZones(), { name: 'portal', domain: kit.SecurityDomain.APPLICATION }] }, "[Plant] zones[3] 'portal' is in the application domain; production optimization allows zones of the edge and platform domains only"],
    [{ conduits: [...productionOptimizationConduits(), { from: 'platform', to: 'edge', fromPort: 443 }] }, "[Plant] conduits[3] 'platform' → 'edge' flows from the platform domain to the edge domain; production optimization allows edge → platform and platform → platform conduits only"],
    [{ queryResultRetentionDays: 0 }, '[Plant] queryResultRetentionDays must be a whole number 1..3650, got 0'],
    [{ bytesScannedCutoffPerQuery: 1000 }, "[Plant] bytesScannedCutoffPerQuery must be a whole number of bytes, at least 10485760 (10 MiB, Athena's minimum), got 1000"],
    [{ securityLevel: 'SL5' as kit.SecurityLevel }, "[Plant] securityLevel must be one of SL1, SL2, SL3, SL4, got 'SL5'"],
    [{ allowedRegions: ['eu-west-1'] }, "[Plant] allowedRegions must include the stacks' region 'eu-central-1' (env.region), got [eu-west-1]"],
  ])('%#: %j', (props, message) => expectError(props, message));
});

describe('ProductionOptimizationBlueprint: mutations through escape hatches (run last: they change the shared app)', () => {
  test('the results bucket without default encryption → SRM-IIP-SYS-01', () => {
    (plant.analyticsResults.bucket.node.defaultChild as s3.CfnBucket).addPropertyDeletionOverride('BucketEncryption');
    expect(kitControlIds(app, plant.checkOptions)).toContain('SRM-IIP-SYS-01');
  });

  test('the edge → platform MQTT conduit moved to SSH → SRM-IIP-NET-06 (a crossing no conduit declares)', () => {
    const rule = plant.network.node.findAll().find((c) => c instanceof ec2.CfnSecurityGroupIngress && c.fromPort === 8883) as ec2.CfnSecurityGroupIngress;
    rule.addPropertyOverride('FromPort', 22);
    rule.addPropertyOverride('ToPort', 22);
    expect(kitControlIds(app, plant.checkOptions)).toContain('SRM-IIP-NET-06');
  });
});
