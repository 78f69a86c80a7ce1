import type { SrmIipRule } from '../engine/rule';
import { ApiMethodsValidateRequests } from './ApiMethodsValidateRequests';
import { ApiRoutesRequireAuthorization } from './ApiRoutesRequireAuthorization';
import { ApiStagesLogAccess } from './ApiStagesLogAccess';
import { ApiStagesThrottleClients } from './ApiStagesThrottleClients';
import { AppEndpointsFilterMaliciousInput } from './AppEndpointsFilterMaliciousInput';
import { CloudFrontLogsAccess } from './CloudFrontLogsAccess';
import { LoadBalancersLogAccess } from './LoadBalancersLogAccess';
import { NoSecretsInEnvironment } from './NoSecretsInEnvironment';
import { SecretParametersUseNoEcho } from './SecretParametersUseNoEcho';
import { SecretsUseCmkAndRotation } from './SecretsUseCmkAndRotation';
import { TenantDataAccessIsScoped } from './TenantDataAccessIsScoped';

export * from './ApiRoutesRequireAuthorization';
export * from './AppEndpointsFilterMaliciousInput';
export * from './ApiMethodsValidateRequests';
export * from './ApiStagesThrottleClients';
export * from './NoSecretsInEnvironment';
export * from './SecretParametersUseNoEcho';
export * from './SecretsUseCmkAndRotation';
export * from './ApiStagesLogAccess';
export * from './LoadBalancersLogAccess';
export * from './CloudFrontLogsAccess';
export * from './TenantDataAccessIsScoped';

/** Rules of clause 8.2.7 (application security), in control order. */
export const APPLICATION_RULES: readonly SrmIipRule[] = [
  // SRM-IIP-APP-01
  ApiRoutesRequireAuthorization,
  // SRM-IIP-APP-02
  AppEndpointsFilterMaliciousInput,
  // SRM-IIP-APP-03
  ApiMethodsValidateRequests,
  ApiStagesThrottleClients,
  // SRM-IIP-APP-04
  NoSecretsInEnvironment,
  SecretParametersUseNoEcho,
  SecretsUseCmkAndRotation,
  // SRM-IIP-APP-05
  ApiStagesLogAccess,
  LoadBalancersLogAccess,
  CloudFrontLogsAccess,
  // SRM-IIP-APP-06
  TenantDataAccessIsScoped,
];
