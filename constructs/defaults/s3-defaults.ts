import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

/** Days a noncurrent object version is kept before it expires, when none is given (SRM-IIP-OPS-07). */
export const DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS = 90;

/** ID of the lifecycle rule that expires noncurrent versions. */
export const NONCURRENT_VERSION_RULE_ID = 'srm-iip-expire-noncurrent-versions';

/**
 * Secure defaults of a data bucket (SRM-IIP-SYS-01, ACC-06, COM-01, OPS-07):
 * default encryption with the given customer-managed key (S3 Bucket Keys on,
 * so KMS is called per bucket key, not per object), all four Block Public
 * Access settings, ACLs disabled, a policy that refuses requests without TLS
 * or below TLS 1.2, versioning, noncurrent versions expiring, and kept on
 * stack deletion. User props override them.
 */
export function secureBucketProps(encryptionKey: kms.IKey, noncurrentVersionExpirationDays = DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS): s3.BucketProps {
  return {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey,
    bucketKeyEnabled: true,
    ...protectedBucketProps(noncurrentVersionExpirationDays),
  };
}

/**
 * Secure defaults of a bucket that receives S3 server access logs.
 *
 * S3 delivers server access logs only to target buckets whose default
 * encryption is SSE-S3 (AES256); SSE-KMS default encryption on a target bucket
 * is not supported by S3 (see "Enabling Amazon S3 server access logging" in
 * the S3 User Guide), and a target bucket must not have an Object Lock
 * default retention. Everything else is as strict as a data bucket: Block
 * Public Access, ACLs disabled (delivery is granted through the bucket policy
 * to logging.s3.amazonaws.com), TLS-only, versioned, noncurrent versions
 * expiring, retained.
 */
export function accessLogBucketProps(noncurrentVersionExpirationDays = DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS): s3.BucketProps {
  return {
    encryption: s3.BucketEncryption.S3_MANAGED,
    ...protectedBucketProps(noncurrentVersionExpirationDays),
  };
}

/**
 * What every bucket of the kit has besides its encryption: all four Block Public Access
 * settings, ACLs disabled, TLS 1.2+ only, versioning, noncurrent versions expiring, retained.
 */
function protectedBucketProps(noncurrentVersionExpirationDays: number): s3.BucketProps {
  return {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    lifecycleRules: [noncurrentVersionRule(noncurrentVersionExpirationDays)],
    removalPolicy: RemovalPolicy.RETAIN,
  };
}

/** A lifecycle rule that expires noncurrent versions and cleans up failed multipart uploads. */
export function noncurrentVersionRule(days: number): s3.LifecycleRule {
  return {
    id: NONCURRENT_VERSION_RULE_ID,
    enabled: true,
    noncurrentVersionExpiration: Duration.days(days),
    abortIncompleteMultipartUploadAfter: Duration.days(7),
  };
}
