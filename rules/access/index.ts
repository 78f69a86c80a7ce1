import type { SrmIipRule } from '../engine/rule';
import { ApiAuthorizationNotNone } from './ApiAuthorizationNotNone';
import { CognitoUserPoolStrongAuth } from './CognitoUserPoolStrongAuth';
import { CrossAccountTrustRequiresExternalId } from './CrossAccountTrustRequiresExternalId';
import { IamNoAccessKeys } from './IamNoAccessKeys';
import { IamNoAdministratorAccess } from './IamNoAdministratorAccess';
import { IamPolicyNoWildcardGrants } from './IamPolicyNoWildcardGrants';
import { IamTrustPolicyNotPublic } from './IamTrustPolicyNotPublic';
import { IotPolicyScopedToDevice } from './IotPolicyScopedToDevice';
import { IotThingHasOwnCertificate } from './IotThingHasOwnCertificate';
import { KmsKeyAdminsCannotDecrypt } from './KmsKeyAdminsCannotDecrypt';
import { KmsKeyPolicyNotPublic } from './KmsKeyPolicyNotPublic';
import { ResourcePolicyNotPublic } from './ResourcePolicyNotPublic';
import { S3BucketNotPublic } from './S3BucketNotPublic';

export { accountInText, accountIsOwn, isAccountRootText } from './policy-checks';
export * from './IamPolicyNoWildcardGrants';
export * from './IamNoAdministratorAccess';
export * from './IamNoAccessKeys';
export * from './IamTrustPolicyNotPublic';
export * from './IotThingHasOwnCertificate';
export * from './IotPolicyScopedToDevice';
export * from './CognitoUserPoolStrongAuth';
export * from './ApiAuthorizationNotNone';
export * from './S3BucketNotPublic';
export * from './ResourcePolicyNotPublic';
export * from './KmsKeyPolicyNotPublic';
export * from './KmsKeyAdminsCannotDecrypt';
export * from './CrossAccountTrustRequiresExternalId';

/** Rules of clause 8.2.4 (access security). */
export const ACCESS_RULES: readonly SrmIipRule[] = [
  IamPolicyNoWildcardGrants,
  IamNoAdministratorAccess,
  IamNoAccessKeys,
  IamTrustPolicyNotPublic,
  IotThingHasOwnCertificate,
  IotPolicyScopedToDevice,
  CognitoUserPoolStrongAuth,
  ApiAuthorizationNotNone,
  S3BucketNotPublic,
  ResourcePolicyNotPublic,
  KmsKeyPolicyNotPublic,
  KmsKeyAdminsCannotDecrypt,
  CrossAccountTrustRequiresExternalId,
];
