import { ArnFormat, Duration, Names, Stack, Token } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { SrmIipError } from '../rules/errors';
import { createSecureKey } from './defaults/kms-defaults';
import { allowLogGroupEncryption, checkLogRetention, DEFAULT_LOG_RETENTION_DAYS, secureLogGroupProps } from './defaults/logs-defaults';
import { IipSecureBucket, ReplicationDestination } from './IipSecureBucket';
import { logGroupArn } from './private/logs';
import { validateRange } from './private/validate';
import { applyIipTags, IipTaggingProps } from './tagging';

/** Object lock retention of the log archive when none is given, in days. */
export const DEFAULT_ARCHIVE_LOCK_DAYS = 365;
/** Days after which delivered log files move to S3 Glacier Flexible Retrieval, when none is given. */
export const DEFAULT_GLACIER_TRANSITION_DAYS = 90;

export interface IipAuditTrailProps extends IipTaggingProps {
  /**
   * Customer-managed key that encrypts the trail's log files, the log archive bucket and the
   * CloudWatch Logs log group. The construct adds the key-policy statements CloudTrail and
   * CloudWatch Logs need; an imported key's policy must already hold them (see the README).
   * @default - a new key with rotation on, a 30-day deletion window and RETAIN
   * @see SRM-IIP-OPS-01
   * @see SRM-IIP-SYS-01
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Name of the trail: 3..128 letters, digits, '.', '_' or '-', starting and ending with a
   * letter or digit. Fixed at synthesis so that key and bucket policies can name the trail
   * (aws:SourceArn) without a dependency cycle.
   * @default - a name unique in the app, derived from the construct path
   */
  readonly trailName?: string;
  /**
   * Retention of the CloudWatch Logs log group, in days; a period CloudWatch Logs accepts and
   * at least 365 unless `allowShortRetention` is true.
   * @default 365
   * @see SRM-IIP-OPS-02
   */
  readonly logRetentionDays?: number;
  /**
   * Allow `logRetentionDays` below the 365-day floor. A deliberate weakening, reported.
   * @default false
   * @see SRM-IIP-OPS-02
   */
  readonly allowShortRetention?: boolean;
  /**
   * Object lock retention of every delivered log file, in days (1..36500).
   * @default 365
   * @see SRM-IIP-OPS-02
   */
  readonly objectLockRetentionDays?: number;
  /**
   * Object lock mode of the log archive. COMPLIANCE keeps even the account root from deleting
   * a log file before its retention ends; GOVERNANCE lets principals holding
   * s3:BypassGovernanceRetention do so (and lets test stacks be torn down).
   * @default s3.ObjectLockMode.GOVERNANCE
   * @see SRM-IIP-OPS-02
   */
  readonly objectLockMode?: s3.ObjectLockMode;
  /**
   * Days after which log files move to S3 Glacier Flexible Retrieval (1..36500). Validating a
   * log file in Glacier needs a restore first.
   * @default 90
   */
  readonly glacierTransitionDays?: number;
  /**
   * Days a noncurrent log-file version is kept before it expires (at least 1). Locked versions
   * are only removed after their retention ends.
   * @default - objectLockRetentionDays
   * @see SRM-IIP-OPS-07
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Buckets whose S3 data events (object reads and writes) are recorded too.
   * @default - management events only
   */
  readonly s3DataEventBuckets?: s3.IBucket[];
  /**
   * Bucket for the S3 server access logs of the log archive (SSE-S3 only, see IipSecureBucket).
   * @default - a dedicated access-log bucket
   */
  readonly serverAccessLogsBucket?: s3.IBucket;
  /**
   * Buckets in other allowed regions that receive replicas of the log archive. Their buckets
   * need object lock on.
   * @default - no replication
   * @see SRM-IIP-MGT-03
   */
  readonly replicationDestinations?: ReplicationDestination[];
  /**
   * Regions the log archive may be replicated to.
   * @default - the stack's own region only
   * @see SRM-IIP-MGT-03
   */
  readonly allowedRegions?: string[];
}

/**
 * The platform's audit trail (SRM-IIP-OPS-01, OPS-02): a multi-region CloudTrail
 * trail recording all management events, with log file validation, encrypted
 * with a customer-managed key, delivered to an encrypted CloudWatch Logs log
 * group with at least a year's retention and to a log archive bucket
 * (IipSecureBucket) that is versioned, object-locked, TLS-only, private, access
 * logged, and moves log files to Glacier.
 */
export class IipAuditTrail extends Construct {
  /** The trail. */
  public readonly trail: cloudtrail.Trail;
  /** ARN of the trail. */
  public readonly trailArn: string;
  /** Name of the trail. */
  public readonly trailName: string;
  /** The key that encrypts log files, the archive and the log group. */
  public readonly encryptionKey: kms.IKey;
  /** The log group the trail delivers to. */
  public readonly logGroup: logs.LogGroup;
  /** The role CloudTrail assumes to write to the log group. */
  public readonly logsRole: iam.Role;
  /** The log archive. */
  public readonly archive: IipSecureBucket;
  /** The log archive bucket. */
  public readonly archiveBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: IipAuditTrailProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const retentionDays = props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
    checkLogRetention(this, 'logRetentionDays', retentionDays, props.allowShortRetention ?? false);
    const lockDays = props.objectLockRetentionDays ?? DEFAULT_ARCHIVE_LOCK_DAYS;
    validateRange(this, 'objectLockRetentionDays', lockDays, 1, 36500);
    const glacierDays = props.glacierTransitionDays ?? DEFAULT_GLACIER_TRANSITION_DAYS;
    validateRange(this, 'glacierTransitionDays', glacierDays, 1, 36500);
    validateRange(this, 'noncurrentVersionExpirationDays', props.noncurrentVersionExpirationDays, 1, 36500);
    this.trailName = props.trailName ?? Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    validateTrailName(this, this.trailName);

