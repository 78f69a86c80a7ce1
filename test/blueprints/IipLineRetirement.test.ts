import { App, CfnParameter, Stack, Tags, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, test } from 'vitest';
import * as kit from '../../index';
import { IipLineRetirement, IipLineRetirementProps, RetiredCertificateStatus } from '../../blueprints/IipLineRetirement';
import { acknowledgeAppLevelControls, describeViolations, kitControlIds, vagueReasons } from '../support/packs';
import { runPacksStrict } from './support';

const ENV = { account: '111122223333', region: 'eu-central-1' };
const CHECK = { allowedRegions: ['eu-central-1'] };
const CSR = '-----BEGIN CERTIFICATE REQUEST-----\nMIIBWjCCAQACAQAwHjEcMBoGA1UEAwwTcHJlc3MtMDEuZmFjdG9yeS5leDBZMBMG\nByqGSM49AgEGCCqGSM49AwEHA0IABA==\n-----END CERTIFICATE REQUEST-----\n';
const STAGE = 'srm-iip:stage';

/** Line 3 of a plant as it ran: a device fleet, a telemetry pipeline, a quality-record bucket; now retired. */
function line(retirement: Partial<IipLineRetirementProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Line3', { env: ENV });
  const fleet = new kit.IipDeviceFleet(stack, 'Fleet', { devices: [{ name: 'press-01', csr: CSR }, { name: 'press-02', csr: CSR }] });
  const telemetry = new kit.IipTelemetryPipeline(stack, 'Telemetry');
  const records = new kit.IipSecureBucket(stack, 'QualityRecords');
  const retired = new IipLineRetirement(stack, 'Retirement', {
    retiredOn: '2025-03-31',
    deviceFleets: [fleet],
    telemetryPipelines: [telemetry],
    dataBuckets: [records.bucket],
    keys: [telemetry.encryptionKey, records.encryptionKey],
    ...retirement,
  });
  acknowledgeAppLevelControls(app);
  // IipTelemetryPipeline leaves this peer warning to its user (IipPlatform acknowledges it the same way).
  Validations.of(telemetry.stream).acknowledge({
    id: 'AwsSolutions-KDS3',
    reason: "The line's telemetry stream is encrypted with the pipeline's customer-managed key (rotation on, SRM-IIP-SYS-01) on purpose; KDS3 asks for the AWS-managed aws/kinesis key instead",
  });
  return { app, stack, fleet, telemetry, records, retired };
}

