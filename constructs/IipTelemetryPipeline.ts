import { ArnFormat, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as timestream from 'aws-cdk-lib/aws-timestream';
import { Construct } from 'constructs';
import { SrmIipError } from '../rules/errors';
import { createSecureKey } from './defaults/kms-defaults';
import { checkLogRetention, DEFAULT_LOG_RETENTION_DAYS, LOG_RETENTION_FLOOR_DAYS } from './defaults/logs-defaults';
import {
  dataLakeDestination,
  DEFAULT_DATA_LAKE_PREFIX,
  DEFAULT_SHARD_COUNT,
  DEFAULT_STREAM_RETENTION_HOURS,
  DEFAULT_TIMESTREAM_DIMENSIONS,
  DEFAULT_TIMESTREAM_MAGNETIC_RETENTION_DAYS,
  DEFAULT_TIMESTREAM_MEMORY_RETENTION_HOURS,
  DEFAULT_TOPIC_FILTER,
  deliveryStreamEncryption,
  IOT_SQL_VERSION,
  secureStreamProps,
  telemetrySql,
  timestreamRetention,
} from './defaults/stream-defaults';
import { IipSecureBucket } from './IipSecureBucket';
import { acknowledge, acknowledgeWildcard } from './private/annotations';
import { allowLogsForOwnLogGroups, logGroupArn } from './private/logs';
import { validateNonEmpty, validateRange } from './private/validate';
import { applyIipTags, IipTaggingProps } from './tagging';

/** A Timestream dimension of each telemetry record: a name and an AWS IoT substitution template. */
export interface TelemetryDimension {
  /** Dimension name, e.g. 'plant'. */
  readonly name: string;
  /** Value as an AWS IoT substitution template, e.g. '${clientid()}' or '${topic(2)}'. */
  readonly value: string;
}

export interface IipTelemetryPipelineProps extends IipTaggingProps {
  /**
   * MQTT topic filter of the device telemetry the topic rule reads ('+' and '#' only as whole
   * levels, '#' only last).
   * @default 'plant/+/telemetry/#'
   */
  readonly topicFilter?: string;
  /**
   * Customer-managed key of the telemetry at rest: the Kinesis stream, the Firehose buffer, the
   * Timestream database and the data lake bucket the construct creates.
   * @default - a new key with rotation on, a 30-day deletion window and RETAIN
   * @see SRM-IIP-SYS-01
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Customer-managed key of the two error log groups. A key of the same app gets a key-policy
   * statement for CloudWatch Logs; an imported key must already allow it.
   * @default - a new key with rotation on, a 30-day deletion window and RETAIN
   * @see SRM-IIP-SYS-01
   */
  readonly logKey?: kms.IKey;
  /**
   * Hours the Kinesis stream keeps records, 24..8760.
   * @default 168
   */
  readonly streamRetentionHours?: number;
  /**
   * Shards of the Kinesis stream (provisioned mode), at least 1.
   * @default 1
   */
  readonly shardCount?: number;
  /**
   * Bucket of the data lake that Firehose writes the telemetry to. Its policy must let the
   * delivery role write under `dataLakePrefix`.
   * @default - a new IipSecureBucket encrypted with `encryptionKey`
   * @see SRM-IIP-SYS-01
   */
  readonly dataLakeBucket?: s3.IBucket;
  /**
   * Customer-managed key Firehose encrypts the objects of `dataLakeBucket` with. Only with
   * `dataLakeBucket`.
   * @default - the bucket's own `encryptionKey`; an error when it has none
   * @see SRM-IIP-SYS-01
   */
  readonly dataLakeEncryptionKey?: kms.IKey;
  /**
   * Key prefix of the telemetry in the data lake, ending in '/'. Records go under
   * `<prefix>data/yyyy/MM/dd/`, records Firehose could not deliver under `<prefix>errors/`.
   * @default 'telemetry/'
   */
  readonly dataLakePrefix?: string;
  /**
   * Write the telemetry to a Timestream database and table as well. Timestream for
   * LiveAnalytics is open only to accounts that already use it; turn it off elsewhere.
   * @default true
   */
  readonly enableTimestream?: boolean;
  /**
   * Hours Timestream keeps records in its memory store, 1..8766.
   * @default 24
   */
  readonly timestreamMemoryRetentionHours?: number;
  /**
   * Days Timestream keeps records in its magnetic store, 1..73000.
   * @default 365
   */
  readonly timestreamMagneticRetentionDays?: number;
  /**
   * Dimensions of each Timestream record; names must be unique.
   * @default - device = '${clientid()}', topic = '${topic()}'
   */
  readonly timestreamDimensions?: TelemetryDimension[];
  /**
   * Days to keep the errors of the topic rule and of the delivery stream; one of the periods
   * CloudWatch Logs offers, at least 365 unless `allowShortLogRetention` is set.
   * @default 365
   * @see SRM-IIP-OPS-02
   */
  readonly logRetentionDays?: number;
  /**
   * Accept a log retention below 365 days. The shorter retention is reported.
   * @default false
   * @see SRM-IIP-OPS-02
   */
  readonly allowShortLogRetention?: boolean;
}

/**
 * The platform's telemetry path: an AWS IoT topic rule (SQL 2016-03-23) that
 * routes device telemetry to a KMS-encrypted Kinesis data stream, to a
 * direct-put Firehose delivery stream (encrypted with a customer-managed key)
 * that writes GZIP objects into the data lake bucket under SSE-KMS, and to a
 * Timestream table whose database uses a customer-managed key. Every failed
 * action goes to the rule's error action, an encrypted CloudWatch log group;
 * Firehose logs its delivery errors to another. The rule and Firehose act
 * through least-privilege roles scoped to these resources.
 */
export class IipTelemetryPipeline extends Construct {
  /** The topic rule that routes the telemetry. */
  public readonly topicRule: iot.CfnTopicRule;
  /** Key of the telemetry at rest (stream, Firehose, Timestream, the created data lake bucket). */
  public readonly encryptionKey: kms.IKey;
  /** Key of the error log groups. */
  public readonly logKey: kms.IKey;
  /** The Kinesis data stream for real-time consumers. */
  public readonly stream: kinesis.Stream;
  /** The Firehose delivery stream into the data lake. */
  public readonly deliveryStream: firehose.CfnDeliveryStream;
  /** The data lake bucket. */
  public readonly dataLakeBucket: s3.IBucket;
  /** The secure bucket of the data lake, when the construct created it. */
  public readonly dataLake?: IipSecureBucket;
  /** The Timestream database, unless Timestream is turned off. */
  public readonly timestreamDatabase?: timestream.CfnDatabase;
  /** The Timestream table, unless Timestream is turned off. */
  public readonly timestreamTable?: timestream.CfnTable;
  /** The role the topic rule's actions (and its error action) use. */
  public readonly ruleRole: iam.Role;
  /** The role Firehose writes to the data lake with. */
  public readonly deliveryRole: iam.Role;
  /** Log group of the topic rule's error action. */
  public readonly ruleErrorLogGroup: logs.LogGroup;
  /** Log group of Firehose's delivery errors. */
  public readonly deliveryErrorLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: IipTelemetryPipelineProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);

    // ------------------------------------------------------------ validation
    const topicFilter = props.topicFilter ?? DEFAULT_TOPIC_FILTER;
    this.validateTopicFilter(topicFilter);
    const streamRetentionHours = props.streamRetentionHours ?? DEFAULT_STREAM_RETENTION_HOURS;
    validateRange(this, 'streamRetentionHours', streamRetentionHours, 24, 8760);
    const shardCount = props.shardCount ?? DEFAULT_SHARD_COUNT;
    if (!Token.isUnresolved(shardCount) && (!Number.isInteger(shardCount) || shardCount < 1)) {
      throw new SrmIipError(`shardCount must be a whole number of at least 1, got ${shardCount}`, this.node.path);
    }
    const logRetentionDays = props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
    this.validateLogRetention(logRetentionDays, props.allowShortLogRetention ?? false);
    const enableTimestream = props.enableTimestream ?? true;
    const memoryHours = props.timestreamMemoryRetentionHours ?? DEFAULT_TIMESTREAM_MEMORY_RETENTION_HOURS;
    const magneticDays = props.timestreamMagneticRetentionDays ?? DEFAULT_TIMESTREAM_MAGNETIC_RETENTION_DAYS;
    validateRange(this, 'timestreamMemoryRetentionHours', memoryHours, 1, 8766);
    validateRange(this, 'timestreamMagneticRetentionDays', magneticDays, 1, 73000);
    const dimensions = props.timestreamDimensions ?? [...DEFAULT_TIMESTREAM_DIMENSIONS];
    this.validateDimensions(dimensions);
    if (!enableTimestream) {
      const set = (['timestreamMemoryRetentionHours', 'timestreamMagneticRetentionDays', 'timestreamDimensions'] as const).filter((p) => props[p] !== undefined);
      if (set.length > 0) throw new SrmIipError(`${set.join(', ')} need${set.length === 1 ? 's' : ''} enableTimestream: true, got enableTimestream: false`, this.node.path);
    }
    const prefix = props.dataLakePrefix ?? DEFAULT_DATA_LAKE_PREFIX;
    this.validatePrefix(prefix);
    if (props.dataLakeEncryptionKey && !props.dataLakeBucket) {
      throw new SrmIipError('dataLakeEncryptionKey needs dataLakeBucket; a data lake bucket the construct creates is encrypted with encryptionKey', this.node.path);
    }
    const dataLakeKey = props.dataLakeBucket ? props.dataLakeEncryptionKey ?? props.dataLakeBucket.encryptionKey : undefined;
    if (props.dataLakeBucket && !dataLakeKey) {
      throw new SrmIipError(
        `dataLakeEncryptionKey is required: dataLakeBucket ${props.dataLakeBucket.node.path} names no encryption key, and Firehose writes SSE-KMS objects with a customer-managed key`,
        this.node.path,
      );
    }

    // ------------------------------------------------------------ keys and stores
    const tagging: IipTaggingProps = { zone: props.zone, classificationLevel: props.classificationLevel, owner: props.owner, lifecycleStage: props.lifecycleStage };
    applyIipTags(this, tagging, 'platform');
    this.encryptionKey = props.encryptionKey ?? createSecureKey(this, 'Key', `SRM-IIP telemetry key of ${this.node.path}`);
    this.logKey = props.logKey ?? createSecureKey(this, 'LogKey', `SRM-IIP telemetry error-log key of ${this.node.path}`);

    this.stream = new kinesis.Stream(this, 'Stream', secureStreamProps(this.encryptionKey, streamRetentionHours, shardCount));
    acknowledge(
      this.stream,
      'AwsSolutions-KDS3',
      "KDS3 asks for the AWS-managed aws/kinesis key; the telemetry stream uses the pipeline's customer-managed key instead (SRM-IIP-SYS-01): rotated, retained, and under a key policy the platform owner controls, which the AWS-managed key is not",
    );

    if (props.dataLakeBucket) {
      this.dataLakeBucket = props.dataLakeBucket;
    } else {
      this.dataLake = new IipSecureBucket(this, 'DataLake', { ...tagging, encryptionKey: this.encryptionKey });
      this.dataLakeBucket = this.dataLake.bucket;
    }
    const bucketKey = dataLakeKey ?? this.encryptionKey;

    if (enableTimestream) {
      this.timestreamDatabase = new timestream.CfnDatabase(this, 'TimestreamDatabase', { kmsKeyId: this.encryptionKey.keyArn });
      this.timestreamDatabase.applyRemovalPolicy(RemovalPolicy.RETAIN);
      this.timestreamTable = new timestream.CfnTable(this, 'TimestreamTable', {
        databaseName: this.timestreamDatabase.ref,
        retentionProperties: timestreamRetention(memoryHours, magneticDays),
      });
      this.timestreamTable.applyRemovalPolicy(RemovalPolicy.RETAIN);
    }

    // ------------------------------------------------------------ error logs
    const baseName = `/srm-iip/telemetry/${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`;
    const ruleLogName = `${baseName}/topic-rule-errors`;
    const deliveryLogName = `${baseName}/delivery-errors`;
    allowLogsForOwnLogGroups(this, this.logKey, 'CloudWatchLogsTelemetry', [logGroupArn(stack, ruleLogName), logGroupArn(stack, deliveryLogName)]);
    const retention = logRetentionDays as logs.RetentionDays;
    this.ruleErrorLogGroup = new logs.LogGroup(this, 'RuleErrorLogGroup', { logGroupName: ruleLogName, encryptionKey: this.logKey, retention });
    this.deliveryErrorLogGroup = new logs.LogGroup(this, 'DeliveryErrorLogGroup', { logGroupName: deliveryLogName, encryptionKey: this.logKey, retention });
    const deliveryLogStream = new logs.LogStream(this, 'DeliveryErrorLogStream', { logGroup: this.deliveryErrorLogGroup, logStreamName: 'S3Delivery' });

    // ------------------------------------------------------------ Firehose into the data lake
    this.deliveryRole = new iam.Role(this, 'DeliveryRole', {
      description: `SRM-IIP telemetry delivery of ${this.node.path} into the data lake`,
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', { conditions: { StringEquals: { 'sts:ExternalId': stack.account } } }),
    });
    const objects = this.dataLakeBucket.arnForObjects(`${prefix}*`);
    const deliveryPolicy = new iam.ManagedPolicy(this, 'DeliveryPolicy', {
      description: 'SRM-IIP telemetry delivery: write the telemetry prefix of the data lake and the delivery error log only',
      roles: [this.deliveryRole],
      statements: [
        new iam.PolicyStatement({ sid: 'DataLakeBucket', actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'], resources: [this.dataLakeBucket.bucketArn] }),
        new iam.PolicyStatement({ sid: 'DataLakeObjects', actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'], resources: [objects] }),
        new iam.PolicyStatement({
          sid: 'DataLakeKey',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [bucketKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` },
            // With S3 Bucket Keys the context is the bucket ARN, without them the object ARN.
            ArnLike: { 'kms:EncryptionContext:aws:s3:arn': [this.dataLakeBucket.bucketArn, objects] },
          },
        }),
        new iam.PolicyStatement({
          sid: 'DeliveryErrorLog',
          actions: ['logs:PutLogEvents'],
          resources: [
            stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: `${deliveryLogName}:log-stream:${deliveryLogStream.logStreamName}`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ],
        }),
      ],
    });
    acknowledgeWildcard(
      deliveryPolicy,
      objects,
      `Firehose writes one object per buffer under a key it generates from the time (${prefix}data/yyyy/MM/dd/...), so the delivery role can only be scoped to the telemetry prefix of the data lake, not to named objects`,
    );

    this.deliveryStream = new firehose.CfnDeliveryStream(this, 'DeliveryStream', {
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: deliveryStreamEncryption(this.encryptionKey),
      extendedS3DestinationConfiguration: dataLakeDestination({
        bucketArn: this.dataLakeBucket.bucketArn,
        roleArn: this.deliveryRole.roleArn,
        encryptionKeyArn: bucketKey.keyArn,
        prefix,
        logGroupName: this.deliveryErrorLogGroup.logGroupName,
        logStreamName: deliveryLogStream.logStreamName,
      }),
    });
    // Firehose checks the role's permissions when the stream is created.
    this.deliveryStream.node.addDependency(deliveryPolicy);

    // ------------------------------------------------------------ the topic rule
    const ruleName = Names.uniqueResourceName(this, { maxLength: 128, separator: '_' }).replace(/[^A-Za-z0-9_]/g, '_');
    this.ruleRole = new iam.Role(this, 'RuleRole', {
      description: `SRM-IIP telemetry topic rule ${ruleName}: its actions and error action`,
      assumedBy: new iam.ServicePrincipal('iot.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnEquals: { 'aws:SourceArn': stack.formatArn({ service: 'iot', resource: 'rule', resourceName: ruleName }) },
        },
      }),
    });
    const ruleStatements = [
      new iam.PolicyStatement({ sid: 'PutStream', actions: ['kinesis:PutRecord'], resources: [this.stream.streamArn] }),
      new iam.PolicyStatement({
        sid: 'StreamKey',
        actions: ['kms:GenerateDataKey'],
        resources: [this.encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `kinesis.${stack.region}.amazonaws.com` }, ArnEquals: { 'kms:EncryptionContext:aws:kinesis:arn': this.stream.streamArn } },
      }),
      new iam.PolicyStatement({ sid: 'PutDeliveryStream', actions: ['firehose:PutRecord', 'firehose:PutRecordBatch'], resources: [this.deliveryStream.attrArn] }),
      new iam.PolicyStatement({ sid: 'ErrorLog', actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], resources: [this.ruleErrorLogGroup.logGroupArn] }),
    ];
    if (this.timestreamTable) {
      ruleStatements.push(
        new iam.PolicyStatement({ sid: 'WriteTimestream', actions: ['timestream:WriteRecords'], resources: [this.timestreamTable.attrArn] }),
        new iam.PolicyStatement({ sid: 'TimestreamEndpoints', actions: ['timestream:DescribeEndpoints'], resources: ['*'] }),
      );
    }
    const rulePolicy = new iam.ManagedPolicy(this, 'RulePolicy', {
      description: 'SRM-IIP telemetry topic rule: write to this pipeline\'s stream, delivery stream, Timestream table and error log only',
      roles: [this.ruleRole],
      statements: ruleStatements,
    });
    if (this.timestreamTable) {
      acknowledge(
        rulePolicy,
        'AwsSolutions-IAM5[Resource::*]',
        'Only timestream:DescribeEndpoints is granted on *: Timestream has no resource-level permission for endpoint discovery, which every Timestream write needs first; the writes themselves (timestream:WriteRecords) are scoped to this pipeline\'s table',
      );
    }

    const actions: iot.CfnTopicRule.ActionProperty[] = [
      { kinesis: { streamName: this.stream.streamName, roleArn: this.ruleRole.roleArn, partitionKey: '${topic()}' } },
      { firehose: { deliveryStreamName: this.deliveryStream.ref, roleArn: this.ruleRole.roleArn, separator: '\n', batchMode: false } },
    ];
    if (this.timestreamDatabase && this.timestreamTable) {
      actions.push({
        timestream: { databaseName: this.timestreamDatabase.ref, tableName: this.timestreamTable.attrName, roleArn: this.ruleRole.roleArn, dimensions: dimensions.map((d) => ({ name: d.name, value: d.value })) },
      });
    }
    this.topicRule = new iot.CfnTopicRule(this, 'Resource', {
      ruleName,
      topicRulePayload: {
        description: `SRM-IIP device telemetry of '${topicFilter}'`,
        sql: telemetrySql(topicFilter),
        awsIotSqlVersion: IOT_SQL_VERSION,
        ruleDisabled: false,
        actions,
        errorAction: { cloudwatchLogs: { logGroupName: this.ruleErrorLogGroup.logGroupName, roleArn: this.ruleRole.roleArn, batchMode: false } },
      },
    });
    this.topicRule.node.addDependency(rulePolicy);
  }

  private validateTopicFilter(filter: string): void {
    validateNonEmpty(this, 'topicFilter', filter);
    if (Token.isUnresolved(filter)) return;
    const levels = filter.split('/');
    const wellFormed =
      !filter.includes("'") &&
      !/\s/.test(filter) &&
      Buffer.byteLength(filter, 'utf8') <= 256 &&
      levels.every((l, i) => (l.includes('#') ? l === '#' && i === levels.length - 1 : !l.includes('+') || l === '+'));
    if (!wellFormed) {
      throw new SrmIipError(`topicFilter must be an MQTT topic filter of at most 256 bytes without quotes or spaces, with '+' and '#' only as whole levels and '#' only last, got '${filter}'`, this.node.path);
    }
  }

  private validateLogRetention(days: number, allowShort: boolean): void {
    checkLogRetention(this, 'logRetentionDays', days, allowShort, LOG_RETENTION_FLOOR_DAYS, 'allowShortLogRetention');
  }


  private validateDimensions(dimensions: readonly TelemetryDimension[]): void {
    if (dimensions.length === 0) throw new SrmIipError('timestreamDimensions must name at least one dimension (Timestream needs one), got []', this.node.path);
    const seen = new Set<string>();
    dimensions.forEach((d, i) => {
      validateNonEmpty(this, `timestreamDimensions[${i}].name`, d.name);
      validateNonEmpty(this, `timestreamDimensions[${i}].value`, d.value);
      if (Token.isUnresolved(d.name)) return;
      if (seen.has(d.name)) throw new SrmIipError(`timestreamDimensions: dimension name '${d.name}' is listed twice`, this.node.path);
      seen.add(d.name);
    });
  }

  private validatePrefix(prefix: string): void {
    validateNonEmpty(this, 'dataLakePrefix', prefix);
    if (Token.isUnresolved(prefix)) return;
    if (prefix.startsWith('/') || !prefix.endsWith('/') || prefix.includes('!{')) {
      throw new SrmIipError(`dataLakePrefix must be a key prefix ending in '/', not starting with '/' and without Firehose expressions (the construct partitions by day), got '${prefix}'`, this.node.path);
    }
  }
}
