import { Names, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { LifecycleStage } from '../rules/catalog/types';
import { isModernIotSecurityPolicy } from '../rules/communication/IotDomainConfigurationsUseModernTls';
import { SrmIipError } from '../rules/errors';
import { createSecureKey } from './defaults/kms-defaults';
import {
  allAuditChecksEnabled,
  DEFAULT_IOT_LOG_RETENTION_DAYS,
  DEFAULT_IOT_TLS_SECURITY_POLICY,
  DEFAULT_TOPIC_PREFIX,
  DEVICE_DEFENDER_AUDIT_CHECKS,
  devicePolicyDocument,
  deviceSecurityProfileBehaviors,
  provisioningTemplateBody,
  TOPIC_PREFIX_PATTERN,
} from './defaults/iot-defaults';
import { checkLogRetention } from './defaults/logs-defaults';
import { rejectSecondSingleton } from './private/account-singletons';
import { acknowledgeWildcard, warnWeakened } from './private/annotations';
import { registerDevices, validateDevices } from './private/devices';
import { allowLogsForOwnLogGroups, logGroupArn } from './private/logs';
import { awsManagedPolicyRole, DEVICE_DEFENDER_AUDIT_POLICY, servicePrincipalFor } from './private/roles';
import { applyIipTags, IipTaggingProps } from './tagging';

/** A device registered at deployment time, with its own certificate (SRM-IIP-ACC-03). */
export interface DeviceSpec {
  /**
   * Thing name of the device: letters, digits, `:`, `_` and `-`, 1..128 characters, unique.
   * The device connects with this name as its MQTT client ID.
   */
  readonly name: string;
  /**
   * PEM certificate signing request (PKCS#10) the device generated. Its private key never
   * leaves the device; AWS IoT signs the request and the certificate is attached to this
   * device's thing only.
   * @see SRM-IIP-ACC-03
   */
  readonly csr: string;
}

/** How much AWS IoT Core writes to CloudWatch Logs. */
export enum IotLogLevel {
  /** Everything, including every message; for troubleshooting only. */
  DEBUG = 'DEBUG',
  /** Connections, subscriptions and message flow as well as errors. */
  INFO = 'INFO',
  /** Warnings and errors, including every failed connection and authorization. */
  WARN = 'WARN',
  /** Errors only. */
  ERROR = 'ERROR',
}

/** How often Device Defender runs the scheduled audit. */
export enum AuditFrequency {
  /** Every day. */
  DAILY = 'DAILY',
  /** Every Sunday. */
  WEEKLY = 'WEEKLY',
}

export interface IipDeviceFleetProps extends IipTaggingProps {
  /**
   * Devices to register now: one thing, one certificate from the device's own CSR, and one
   * exclusive attachment each; no certificate is shared. Devices onboarded later use the
   * fleet-provisioning template.
   * @default - no devices; devices join through fleet provisioning
   * @see SRM-IIP-ACC-03
   */
  readonly devices?: DeviceSpec[];
  /**
   * MQTT topic prefix of the fleet. Each device may publish, receive and subscribe only under
   * `<topicPrefix>/<its own thing name>/`. Levels of letters, digits, `_` and `-` separated by `/`;
   * no wildcards and no `$` (reserved) topics.
   * @default 'factory'
   * @see SRM-IIP-ACC-04
   */
  readonly topicPrefix?: string;
  /**
   * TLS security policy of the fleet's device endpoint (an AWS IoT Core domain configuration).
   * A policy that admits TLS older than 1.2 is a deliberate weakening and is reported.
   * @default 'IoTSecurityPolicy_TLS13_1_2_2022_10'
   * @see SRM-IIP-COM-03
   */
  readonly tlsSecurityPolicy?: string;
  /**
   * Configure AWS IoT Core logging for the account and region (`AWS::IoT::Logging` and the
   * `AWSIotLogsV2` log group). Both are singletons of the account and region: only one stack
   * may own them. Turning it off (because another stack owns them) is reported.
   * @default true
   * @see SRM-IIP-OPS-03
   */
  readonly enableAccountLogging?: boolean;
  /**
   * Default log level of AWS IoT Core logging.
   * @default IotLogLevel.WARN
   * @see SRM-IIP-OPS-03
   */
  readonly logLevel?: IotLogLevel;
  /**
   * Days to keep AWS IoT Core logs; one of the periods CloudWatch Logs offers. Below 365 is
   * reported.
   * @default 365
   * @see SRM-IIP-OPS-02
   */
  readonly logRetentionDays?: number;
  /**
   * Customer-managed key of the AWS IoT log group. A key of the same app gets a key-policy
   * statement for CloudWatch Logs; an imported key must already allow it.
   * @default - a new key with rotation on, a 30-day deletion window and RETAIN
   * @see SRM-IIP-SYS-01
   */
  readonly logKey?: kms.IKey;
  /**
   * Configure Device Defender audit for the account and region (`AWS::IoT::AccountAuditConfiguration`,
   * a singleton of the account and region, with every check on) and a scheduled audit. Turning
   * it off (because another stack, e.g. IipSecurityMonitoring, owns it) is reported.
   * @default true
   * @see SRM-IIP-OPS-03
   */
  readonly enableDeviceDefenderAudit?: boolean;
  /**
   * How often the scheduled audit runs.
   * @default AuditFrequency.DAILY
   * @see SRM-IIP-OPS-03
   */
  readonly auditFrequency?: AuditFrequency;
  /**
   * Lambda function that decides, for each device that asks to be provisioned, whether its
   * serial number may register (the fleet-provisioning pre-provisioning hook). The kit does
   * not create one: an inline function cannot be signed, and SRM-IIP-SYS-05 requires signed
   * code; deploy your hook with a code-signing config that enforces.
   * @default - the provisioning template is created disabled, so no device can provision until a hook is given
   * @see SRM-IIP-ACC-03
   */
  readonly preProvisioningHook?: lambda.IFunction;
  /**
   * Prefix of the thing names fleet provisioning creates (`<prefix><serial number>`); the
   * provisioning role may create and change only things with this prefix.
   * @default - the construct's unique name followed by '-'
   * @see SRM-IIP-ACC-01
   */
  readonly thingNamePrefix?: string;
}

/**
 * AWS IoT Core for factory devices (edge domain): a thing type and thing group,
 * one certificate per declared device from its own CSR, a device policy bound
 * to `${iot:Connection.Thing.ThingName}`, a device endpoint with a TLS 1.2+
 * policy and X.509 authentication, AWS IoT logging to an encrypted log group,
 * Device Defender audit and a detect security profile, and a fleet-provisioning
 * template guarded by a pre-provisioning hook.
 */
export class IipDeviceFleet extends Construct {
  /** The thing type of the fleet's devices (applied to provisioned devices). */
  public readonly thingType: iot.CfnThingType;
  /** The static thing group of the fleet; provisioned devices join it, the security profile watches it. */
  public readonly thingGroup: iot.CfnThingGroup;
  /** The device policy attached to every device certificate. */
  public readonly devicePolicy: iot.CfnPolicy;
  /** The device endpoint: an AWS-managed domain with X.509 authentication and a TLS 1.2+ policy. */
  public readonly domainConfiguration: iot.CfnDomainConfiguration;
  /** Things of the declared devices, in the order of `devices`. */
  public readonly things: iot.CfnThing[] = [];
  /** Certificates of the declared devices, in the order of `devices`. */
  public readonly certificates: iot.CfnCertificate[] = [];
  /** The Device Defender detect profile on the thing group. */
  public readonly securityProfile: iot.CfnSecurityProfile;
  /** The fleet-provisioning template. */
  public readonly provisioningTemplate: iot.CfnProvisioningTemplate;
  /** The role AWS IoT assumes to create things and activate certificates during provisioning. */
  public readonly provisioningRole: iam.Role;
  /** Prefix of the thing names fleet provisioning creates. */
  public readonly thingNamePrefix: string;
  /** The account's AWS IoT logging configuration, when `enableAccountLogging`. */
  public readonly logging?: iot.CfnLogging;
  /** The `AWSIotLogsV2` log group, when `enableAccountLogging`. */
  public readonly logGroup?: logs.LogGroup;
  /** The key of the log group, when `enableAccountLogging`. */
  public readonly logKey?: kms.IKey;
  /** The account's Device Defender audit configuration, when `enableDeviceDefenderAudit`. */
  public readonly auditConfiguration?: iot.CfnAccountAuditConfiguration;
  /** The scheduled Device Defender audit, when `enableDeviceDefenderAudit`. */
  public readonly scheduledAudit?: iot.CfnScheduledAudit;

  constructor(scope: Construct, id: string, props: IipDeviceFleetProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);

    // ------------------------------------------------------------ validation
    const devices = props.devices ?? [];
    validateDevices(this, 'devices', devices);
    const topicPrefix = props.topicPrefix ?? DEFAULT_TOPIC_PREFIX;
    validateTopicPrefix(this, topicPrefix);
    const tlsPolicy = props.tlsSecurityPolicy ?? DEFAULT_IOT_TLS_SECURITY_POLICY;
    validateTlsPolicy(this, tlsPolicy);
    const retentionDays = props.logRetentionDays ?? DEFAULT_IOT_LOG_RETENTION_DAYS;
    validateLogRetention(this, retentionDays);
    if (props.thingNamePrefix !== undefined && !Token.isUnresolved(props.thingNamePrefix) && !/^[a-zA-Z0-9:_-]{1,64}$/.test(props.thingNamePrefix)) {
      throw new SrmIipError(`thingNamePrefix must be 1..64 letters, digits, ':', '_' or '-', got '${props.thingNamePrefix}'`, this.node.path);
    }
    const enableLogging = props.enableAccountLogging ?? true;
    const enableAudit = props.enableDeviceDefenderAudit ?? true;
    if (!enableLogging && (props.logLevel !== undefined || props.logRetentionDays !== undefined || props.logKey !== undefined)) {
      throw new SrmIipError('logLevel, logRetentionDays and logKey need enableAccountLogging: true, got enableAccountLogging: false', this.node.path);
    }
    if (!enableAudit && props.auditFrequency !== undefined) {
      throw new SrmIipError(`auditFrequency needs enableDeviceDefenderAudit: true, got auditFrequency ${props.auditFrequency} with enableDeviceDefenderAudit: false`, this.node.path);
    }

    // ------------------------------------------------------------ weakenings
    if (!Token.isUnresolved(tlsPolicy) && !isModernIotSecurityPolicy(tlsPolicy)) {
      warnWeakened(this, 'SRM-IIP-COM-03', `the device endpoint uses TLS security policy ${tlsPolicy} (tlsSecurityPolicy), which admits TLS older than 1.2`);
    }
    if (!enableLogging) {
      warnWeakened(this, 'SRM-IIP-OPS-03', 'AWS IoT Core logging is not configured by this fleet (enableAccountLogging: false); make sure the stack that owns the account\'s AWS::IoT::Logging enables it with an encrypted, retained log group');
    }
    if (!enableAudit) {
      warnWeakened(this, 'SRM-IIP-OPS-03', 'Device Defender audit is not configured by this fleet (enableDeviceDefenderAudit: false); make sure another stack (e.g. IipSecurityMonitoring) enables every audit check for the account');
    }

    const tags = applyIipTags(this, props, 'edge');
    const retired = tags.lifecycleStage === LifecycleStage.RETIREMENT;
    const iotPrefix = `arn:${stack.partition}:iot:${stack.region}:${stack.account}:`;
    const account = stack.account;
    // AWS IoT, only on behalf of this account and its IoT resources (confused-deputy guard).
    const iotService = () => servicePrincipalFor('iot.amazonaws.com', account, `${iotPrefix}*`);

    // ------------------------------------------------------------ registry
    this.thingType = new iot.CfnThingType(this, 'ThingType', {
      thingTypeProperties: { thingTypeDescription: `SRM-IIP factory device of ${this.node.path}`, searchableAttributes: ['serialNumber'] },
    });
    this.thingGroup = new iot.CfnThingGroup(this, 'ThingGroup', {
      thingGroupProperties: { thingGroupDescription: `SRM-IIP device fleet ${this.node.path}` },
    });
    this.devicePolicy = new iot.CfnPolicy(this, 'DevicePolicy', { policyDocument: devicePolicyDocument(iotPrefix, topicPrefix) });

    // One certificate per device, from the device's own CSR, attached exclusively to its thing.
    const registered = registerDevices(this, 'Device', devices, this.devicePolicy, retired);
    this.things.push(...registered.things);
    this.certificates.push(...registered.certificates);

    // ------------------------------------------------------------ device endpoint (COM-03)
    this.domainConfiguration = new iot.CfnDomainConfiguration(this, 'Endpoint', {
      domainConfigurationName: Names.uniqueResourceName(this, { maxLength: 128, separator: '-' }),
      domainConfigurationStatus: 'ENABLED',
      serviceType: 'DATA',
      authenticationType: 'AWS_X509',
      applicationProtocol: 'SECURE_MQTT',
      tlsConfig: { securityPolicy: tlsPolicy },
    });

    // ------------------------------------------------------------ logging (OPS-02, OPS-03)
    if (enableLogging) {
      this.logKey = props.logKey ?? createSecureKey(this, 'LogKey', 'SRM-IIP AWS IoT Core log key');
      // AWS IoT Core writes its logs to this fixed log group of the account and region.
      const logGroupName = 'AWSIotLogsV2';
      allowLogsForOwnLogGroups(this, this.logKey, 'CloudWatchLogsIot', logGroupArn(stack, logGroupName));
      this.logGroup = new logs.LogGroup(this, 'LogGroup', { logGroupName, encryptionKey: this.logKey, retention: retentionDays as logs.RetentionDays });
      const loggingRole = new iam.Role(this, 'LoggingRole', { description: 'SRM-IIP AWS IoT Core logging to CloudWatch Logs', assumedBy: iotService() });
      const loggingPolicy = new iam.ManagedPolicy(this, 'LoggingPolicy', {
        description: 'SRM-IIP AWS IoT Core logging: write to the AWSIotLogsV2 log group only',
        roles: [loggingRole],
        statements: [
          new iam.PolicyStatement({
            actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            resources: [this.logGroup.logGroupArn],
          }),
        ],
      });
      acknowledgeWildcard(
        loggingPolicy,
        this.logGroup.logGroupArn,
        'The log-group ARN ends in :* so that it covers the log streams AWS IoT Core creates in AWSIotLogsV2 at run time; the policy names no other log group',
      );
      this.logging = new iot.CfnLogging(this, 'Logging', { accountId: account, roleArn: loggingRole.roleArn, defaultLogLevel: props.logLevel ?? IotLogLevel.WARN });
      this.logging.node.addDependency(loggingPolicy, this.logGroup);
      rejectSecondSingleton(this, this.logging, iot.CfnLogging, {
        what: 'AWS IoT Core logging (AWS::IoT::Logging and the AWSIotLogsV2 log group)',
        fix: 'set enableAccountLogging: false on the other fleets',
      });
    }

    // ------------------------------------------------------------ Device Defender (OPS-03)
    if (enableAudit) {
      const auditRole = awsManagedPolicyRole(this, 'AuditRole', { description: 'SRM-IIP Device Defender audit: read-only view of the IoT configuration', assumedBy: iotService() }, [
        {
          name: DEVICE_DEFENDER_AUDIT_POLICY,
          reason:
            'AWSIoTDeviceDefenderAudit is the read-only (Describe/List/Get) policy AWS maintains for Device Defender audit; AWS extends it whenever it adds an audit check, which a hand-written copy would miss, and this role can be assumed only by AWS IoT of this account',
        },
      ]);
      this.auditConfiguration = new iot.CfnAccountAuditConfiguration(this, 'Audit', {
        accountId: account,
        roleArn: auditRole.roleArn,
        auditCheckConfigurations: allAuditChecksEnabled(),
      });
      const frequency = props.auditFrequency ?? AuditFrequency.DAILY;
      this.scheduledAudit = new iot.CfnScheduledAudit(this, 'ScheduledAudit', {
        frequency,
        dayOfWeek: frequency === AuditFrequency.WEEKLY ? 'SUN' : undefined,
        targetCheckNames: DEVICE_DEFENDER_AUDIT_CHECKS.map(([, name]) => name),
      });
      this.scheduledAudit.addResourceDependency(this.auditConfiguration);
      rejectSecondSingleton(this, this.auditConfiguration, iot.CfnAccountAuditConfiguration, {
        what: 'IoT Device Defender audit (AWS::IoT::AccountAuditConfiguration)',
        fix: 'set enableDeviceDefenderAudit: false on the other fleets, or enableIotAudit: false on IipSecurityMonitoring',
      });
    }
    this.securityProfile = new iot.CfnSecurityProfile(this, 'SecurityProfile', {
      securityProfileDescription: `SRM-IIP detect profile of device fleet ${this.node.path}`,
      behaviors: deviceSecurityProfileBehaviors(),
      targetArns: [this.thingGroup.attrArn],
    });

    // ------------------------------------------------------------ fleet provisioning
    this.thingNamePrefix = props.thingNamePrefix ?? `${Names.uniqueResourceName(this, { maxLength: 40, separator: '-' })}-`;
    const templateName = Names.uniqueResourceName(this, { maxLength: 36, separator: '-' });
    const templateArn = stack.formatArn({ service: 'iot', resource: 'provisioningtemplate', resourceName: templateName });
    this.provisioningRole = new iam.Role(this, 'ProvisioningRole', {
      description: 'SRM-IIP fleet provisioning: create the fleet\'s things and activate their certificates',
      assumedBy: iotService(),
    });
    const thingsArn = stack.formatArn({ service: 'iot', resource: 'thing', resourceName: `${this.thingNamePrefix}*` });
    const certsArn = stack.formatArn({ service: 'iot', resource: 'cert', resourceName: '*' });
    const provisioningPolicy = new iam.ManagedPolicy(this, 'ProvisioningPolicy', {
      description: 'SRM-IIP fleet provisioning: things of the fleet prefix, the fleet group and type, the device policy',
      roles: [this.provisioningRole],
      statements: [
        new iam.PolicyStatement({
          sid: 'FleetThings',
          actions: ['iot:CreateThing', 'iot:DescribeThing', 'iot:UpdateThing', 'iot:AttachThingPrincipal', 'iot:AddThingToThingGroup', 'iot:ListThingGroupsForThing', 'iot:UpdateThingGroupsForThing'],
          resources: [thingsArn],
        }),
        new iam.PolicyStatement({
          sid: 'FleetGroupAndType',
          actions: ['iot:AddThingToThingGroup', 'iot:DescribeThingGroup', 'iot:DescribeThingType'],
          resources: [this.thingGroup.attrArn, this.thingType.attrArn],
        }),
        new iam.PolicyStatement({
          sid: 'NewCertificates',
          actions: ['iot:DescribeCertificate', 'iot:UpdateCertificate', 'iot:AttachPolicy', 'iot:AttachPrincipalPolicy'],
          resources: [certsArn],
        }),
        new iam.PolicyStatement({
          sid: 'DevicePolicy',
          actions: ['iot:GetPolicy', 'iot:AttachPolicy', 'iot:AttachPrincipalPolicy'],
          resources: [this.devicePolicy.attrArn],
        }),
      ],
    });
    acknowledgeWildcard(
      provisioningPolicy,
      thingsArn,
      'Fleet provisioning creates one thing per device, named <thingNamePrefix><serial number> at run time; the role is limited to that prefix',
    );
    acknowledgeWildcard(
      provisioningPolicy,
      certsArn,
      'AWS IoT creates each provisioned device certificate at run time, so its ID is unknown at deployment; the role may only describe, activate and attach the device policy to certificates, and the pre-provisioning hook admits each device',
    );
    const hook = props.preProvisioningHook;
    let permission: lambda.CfnPermission | undefined;
    if (hook) {
      permission = new lambda.CfnPermission(this, 'HookPermission', {
        action: 'lambda:InvokeFunction',
        functionName: hook.functionArn,
        principal: 'iot.amazonaws.com',
        sourceArn: templateArn,
        sourceAccount: account,
      });
    }
    this.provisioningTemplate = new iot.CfnProvisioningTemplate(this, 'ProvisioningTemplate', {
      templateName,
      description: `SRM-IIP fleet provisioning of ${this.node.path}`,
      templateType: 'FLEET_PROVISIONING',
      enabled: hook !== undefined && !retired,
      provisioningRoleArn: this.provisioningRole.roleArn,
      preProvisioningHook: hook ? { targetArn: hook.functionArn, payloadVersion: '2020-04-01' } : undefined,
      templateBody: stack.toJsonString(
        provisioningTemplateBody({
          thingNamePrefix: this.thingNamePrefix,
          thingTypeName: this.thingType.ref,
          thingGroupName: this.thingGroup.ref,
          policyName: this.devicePolicy.ref,
        }),
      ),
    });
    this.provisioningTemplate.node.addDependency(provisioningPolicy);
    if (permission) this.provisioningTemplate.addResourceDependency(permission);
  }
}

function validateTopicPrefix(scope: IConstruct, prefix: string): void {
  if (Token.isUnresolved(prefix)) return;
  if (prefix.length > 128 || !TOPIC_PREFIX_PATTERN.test(prefix)) {
    throw new SrmIipError(
      `topicPrefix must be 1..128 characters of topic levels (letters, digits, '_', '-') separated by '/', without wildcards, '$' or a leading or trailing '/', got '${prefix}'`,
      scope.node.path,
    );
  }
}

function validateTlsPolicy(scope: IConstruct, policy: string): void {
  if (Token.isUnresolved(policy)) return;
  if (!/^IoTSecurityPolicy_[A-Za-z0-9_]+$/.test(policy)) {
    throw new SrmIipError(`tlsSecurityPolicy must name an AWS IoT Core security policy such as ${DEFAULT_IOT_TLS_SECURITY_POLICY}, got '${policy}'`, scope.node.path);
  }
}

function validateLogRetention(scope: IConstruct & Construct, days: number): void {
  // Shorter retention stays allowed here (the fleet has no opt-in prop); it is reported as a weakening.
  checkLogRetention(scope, 'logRetentionDays', days, true, DEFAULT_IOT_LOG_RETENTION_DAYS);
}
