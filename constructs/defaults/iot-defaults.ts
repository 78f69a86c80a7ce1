import * as iot from 'aws-cdk-lib/aws-iot';
import * as greengrass from 'aws-cdk-lib/aws-greengrassv2';
import { IOT_DEFAULT_SECURITY_POLICY } from '../../rules/communication/IotDomainConfigurationsUseModernTls';

/**
 * Secure defaults of the edge constructs (IipDeviceFleet, IipEdgeGateway):
 * AWS IoT Core policies scoped to the connected thing, Device Defender audit
 * and detect settings, the fleet-provisioning template, Greengrass deployment
 * policies. Pure functions of their inputs; ARNs are passed in, so the
 * functions hold no construct logic.
 */

/** The thing-policy variable that binds a resource to the connected device (SRM-IIP-ACC-04). */
export const THING_NAME = '${iot:Connection.Thing.ThingName}';

/** TLS security policy of the device endpoint when none is given: TLS 1.3 and 1.2 only (SRM-IIP-COM-03). */
export const DEFAULT_IOT_TLS_SECURITY_POLICY = IOT_DEFAULT_SECURITY_POLICY;

/** MQTT topic prefix of device telemetry when none is given: devices publish under `<prefix>/<thing name>/`. */
export const DEFAULT_TOPIC_PREFIX = 'factory';

/** Valid AWS IoT thing names (the registry's own pattern). */
export const THING_NAME_PATTERN = /^[a-zA-Z0-9:_-]{1,128}$/;

/** A topic prefix: one or more levels of letters, digits, `_` and `-`; no wildcards, no reserved `$` topics. */
export const TOPIC_PREFIX_PATTERN = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;

/** A PEM-encoded PKCS#10 certificate signing request. */
export const CSR_PATTERN = /^\s*-----BEGIN (NEW )?CERTIFICATE REQUEST-----\s+[A-Za-z0-9+/=\s]+-----END (NEW )?CERTIFICATE REQUEST-----\s*$/;

/** Credential lifetime of the Greengrass token-exchange role alias when none is given (seconds). */
export const DEFAULT_CREDENTIAL_DURATION_SECONDS = 3600;
/** Credential lifetime at classification level 3 and above (seconds): the shortest AWS IoT allows. */
export const HIGH_LEVEL_CREDENTIAL_DURATION_SECONDS = 900;

/** Retention of the AWS IoT log group when none is given (days), the kit's floor for OPS-02. */
export const DEFAULT_IOT_LOG_RETENTION_DAYS = 365;

/**
 * The Device Defender audit checks, as `AuditCheckConfigurations` keys and
 * the check names `AWS::IoT::ScheduledAudit` takes.
 */
export const DEVICE_DEFENDER_AUDIT_CHECKS: ReadonlyArray<readonly [keyof iot.CfnAccountAuditConfiguration.AuditCheckConfigurationsProperty, string]> = [
  ['authenticatedCognitoRoleOverlyPermissiveCheck', 'AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK'],
  ['caCertificateExpiringCheck', 'CA_CERTIFICATE_EXPIRING_CHECK'],
  ['caCertificateKeyQualityCheck', 'CA_CERTIFICATE_KEY_QUALITY_CHECK'],
  ['conflictingClientIdsCheck', 'CONFLICTING_CLIENT_IDS_CHECK'],
  ['deviceCertificateAgeCheck', 'DEVICE_CERTIFICATE_AGE_CHECK'],
  ['deviceCertificateExpiringCheck', 'DEVICE_CERTIFICATE_EXPIRING_CHECK'],
  ['deviceCertificateKeyQualityCheck', 'DEVICE_CERTIFICATE_KEY_QUALITY_CHECK'],
  ['deviceCertificateSharedCheck', 'DEVICE_CERTIFICATE_SHARED_CHECK'],
  ['intermediateCaRevokedForActiveDeviceCertificatesCheck', 'INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK'],
  ['iotPolicyOverlyPermissiveCheck', 'IOT_POLICY_OVERLY_PERMISSIVE_CHECK'],
  ['ioTPolicyPotentialMisConfigurationCheck', 'IOT_POLICY_POTENTIAL_MIS_CONFIGURATION_CHECK'],
  ['iotRoleAliasAllowsAccessToUnusedServicesCheck', 'IOT_ROLE_ALIAS_ALLOWS_ACCESS_TO_UNUSED_SERVICES_CHECK'],
  ['iotRoleAliasOverlyPermissiveCheck', 'IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK'],
  ['loggingDisabledCheck', 'LOGGING_DISABLED_CHECK'],
  ['revokedCaCertificateStillActiveCheck', 'REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK'],
  ['revokedDeviceCertificateStillActiveCheck', 'REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK'],
  ['unauthenticatedCognitoRoleOverlyPermissiveCheck', 'UNAUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK'],
];