function expectError(make: (stack: Stack) => void, message: string): void {
  const stack = new Stack(new App(), 'S', { env: ENV });
  let error: unknown;
  try {
    make(stack);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(kit.SrmIipError);
  expect((error as Error).message).toBe(message);
}

function stageTags(props: Record<string, any>): string[] {
  return ((props.Tags ?? []) as Array<{ Key: string; Value: string }>).filter((t) => t.Key === STAGE).map((t) => t.Value);
}

describe('IipLineRetirement: a retired line', () => {
  const { app, stack, retired } = line();
  const t = Template.fromStack(stack);
  const json = t.toJSON();
  const resources = Object.values(json.Resources) as Array<{ Type: string; Properties: Record<string, any>; DeletionPolicy?: string; Metadata?: Record<string, any> }>;
  const packs = runPacksStrict(app, CHECK);

  test('creates no resources of its own', () => {
    expect(retired.node.children).toHaveLength(0);
  });

  test('declared device certificates are REVOKED and the provisioning template is disabled (OPS-07)', () => {
    const certs = resources.filter((r) => r.Type === 'AWS::IoT::Certificate');
    expect(certs).toHaveLength(2);
    for (const c of certs) expect(c.Properties.Status).toBe('REVOKED');
    t.hasResourceProperties('AWS::IoT::ProvisioningTemplate', { Enabled: false });
    expect(retired.retiredCertificates).toHaveLength(2);
  });

  test('ingestion stops: the topic rule is disabled', () => {
    t.hasResourceProperties('AWS::IoT::TopicRule', { TopicRulePayload: Match.objectLike({ RuleDisabled: true }) });
  });

  test('the stream keeps records 24 hours and Timestream the shortest retention', () => {
    t.hasResourceProperties('AWS::Kinesis::Stream', { RetentionPeriodHours: 24 });
    t.hasResourceProperties('AWS::Timestream::Table', { RetentionProperties: { MemoryStoreRetentionPeriodInHours: '1', MagneticStoreRetentionPeriodInDays: '1' } });
  });

  test('the data lake and the listed bucket expire current and noncurrent versions after 30 days, abort uploads after 1 day, and remove expired delete markers (OPS-07)', () => {
    const expiring = resources.filter((r) => r.Type === 'AWS::S3::Bucket' && JSON.stringify(r.Properties.LifecycleConfiguration ?? {}).includes('srm-iip-retirement-expiry'));
    expect(expiring).toHaveLength(2);
    for (const b of expiring) {
      expect(b.Properties.LifecycleConfiguration.Rules).toEqual(
        expect.arrayContaining([
          { Id: 'srm-iip-retirement-expiry', Status: 'Enabled', ExpirationInDays: 30, NoncurrentVersionExpiration: { NoncurrentDays: 30 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
          { Id: 'srm-iip-retirement-delete-markers', Status: 'Enabled', ExpiredObjectDeleteMarker: true },
        ]),
      );
    }
  });

  test('access-log buckets keep their own rules (they are evidence, not line data)', () => {
    const logs = resources.filter((r) => r.Type === 'AWS::S3::Bucket' && r.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm === 'AES256');
    expect(logs).toHaveLength(2);
    for (const b of logs) expect(JSON.stringify(b.Properties.LifecycleConfiguration)).not.toContain('retirement');
  });

  test('retired keys: explicit 30-day window, DESTROY, tagged retirement, deletion date in metadata (SYS-08)', () => {
    const destroyed = resources.filter((r) => r.Type === 'AWS::KMS::Key' && r.DeletionPolicy === 'Delete');
    expect(destroyed).toHaveLength(2);
    for (const k of destroyed) {
      expect(k.Properties.PendingWindowInDays).toBe(30);
      expect(stageTags(k.Properties)).toEqual(['retirement']);
      expect(k.Metadata?.['srm-iip:retirement']).toEqual({ retiredOn: '2025-03-31', dataGoneAfter: '2025-06-01', deletableAfter: '2025-06-01' });
    }
  });

  test('keys not listed (the log keys) stay retained', () => {
    const kept = resources.filter((r) => r.Type === 'AWS::KMS::Key' && r.DeletionPolicy !== 'Delete');
    expect(kept.length).toBeGreaterThanOrEqual(2);
    for (const k of kept) expect(k.DeletionPolicy).toBe('Retain');
  });

  test('keys are deletable once the data is gone: retiredOn + 30 + 30 + 2 days', () => {
    expect(retired.dataGoneAfter).toBe('2025-06-01');
    expect(retired.keysDeletableAfter).toBe('2025-06-01');
  });

  test('a warning names SYS-08, the keys and the date', () => {
    Annotations.fromStack(stack).hasWarning('/Line3/Retirement', Match.stringLikeRegexp('SRM-IIP-SYS-08: 2 key\\(s\\).*on or after 2025-06-01'));
  });

  test('everything taggable that was retired carries srm-iip:stage=retirement (MGT-02); the quality records\' access-log bucket, not listed, keeps its stage', () => {
    const tagged = Object.entries(json.Resources as Record<string, { Properties: Record<string, any> }>).filter(([, r]) => stageTags(r.Properties ?? {}).length > 0);
    expect(tagged.length).toBeGreaterThan(20);
    const notRetired = tagged.filter(([, r]) => stageTags(r.Properties).join() !== 'retirement').map(([id]) => id);
    expect(notRetired).toEqual([expect.stringMatching(/^QualityRecordsAccessLogs[0-9A-F]{8}$/)]);
  });

  test('passes the three packs; every acknowledgement has a specific reason', () => {
    expect(describeViolations(packs.srmIip)).toEqual([]);
    expect(describeViolations(packs.awsSolutions)).toEqual([]);
    expect(describeViolations(packs.nist)).toEqual([]);
    expect(vagueReasons(packs.acknowledgements)).toEqual([]);
    // OPS-07 and SYS-08 are warnings: none may remain either.
    expect(packs.pack.lastResult!.findings.filter((f) => !f.acknowledgement && ['SRM-IIP-OPS-07', 'SRM-IIP-SYS-08'].includes(f.controlId))).toEqual([]);
  });
});

describe('IipLineRetirement: options', () => {
  test('INACTIVE certificates for a mothballed line; a certificate already REVOKED stays REVOKED', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: ENV });
    const live = new kit.IipDeviceFleet(stack, 'Live', { devices: [{ name: 'a', csr: CSR }] });
    const revoked = new kit.IipDeviceFleet(stack, 'Retired', { devices: [{ name: 'b', csr: CSR }], lifecycleStage: kit.LifecycleStage.RETIREMENT, enableAccountLogging: false, enableDeviceDefenderAudit: false });
    new IipLineRetirement(stack, 'R', { retiredOn: '2025-01-01', deviceFleets: [live, revoked], certificateStatus: RetiredCertificateStatus.INACTIVE });
    const statuses = Object.values(Template.fromStack(stack).findResources('AWS::IoT::Certificate')).map((c) => c.Properties.Status);
    expect(statuses.sort()).toEqual(['INACTIVE', 'REVOKED']);
  });

  test('dataExpirationDays, streamRetentionHours, keyPendingWindowDays and a later keysDeletableAfter', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const bucket = new kit.IipSecureBucket(stack, 'B');
    const stream = new kinesis.Stream(stack, 'Stream', { encryption: kinesis.StreamEncryption.KMS });
    const key = new kms.Key(stack, 'K', { enableKeyRotation: true });
    const r = new IipLineRetirement(stack, 'R', {
      retiredOn: '2024-12-31',
      dataBuckets: [bucket.bucket],
      streams: [stream],
      keys: [key],
      dataExpirationDays: 7,
      streamRetentionHours: 48,
      keyPendingWindowDays: 7,
      keysDeletableAfter: '2025-02-01',
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::S3::Bucket', { LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'srm-iip-retirement-expiry', ExpirationInDays: 7 })]) } });
    t.hasResourceProperties('AWS::Kinesis::Stream', { RetentionPeriodHours: 48 });
    t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ PendingWindowInDays: 7 }) });
    expect(r.dataGoneAfter).toBe('2025-01-16');
    expect(r.keysDeletableAfter).toBe('2025-02-01');
  });

  test('object lock holds versions longer: the key waits for the lock', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const locked = new kit.IipSecureBucket(stack, 'Locked', { objectLockRetentionDays: 365 });
    const r = new IipLineRetirement(stack, 'R', { retiredOn: '2025-01-01', dataBuckets: [locked.bucket], keys: [locked.encryptionKey] });
    expect(r.dataGoneAfter).toBe('2026-02-02'); // 2025-01-01 + 365 + 30 + 2 days
  });

  test('edge gateways: the core devices\' certificates are revoked too', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const gw = new kit.IipEdgeGateway(stack, 'Gateway', { coreDevices: [{ name: 'line3-gateway', csr: CSR }] });
    const r = new IipLineRetirement(stack, 'R', { retiredOn: '2025-01-01', edgeGateways: [gw] });
    expect(r.retiredCertificates).toHaveLength(1);
    Template.fromStack(stack).hasResourceProperties('AWS::IoT::Certificate', { Status: 'REVOKED' });
  });

  test('a pipeline writing into a bucket it did not create: the bucket is left alone, with a warning', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const lake = new kit.IipSecureBucket(stack, 'SharedLake');
    const p = new kit.IipTelemetryPipeline(stack, 'T', { dataLakeBucket: lake.bucket, enableTimestream: false });
    new IipLineRetirement(stack, 'R', { retiredOn: '2025-01-01', telemetryPipelines: [p] });
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('srm-iip-retirement-expiry');
    Annotations.fromStack(stack).hasWarning('/S/R', Match.stringLikeRegexp('SRM-IIP-OPS-07: telemetryPipelines\\[0\\] \\(S/T\\) writes into a data lake bucket it did not create'));
  });
});

