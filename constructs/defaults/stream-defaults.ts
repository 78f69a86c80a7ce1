import { Duration, RemovalPolicy, Tokenization } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { TelemetryDimension } from '../IipTelemetryPipeline';

/** MQTT topic filter of device telemetry when none is given: every plant's telemetry topics. */
export const DEFAULT_TOPIC_FILTER = 'plant/+/telemetry/#';

/** The AWS IoT SQL version the topic rules use (the current one; nested-object queries need it). */
export const IOT_SQL_VERSION = '2016-03-23';

/** Hours the Kinesis stream keeps records when none is given: a week, so consumers can replay after an outage over a weekend. */
export const DEFAULT_STREAM_RETENTION_HOURS = 168;

/** Shards of the Kinesis stream when none is given. */
export const DEFAULT_SHARD_COUNT = 1;



/** Hours Timestream keeps records in its memory store when none is given. */
export const DEFAULT_TIMESTREAM_MEMORY_RETENTION_HOURS = 24;

/** Days Timestream keeps records in its magnetic store when none is given. */
export const DEFAULT_TIMESTREAM_MAGNETIC_RETENTION_DAYS = 365;

/** Key prefix of telemetry objects in the data lake bucket when none is given. */
export const DEFAULT_DATA_LAKE_PREFIX = 'telemetry/';

/** Dimensions when none are given: the sending client and the full topic, which every MQTT message has whatever the topic layout. */
export const DEFAULT_TIMESTREAM_DIMENSIONS: readonly TelemetryDimension[] = [
  { name: 'device', value: '${clientid()}' },
  { name: 'topic', value: '${topic()}' },
];

/** The rule query: every message on the topic filter, unchanged. */
export function telemetrySql(topicFilter: string): string {
  return `SELECT * FROM '${topicFilter}'`;
}

/**
 * Secure defaults of the telemetry stream (SRM-IIP-SYS-01): KMS encryption
 * with the given customer-managed key, provisioned shards, kept on stack
 * deletion. User props override them.
 */
export function secureStreamProps(encryptionKey: kms.IKey, retentionHours = DEFAULT_STREAM_RETENTION_HOURS, shardCount = DEFAULT_SHARD_COUNT): kinesis.StreamProps {
  return {
    encryption: kinesis.StreamEncryption.KMS,
    encryptionKey,
    streamMode: kinesis.StreamMode.PROVISIONED,
    shardCount,
    retentionPeriod: Duration.hours(retentionHours),
    removalPolicy: RemovalPolicy.RETAIN,
  };
}

/**
 * Server-side encryption of a direct-put delivery stream with a
 * customer-managed key (SRM-IIP-SYS-01). Firehose accepts it only for
 * DirectPut streams; a stream that reads from Kinesis is encrypted as its
 * source is.
 */
export function deliveryStreamEncryption(encryptionKey: kms.IKey): firehose.CfnDeliveryStream.DeliveryStreamEncryptionConfigurationInputProperty {
  return { keyType: 'CUSTOMER_MANAGED_CMK', keyArn: encryptionKey.keyArn };
}

/** Where and how a delivery stream writes to S3. */
export interface DataLakeDestination {
  readonly bucketArn: string;
  readonly roleArn: string;
  readonly encryptionKeyArn: string;
  readonly prefix: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
}

/**
 * The S3 destination of the telemetry delivery stream: objects under
 * `<prefix>data/` partitioned by day, records Firehose could not deliver
 * under `<prefix>errors/`, GZIP, SSE-KMS with the bucket's customer-managed
 * key (SRM-IIP-SYS-01), and delivery errors logged to CloudWatch Logs.
 */
export function dataLakeDestination(d: DataLakeDestination): firehose.CfnDeliveryStream.ExtendedS3DestinationConfigurationProperty {
  return {
    bucketArn: d.bucketArn,
    roleArn: d.roleArn,
    prefix: `${d.prefix}data/!{timestamp:yyyy/MM/dd}/`,
    errorOutputPrefix: `${d.prefix}errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/`,
    bufferingHints: { intervalInSeconds: 300, sizeInMBs: 64 },
    compressionFormat: 'GZIP',
    encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: d.encryptionKeyArn } },
    cloudWatchLoggingOptions: { enabled: true, logGroupName: d.logGroupName, logStreamName: d.logStreamName },
  };
}

/** Timestream retention properties (CloudFormation takes them as strings; tokens stay tokens). */
export function timestreamRetention(memoryHours: number, magneticDays: number): { MemoryStoreRetentionPeriodInHours: string; MagneticStoreRetentionPeriodInDays: string } {
  return {
    MemoryStoreRetentionPeriodInHours: Tokenization.stringifyNumber(memoryHours),
    MagneticStoreRetentionPeriodInDays: Tokenization.stringifyNumber(magneticDays),
  };
}