/** Every Device Defender audit check switched on (SRM-IIP-OPS-03). */
export function allAuditChecksEnabled(): iot.CfnAccountAuditConfiguration.AuditCheckConfigurationsProperty {
  const out: Record<string, { enabled: boolean }> = {};
  for (const [key] of DEVICE_DEFENDER_AUDIT_CHECKS) out[key] = { enabled: true };
  return out as iot.CfnAccountAuditConfiguration.AuditCheckConfigurationsProperty;
}

/**
 * Device Defender detect behaviors of a factory device: repeated authorization
 * failures (a device probing topics it may not use), oversized messages,
 * connection storms and disconnect loops (a cloned certificate fighting its
 * twin for the client ID).
 */
export function deviceSecurityProfileBehaviors(): iot.CfnSecurityProfile.BehaviorProperty[] {
  const perFiveMinutes = (name: string, metric: string, count: number): iot.CfnSecurityProfile.BehaviorProperty => ({
    name,
    metric,
    criteria: { comparisonOperator: 'greater-than', value: { count: String(count) }, durationSeconds: 300, consecutiveDatapointsToAlarm: 1, consecutiveDatapointsToClear: 1 },
  });
  return [
    perFiveMinutes('AuthorizationFailures', 'aws:num-authorization-failures', 5),
    perFiveMinutes('ConnectionAttempts', 'aws:num-connection-attempts', 10),
    perFiveMinutes('Disconnects', 'aws:num-disconnects', 5),
    { name: 'MessageSize', metric: 'aws:message-byte-size', criteria: { comparisonOperator: 'greater-than', value: { count: '5120' }, consecutiveDatapointsToAlarm: 1, consecutiveDatapointsToClear: 1 } },
  ];
}

/** The ARN of an AWS IoT resource, given the `arn:<partition>:iot:<region>:<account>:` prefix. */
function iotArn(arnPrefix: string, resource: string): string {
  return `${arnPrefix}${resource}`;
}

/**
 * Connect only with a client ID matching `clientId` (built from the thing-name policy variable)
 * and only with a certificate attached to that thing.
 */
function connectAsOwnThing(arnPrefix: string, clientId: string): Record<string, unknown> {
  return {
    Sid: 'ConnectAsOwnThing',
    Effect: 'Allow',
    Action: 'iot:Connect',
    Resource: iotArn(arnPrefix, `client/${clientId}`),
    Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
  };
}

/**
 * The device policy (SRM-IIP-ACC-04): a device connects only with its own
 * thing name as client ID and only when its certificate is attached to that
 * thing, and publishes, receives and subscribes only under
 * `<topicPrefix>/<its thing name>/`.
 * @param arnPrefix `arn:<partition>:iot:<region>:<account>:`
 */
export function devicePolicyDocument(arnPrefix: string, topicPrefix: string): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      connectAsOwnThing(arnPrefix, THING_NAME),
      { Sid: 'OwnTopics', Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: iotArn(arnPrefix, `topic/${topicPrefix}/${THING_NAME}/*`) },
      { Sid: 'OwnTopicFilters', Effect: 'Allow', Action: 'iot:Subscribe', Resource: iotArn(arnPrefix, `topicfilter/${topicPrefix}/${THING_NAME}/*`) },
    ],
  };
}

/** Greengrass data-plane actions AWS documents on `Resource: *` in the minimal core-device policy. */
export const GREENGRASS_CORE_DATA_PLANE_ACTIONS = [
  'greengrass:GetComponentVersionArtifact',
  'greengrass:ResolveComponentCandidates',
  'greengrass:GetDeploymentConfiguration',
  'greengrass:ListThingGroupsForCoreDevice',
];

/**
 * AWS's minimal AWS IoT policy of a Greengrass V2 core device, with the thing
 * name replaced by the thing-policy variable so one policy serves every core
 * device (SRM-IIP-ACC-04). `client/<thing>*` admits the nucleus's extra MQTT
 * connections (`<thing>#2`, …); the thing name resolves from the certificate
 * because core certificates are attached exclusively to their thing.
 * @param arnPrefix `arn:<partition>:iot:<region>:<account>:`
 */
