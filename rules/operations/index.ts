import type { SrmIipRule } from '../engine/rule';
import { AdminPortsClosedToOutside } from './AdminPortsClosedToOutside';
import { BackupCoversStatefulStores } from './BackupCoversStatefulStores';
import { BackupVaultEncryptedAndLocked } from './BackupVaultEncryptedAndLocked';
import { CloudTrailAuditTrail } from './CloudTrailAuditTrail';
import { DynamoDbPointInTimeRecovery } from './DynamoDbPointInTimeRecovery';
import { InstancesManagedBySsm } from './InstancesManagedBySsm';
import { LogArchiveBucketLocked } from './LogArchiveBucketLocked';
import { LogGroupRetainedAndEncrypted } from './LogGroupRetainedAndEncrypted';
import { NoncurrentVersionsExpire } from './NoncurrentVersionsExpire';
import { RdsBackupRetention } from './RdsBackupRetention';
import { RestoredSnapshotsEncrypted } from './RestoredSnapshotsEncrypted';
import { RetirementRevokesCertificates } from './RetirementRevokesCertificates';
import { SecurityFindingsAlerting } from './SecurityFindingsAlerting';
import { SecurityMonitoringEnabled } from './SecurityMonitoringEnabled';

export * from './CloudTrailAuditTrail';
export * from './LogGroupRetainedAndEncrypted';
export * from './LogArchiveBucketLocked';
export * from './SecurityMonitoringEnabled';
export * from './SecurityFindingsAlerting';
export * from './BackupCoversStatefulStores';
export * from './BackupVaultEncryptedAndLocked';
export * from './RdsBackupRetention';
export * from './DynamoDbPointInTimeRecovery';
export * from './AdminPortsClosedToOutside';
export * from './InstancesManagedBySsm';
export * from './NoncurrentVersionsExpire';
export * from './RestoredSnapshotsEncrypted';
export * from './RetirementRevokesCertificates';

/** Rules of clause 8.2.8 (operation and maintenance security), in control order. */
export const OPERATIONS_RULES: readonly SrmIipRule[] = [
  CloudTrailAuditTrail,
  LogGroupRetainedAndEncrypted,
  LogArchiveBucketLocked,
  SecurityMonitoringEnabled,
  SecurityFindingsAlerting,
  BackupCoversStatefulStores,
  BackupVaultEncryptedAndLocked,
  RdsBackupRetention,
  DynamoDbPointInTimeRecovery,
  AdminPortsClosedToOutside,
  InstancesManagedBySsm,
  NoncurrentVersionsExpire,
  RestoredSnapshotsEncrypted,
  RetirementRevokesCertificates,
];
