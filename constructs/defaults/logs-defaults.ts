import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { SrmIipError } from '../../rules/errors';
import { warnWeakened } from '../private/annotations';
import { cloudWatchLogsKeyStatement } from '../private/logs';

/**
 * The least retention of a log group under the kit's default policy
 * (SRM-IIP-OPS-02); the same value as the pack's `logRetentionDays` default.
 */
export const LOG_RETENTION_FLOOR_DAYS = 365;

/** Retention of a log group when none is given. */
export const DEFAULT_LOG_RETENTION_DAYS = 365;

/** The retention periods CloudWatch Logs accepts, in days. */
export const CLOUDWATCH_LOG_RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/**
 * Secure defaults of a log group (SRM-IIP-OPS-02, SYS-01): encrypted with a
 * customer-managed key, a retention, kept on stack deletion. The key's policy
 * must let CloudWatch Logs use it (`allowLogGroupEncryption`).
 */
export function secureLogGroupProps(encryptionKey: kms.IKey, retentionDays = DEFAULT_LOG_RETENTION_DAYS): logs.LogGroupProps {
  return {
    encryptionKey,
    retention: retentionDays as logs.RetentionDays,
    removalPolicy: RemovalPolicy.RETAIN,
  };
}

/**
 * Check a log retention prop: one of the periods CloudWatch Logs accepts, and
 * not below the floor unless the user allows it on purpose, which is reported
 * (SRM-IIP-OPS-02). Unresolved tokens pass.
 */
export function checkLogRetention(
  scope: IConstruct,
  name: string,
  days: number,
  allowShortRetention: boolean,
  floorDays = LOG_RETENTION_FLOOR_DAYS,
  allowPropName = 'allowShortRetention',
): void {
  if (Token.isUnresolved(days)) return;
  if (!CLOUDWATCH_LOG_RETENTION_DAYS.includes(days)) {
    throw new SrmIipError(`${name} must be a retention CloudWatch Logs accepts (${CLOUDWATCH_LOG_RETENTION_DAYS.join(', ')}), got ${days}`, scope.node.path);
  }
  if (days >= floorDays) return;
  if (!allowShortRetention) {
    throw new SrmIipError(`${name} must be at least ${floorDays} (the SRM-IIP-OPS-02 floor; set ${allowPropName}: true to go below it on purpose), got ${days}`, scope.node.path);
  }
  warnWeakened(scope, 'SRM-IIP-OPS-02', `${name} is ${days} days, below the ${floorDays}-day floor (${allowPropName}: true); events older than that are lost as evidence`);
}

/**
 * Let CloudWatch Logs encrypt and decrypt with `key` for the log groups whose
 * ARNs match `logGroupArn` (the documented key-policy statement, bounded by the
 * `kms:EncryptionContext:aws:logs:arn` condition). Give each statement of one
 * key its own `sid`. Returns false for an
 * imported key, whose policy must then hold the statement already.
 */
export function allowLogGroupEncryption(key: kms.IKey, logGroupArn: string, sid = 'AllowCloudWatchLogs'): boolean {
  return key.addToResourcePolicy(cloudWatchLogsKeyStatement(sid, Stack.of(key).region, 'ArnLike', logGroupArn)).statementAdded;
}
