import { App, CfnParameter, Duration, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import * as kit from '../../index';
import { appWithStack, checked, ENV, envStack, expectCleanUnderAllPacks, kitFindings, kitTags } from '../support/construct-helpers';

const REPLICA_REGION = 'eu-west-1';
const REPLICA_NAME = 'iip-replica-111122223333-eu-west-1';
const REPLICA_KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** The bucket resource of an IipSecureBucket (not its access-log bucket). */
function dataBucketId(s: Stack, b: kit.IipSecureBucket): string {
  return s.getLogicalId(b.bucket.node.defaultChild as s3.CfnBucket);
}

/** An app with a replica bucket in eu-west-1 (its own stack) and a source bucket replicating to it. */
function replicatingApp(): { app: App; source: kit.IipSecureBucket } {
  const app = new App();
  const replicaStack = new Stack(app, 'Replica', { env: { ...ENV, region: REPLICA_REGION } });
  new kit.IipSecureBucket(replicaStack, 'Replica', { bucketName: REPLICA_NAME });
  const s = new Stack(app, 'S', { env: ENV });
  const source = new kit.IipSecureBucket(s, 'Data', {
    allowedRegions: ['eu-central-1', REPLICA_REGION],
    replicationDestinations: [
      {
        bucket: s3.Bucket.fromBucketArn(s, 'ReplicaRef', `arn:aws:s3:::${REPLICA_NAME}`),
        region: REPLICA_REGION,
        encryptionKey: kms.Key.fromKeyArn(s, 'ReplicaKey', REPLICA_KEY_ARN),
      },
    ],
  });
  return { app, source };
}

describe('IipSecureBucket', () => {
  describe('secure defaults', () => {
    const s = envStack();
    const b = new kit.IipSecureBucket(s, 'Data');
    const t = Template.fromStack(s);
    const dataId = dataBucketId(s, b);
    const logId = s.getLogicalId(b.createdAccessLogsBucket!.node.defaultChild as s3.CfnBucket);

    it('creates a key, the bucket, a dedicated access-log bucket and their policies (5 resources)', () => {
      expect(Object.keys(t.toJSON().Resources)).toHaveLength(5);
      t.resourceCountIs('AWS::KMS::Key', 1);
      t.resourceCountIs('AWS::S3::Bucket', 2);
      t.resourceCountIs('AWS::S3::BucketPolicy', 2);
      expect(b.accessLogsBucket).toBe(b.createdAccessLogsBucket);
    });

    it('encrypts by default with the customer-managed key (SSE-KMS, S3 Bucket Keys)', () => {
      expect(t.toJSON().Resources[dataId].Properties.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [
          { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [s.getLogicalId(b.encryptionKey.node.defaultChild as kms.CfnKey), 'Arn'] } } },
        ],
      });
    });

    it('the key it creates rotates yearly, waits 30 days before deletion and is retained', () => {
      t.hasResource('AWS::KMS::Key', { Properties: Match.objectLike({ EnableKeyRotation: true, RotationPeriodInDays: 365, PendingWindowInDays: 30 }), DeletionPolicy: 'Retain' });
    });

    it('blocks all public access and disables ACLs on both buckets', () => {
      t.allResourcesProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      });
      t.allResourcesProperties('AWS::S3::Bucket', { AccessControl: Match.absent() });
    });

    it('both bucket policies deny requests without TLS and below TLS 1.2', () => {
      t.allResourcesProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
          ]),
        },
      });
    });

    it('is versioned and expires noncurrent versions after 90 days', () => {
      t.hasResourceProperties('AWS::S3::Bucket', {
        VersioningConfiguration: { Status: 'Enabled' },
        LifecycleConfiguration: { Rules: [Match.objectLike({ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 90 } })] },
      });
      expect(t.toJSON().Resources[dataId].Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    });

    it('writes server access logs to the access-log bucket, under its own prefix', () => {
      expect(t.toJSON().Resources[dataId].Properties.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: logId }, LogFilePrefix: 'SData9342FAB4/' });
    });

    it('the access-log bucket uses SSE-S3 (the only default encryption S3 log delivery supports) and grants delivery by policy, not ACL', () => {
      expect(t.toJSON().Resources[logId].Properties.BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
      t.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: logId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'logging.s3.amazonaws.com' },
              Action: 's3:PutObject',
              Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [dataId, 'Arn'] } }, StringEquals: { 'aws:SourceAccount': '111122223333' } },
            }),
          ]),
        },
      });
    });

    it('keeps both buckets on stack deletion', () => {
      t.allResources('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });

    it('has no object lock and no replication unless asked', () => {
      expect(t.toJSON().Resources[dataId].Properties.ObjectLockEnabled).toBeUndefined();
      t.allResourcesProperties('AWS::S3::Bucket', { ReplicationConfiguration: Match.absent(), ObjectLockConfiguration: Match.absent() });
      expect(b.replicationRole).toBeUndefined();
    });

    it('tags everything with the kit tags, zone platform', () => {
      for (const type of ['AWS::S3::Bucket', 'AWS::KMS::Key']) {
        t.allResourcesProperties(type, {
          Tags: kitTags('platform'),
        });
      }
    });
  });

  describe('props', () => {
    it('uses a given key and creates none', () => {
      const s = envStack();
      const key = new kms.Key(s, 'Mine', { enableKeyRotation: true });
      const b = new kit.IipSecureBucket(s, 'Data', { encryptionKey: key });
      expect(b.encryptionKey).toBe(key);
      Template.fromStack(s).resourceCountIs('AWS::KMS::Key', 1);
    });

    it('logs to a given bucket, adding a delivery grant for this bucket to its policy', () => {
      const s = envStack();
      const shared = new kit.IipSecureBucket(s, 'Logs').createdAccessLogsBucket!;
      const b = new kit.IipSecureBucket(s, 'Data', { serverAccessLogsBucket: shared, serverAccessLogsPrefix: 'data/' });
      const t = Template.fromStack(s);
      t.resourceCountIs('AWS::S3::Bucket', 3);
      expect(b.createdAccessLogsBucket).toBeUndefined();
      expect(t.toJSON().Resources[dataBucketId(s, b)].Properties.LoggingConfiguration.LogFilePrefix).toBe('data/');
      t.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'logging.s3.amazonaws.com' }, Condition: Match.objectLike({ ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [dataBucketId(s, b), 'Arn'] } } }) })]) },
      });
    });

    it('object lock with a default retention, GOVERNANCE unless COMPLIANCE is asked', () => {
      const s = envStack();
      const g = new kit.IipSecureBucket(s, 'Gov', { objectLockRetentionDays: 30 });
      const c = new kit.IipSecureBucket(s, 'Comp', { objectLockRetentionDays: 3650, objectLockMode: s3.ObjectLockMode.COMPLIANCE });
      const r = Template.fromStack(s).toJSON().Resources;
      expect(r[dataBucketId(s, g)].Properties).toMatchObject({ ObjectLockEnabled: true, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } } } });
      expect(r[dataBucketId(s, c)].Properties).toMatchObject({ ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 3650 } } } });
    });

    it('noncurrent-version expiry and further lifecycle rules', () => {
      const s = envStack();
      const b = new kit.IipSecureBucket(s, 'Data', {
        noncurrentVersionExpirationDays: 30,
        lifecycleRules: [{ id: 'cold', transitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(60) }] }],
      });
      const rules = Template.fromStack(s).toJSON().Resources[dataBucketId(s, b)].Properties.LifecycleConfiguration.Rules;
      expect(rules[0]).toMatchObject({ Id: 'srm-iip-expire-noncurrent-versions', NoncurrentVersionExpiration: { NoncurrentDays: 30 } });
      expect(rules[1]).toMatchObject({ Id: 'cold', Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: 60 }] });
    });

    it('replicates to an allowed region with a role of least privilege and KMS-encrypted replicas', () => {
      const { source } = replicatingApp();
      const s = Stack.of(source);
      const t = Template.fromStack(s);
      const roleId = s.getLogicalId(source.replicationRole!.node.defaultChild as iam.CfnRole);
      expect(t.toJSON().Resources[dataBucketId(s, source)].Properties.ReplicationConfiguration).toEqual({
        Role: { 'Fn::GetAtt': [roleId, 'Arn'] },
        Rules: [
          {
            Id: 'srm-iip-replica-0',
            Priority: 0,
            Status: 'Enabled',
            Filter: { Prefix: '' },
            DeleteMarkerReplication: { Status: 'Disabled' },
            SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
            Destination: { Bucket: `arn:aws:s3:::${REPLICA_NAME}`, EncryptionConfiguration: { ReplicaKmsKeyID: REPLICA_KEY_ARN } },
          },
        ],
      });
      t.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 's3.amazonaws.com' } })] } });
      const policy = Object.values(t.findResources('AWS::IAM::ManagedPolicy'))[0] as { Properties: { PolicyDocument: { Statement: Array<{ Action: string | string[] }> } } };
      const actions = policy.Properties.PolicyDocument.Statement.flatMap((st) => [st.Action].flat());
      expect(actions.filter((a) => a.includes('*'))).toEqual([]);
      expect(actions).toEqual(expect.arrayContaining(['s3:ReplicateObject', 'kms:Decrypt', 'kms:Encrypt']));
      t.resourceCountIs('AWS::IAM::Policy', 0);
    });
  });

  describe('bad props fail at construction with the prop, the value and what is allowed', () => {
    const replicaIn = (s: Stack, region: string, withKey = true): kit.ReplicationDestination => ({
      bucket: s3.Bucket.fromBucketName(s, `R${region}`, 'some-replica'),
      region,
      encryptionKey: withKey ? kms.Key.fromKeyArn(s, `K${region}`, REPLICA_KEY_ARN) : undefined,
    });
    it.each<[string, (s: Stack) => kit.IipSecureBucketProps, string]>([
      ['noncurrent expiry 0', () => ({ noncurrentVersionExpirationDays: 0 }), '[S/Data] noncurrentVersionExpirationDays must be a whole number 1..36500, got 0'],
      ['noncurrent expiry fractional', () => ({ noncurrentVersionExpirationDays: 1.5 }), '[S/Data] noncurrentVersionExpirationDays must be a whole number 1..36500, got 1.5'],
      ['object lock 0 days', () => ({ objectLockRetentionDays: 0 }), '[S/Data] objectLockRetentionDays must be a whole number 1..36500, got 0'],
      ['lock mode without days', () => ({ objectLockMode: s3.ObjectLockMode.COMPLIANCE }), '[S/Data] objectLockMode COMPLIANCE needs objectLockRetentionDays (1..36500), got none'],
      ['lock without versioning', () => ({ versioned: false, objectLockRetentionDays: 30 }), '[S/Data] objectLockRetentionDays needs versioned: true; S3 object lock works on object versions, got versioned: false'],
      [
        'replication without versioning',
        (s) => ({ versioned: false, replicationDestinations: [replicaIn(s, 'eu-central-1')] }),
        '[S/Data] replicationDestinations needs versioned: true; S3 replicates object versions, got versioned: false',
      ],
      ['empty access-log prefix', () => ({ serverAccessLogsPrefix: '' }), "[S/Data] serverAccessLogsPrefix must not be empty, got ''"],
      ['unknown allowed region', () => ({ allowedRegions: ['europe-1'] }), "[S/Data] allowedRegions: 'europe-1' is not an AWS region name; expected names such as eu-central-1 or us-gov-west-1"],
      ['empty allowed regions', () => ({ allowedRegions: [] }), '[S/Data] allowedRegions must name at least one region, got []'],
      [
        'replication region not a region',
        (s) => ({ allowedRegions: ['eu-central-1'], replicationDestinations: [replicaIn(s, 'frankfurt')] }),
        "[S/Data] replicationDestinations[0].region: 'frankfurt' is not an AWS region name; expected names such as eu-central-1 or us-gov-west-1",
      ],
      [
        'replication outside allowedRegions',
        (s) => ({ allowedRegions: ['eu-central-1', 'eu-west-1'], replicationDestinations: [replicaIn(s, 'eu-west-1'), replicaIn(s, 'us-east-1')] }),
        "[S/Data] replicationDestinations[1].region 'us-east-1' is not an allowed region; allowedRegions: eu-central-1, eu-west-1",
      ],
      [
        'replication out of the stack region without allowedRegions',
        (s) => ({ replicationDestinations: [replicaIn(s, 'eu-west-1')] }),
        "[S/Data] replicationDestinations[0].region 'eu-west-1' is not an allowed region; allowedRegions: eu-central-1 (the stack region, as allowedRegions is not set)",
      ],
      [
        'replica without a key',
        (s) => ({ allowedRegions: ['eu-west-1'], replicationDestinations: [replicaIn(s, 'eu-west-1', false)] }),
        "[S/Data] replicationDestinations[0].encryptionKey is required: the bucket's objects are SSE-KMS encrypted, so their replicas need a customer-managed key in eu-west-1, and the destination bucket names none",
      ],
      ['classification level 0', () => ({ classificationLevel: 0 }), '[S/Data] classificationLevel must be a whole number 1..16, got 0'],
    ])('%s', (_name, props, message) => {
      const s1 = envStack();
      expect(() => new kit.IipSecureBucket(s1, 'Data', props(s1))).toThrow(kit.SrmIipError);
      const s2 = envStack();
      expect(() => new kit.IipSecureBucket(s2, 'Data', props(s2))).toThrow(message);
    });

    it('a destination bucket whose stack is in another region than declared', () => {
      const make = () => {
        const app = new App();
        const other = new kit.IipSecureBucket(new Stack(app, 'R', { env: { ...ENV, region: 'eu-west-3' } }), 'Replica');
        const s = new Stack(app, 'S', { env: ENV });
        return new kit.IipSecureBucket(s, 'Data', { allowedRegions: ['eu-central-1', 'eu-west-1', 'eu-west-3'], replicationDestinations: [{ bucket: other.bucket, region: 'eu-west-1' }] });
      };
      expect(make).toThrow(kit.SrmIipError);
      expect(make).toThrow("[S/Data] replicationDestinations[0].region is 'eu-west-1', but its bucket R/Replica/Resource is in a stack of region 'eu-west-3'");
    });

    it('an access-log bucket encrypted with a KMS key, to which S3 would deliver no logs', () => {
      const make = () => {
        const s = envStack();
        const kmsBucket = new kit.IipSecureBucket(s, 'Other').bucket;
        return new kit.IipSecureBucket(s, 'Data', { serverAccessLogsBucket: kmsBucket });
      };
      expect(make).toThrow(kit.SrmIipError);
      expect(make).toThrow(
        '[S/Data] serverAccessLogsBucket S/Other/Resource is encrypted with a KMS key; S3 delivers server access logs only to buckets with SSE-S3 default encryption (omit the prop to get such a bucket)',
      );
    });

    it('a stack without a region needs allowedRegions to check replication', () => {
      const s = new Stack(new App(), 'S');
      expect(() => new kit.IipSecureBucket(s, 'Data', { replicationDestinations: [replicaIn(s, 'eu-west-1')] })).toThrow(
        "[S/Data] replicationDestinations[0].region 'eu-west-1' cannot be checked: the stack has no region, so allowedRegions must list the regions data may be replicated to",
      );
    });

    it('tokens pass validation (known at deploy time only)', () => {
      const s = envStack();
      const days = new CfnParameter(s, 'Days', { type: 'Number' }).valueAsNumber;
      const region = new CfnParameter(s, 'Region').valueAsString;
      expect(Token.isUnresolved(days)).toBe(true);
      expect(() =>
        new kit.IipSecureBucket(s, 'Data', {
          noncurrentVersionExpirationDays: days,
          objectLockRetentionDays: days,
          replicationDestinations: [{ bucket: s3.Bucket.fromBucketName(s, 'R', 'some-replica'), region, encryptionKey: kms.Key.fromKeyArn(s, 'K', REPLICA_KEY_ARN) }],
        }),
      ).not.toThrow();
    });
  });

  describe('deliberate weakening is visible as a warning naming the control', () => {
    it('enforceSSL: false warns SRM-IIP-COM-01 and drops the TLS statements', () => {
      const s = envStack();
      const b = new kit.IipSecureBucket(s, 'Data', { enforceSSL: false });
      Annotations.fromStack(s).hasWarning('/S/Data', Match.stringLikeRegexp('SRM-IIP-COM-01'));
      const t = Template.fromStack(s);
      const policies = Object.values(t.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: dataBucketId(s, b) } } }));
      expect(policies).toHaveLength(0);
    });

    it('versioned: false warns SRM-IIP-OPS-05', () => {
      const s = envStack();
      const b = new kit.IipSecureBucket(s, 'Data', { versioned: false });
      Annotations.fromStack(s).hasWarning('/S/Data', Match.stringLikeRegexp('SRM-IIP-OPS-05'));
      expect(Template.fromStack(s).toJSON().Resources[dataBucketId(s, b)].Properties.VersioningConfiguration).toBeUndefined();
    });

    it('secure defaults raise no warning', () => {
      const s = envStack();
      new kit.IipSecureBucket(s, 'Data');
      Annotations.fromStack(s).hasNoWarning('*', Match.anyValue());
    });
  });

  describe('packs', () => {
    it('alone in a stack with default props, passes SrmIipChecks, AwsSolutions and NIST 800-53 R5', () => {
      const { app, stack } = appWithStack();
      new kit.IipSecureBucket(stack, 'Data');
      const r = expectCleanUnderAllPacks(app);
      // Only the dedicated access-log bucket and the unreplicated bucket carry acknowledgements.
      expect(r.acknowledgements.filter((a) => a.scope !== '').map((a) => `${a.scope} ${a.id}`)).toEqual([
        'S/Data/AccessLogs SRM-IIP-SYS-01',
        'S/Data/AccessLogs NIST.800.53.R5-S3DefaultEncryptionKMS',
        'S/Data/AccessLogs AwsSolutions-S1',
        'S/Data/AccessLogs NIST.800.53.R5-S3BucketLoggingEnabled',
        'S/Data/AccessLogs NIST.800.53.R5-S3BucketReplicationEnabled',
        'S/Data/Resource NIST.800.53.R5-S3BucketReplicationEnabled',
      ]);
    });

    it('replicating to an allowed region, both stacks pass the three packs', () => {
      const { app } = replicatingApp();
      const r = expectCleanUnderAllPacks(app, [], { allowedRegions: ['eu-central-1', REPLICA_REGION] });
      expect(r.acknowledgements.some((a) => a.scope === 'S/Data/Resource')).toBe(false);
    });
  });

  describe('mutation: a secure default switched off through an escape hatch is reported', () => {
    function mutated(change: (b: s3.CfnBucket, sb: kit.IipSecureBucket) => void): string[] {
      const { app, stack } = appWithStack();
      const sb = new kit.IipSecureBucket(stack, 'Data');
      change(sb.bucket.node.defaultChild as s3.CfnBucket, sb);
      return kitFindings(app);
    }
    it('unmutated → nothing', () => expect(mutated(() => undefined)).toEqual([]));
    it('default encryption removed → SRM-IIP-SYS-01', () => expect(mutated((b) => b.addPropertyDeletionOverride('BucketEncryption'))).toContain('SRM-IIP-SYS-01'));
    it('SSE-S3 instead of the key → SRM-IIP-SYS-01', () =>
      expect(mutated((b) => b.addPropertyOverride('BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault', { SSEAlgorithm: 'AES256' }))).toContain('SRM-IIP-SYS-01'));
    it('Block Public Access off → SRM-IIP-ACC-06', () => expect(mutated((b) => b.addPropertyOverride('PublicAccessBlockConfiguration.BlockPublicPolicy', false))).toContain('SRM-IIP-ACC-06'));
    it('TLS-only statements removed → SRM-IIP-COM-01', () =>
      expect(mutated((_b, sb) => (sb.bucket.policy!.node.defaultChild as s3.CfnBucketPolicy).addPropertyOverride('PolicyDocument.Statement', []))).toContain('SRM-IIP-COM-01'));
    it('noncurrent-version expiry removed → SRM-IIP-OPS-07', () => expect(mutated((b) => b.addPropertyDeletionOverride('LifecycleConfiguration'))).toContain('SRM-IIP-OPS-07'));
    it('key rotation off → SRM-IIP-SYS-02', () => expect(mutated((_b, sb) => (sb.encryptionKey.node.defaultChild as kms.CfnKey).addPropertyOverride('EnableKeyRotation', false))).toContain('SRM-IIP-SYS-02'));
    it('kit tags removed → SRM-IIP-MGT-02', () => expect(mutated((b) => b.addPropertyDeletionOverride('Tags'))).toContain('SRM-IIP-MGT-02'));
    it('replication redirected to a bucket in a region outside the allowed ones → SRM-IIP-MGT-03 (ReplicationTargetsAllowed)', () => {
      const options = { allowedRegions: ['eu-central-1', REPLICA_REGION] };
      const replicationFindings = (app: App) => {
        const pack = new kit.SrmIipChecks(undefined, options);
        pack.validateScope(checked(app));
        return pack.lastResult!.findings.filter((f) => f.ruleId === 'ReplicationTargetsAllowed').map((f) => `${f.controlId} ${f.kind} ${f.constructPath}`);
      };
      const clean = replicatingApp();
      expect(replicationFindings(clean.app)).toEqual([]);
      // A third stack holds a bucket in us-east-1; the override points the replicas at it.
      const { app, source } = replicatingApp();
      new s3.Bucket(new Stack(app, 'Us', { env: { ...ENV, region: 'us-east-1' } }), 'Foreign', { bucketName: 'iip-foreign-bucket' });
      (source.bucket.node.defaultChild as s3.CfnBucket).addPropertyOverride('ReplicationConfiguration.Rules.0.Destination.Bucket', 'arn:aws:s3:::iip-foreign-bucket');
      expect(replicationFindings(app)).toEqual(['SRM-IIP-MGT-03 violation S/Data/Resource/Resource']);
    });
  });
});
