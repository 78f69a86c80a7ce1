import { Tags, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import * as kit from '../../../index';
import { QUALITY_RECORDS, QUALITY_RETENTION_DAYS, TAG_RECORD_TYPE } from './QualityRecordBucketsLocked';

export interface AcmeQualityRecordsProps extends kit.IipTaggingProps {
  /**
   * Days every record version stays locked, at least 3650 (ACME-QMS).
   * @default 3650
   * @see ACME-QA-01
   */
  readonly retentionDays?: number;
  /**
   * Key of the records.
   * @default - a new key with the kit's defaults (rotation, 30-day deletion window, retained)
   * @see SRM-IIP-SYS-01
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * ACME's quality-record store, built from the kit's IipSecureBucket: every
 * SRM-IIP default of the bucket, plus object lock in COMPLIANCE mode for ten
 * years, and the `acme:record-type` tag that ACME's rule reads.
 */
export class AcmeQualityRecords extends Construct {
  /** The secure bucket underneath, with its key and access-log bucket. */
  public readonly store: kit.IipSecureBucket;
  /** The records bucket. */
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AcmeQualityRecordsProps = {}) {
    super(scope, id);
    const days = props.retentionDays ?? QUALITY_RETENTION_DAYS;
    if (!Token.isUnresolved(days) && (!Number.isInteger(days) || days < QUALITY_RETENTION_DAYS || days > 36500)) {
      throw new kit.SrmIipError(`retentionDays must be a whole number ${QUALITY_RETENTION_DAYS}..36500 (ACME-QA-01: quality records are kept ten years), got ${days}`, this.node.path);
    }
    this.store = new kit.IipSecureBucket(this, 'Resource', {
      zone: props.zone,
      classificationLevel: props.classificationLevel,
      owner: props.owner ?? 'acme-quality',
      lifecycleStage: props.lifecycleStage,
      encryptionKey: props.encryptionKey,
      objectLockRetentionDays: days,
      objectLockMode: s3.ObjectLockMode.COMPLIANCE,
    });
    this.bucket = this.store.bucket;
    Tags.of(this.bucket).add(TAG_RECORD_TYPE, QUALITY_RECORDS);
  }

  /** Let a role add records (never delete or overwrite them: object lock keeps every version). */
  public grantAppend(grantee: iam.IGrantable): iam.Grant {
    return this.bucket.grantPut(grantee);
  }
}