describe('IipLineRetirement: bad props', () => {
  const withKey = (stack: Stack) => new kms.Key(stack, 'K');
  test.each([
    [{ retiredOn: '31.03.2025' }, "[S/R] retiredOn must be a date YYYY-MM-DD, got '31.03.2025'"],
    [{ retiredOn: '2025-02-30' }, "[S/R] retiredOn must be a date YYYY-MM-DD, got '2025-02-30'"],
    [{ retiredOn: undefined }, '[S/R] retiredOn must be a date YYYY-MM-DD, got none'],
    [{ dataExpirationDays: 0 }, '[S/R] dataExpirationDays must be a whole number 1..3650, got 0'],
    [{ streamRetentionHours: 12 }, '[S/R] streamRetentionHours must be a whole number 24..168, got 12'],
    [{ keyPendingWindowDays: 3 }, '[S/R] keyPendingWindowDays must be a whole number 7..30, got 3'],
    [{ lifecycleStage: kit.LifecycleStage.UTILIZATION_SUPPORT }, "[S/R] lifecycleStage must be LifecycleStage.RETIREMENT or unset for a retirement companion, got 'utilization-support'"],
    [{ certificateStatus: 'ACTIVE' as RetiredCertificateStatus }, "[S/R] certificateStatus must be one of REVOKED, INACTIVE, got 'ACTIVE'"],
    [{ keysDeletableAfter: '2025-03-30' }, "[S/R] keysDeletableAfter '2025-03-30' is before the retired data is gone; the keys protect it until 2025-03-31 (retiredOn 2025-03-31 + 0 days: the retention of the retired streams and tables), so choose 2025-03-31 or later"],
    [{ keysDeletableAfter: 'soon' }, "[S/R] keysDeletableAfter must be a date YYYY-MM-DD, got 'soon'"],
  ])('%j', (props, message) => {
    expectError((stack) => new IipLineRetirement(stack, 'R', { retiredOn: '2025-03-31', keys: [withKey(stack)], ...(props as object) } as IipLineRetirementProps), message);
  });

  test('keysDeletableAfter before the buckets expire names the computation', () => {
    expectError((stack) => {
      const b = new kit.IipSecureBucket(stack, 'B');
      new IipLineRetirement(stack, 'R', { retiredOn: '2025-03-31', dataBuckets: [b.bucket], keysDeletableAfter: '2025-05-01' });
    }, "[S/R] keysDeletableAfter '2025-05-01' is before the retired data is gone; the keys protect it until 2025-06-01 (retiredOn 2025-03-31 + 62 days: 30 days until current versions expire, 30 more until the superseded versions expire, 2 for S3 lifecycle to run, longer where object lock holds versions), so choose 2025-06-01 or later");
  });

  test('nothing to retire', () => {
    expectError((stack) => new IipLineRetirement(stack, 'R', { retiredOn: '2025-03-31' }), '[S/R] nothing to retire: give at least one of deviceFleets, edgeGateways, telemetryPipelines, dataBuckets, streams or keys');
  });

  test('an imported key cannot be scheduled here', () => {
    expectError(
      (stack) => new IipLineRetirement(stack, 'R', { retiredOn: '2025-03-31', keys: [kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab')] }),
      '[S/R] keys[0] (S/Imported) is not a key this app creates; an imported key is scheduled for deletion by the stack or account that owns it',
    );
  });

  test('a part listed twice', () => {
    expectError((stack) => {
      const k = new kms.Key(stack, 'K');
      new IipLineRetirement(stack, 'R', { retiredOn: '2025-03-31', keys: [k, k] });
    }, '[S/R] keys[1] (S/K) is listed twice');
  });

  test('an object-lock retention that is a token', () => {
    expectError((stack) => {
      const b = new s3.Bucket(stack, 'B', { objectLockEnabled: true });
      (b.node.defaultChild as s3.CfnBucket).objectLockConfiguration = { objectLockEnabled: 'Enabled', rule: { defaultRetention: { mode: 'GOVERNANCE', days: new CfnParameter(stack, 'Days', { type: 'Number' }).valueAsNumber } } };
      new IipLineRetirement(stack, 'R', { retiredOn: '2025-03-31', dataBuckets: [b] });
    }, '[S/R] dataBuckets[0] (S/B) has an object-lock retention that cannot be read at synthesis; locked versions outlive lifecycle expiry, so give the bucket a literal default retention');
  });
});

describe('IipLineRetirement: mutations through escape hatches', () => {
  function small() {
    const app = new App();
    const stack = new Stack(app, 'S', { env: ENV });
    const fleet = new kit.IipDeviceFleet(stack, 'Fleet', { devices: [{ name: 'press-01', csr: CSR }] });
    const key = new kms.Key(stack, 'DataKey', { enableKeyRotation: true });
    new IipLineRetirement(stack, 'R', { retiredOn: '2025-03-31', deviceFleets: [fleet], keys: [key] });
    return { app, fleet, key };
  }

  test('a certificate set back to ACTIVE in a retirement stack → SRM-IIP-OPS-07', () => {
    const { app, fleet } = small();
    expect(kitControlIds(app, CHECK)).not.toContain('SRM-IIP-OPS-07');
    const { app: app2, fleet: fleet2 } = small();
    (fleet2.certificates[0] as iot.CfnCertificate).addPropertyOverride('Status', 'ACTIVE');
    expect(kitControlIds(app2, CHECK)).toContain('SRM-IIP-OPS-07');
    expect(fleet.certificates[0].status).toBe('REVOKED');
  });

  test('a DESTROY key without the retirement tag → SRM-IIP-SYS-08', () => {
    const { app, key } = small();
    Tags.of(key).add('srm-iip:stage', 'utilization-support', { priority: 1000 });
    expect(kitControlIds(app, CHECK)).toContain('SRM-IIP-SYS-08');
  });

  test('a retired key without an explicit waiting period → SRM-IIP-SYS-08', () => {
    const { app, key } = small();
    (key.node.defaultChild as kms.CfnKey).addPropertyDeletionOverride('PendingWindowInDays');
    expect(kitControlIds(app, CHECK)).toContain('SRM-IIP-SYS-08');
  });
});
