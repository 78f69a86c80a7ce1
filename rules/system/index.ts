import type { SrmIipRule } from '../engine/rule';
import { AutoScalingGroupMultiAz } from './AutoScalingGroupMultiAz';
import { BackupVaultCmkEncryption } from './BackupVaultCmkEncryption';
import { BlockStorageCmkEncryption } from './BlockStorageCmkEncryption';
import { ClassificationLevelSeparation } from './ClassificationLevelSeparation';
import { ContainerHardening } from './ContainerHardening';
import { DatabaseCmkEncryption } from './DatabaseCmkEncryption';
import { EbsVolumesEncrypted } from './EbsVolumesEncrypted';
import { EcrImageScanAndImmutableTags } from './EcrImageScanAndImmutableTags';
import { InstanceMetadataV2Required } from './InstanceMetadataV2Required';
import { KmsKeyDeletionWindow } from './KmsKeyDeletionWindow';
import { KmsKeyRotationEnabled } from './KmsKeyRotationEnabled';
import { LambdaCodeSigningEnforced } from './LambdaCodeSigningEnforced';
import { LambdaRuntimeSupported } from './LambdaRuntimeSupported';
import { LogGroupCmkEncryption } from './LogGroupCmkEncryption';
import { MessagingCmkEncryption } from './MessagingCmkEncryption';
import { RdsMultiAzDeployment } from './RdsMultiAzDeployment';
import { S3BucketCmkEncryption } from './S3BucketCmkEncryption';
import { SecretCmkEncryption } from './SecretCmkEncryption';
import { SiteWiseEncryptionAttestation } from './SiteWiseEncryptionAttestation';
import { StreamCmkEncryption } from './StreamCmkEncryption';

// The pure judgements the rules share; the template readers stay internal.
export { isCustomerManagedKeyRef, keyTextKind, KMS_KEY_TYPES } from './kms-keys';
export type { KeyRefKind } from './kms-keys';
export { parseLevel } from './levels';
export * from './AutoScalingGroupMultiAz';
export * from './BackupVaultCmkEncryption';
export * from './BlockStorageCmkEncryption';
export * from './ClassificationLevelSeparation';
export * from './ContainerHardening';
export * from './DatabaseCmkEncryption';
export * from './EbsVolumesEncrypted';
export * from './EcrImageScanAndImmutableTags';
export * from './InstanceMetadataV2Required';
export * from './KmsKeyDeletionWindow';
export * from './KmsKeyRotationEnabled';
export * from './LambdaCodeSigningEnforced';
export * from './LambdaRuntimeSupported';
export * from './LogGroupCmkEncryption';
export * from './MessagingCmkEncryption';
export * from './RdsMultiAzDeployment';
export * from './S3BucketCmkEncryption';
export * from './SecretCmkEncryption';
export * from './SiteWiseEncryptionAttestation';
export * from './StreamCmkEncryption';

/** Rules of clause 8.2.6 (system security), in control order. */
export const SYSTEM_RULES: readonly SrmIipRule[] = [
  // SYS-01
  S3BucketCmkEncryption,
  DatabaseCmkEncryption,
  BlockStorageCmkEncryption,
  StreamCmkEncryption,
  MessagingCmkEncryption,
  LogGroupCmkEncryption,
  SecretCmkEncryption,
  BackupVaultCmkEncryption,
  SiteWiseEncryptionAttestation,
  // SYS-02
  KmsKeyRotationEnabled,
  // SYS-03
  InstanceMetadataV2Required,
  EbsVolumesEncrypted,
  ContainerHardening,
  LambdaRuntimeSupported,
  // SYS-04
  EcrImageScanAndImmutableTags,
  // SYS-05
  LambdaCodeSigningEnforced,
  // SYS-06
  ClassificationLevelSeparation,
  // SYS-07
  RdsMultiAzDeployment,
  AutoScalingGroupMultiAz,
  // SYS-08
  KmsKeyDeletionWindow,
];
