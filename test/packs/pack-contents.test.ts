import { describe, expect, it } from 'vitest';
import * as kit from '../../index';

/**
 * The pack's contents, pinned: every rule ID per control, in registry order. Adding, removing or
 * moving a rule is a visible diff here (update this list in the same commit, on purpose).
 */
const PINNED: Record<string, string[]> = {
  'SRM-IIP-PHY-03': ['DedicatedTenancyForTopLevel'],
  'SRM-IIP-NET-01': ['SubnetHasOneZone', 'SubnetPlacementInOwnDomain'],
  'SRM-IIP-NET-02': ['SecurityGroupNoPublicIngress', 'SecurityGroupNoAllPortsIngress'],
  'SRM-IIP-NET-03': ['SubnetNoPublicIpOutsideIngress', 'InternetRouteOnlyFromIngress', 'DatabasesNotPublic', 'SearchDomainsInVpc', 'ComputeNoPublicIpOutsideIngress'],
  'SRM-IIP-NET-04': ['VpcServiceEndpointsPresent'],
  'SRM-IIP-NET-05': ['VpcFlowLogsEnabled'],
  'SRM-IIP-NET-06': ['ZoneModelWellFormed', 'SecurityGroupCrossingsUseConduits', 'NetworkAclCrossingsUseConduits'],
  'SRM-IIP-NET-07': ['InternetEntryPointRateLimited'],
  'SRM-IIP-NET-08': ['VpcDefaultSecurityGroupRestricted'],
  'SRM-IIP-ACC-01': ['IamPolicyNoWildcardGrants', 'IamNoAdministratorAccess'],
  'SRM-IIP-ACC-02': ['IamNoAccessKeys', 'IamTrustPolicyNotPublic'],
  'SRM-IIP-ACC-03': ['IotThingHasOwnCertificate'],
  'SRM-IIP-ACC-04': ['IotPolicyScopedToDevice'],
  'SRM-IIP-ACC-05': ['CognitoUserPoolStrongAuth', 'ApiAuthorizationNotNone'],
  'SRM-IIP-ACC-06': ['S3BucketNotPublic', 'ResourcePolicyNotPublic'],
  'SRM-IIP-ACC-07': ['KmsKeyPolicyNotPublic', 'KmsKeyAdminsCannotDecrypt'],
  'SRM-IIP-ACC-08': ['CrossAccountTrustRequiresExternalId'],
  'SRM-IIP-COM-01': ['DataStoresDenyInsecureTransport'],
  'SRM-IIP-COM-02': ['LoadBalancerListenersUseModernTls', 'ApiGatewayDomainsUseModernTls', 'ApiGatewayDefaultEndpointUsesModernTls', 'CloudFrontViewersUseModernTls'],
  'SRM-IIP-COM-03': ['IotDomainConfigurationsUseModernTls', 'IotAuthorizersVerifySignatures'],
  'SRM-IIP-COM-04': ['MskEncryptsInTransit', 'CachesEncryptInTransit', 'OpenSearchEncryptsInTransit'],
  'SRM-IIP-COM-05': ['VpnTunnelsUseStrongCrypto'],
  'SRM-IIP-SYS-01': ['S3BucketCmkEncryption', 'DatabaseCmkEncryption', 'BlockStorageCmkEncryption', 'StreamCmkEncryption', 'MessagingCmkEncryption', 'LogGroupCmkEncryption', 'SecretCmkEncryption', 'BackupVaultCmkEncryption', 'SiteWiseEncryptionAttestation'],
  'SRM-IIP-SYS-02': ['KmsKeyRotationEnabled'],
  'SRM-IIP-SYS-03': ['InstanceMetadataV2Required', 'EbsVolumesEncrypted', 'ContainerHardening', 'LambdaRuntimeSupported'],
  'SRM-IIP-SYS-04': ['EcrImageScanAndImmutableTags'],
  'SRM-IIP-SYS-05': ['LambdaCodeSigningEnforced'],
  'SRM-IIP-SYS-06': ['ClassificationLevelSeparation'],
  'SRM-IIP-SYS-07': ['RdsMultiAzDeployment', 'AutoScalingGroupMultiAz'],
  'SRM-IIP-SYS-08': ['KmsKeyDeletionWindow'],
  'SRM-IIP-APP-01': ['ApiRoutesRequireAuthorization'],
  'SRM-IIP-APP-02': ['AppEndpointsFilterMaliciousInput'],
  'SRM-IIP-APP-03': ['ApiMethodsValidateRequests', 'ApiStagesThrottleClients'],
  'SRM-IIP-APP-04': ['NoSecretsInEnvironment', 'SecretParametersUseNoEcho', 'SecretsUseCmkAndRotation'],
  'SRM-IIP-APP-05': ['ApiStagesLogAccess', 'LoadBalancersLogAccess', 'CloudFrontLogsAccess'],
  'SRM-IIP-APP-06': ['TenantDataAccessIsScoped'],
  'SRM-IIP-OPS-01': ['CloudTrailAuditTrail'],
  'SRM-IIP-OPS-02': ['LogGroupRetainedAndEncrypted', 'LogArchiveBucketLocked'],
  'SRM-IIP-OPS-03': ['SecurityMonitoringEnabled'],
  'SRM-IIP-OPS-04': ['SecurityFindingsAlerting'],
  'SRM-IIP-OPS-05': ['BackupCoversStatefulStores', 'BackupVaultEncryptedAndLocked', 'RdsBackupRetention', 'DynamoDbPointInTimeRecovery'],
  'SRM-IIP-OPS-06': ['AdminPortsClosedToOutside', 'InstancesManagedBySsm'],
  'SRM-IIP-OPS-07': ['NoncurrentVersionsExpire', 'RestoredSnapshotsEncrypted', 'RetirementRevokesCertificates'],
  'SRM-IIP-MGT-02': ['ResourcesClassifiedByTags'],
  'SRM-IIP-MGT-03': ['StackRegionsAllowed', 'ReplicationTargetsAllowed'],
  'SRM-IIP-MGT-04': ['ScpProtectsGuardrails'],
};

describe('SrmIipChecks contents', () => {
  it('runs exactly the pinned rules per control', () => {
    const actual: Record<string, string[]> = {};
    for (const r of kit.ALL_RULES) (actual[r.controlId] ??= []).push(r.id);
    expect(actual).toEqual(PINNED);
  });

  it('reports the 46 controls it checks as its rule IDs for CDK analytics', () => {
    expect(new kit.SrmIipChecks().ruleIds).toEqual(Object.keys(PINNED));
  });

  it('every rule of the pack has its default severity from the catalog (error or warning)', () => {
    for (const id of Object.keys(PINNED)) expect(['error', 'warning']).toContain(kit.controlById(id)!.severity);
  });
});
