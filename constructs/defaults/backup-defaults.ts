import { Aws, Duration } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import { LifecycleStage } from '../../rules/catalog/types';
import { TAG_LEVEL, TAG_STAGE, TAG_ZONE } from '../../rules/engine/zones';

/** Days a daily recovery point is kept when none is given, and the floor below which a shorter one is a weakening. */
export const DEFAULT_DAILY_RETENTION_DAYS = 35;

/** Days a monthly recovery point is kept when none is given. */
export const DEFAULT_MONTHLY_RETENTION_DAYS = 365;

/** Retention below which a rule is reported as weakened (SRM-IIP-OPS-05): five weeks, so a month-end problem found late can still be restored. */
export const RETENTION_FLOOR_DAYS = 35;

/** Days a compliance-mode vault lock can still be changed or removed after it is set (the least AWS Backup allows). */
export const DEFAULT_LOCK_CHANGEABLE_FOR_DAYS = 3;

/** The AWS managed policy AWS Backup documents for the role it backs resources up with. */
export const BACKUP_SERVICE_POLICY = 'service-role/AWSBackupServiceRolePolicyForBackup';

/** The AWS managed policy AWS Backup needs in addition for S3 buckets. */
export const S3_BACKUP_SERVICE_POLICY = 'AWSBackupServiceRolePolicyForS3Backup';

/** The daily rule: 05:00 UTC every day, kept `retentionDays`, copied to `copyTo`. */
export function dailyRule(vault: backup.IBackupVault, retentionDays: number, copyTo: readonly backup.IBackupVault[]): backup.BackupPlanRule {
  return new backup.BackupPlanRule({
    ruleName: 'Daily',
    scheduleExpression: events.Schedule.cron({ minute: '0', hour: '5' }),
    deleteAfter: Duration.days(retentionDays),
    backupVault: vault,
    copyActions: copyActions(copyTo, retentionDays),
  });
}

/** The monthly rule: 05:00 UTC on the first of each month, kept `retentionDays`, copied to `copyTo`. */
export function monthlyRule(vault: backup.IBackupVault, retentionDays: number, copyTo: readonly backup.IBackupVault[]): backup.BackupPlanRule {
  return new backup.BackupPlanRule({
    ruleName: 'Monthly',
    scheduleExpression: events.Schedule.cron({ minute: '0', hour: '5', day: '1' }),
    deleteAfter: Duration.days(retentionDays),
    backupVault: vault,
    copyActions: copyActions(copyTo, retentionDays),
  });
}

function copyActions(copyTo: readonly backup.IBackupVault[], retentionDays: number): backup.BackupPlanCopyActionProps[] | undefined {
  return copyTo.length > 0 ? copyTo.map((v) => ({ destinationBackupVault: v, deleteAfter: Duration.days(retentionDays) })) : undefined;
}

/**
 * The vault lock (SRM-IIP-OPS-05): recovery points are kept at least
 * `minRetentionDays`, at most `maxRetentionDays` when set. With
 * `changeableForDays` the lock is in compliance mode: after that grace period
 * nobody, not even the account root, can remove it or shorten a retention.
 * Without it the lock is in governance mode and principals with
 * backup:DeleteBackupVaultLockConfiguration can remove it.
 */
export function vaultLock(minRetentionDays: number, maxRetentionDays?: number, changeableForDays?: number): backup.LockConfiguration {
  return {
    minRetention: Duration.days(minRetentionDays),
    maxRetention: maxRetentionDays !== undefined ? Duration.days(maxRetentionDays) : undefined,
    changeableFor: changeableForDays !== undefined ? Duration.days(changeableForDays) : undefined,
  };
}

/**
 * The tag conditions of a backup selection (all must hold): the resource is in
 * use (srm-iip:stage = utilization-support), and, when given, in the zone and
 * at the classification level.
 */
export function kitTagConditions(zone?: string, level?: number): { StringEquals: Array<{ ConditionKey: string; ConditionValue: string }> } {
  // CDK types Conditions as JSON and passes it through unchanged, so it is written in CloudFormation's casing.
  const eq = (key: string, value: string) => ({ ConditionKey: `aws:ResourceTag/${key}`, ConditionValue: value });
  return {
    StringEquals: [
      eq(TAG_STAGE, LifecycleStage.UTILIZATION_SUPPORT),
      ...(zone !== undefined ? [eq(TAG_ZONE, zone)] : []),
      ...(level !== undefined ? [eq(TAG_LEVEL, String(level))] : []),
    ],
  };
}

/** Resources a selection leaves out unless S3 backup is asked for: every S3 bucket (AWS Backup for S3 needs its own policy on the role). */
export function s3Exclusion(): string[] {
  return [`arn:${Aws.PARTITION}:s3:::*`];
}
