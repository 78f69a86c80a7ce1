import { checkProperty, SrmIipRule } from '../engine/rule';
import { numberOf, Verdict } from '../engine/values';
import { shown } from './common';

/** Minimum automated backup retention, in days. */
export const MIN_BACKUP_RETENTION_DAYS = 7;

/** RDS keeps automated backups for 1 day when BackupRetentionPeriod is not set. */
export const RDS_DEFAULT_BACKUP_RETENTION_DAYS = 1;

/** Whether an automated backup retention (days; undefined = not set) meets the floor. */
export function isBackupRetentionEnough(days: number | undefined): boolean {
  return (days ?? RDS_DEFAULT_BACKUP_RETENTION_DAYS) >= MIN_BACKUP_RETENTION_DAYS;
}

/**
 * SRM-IIP-OPS-05 (RDS): RDS instances and clusters keep automated backups for
 * at least 7 days. Instances that belong to a cluster (their backups are the
 * cluster's) and read replicas are not applicable.
 */
export const RdsBackupRetention: SrmIipRule = {
  id: 'RdsBackupRetention',
  controlId: 'SRM-IIP-OPS-05',
  summary: 'RDS instances and clusters keep automated backups for at least 7 days',
  resourceTypes: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
  check(r) {
    if (r.type === 'AWS::RDS::DBInstance') {
      const res = r.stack.resolver;
      for (const p of ['DBClusterIdentifier', 'SourceDBInstanceIdentifier']) {
        const alts = res.get(r, p);
        if (alts.length > 0 && alts.every((a) => a.kind !== 'absent')) return [];
      }
    }
    return checkProperty(
      r,
      ['BackupRetentionPeriod'],
      (a): Verdict => {
        if (a.kind === 'absent') return isBackupRetentionEnough(undefined) ? 'pass' : 'fail';
        if (a.kind !== 'value') return 'unknown';
        const n = numberOf(a);
        return n !== undefined && isBackupRetentionEnough(n) ? 'pass' : 'fail';
      },
      (a) =>
        a.kind === 'absent'
          ? `automated backups are kept for ${RDS_DEFAULT_BACKUP_RETENTION_DAYS} day only (BackupRetentionPeriod is not set; RDS defaults to ${RDS_DEFAULT_BACKUP_RETENTION_DAYS}), less than ${MIN_BACKUP_RETENTION_DAYS} days`
          : `automated backups are kept for ${shown(a)} days (BackupRetentionPeriod), less than ${MIN_BACKUP_RETENTION_DAYS} days`,
    );
  },
};
