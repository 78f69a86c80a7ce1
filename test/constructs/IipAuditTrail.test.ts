import { CfnParameter, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import * as kit from '../../index';
import { appWithStack, envStack, expectCleanUnderAllPacks, kitFindings, kitTags } from '../support/construct-helpers';

const PROVIDED = ['SRM-IIP-OPS-01'];

type Statement = { Sid?: string; Effect: string; Principal?: unknown; Action: string | string[]; Condition?: unknown; Resource?: unknown };

describe('IipAuditTrail', () => {
  describe('secure defaults', () => {
    const s = envStack();
    const audit = new kit.IipAuditTrail(s, 'Audit');
    const t = Template.fromStack(s);
    const res = t.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any>; DeletionPolicy?: string }>;
    const id = (c: { node: { defaultChild?: unknown } }) => s.getLogicalId(c.node.defaultChild as kms.CfnKey);
    const keyId = id(audit.encryptionKey);
    const archiveId = id(audit.archiveBucket);
    const logGroupId = id(audit.logGroup);
    const keyStatements = res[keyId].Properties.KeyPolicy.Statement as Statement[];
    const trailArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cloudtrail:eu-central-1:111122223333:trail/${audit.trailName}`]] };

    it('creates a key, the log archive with its access-log bucket, the log group, the delivery role and the trail (9 resources)', () => {
      expect(Object.values(res).map((r) => r.Type).sort()).toEqual([
        'AWS::CloudTrail::Trail',
        'AWS::IAM::ManagedPolicy',
        'AWS::IAM::Role',
        'AWS::KMS::Key',
        'AWS::Logs::LogGroup',
        'AWS::S3::Bucket',
        'AWS::S3::Bucket',
        'AWS::S3::BucketPolicy',
        'AWS::S3::BucketPolicy',
      ]);
    });

    it('a multi-region trail with log file validation, KMS encryption and logging on, recording all management events', () => {
      t.hasResourceProperties('AWS::CloudTrail::Trail', {
        IsMultiRegionTrail: true,
        EnableLogFileValidation: true,
        IsLogging: true,
        IncludeGlobalServiceEvents: true,
        KMSKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
        S3BucketName: { Ref: archiveId },
        EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'All' }],
        TrailName: audit.trailName,
      });
      expect(audit.trailName).toBe('S-Audit-34E3B4E6');
    });

    it('delivers to CloudWatch Logs through a role whose managed policy writes to that log group only', () => {
      const roleId = id(audit.logsRole);
      t.hasResourceProperties('AWS::CloudTrail::Trail', { CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] }, CloudWatchLogsRoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } });
      t.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'cloudtrail.amazonaws.com' } })] } });
      t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        Roles: [{ Ref: roleId }],
        PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] } }] },
      });
      t.resourceCountIs('AWS::IAM::Policy', 0);
    });

    it('the log group is encrypted with the key, keeps events 365 days and is retained', () => {
      expect(res[logGroupId].Properties).toMatchObject({ KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] }, RetentionInDays: 365, LogGroupName: `/aws/cloudtrail/${audit.trailName}` });
      expect(res[logGroupId].DeletionPolicy).toBe('Retain');
    });

    it('the key policy lets CloudTrail encrypt for this trail only (aws:SourceArn, encryption context) and describe the key', () => {
      expect(keyStatements.find((x) => x.Sid === 'AllowCloudTrailEncryptLogs')).toEqual({
        Sid: 'AllowCloudTrailEncryptLogs',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceArn': trailArn },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:*:111122223333:trail/*']] } },
        },
      });
      expect(keyStatements.find((x) => x.Sid === 'AllowCloudTrailDescribeKey')).toMatchObject({ Action: 'kms:DescribeKey', Condition: { StringEquals: { 'aws:SourceArn': trailArn } } });
    });

    it('the key policy lets CloudWatch Logs use the key for this log group only', () => {
      expect(keyStatements.find((x) => x.Sid === 'AllowCloudWatchLogsForTrail')).toMatchObject({
        Principal: { Service: 'logs.eu-central-1.amazonaws.com' },
        Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:logs:eu-central-1:111122223333:log-group:/aws/cloudtrail/${audit.trailName}`]] } } },
      });
    });

    it('the key rotates, waits 30 days before deletion and is retained', () => {
      expect(res[keyId].Properties).toMatchObject({ EnableKeyRotation: true, RotationPeriodInDays: 365, PendingWindowInDays: 30 });
      expect(res[keyId].DeletionPolicy).toBe('Retain');
    });

    it('the log archive is versioned, object-locked (GOVERNANCE, 365 days) and encrypted with the key', () => {
      expect(res[archiveId].Properties).toMatchObject({
        VersioningConfiguration: { Status: 'Enabled' },
        ObjectLockEnabled: true,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } } },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } } }] },
      });
      expect(res[archiveId].DeletionPolicy).toBe('Retain');
    });

    it('the log archive blocks public access, is access-logged, moves log files to Glacier after 90 days and expires noncurrent versions after 365', () => {
      expect(res[archiveId].Properties).toMatchObject({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LoggingConfiguration: { DestinationBucketName: { Ref: id(audit.archive.createdAccessLogsBucket!) } },
        LifecycleConfiguration: {
          Rules: [
            { Id: 'srm-iip-expire-noncurrent-versions', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 365 } },
            { Id: 'srm-iip-logs-to-glacier', Status: 'Enabled', Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: 90 }] },
          ],
        },
      });
    });

    it('the archive policy is TLS-only, lets CloudTrail deliver and refuses CloudTrail writes for any other trail', () => {
      const policy = Object.values(res).find((r) => r.Type === 'AWS::S3::BucketPolicy' && r.Properties.Bucket.Ref === archiveId)!;
      const st = policy.Properties.PolicyDocument.Statement as Statement[];
      expect(st).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Effect: 'Deny', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          expect.objectContaining({ Sid: 'DenyOtherTrails', Effect: 'Deny', Principal: { Service: 'cloudtrail.amazonaws.com' }, Condition: { StringNotEquals: { 'aws:SourceArn': trailArn } } }),
          expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl' }),
          expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject' }),
        ]),
      );
    });

    it('tags everything with the kit tags, zone cloud-infrastructure', () => {
      for (const type of ['AWS::CloudTrail::Trail', 'AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::IAM::Role']) {
        t.allResourcesProperties(type, {
          Tags: kitTags('cloud-infrastructure'),
        });
      }
    });
  });

  describe('props', () => {
    it('uses a given key, adding the CloudTrail and CloudWatch Logs statements to its policy', () => {
      const s = envStack();
      const key = new kms.Key(s, 'Mine', { enableKeyRotation: true });
      const audit = new kit.IipAuditTrail(s, 'Audit', { encryptionKey: key });
      expect(audit.encryptionKey).toBe(key);
      const t = Template.fromStack(s);
      t.resourceCountIs('AWS::KMS::Key', 1);
      t.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowCloudTrailEncryptLogs' }), Match.objectLike({ Sid: 'AllowCloudWatchLogsForTrail' })]) },
      });
    });

    it('retention, lock mode and period, Glacier transition, noncurrent expiry and trail name', () => {
      const s = envStack();
      const audit = new kit.IipAuditTrail(s, 'Audit', {
        trailName: 'plant-audit',
        logRetentionDays: 731,
        objectLockMode: s3.ObjectLockMode.COMPLIANCE,
        objectLockRetentionDays: 2557,
        glacierTransitionDays: 30,
        noncurrentVersionExpirationDays: 3000,
      });
      const t = Template.fromStack(s);
      t.hasResourceProperties('AWS::CloudTrail::Trail', { TrailName: 'plant-audit' });
      t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 731, LogGroupName: '/aws/cloudtrail/plant-audit' });
      expect(t.toJSON().Resources[s.getLogicalId(audit.archiveBucket.node.defaultChild as s3.CfnBucket)].Properties).toMatchObject({
        ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2557 } } },
        LifecycleConfiguration: { Rules: [{ NoncurrentVersionExpiration: { NoncurrentDays: 3000 } }, { Transitions: [{ TransitionInDays: 30 }] }] },
      });
    });

    it('records S3 data events of the given buckets', () => {
      const s = envStack();
      const data = new kit.IipSecureBucket(s, 'Data');
      new kit.IipAuditTrail(s, 'Audit', { s3DataEventBuckets: [data.bucket] });
      Template.fromStack(s).hasResourceProperties('AWS::CloudTrail::Trail', {
        EventSelectors: [
          { IncludeManagementEvents: true, ReadWriteType: 'All' },
          Match.objectLike({ IncludeManagementEvents: false, ReadWriteType: 'All', DataResources: [Match.objectLike({ Type: 'AWS::S3::Object' })] }),
        ],
      });
    });

    it('a shared access-log bucket for the archive', () => {
      const s = envStack();
      const logs = new kit.IipSecureBucket(s, 'Logs').createdAccessLogsBucket!;
      const audit = new kit.IipAuditTrail(s, 'Audit', { serverAccessLogsBucket: logs });
      expect(audit.archive.accessLogsBucket).toBe(logs);
      Template.fromStack(s).resourceCountIs('AWS::S3::Bucket', 3);
    });

    it('exposes the L2 trail and log group', () => {
      const audit = new kit.IipAuditTrail(envStack(), 'Audit');
      expect(audit.trail).toBeInstanceOf(cloudtrail.Trail);
      expect(audit.logGroup).toBeInstanceOf(logs.LogGroup);
      expect(audit.trail.node.id).toBe('Resource');
    });
  });

  describe('bad props fail at construction with the prop, the value and what is allowed', () => {
    it.each<[string, kit.IipAuditTrailProps, string]>([
      ['retention below the floor', { logRetentionDays: 90 }, '[S/Audit] logRetentionDays must be at least 365 (the SRM-IIP-OPS-02 floor; set allowShortRetention: true to go below it on purpose), got 90'],
      [
        'retention CloudWatch Logs does not accept',
        { logRetentionDays: 500 },
        '[S/Audit] logRetentionDays must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653), got 500',
      ],
      ['object lock 0 days', { objectLockRetentionDays: 0 }, '[S/Audit] objectLockRetentionDays must be a whole number 1..36500, got 0'],
      ['Glacier transition 0 days', { glacierTransitionDays: 0 }, '[S/Audit] glacierTransitionDays must be a whole number 1..36500, got 0'],
      ['noncurrent expiry 0 days', { noncurrentVersionExpirationDays: 0 }, '[S/Audit] noncurrentVersionExpirationDays must be a whole number 1..36500, got 0'],
      [
        'trail name too short',
        { trailName: 'ab' },
        "[S/Audit] trailName must be 3..128 letters, digits, '.', '_' or '-', start and end with a letter or digit, have no two of '.', '_', '-' in a row and not look like an IP address, got 'ab'",
      ],
      [
        'trail name with a space',
        { trailName: 'plant audit' },
        "[S/Audit] trailName must be 3..128 letters, digits, '.', '_' or '-', start and end with a letter or digit, have no two of '.', '_', '-' in a row and not look like an IP address, got 'plant audit'",
      ],
      [
        'trail name like an IP address',
        { trailName: '10.0.0.1' },
        "[S/Audit] trailName must be 3..128 letters, digits, '.', '_' or '-', start and end with a letter or digit, have no two of '.', '_', '-' in a row and not look like an IP address, got '10.0.0.1'",
      ],
      ['owner empty', { owner: '' }, "[S/Audit] owner must not be empty, got ''"],
    ])('%s', (_name, props, message) => {
      expect(() => new kit.IipAuditTrail(envStack(), 'Audit', props)).toThrow(kit.SrmIipError);
      expect(() => new kit.IipAuditTrail(envStack(), 'Audit', props)).toThrow(message);
    });

    it('archive replication outside the allowed regions fails in the archive bucket', () => {
      const make = () => {
        const s = envStack();
        return new kit.IipAuditTrail(s, 'Audit', {
          replicationDestinations: [
            { bucket: s3.Bucket.fromBucketArn(s, 'R', 'arn:aws:s3:::audit-replica'), region: 'us-east-1', encryptionKey: kms.Key.fromKeyArn(s, 'K', 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab') },
          ],
        });
      };
      expect(make).toThrow(kit.SrmIipError);
      expect(make).toThrow("[S/Audit/Archive] replicationDestinations[0].region 'us-east-1' is not an allowed region; allowedRegions: eu-central-1 (the stack region, as allowedRegions is not set)");
    });

    it('tokens pass validation (known at deploy time only)', () => {
      const s = envStack();
      const days = new CfnParameter(s, 'Days', { type: 'Number' }).valueAsNumber;
      const name = new CfnParameter(s, 'Name').valueAsString;
      expect(Token.isUnresolved(days)).toBe(true);
      expect(() => new kit.IipAuditTrail(s, 'Audit', { trailName: name, logRetentionDays: days, objectLockRetentionDays: days, glacierTransitionDays: days })).not.toThrow();
    });
  });

  describe('deliberate weakening is visible as a warning naming the control', () => {
    it('retention below the floor with allowShortRetention warns SRM-IIP-OPS-02', () => {
      const s = envStack();
      new kit.IipAuditTrail(s, 'Audit', { logRetentionDays: 90, allowShortRetention: true });
      Annotations.fromStack(s).hasWarning('/S/Audit', Match.stringLikeRegexp('SRM-IIP-OPS-02'));
      Template.fromStack(s).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    });

    it('allowShortRetention alone changes nothing and warns nothing', () => {
      const s = envStack();
      new kit.IipAuditTrail(s, 'Audit', { allowShortRetention: true });
      Annotations.fromStack(s).hasNoWarning('*', Match.anyValue());
    });

    it('secure defaults raise no warning', () => {
      const s = envStack();
      new kit.IipAuditTrail(s, 'Audit');
      Annotations.fromStack(s).hasNoWarning('*', Match.anyValue());
    });
  });

  it('alone in a stack with default props, passes SrmIipChecks, AwsSolutions and NIST 800-53 R5', () => {
    const { app, stack } = appWithStack();
    new kit.IipAuditTrail(stack, 'Audit');
    const r = expectCleanUnderAllPacks(app, PROVIDED);
    // The trail provides SRM-IIP-OPS-01 itself; only the archive's access-log bucket and replication carry acknowledgements.
    expect(r.acknowledgements.filter((a) => a.scope !== '').map((a) => `${a.scope} ${a.id}`)).toEqual([
      'S/Audit/Archive/AccessLogs SRM-IIP-SYS-01',
      'S/Audit/Archive/AccessLogs NIST.800.53.R5-S3DefaultEncryptionKMS',
      'S/Audit/Archive/AccessLogs AwsSolutions-S1',
      'S/Audit/Archive/AccessLogs NIST.800.53.R5-S3BucketLoggingEnabled',
      'S/Audit/Archive/AccessLogs NIST.800.53.R5-S3BucketReplicationEnabled',
      'S/Audit/Archive/Resource NIST.800.53.R5-S3BucketReplicationEnabled',
    ]);
    expect(r.acknowledgements.map((a) => a.id)).not.toContain('SRM-IIP-OPS-01');
  });

  describe('mutation: a secure default switched off through an escape hatch is reported', () => {
    function mutated(change: (a: kit.IipAuditTrail) => void): string[] {
      const { app, stack } = appWithStack();
      const audit = new kit.IipAuditTrail(stack, 'Audit');
      change(audit);
      return kitFindings(app, PROVIDED);
    }
    const trail = (a: kit.IipAuditTrail) => a.trail.node.defaultChild as cloudtrail.CfnTrail;
    const logGroup = (a: kit.IipAuditTrail) => a.logGroup.node.defaultChild as logs.CfnLogGroup;
    const archive = (a: kit.IipAuditTrail) => a.archiveBucket.node.defaultChild as s3.CfnBucket;

    it('unmutated → nothing', () => expect(mutated(() => undefined)).toEqual([]));
    it('single-region trail → SRM-IIP-OPS-01', () => expect(mutated((a) => trail(a).addPropertyOverride('IsMultiRegionTrail', false))).toContain('SRM-IIP-OPS-01'));
    it('log file validation off → SRM-IIP-OPS-01', () => expect(mutated((a) => trail(a).addPropertyOverride('EnableLogFileValidation', false))).toContain('SRM-IIP-OPS-01'));
    it('trail KMS key removed → SRM-IIP-OPS-01', () => expect(mutated((a) => trail(a).addPropertyDeletionOverride('KMSKeyId'))).toContain('SRM-IIP-OPS-01'));
    it('trail not logging → SRM-IIP-OPS-01', () => expect(mutated((a) => trail(a).addPropertyOverride('IsLogging', false))).toContain('SRM-IIP-OPS-01'));
    it('log group retention 30 days → SRM-IIP-OPS-02', () => expect(mutated((a) => logGroup(a).addPropertyOverride('RetentionInDays', 30))).toContain('SRM-IIP-OPS-02'));
    it('log group key removed → SRM-IIP-OPS-02 and SRM-IIP-SYS-01', () =>
      expect(mutated((a) => logGroup(a).addPropertyDeletionOverride('KmsKeyId'))).toEqual(expect.arrayContaining(['SRM-IIP-OPS-02', 'SRM-IIP-SYS-01'])));
    it('archive object lock removed → SRM-IIP-OPS-02', () =>
      expect(
        mutated((a) => {
          archive(a).addPropertyDeletionOverride('ObjectLockEnabled');
          archive(a).addPropertyDeletionOverride('ObjectLockConfiguration');
        }),
      ).toContain('SRM-IIP-OPS-02'));
    it('archive versioning suspended → SRM-IIP-OPS-02', () => expect(mutated((a) => archive(a).addPropertyOverride('VersioningConfiguration.Status', 'Suspended'))).toContain('SRM-IIP-OPS-02'));
    it('archive encryption removed → SRM-IIP-SYS-01', () => expect(mutated((a) => archive(a).addPropertyDeletionOverride('BucketEncryption'))).toContain('SRM-IIP-SYS-01'));
    it('archive Block Public Access off → SRM-IIP-ACC-06', () => expect(mutated((a) => archive(a).addPropertyOverride('PublicAccessBlockConfiguration.RestrictPublicBuckets', false))).toContain('SRM-IIP-ACC-06'));
    it('archive TLS-only statements removed → SRM-IIP-COM-01', () =>
      expect(mutated((a) => (a.archiveBucket.policy!.node.defaultChild as s3.CfnBucketPolicy).addPropertyOverride('PolicyDocument.Statement', []))).toContain('SRM-IIP-COM-01'));
    it('key rotation off → SRM-IIP-SYS-02', () => expect(mutated((a) => (a.encryptionKey.node.defaultChild as kms.CfnKey).addPropertyOverride('EnableKeyRotation', false))).toContain('SRM-IIP-SYS-02'));
    it('kit tags removed from the trail → SRM-IIP-MGT-02', () => expect(mutated((a) => trail(a).addPropertyDeletionOverride('Tags'))).toContain('SRM-IIP-MGT-02'));
    it('no trail at all → SRM-IIP-OPS-01 for the app', () => {
      const { app, stack } = appWithStack();
      new kit.IipSecureBucket(stack, 'Data');
      expect(kitFindings(app, PROVIDED)).toEqual(['SRM-IIP-OPS-01']);
    });
  });
});