export function greengrassCorePolicyDocument(arnPrefix: string, roleAliasArn: string): Record<string, unknown> {
  const things = `$aws/things/${THING_NAME}`;
  return {
    Version: '2012-10-17',
    Statement: [
      connectAsOwnThing(arnPrefix, `${THING_NAME}*`),
      {
        Sid: 'OwnHealthJobsShadow',
        Effect: 'Allow',
        Action: ['iot:Publish', 'iot:Receive'],
        Resource: [
          iotArn(arnPrefix, `topic/${things}/greengrass/health/json`),
          iotArn(arnPrefix, `topic/${things}/greengrassv2/health/json`),
          iotArn(arnPrefix, `topic/${things}/jobs/*`),
          iotArn(arnPrefix, `topic/${things}/shadow/*`),
        ],
      },
      {
        Sid: 'OwnJobsShadowFilters',
        Effect: 'Allow',
        Action: 'iot:Subscribe',
        Resource: [iotArn(arnPrefix, `topicfilter/${things}/jobs/*`), iotArn(arnPrefix, `topicfilter/${things}/shadow/*`)],
      },
      { Sid: 'TokenExchange', Effect: 'Allow', Action: 'iot:AssumeRoleWithCertificate', Resource: roleAliasArn },
      { Sid: 'GreengrassDataPlane', Effect: 'Allow', Action: [...GREENGRASS_CORE_DATA_PLANE_ACTIONS], Resource: '*' },
    ],
  };
}

/** Names the fleet-provisioning template refers to. */
export interface ProvisioningTemplateNames {
  /** Prefix of the things the template creates; the device's serial number follows it. */
  readonly thingNamePrefix: string;
  readonly thingTypeName: string;
  readonly thingGroupName: string;
  readonly policyName: string;
}

/**
 * The fleet-provisioning template body: a device presenting its serial number
 * becomes thing `<prefix><serial>` of the fleet's type and group, its new
 * certificate is activated and gets the device policy. The pre-provisioning
 * hook decides whether the serial number may register at all.
 */
export function provisioningTemplateBody(names: ProvisioningTemplateNames): Record<string, unknown> {
  return {
    Parameters: {
      SerialNumber: { Type: 'String' },
      'AWS::IoT::Certificate::Id': { Type: 'String' },
    },
    Resources: {
      thing: {
        Type: 'AWS::IoT::Thing',
        OverrideSettings: { AttributePayload: 'MERGE', ThingTypeName: 'REPLACE', ThingGroups: 'DO_NOTHING' },
        Properties: {
          ThingName: { 'Fn::Join': ['', [names.thingNamePrefix, { Ref: 'SerialNumber' }]] },
          AttributePayload: { serialNumber: { Ref: 'SerialNumber' } },
          ThingTypeName: names.thingTypeName,
          ThingGroups: [names.thingGroupName],
        },
      },
      certificate: {
        Type: 'AWS::IoT::Certificate',
        Properties: { CertificateId: { Ref: 'AWS::IoT::Certificate::Id' }, Status: 'Active' },
      },
      policy: { Type: 'AWS::IoT::Policy', Properties: { PolicyName: names.policyName } },
    },
  };
}

/**
 * Deployment policies of a Greengrass deployment: roll back a core device
 * whose deployment fails, let components defer an update until they are safe
 * to stop, and validate configuration before applying it.
 */
export function secureDeploymentPolicies(): greengrass.CfnDeployment.DeploymentPoliciesProperty {
  return {
    failureHandlingPolicy: 'ROLLBACK',
    componentUpdatePolicy: { action: 'NOTIFY_COMPONENTS', timeoutInSeconds: 60 },
    configurationValidationPolicy: { timeoutInSeconds: 60 },
  };
}

/** Job settings of a Greengrass deployment: stop the rollout when a tenth of the devices fail, time out stuck devices. */
export function secureDeploymentJobConfiguration(): greengrass.CfnDeployment.DeploymentIoTJobConfigurationProperty {
  return {
    abortConfig: { criteriaList: [{ failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 10, minNumberOfExecutedThings: 1 }] },
    timeoutConfig: { inProgressTimeoutInMinutes: 60 },
  };
}