    const tags = applyIipTags(this, props, 'cloud-infrastructure');
    this.trailArn = stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: this.trailName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    this.encryptionKey = props.encryptionKey ?? createSecureKey(this, 'Key', `SRM-IIP audit trail key of ${this.node.path}`);
    allowCloudTrail(this.encryptionKey, this.trailArn, stack);

    this.archive = new IipSecureBucket(this, 'Archive', {
      ...tags,
      encryptionKey: this.encryptionKey,
      objectLockRetentionDays: lockDays,
      objectLockMode: props.objectLockMode ?? s3.ObjectLockMode.GOVERNANCE,
      noncurrentVersionExpirationDays: props.noncurrentVersionExpirationDays ?? (Token.isUnresolved(lockDays) ? DEFAULT_ARCHIVE_LOCK_DAYS : lockDays),
      lifecycleRules: [{ id: 'srm-iip-logs-to-glacier', enabled: true, transitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(glacierDays) }] }],
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      replicationDestinations: props.replicationDestinations,
      allowedRegions: props.allowedRegions,
    });
    this.archiveBucket = this.archive.bucket;
    // Confused-deputy guard: CloudTrail may write here only on behalf of this trail.
    this.archiveBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyOtherTrails',
        effect: iam.Effect.DENY,
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['s3:PutObject', 's3:GetBucketAcl'],
        resources: [this.archiveBucket.bucketArn, this.archiveBucket.arnForObjects('*')],
        conditions: { StringNotEquals: { 'aws:SourceArn': this.trailArn } },
      }),
    );

    const logGroupName = `/aws/cloudtrail/${this.trailName}`;
    this.logGroup = new logs.LogGroup(this, 'LogGroup', { ...secureLogGroupProps(this.encryptionKey, retentionDays), logGroupName });
    allowLogGroupEncryption(
      this.encryptionKey,
      logGroupArn(stack, logGroupName),
      'AllowCloudWatchLogsForTrail',
    );
    this.logsRole = new iam.Role(this, 'LogsRole', { assumedBy: new iam.ServicePrincipal('cloudtrail.amazonaws.com'), description: `CloudTrail delivery to ${logGroupName}` });
    const logsPolicy = new iam.ManagedPolicy(this, 'LogsPolicy', {
      description: `CloudTrail trail ${this.trailName} writes to its log group only`,
      statements: [new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] })],
      roles: [this.logsRole],
    });

    this.trail = new cloudtrail.Trail(this, 'Resource', {
      trailName: this.trailName,
      bucket: this.archiveBucket,
      encryptionKey: this.encryptionKey,
      enableFileValidation: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      managementEvents: cloudtrail.ReadWriteType.ALL,
      // The log group is wired on the L1 below, with a role whose permissions are a managed policy.
      sendToCloudWatchLogs: false,
    });
    const cfnTrail = this.trail.node.defaultChild as cloudtrail.CfnTrail;
    cfnTrail.cloudWatchLogsLogGroupArn = this.logGroup.logGroupArn;
    cfnTrail.cloudWatchLogsRoleArn = this.logsRole.roleArn;
    cfnTrail.node.addDependency(logsPolicy);
    const dataBuckets = props.s3DataEventBuckets ?? [];
    if (dataBuckets.length > 0) {
      this.trail.addS3EventSelector(
        dataBuckets.map((bucket) => ({ bucket })),
        { includeManagementEvents: false, readWriteType: cloudtrail.ReadWriteType.ALL },
      );
    }
  }
}

/**
 * The key-policy statements CloudTrail needs to encrypt log files (AWS CloudTrail
 * User Guide, "Configure AWS KMS key policies for CloudTrail"), bounded to this
 * trail by aws:SourceArn and to trails of this account by the encryption context.
 * CDK's Trail adds none itself.
 */
function allowCloudTrail(key: kms.IKey, trailArn: string, stack: Stack): void {
  const cloudTrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudTrailEncryptLogs',
      principals: [cloudTrail],
      actions: ['kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceArn': trailArn },
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${stack.partition}:cloudtrail:*:${stack.account}:trail/*` },
      },
    }),
  );
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudTrailDescribeKey',
      principals: [cloudTrail],
      actions: ['kms:DescribeKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceArn': trailArn } },
    }),
  );
}

const TRAIL_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9]|[._-](?![._-])){1,126}[A-Za-z0-9]$/;
const IP_ADDRESS = /^\d{1,3}(\.\d{1,3}){3}$/;

function validateTrailName(scope: Construct, name: string): void {
  if (Token.isUnresolved(name)) return;
  if (!TRAIL_NAME.test(name) || IP_ADDRESS.test(name)) {
    throw new SrmIipError(
      `trailName must be 3..128 letters, digits, '.', '_' or '-', start and end with a letter or digit, have no two of '.', '_', '-' in a row and not look like an IP address, got '${name}'`,
      scope.node.path,
    );
  }
}
