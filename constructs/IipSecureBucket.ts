import { Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { SrmIipError } from '../rules/errors';
import { createSecureKey } from './defaults/kms-defaults';
import { accessLogBucketProps, DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS, secureBucketProps } from './defaults/s3-defaults';
import { acknowledge, acknowledgeWildcard, warnWeakened } from './private/annotations';
import { allowedRegionsText, resolveAllowedRegions, validateNonEmpty, validateRange, validateRegions } from './private/validate';
import { applyIipTags, IipTaggingProps } from './tagging';

/** A bucket in another region that receives replicas of every object (SRM-IIP-MGT-03). */
export interface ReplicationDestination {
  /** The destination bucket. It must be versioned and, for SSE-KMS replicas, allow the replication role to write. */
  readonly bucket: s3.IBucket;
  /**
   * Region of the destination bucket; must be one of `allowedRegions`.
   * @see SRM-IIP-MGT-03
   */
  readonly region: string;
  /**
   * Customer-managed key in the destination region that encrypts the replicas.
   * @default - the destination bucket's own `encryptionKey`; an error when it has none
   * @see SRM-IIP-SYS-01
   */
  readonly encryptionKey?: kms.IKey;
}

export interface IipSecureBucketProps extends IipTaggingProps {
  /**
   * Customer-managed key for default encryption (SSE-KMS with S3 Bucket Keys).
   * @default - a new key with rotation on, a 30-day deletion window and RETAIN
   * @see SRM-IIP-SYS-01
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Physical bucket name.
   * @default - a name CloudFormation generates
   */
  readonly bucketName?: string;
  /**
   * Bucket that receives the S3 server access logs. The construct adds a policy statement that
   * lets logging.s3.amazonaws.com write under `serverAccessLogsPrefix` for this bucket only; an
   * imported bucket's policy must grant that itself. S3 delivers access logs only to buckets
   * whose default encryption is SSE-S3.
   * @default - a dedicated access-log bucket (SSE-S3, Block Public Access, TLS-only, versioned)
   */
  readonly serverAccessLogsBucket?: s3.IBucket;
  /**
   * Key prefix of the access logs in the access-log bucket.
   * @default - the construct's unique ID followed by '/'
   */
  readonly serverAccessLogsPrefix?: string;
  /**
   * Days a noncurrent object version is kept before it expires, at least 1.
   * @default 90
   * @see SRM-IIP-OPS-07
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Keep every version of every object. Turning it off means overwritten or deleted objects
   * cannot be restored, and is reported. Object lock and replication need versioning.
   * @default true
   * @see SRM-IIP-OPS-05
   */
  readonly versioned?: boolean;
  /**
   * Refuse every request made without TLS (and below TLS 1.2). Turning it off is reported.
   * @default true
   * @see SRM-IIP-COM-01
   */
  readonly enforceSSL?: boolean;
  /**
   * Default object lock retention in days, 1..36500. Setting it creates the bucket with
   * object lock on, so no locked version can be deleted or overwritten before its retention ends.
   * Object lock can only be turned on when the bucket is created.
   * @default - no object lock
   * @see SRM-IIP-OPS-02
   */
  readonly objectLockRetentionDays?: number;
  /**
   * Object lock retention mode. GOVERNANCE lets principals with s3:BypassGovernanceRetention
   * remove a lock; COMPLIANCE lets nobody, not even the account root, until the retention ends.
   * Only with `objectLockRetentionDays`.
   * @default s3.ObjectLockMode.GOVERNANCE
   * @see SRM-IIP-OPS-02
   */
  readonly objectLockMode?: s3.ObjectLockMode;
  /**
   * Buckets in other regions that receive replicas of every object, each region checked
   * against `allowedRegions`. An S3 replication configuration and a role are created.
   * @default - no replication
   * @see SRM-IIP-MGT-03
   */
  readonly replicationDestinations?: ReplicationDestination[];
  /**
   * Regions data of this bucket may be replicated to.
   * @default - the stack's own region only
   * @see SRM-IIP-MGT-03
   */
  readonly allowedRegions?: string[];
  /**
   * Further lifecycle rules (for example transitions to Glacier), added after the rule that
   * expires noncurrent versions.
   * @default - none
   */
  readonly lifecycleRules?: s3.LifecycleRule[];
  /**
   * What happens to the bucket when the stack is deleted (CloudFormation never deletes a bucket
   * that still holds objects).
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An S3 data store with the kit's controls: a customer-managed key, Block Public
 * Access, a TLS-only policy, versioning, server access logs, noncurrent versions
 * expiring, optional object lock, and replication only to allowed regions.
 *
 * A public bucket is not offered: SRM-IIP-ACC-06 has no exception for data
 * stores, so there is no prop that turns Block Public Access off.
 */
export class IipSecureBucket extends Construct {
  /** The bucket. */
  public readonly bucket: s3.Bucket;
  /** The key that encrypts the bucket by default. */
  public readonly encryptionKey: kms.IKey;
  /** The bucket that receives the server access logs. */
  public readonly accessLogsBucket: s3.IBucket;
  /** The dedicated access-log bucket, when the construct created one. */
  public readonly createdAccessLogsBucket?: s3.Bucket;
  /** The role S3 assumes to replicate, when replication is configured. */
  public readonly replicationRole?: iam.Role;

  constructor(scope: Construct, id: string, props: IipSecureBucketProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const days = props.noncurrentVersionExpirationDays ?? DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS;
    validateRange(this, 'noncurrentVersionExpirationDays', days, 1, 36500);
    validateRange(this, 'objectLockRetentionDays', props.objectLockRetentionDays, 1, 36500);
    validateNonEmpty(this, 'serverAccessLogsPrefix', props.serverAccessLogsPrefix);
    if (props.objectLockMode !== undefined && props.objectLockRetentionDays === undefined) {
      throw new SrmIipError(`objectLockMode ${props.objectLockMode} needs objectLockRetentionDays (1..36500), got none`, this.node.path);
    }
    const versioned = props.versioned ?? true;
    const destinations = props.replicationDestinations ?? [];
    if (!versioned && props.objectLockRetentionDays !== undefined) {
      throw new SrmIipError('objectLockRetentionDays needs versioned: true; S3 object lock works on object versions, got versioned: false', this.node.path);
    }
    if (!versioned && destinations.length > 0) {
      throw new SrmIipError('replicationDestinations needs versioned: true; S3 replicates object versions, got versioned: false', this.node.path);
    }
    const replicaKeys = validateReplication(this, destinations, props.allowedRegions);
    if (props.serverAccessLogsBucket?.encryptionKey) {
      throw new SrmIipError(
        `serverAccessLogsBucket ${props.serverAccessLogsBucket.node.path} is encrypted with a KMS key; S3 delivers server access logs only to buckets with SSE-S3 default encryption (omit the prop to get such a bucket)`,
        this.node.path,
      );
    }

    const enforceSSL = props.enforceSSL ?? true;
    if (!enforceSSL) warnWeakened(this, 'SRM-IIP-COM-01', 'the bucket accepts requests without TLS (enforceSSL: false); data and credentials can then cross the network in plaintext');
    if (!versioned) warnWeakened(this, 'SRM-IIP-OPS-05', 'versioning is off (versioned: false); overwritten or deleted objects cannot be restored');

    applyIipTags(this, props, 'platform');
    this.encryptionKey = props.encryptionKey ?? createSecureKey(this, 'Key', `SRM-IIP data key of bucket ${this.node.path}`);

    if (props.serverAccessLogsBucket) {
      this.accessLogsBucket = props.serverAccessLogsBucket;
    } else {
      this.createdAccessLogsBucket = new s3.Bucket(this, 'AccessLogs', accessLogBucketProps(days));
      this.accessLogsBucket = this.createdAccessLogsBucket;
      acknowledgeAccessLogBucket(this.createdAccessLogsBucket, this.node.path);
    }
    const prefix = props.serverAccessLogsPrefix ?? `${Names.uniqueId(this)}/`;

    const defaults = secureBucketProps(this.encryptionKey, days);
    const lifecycleRules = [...(defaults.lifecycleRules ?? []), ...(props.lifecycleRules ?? [])];
    if (destinations.length > 0) this.replicationRole = new iam.Role(this, 'ReplicationRole', { assumedBy: new iam.ServicePrincipal('s3.amazonaws.com') });

    this.bucket = new s3.Bucket(this, 'Resource', {
      ...defaults,
      bucketName: props.bucketName,
      enforceSSL,
      minimumTLSVersion: enforceSSL ? 1.2 : undefined,
      versioned,
      lifecycleRules,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      objectLockEnabled: props.objectLockRetentionDays !== undefined ? true : undefined,
      replicationRole: this.replicationRole,
      replicationRules:
        destinations.length > 0
          ? destinations.map((d, i) => ({
              id: `srm-iip-replica-${i}`,
              priority: i,
              destination: d.bucket,
              kmsKey: replicaKeys[i],
              sseKmsEncryptedObjects: true,
              deleteMarkerReplication: false,
            }))
          : undefined,
    });

    if (props.objectLockRetentionDays !== undefined) {
      // Written on the L1: s3.ObjectLockRetention rejects a retention that is a token.
      (this.bucket.node.defaultChild as s3.CfnBucket).objectLockConfiguration = {
        objectLockEnabled: 'Enabled',
        rule: { defaultRetention: { mode: props.objectLockMode ?? s3.ObjectLockMode.GOVERNANCE, days: props.objectLockRetentionDays } },
      };
    }
    // Access logging is written on the L1 and the delivery grant through the policy, so no ACL
    // (LogDeliveryWrite) is needed whatever the app's @aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy flag says.
    (this.bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = { destinationBucketName: this.accessLogsBucket.bucketName, logFilePrefix: prefix };
    this.accessLogsBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: `S3ServerAccessLogs${Names.uniqueId(this).slice(-40)}`,
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.accessLogsBucket.arnForObjects(`${prefix}*`)],
        conditions: { ArnLike: { 'aws:SourceArn': this.bucket.bucketArn }, StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );

    if (this.replicationRole) {
      grantReplication(this, this.replicationRole, this.bucket, this.encryptionKey, destinations, replicaKeys, props.objectLockRetentionDays !== undefined);
    } else {
      acknowledge(
        this.bucket,
        'NIST.800.53.R5-S3BucketReplicationEnabled',
        'Cross-region replication needs a destination bucket in a second allowed region, which only the platform owner can name (replicationDestinations, checked against allowedRegions for SRM-IIP-MGT-03); in its region S3 stores objects across several AZs, versioning keeps prior versions, and backups are IipBackupPlan\'s (SRM-IIP-OPS-05)',
      );
    }
  }
}

/** Checks the replication props and returns the key that encrypts the replicas of each destination. */
function validateReplication(scope: Construct, destinations: readonly ReplicationDestination[], allowedRegions: readonly string[] | undefined): kms.IKey[] {
  const allowed = resolveAllowedRegions(scope, allowedRegions);
  return destinations.map((d, i) => {
    const name = `replicationDestinations[${i}]`;
    validateRegions(scope, `${name}.region`, [d.region]);
    if (!Token.isUnresolved(d.region)) {
      if (allowed === undefined) {
        throw new SrmIipError(`${name}.region '${d.region}' cannot be checked: the stack has no region, so allowedRegions must list the regions data may be replicated to`, scope.node.path);
      }
      if (!allowed.includes(d.region)) {
        throw new SrmIipError(`${name}.region '${d.region}' is not an allowed region; ${allowedRegionsText(allowed, allowedRegions)}`, scope.node.path);
      }
      const bucketRegion = d.bucket instanceof s3.Bucket ? Stack.of(d.bucket).region : undefined;
      if (bucketRegion !== undefined && !Token.isUnresolved(bucketRegion) && bucketRegion !== d.region) {
        throw new SrmIipError(`${name}.region is '${d.region}', but its bucket ${d.bucket.node.path} is in a stack of region '${bucketRegion}'`, scope.node.path);
      }
    }
    const key = d.encryptionKey ?? d.bucket.encryptionKey;
    if (!key) {
      throw new SrmIipError(`${name}.encryptionKey is required: the bucket's objects are SSE-KMS encrypted, so their replicas need a customer-managed key in ${d.region}, and the destination bucket names none`, scope.node.path);
    }
    return key;
  });
}

/**
 * Least-privilege permissions of the replication role, from the S3 User Guide
 * ("Setting up permissions for live replication"), as a managed policy.
 */
function grantReplication(
  scope: Construct,
  role: iam.Role,
  source: s3.Bucket,
  sourceKey: kms.IKey,
  destinations: readonly ReplicationDestination[],
  replicaKeys: readonly kms.IKey[],
  objectLock: boolean,
): void {
  const stack = Stack.of(scope);
  const statements = [
    new iam.PolicyStatement({ sid: 'ReadReplicationConfiguration', actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'], resources: [source.bucketArn] }),
    new iam.PolicyStatement({
      sid: 'ReadSourceVersions',
      // With object lock, replicas carry the retention and legal hold of their source versions.
      actions: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging', ...(objectLock ? ['s3:GetObjectRetention', 's3:GetObjectLegalHold'] : [])],
      resources: [source.arnForObjects('*')],
    }),
    new iam.PolicyStatement({
      sid: 'DecryptSource',
      actions: ['kms:Decrypt'],
      resources: [sourceKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
    }),
  ];
  destinations.forEach((d, i) => {
    statements.push(
      new iam.PolicyStatement({ sid: `WriteReplicas${i}`, actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'], resources: [d.bucket.arnForObjects('*')] }),
      new iam.PolicyStatement({
        sid: `EncryptReplicas${i}`,
        actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
        resources: [replicaKeys[i].keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${d.region}.amazonaws.com` } },
      }),
    );
  });
  const policy = new iam.ManagedPolicy(scope, 'ReplicationPolicy', { description: `S3 replication of ${source.node.path}`, statements, roles: [role] });
  const objectScopes = [source.arnForObjects('*'), ...destinations.map((d) => d.bucket.arnForObjects('*'))];
  for (const arn of objectScopes) {
    acknowledgeWildcard(
      policy,
      arn,
      'S3 replication reads every object version of the source bucket and writes a replica of every key to the destination bucket; bucket/* is the narrowest object scope S3 replication accepts',
    );
  }
}

/** Findings of the peer packs on the dedicated access-log bucket, each with the reason it is accepted. */
function acknowledgeAccessLogBucket(logBucket: s3.Bucket, owner: string): void {
  const sseS3 = `S3 delivers server access logs only to target buckets with SSE-S3 (AES256) default encryption; SSE-KMS on the target is not supported. This bucket holds only the access logs of ${owner}, not its data, and is TLS-only and private`;
  acknowledge(logBucket, 'SRM-IIP-SYS-01', sseS3);
  acknowledge(logBucket, 'NIST.800.53.R5-S3DefaultEncryptionKMS', sseS3);
  const noLoop = `This is the server access-log target of ${owner}; S3 advises against logging a log target (logging it to itself loops), and every write to it is the S3 logging service`;
  acknowledge(logBucket, 'AwsSolutions-S1', noLoop);
  acknowledge(logBucket, 'NIST.800.53.R5-S3BucketLoggingEnabled', noLoop);
  acknowledge(
    logBucket,
    'NIST.800.53.R5-S3BucketReplicationEnabled',
    `Access logs of ${owner} stay in their region with the bucket they describe; S3 stores them across several AZs and versioning keeps prior versions`,
  );
}
