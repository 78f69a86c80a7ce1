import { Stack, Token } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as events from 'aws-cdk-lib/aws-events';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { SrmIipError } from '../rules/errors';
import { allAuditChecksEnabled } from './defaults/iot-defaults';
import { createSecureKey } from './defaults/kms-defaults';
import {
  configComplianceChangePattern,
  defaultGuardDutyFeatures,
  defaultSecurityHubStandards,
  EMAIL_ADDRESS,
  FindingSeverity,
  GuardDutyFeature,
  guardDutyFindingPattern,
  IOT_AUDIT_CHECKS,
  SecurityHubStandard,
  securityHubFindingPattern,
} from './defaults/monitoring-defaults';
import { IipSecureBucket } from './IipSecureBucket';
import { rejectSecondSingleton } from './private/account-singletons';
import { warnWeakened } from './private/annotations';
import { awsManagedPolicyRole, DEVICE_DEFENDER_AUDIT_POLICY, servicePrincipalFor } from './private/roles';
import { applyIipTags, IipTaggingProps, IipTagValues } from './tagging';

export { FindingSeverity, GuardDutyFeature, SecurityHubStandard } from './defaults/monitoring-defaults';

export interface IipSecurityMonitoringProps extends IipTaggingProps {
  /**
   * Customer-managed key of the alert topic and of the AWS Config bucket. A key of the same app
   * gets the key-policy statements EventBridge and AWS Config need; an imported key must
   * already allow events.amazonaws.com and config.amazonaws.com to use it.
   * @default - a new key with rotation on, a 30-day deletion window and RETAIN
   * @see SRM-IIP-SYS-01
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Create the GuardDuty detector of this account and region. Turn it off only where GuardDuty is
   * already enabled (an organization's delegated administrator, another stack); that is reported.
   * @default true
   * @see SRM-IIP-OPS-03
   */
  readonly enableGuardDuty?: boolean;
  /**
   * GuardDuty protection plans to switch on.
   * @default - S3, EKS audit logs, EBS malware protection, RDS login events and Lambda network logs (every plan that needs no agent)
   * @see SRM-IIP-OPS-03
   */
  readonly guardDutyFeatures?: GuardDutyFeature[];
  /**
   * Create the Security Hub hub of this account and region. Turn it off only where Security Hub
   * is already enabled; that is reported.
   * @default true
   * @see SRM-IIP-OPS-03
   */
  readonly enableSecurityHub?: boolean;
  /**
   * Security Hub standards to enable (each becomes an AWS::SecurityHub::Standard).
   * @default - AWS Foundational Security Best Practices v1.0.0
   * @see SRM-IIP-OPS-03
   */
  readonly securityHubStandards?: SecurityHubStandard[];
  /**
   * Create the AWS Config recorder and delivery channel of this account and region. Turn it off
   * only where AWS Config already records (for example through AWS Control Tower); that is reported.
   * @default true
   * @see SRM-IIP-OPS-03
   */
  readonly enableConfig?: boolean;
  /**
   * Record global resource types (IAM users, roles, policies). Record them in one region only,
   * so set this to false in the platform's other regions.
   * @default true
   * @see SRM-IIP-OPS-03
   */
  readonly includeGlobalResourceTypes?: boolean;
  /**
   * Bucket that receives AWS Config snapshots and history. The construct adds the bucket-policy
   * statements AWS Config needs; an imported bucket's policy must grant them itself.
   * @default - a new IipSecureBucket (customer-managed key, TLS only, versioned, access logs)
   * @see SRM-IIP-SYS-01
   */
  readonly configBucket?: s3.IBucket;
  /**
   * Create the IoT Device Defender audit of this account and region (an
   * AWS::IoT::AccountAuditConfiguration with every check, and a daily scheduled audit that
   * notifies the alert topic). The audit configuration is an account singleton: turn this on
   * only where no other construct (such as IipDeviceFleet) creates it.
   * @default false
   * @see SRM-IIP-OPS-03
   */
  readonly enableIotAudit?: boolean;
  /**
   * The lowest finding severity that raises an alert. CRITICAL leaves HIGH findings without an
   * alert and is reported.
   * @default FindingSeverity.HIGH
   * @see SRM-IIP-OPS-04
   */
  readonly alertSeverity?: FindingSeverity;
  /**
   * E-mail addresses subscribed to the alert topic (each must confirm the subscription).
   * @default - no subscriptions; subscribe with `alertTopic.addSubscription()`
   * @see SRM-IIP-OPS-04
   */
  readonly alertEmails?: string[];
}

/**
 * Continuous security monitoring of one account and region: a GuardDuty
 * detector, Security Hub with its standards, an AWS Config recorder and
 * delivery channel into an encrypted, TLS-only, versioned bucket, optionally
 * the IoT Device Defender audit, and EventBridge rules that send GuardDuty,
 * Security Hub and AWS Config findings to a KMS-encrypted, TLS-only SNS topic.
 *
 * GuardDuty detectors, Security Hub hubs, AWS Config recorders and IoT audit
 * configurations exist once per account and region: create one
 * IipSecurityMonitoring per account and region.
 */
export class IipSecurityMonitoring extends Construct {
  /** The key of the alert topic and of the AWS Config bucket. */
  public readonly encryptionKey: kms.IKey;
  /** The SNS topic security findings are sent to. */
  public readonly alertTopic: sns.Topic;
  /** The EventBridge rules that route findings to the topic (GuardDuty, Security Hub, AWS Config). */
  public readonly alertRules: events.Rule[] = [];
  /** The GuardDuty detector, unless `enableGuardDuty` is false. */
  public readonly detector?: guardduty.CfnDetector;
  /** The Security Hub hub, unless `enableSecurityHub` is false. */
  public readonly hub?: securityhub.CfnHub;
  /** The enabled Security Hub standards. */
  public readonly standards: securityhub.CfnStandard[] = [];
  /** The AWS Config recorder, unless `enableConfig` is false. */
  public readonly configRecorder?: config.CfnConfigurationRecorder;
  /** The AWS Config delivery channel, unless `enableConfig` is false. */
  public readonly deliveryChannel?: config.CfnDeliveryChannel;
  /** The role AWS Config records with, unless `enableConfig` is false. */
  public readonly configRole?: iam.Role;
  /** The bucket AWS Config delivers to, unless `enableConfig` is false. */
  public readonly configBucket?: s3.IBucket;
  /** The IoT Device Defender audit configuration, when `enableIotAudit` is true. */
  public readonly iotAuditConfiguration?: iot.CfnAccountAuditConfiguration;
  /** The daily IoT Device Defender audit, when `enableIotAudit` is true. */
  public readonly iotScheduledAudit?: iot.CfnScheduledAudit;
  /** The role IoT Device Defender audits and notifies with, when `enableIotAudit` is true. */
  public readonly iotAuditRole?: iam.Role;

  constructor(scope: Construct, id: string, props: IipSecurityMonitoringProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);

    // ------------------------------------------------------------ validation
    const enableGuardDuty = props.enableGuardDuty ?? true;
    const enableSecurityHub = props.enableSecurityHub ?? true;
    const enableConfig = props.enableConfig ?? true;
    const enableIotAudit = props.enableIotAudit ?? false;
    const features = props.guardDutyFeatures ?? defaultGuardDutyFeatures();
    const standards = props.securityHubStandards ?? defaultSecurityHubStandards();
    const severity = props.alertSeverity ?? FindingSeverity.HIGH;
    const emails = props.alertEmails ?? [];
    this.validateChoices('guardDutyFeatures', features, Object.values(GuardDutyFeature));
    this.validateChoices('securityHubStandards', standards, Object.values(SecurityHubStandard));
    if (!(Object.values(FindingSeverity) as string[]).includes(severity)) {
      throw new SrmIipError(`alertSeverity must be one of ${Object.values(FindingSeverity).join(', ')}, got '${severity}'`, this.node.path);
    }
    if (!enableGuardDuty && props.guardDutyFeatures !== undefined) {
      throw new SrmIipError('guardDutyFeatures needs enableGuardDuty: true; without a detector there is nothing to switch the features on, got enableGuardDuty: false', this.node.path);
    }
    if (!enableSecurityHub && props.securityHubStandards !== undefined) {
      throw new SrmIipError('securityHubStandards needs enableSecurityHub: true; standards belong to a hub, got enableSecurityHub: false', this.node.path);
    }
    if (!enableConfig && (props.configBucket !== undefined || props.includeGlobalResourceTypes !== undefined)) {
      throw new SrmIipError('configBucket and includeGlobalResourceTypes need enableConfig: true; they configure the AWS Config recorder, got enableConfig: false', this.node.path);
    }
    const seenEmails = new Set<string>();
    emails.forEach((e, i) => {
      if (Token.isUnresolved(e)) return;
      if (!EMAIL_ADDRESS.test(e)) throw new SrmIipError(`alertEmails[${i}] must be an e-mail address such as secops@example.com, got '${e}'`, this.node.path);
      const k = e.toLowerCase();
      if (seenEmails.has(k)) throw new SrmIipError(`alertEmails lists '${e}' twice`, this.node.path);
      seenEmails.add(k);
    });

    // ------------------------------------------------------------ weakenings
    const elsewhere = 'it must then be enabled in this account and region by other means (an organization delegated administrator, AWS Control Tower, another stack)';
    if (!enableGuardDuty) warnWeakened(this, 'SRM-IIP-OPS-03', `no GuardDuty detector is created (enableGuardDuty: false); ${elsewhere}`);
    if (!enableSecurityHub) warnWeakened(this, 'SRM-IIP-OPS-03', `no Security Hub hub is created (enableSecurityHub: false); ${elsewhere}`);
    if (!enableConfig) warnWeakened(this, 'SRM-IIP-OPS-03', `no AWS Config recorder is created (enableConfig: false); ${elsewhere}`);
    if (enableGuardDuty && features.length === 0) {
      warnWeakened(this, 'SRM-IIP-OPS-03', 'no GuardDuty protection plan is on (guardDutyFeatures: []); S3, EKS, EBS malware, RDS and Lambda threats then go undetected');
    }
    if (enableSecurityHub && standards.length === 0) {
      warnWeakened(this, 'SRM-IIP-OPS-03', 'no Security Hub standard is enabled (securityHubStandards: []); no configuration control is then checked');
    }
    if (severity === FindingSeverity.CRITICAL) {
      warnWeakened(this, 'SRM-IIP-OPS-04', 'only CRITICAL findings raise alerts (alertSeverity: CRITICAL); HIGH-severity findings are recorded but nobody is told');
    }

    // ------------------------------------------------------------ resources
    const tags = applyIipTags(this, props, 'cloud-infrastructure');
    this.encryptionKey = props.encryptionKey ?? createSecureKey(this, 'Key', 'SRM-IIP security monitoring key (alert topic, AWS Config bucket)');

    // Alerts: a KMS-encrypted, TLS-only topic.
    this.alertTopic = new sns.Topic(this, 'AlertTopic', {
      displayName: 'SRM-IIP security alerts',
      masterKey: this.encryptionKey,
      enforceSSL: true,
    });
    for (const e of emails) this.alertTopic.addSubscription(new subscriptions.EmailSubscription(e));

    if (enableGuardDuty) {
      this.detector = new guardduty.CfnDetector(this, 'Detector', {
        enable: true,
        findingPublishingFrequency: 'FIFTEEN_MINUTES',
        features: features.map((name) => ({ name, status: 'ENABLED' })),
      });
    }
    if (enableSecurityHub) {
      this.hub = new securityhub.CfnHub(this, 'Hub', {
        enableDefaultStandards: false,
        controlFindingGenerator: 'SECURITY_CONTROL',
        autoEnableControls: true,
      });
      for (const s of standards) {
        const standard = new securityhub.CfnStandard(this, `Standard${standardId(s)}`, {
          standardsArn: `arn:${stack.partition}:securityhub:${stack.region}::standards/${s}`,
        });
        standard.addResourceDependency(this.hub);
        this.standards.push(standard);
      }
    }
    if (enableConfig) {
      const c = this.createConfig(stack, props, tags);
      this.configRole = c.role;
      this.configBucket = c.bucket;
      this.configRecorder = c.recorder;
      this.deliveryChannel = c.channel;
    }
    if (enableIotAudit) {
      const a = this.createIotAudit(stack);
      this.iotAuditRole = a.role;
      this.iotAuditConfiguration = a.configuration;
      this.iotScheduledAudit = a.scheduled;
    }

    // Findings → topic. The topic policy lets EventBridge publish for these rules only (aws:SourceArn), so no
    // rule of another account can use the topic; the key policy lets EventBridge encrypt for the topic.
    const routes: Array<[string, string, events.EventPattern]> = [
      ['GuardDutyFindings', `SRM-IIP: GuardDuty findings of severity ${severity} and above to the security alert topic`, guardDutyFindingPattern(severity)],
      ['SecurityHubFindings', `SRM-IIP: new, active Security Hub findings of severity ${severity} and above to the security alert topic`, securityHubFindingPattern(severity)],
      ['ConfigComplianceChanges', 'SRM-IIP: AWS Config rule evaluations (other than Security Hub controls) that turn a resource NON_COMPLIANT to the security alert topic', configComplianceChangePattern()],
    ];
    const topicTarget: events.IRuleTarget = { bind: () => ({ arn: this.alertTopic.topicArn }) };
    for (const [ruleId, description, eventPattern] of routes) {
      this.alertRules.push(new events.Rule(this, ruleId, { description, eventPattern, targets: [topicTarget] }));
    }
    const eventBridge = new iam.ServicePrincipal('events.amazonaws.com');
    this.alertTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EventBridgeSecurityFindings',
        principals: [eventBridge],
        actions: ['sns:Publish'],
        resources: [this.alertTopic.topicArn],
        conditions: { ArnEquals: { 'aws:SourceArn': this.alertRules.map((r) => r.ruleArn) } },
      }),
    );
    this.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({ sid: 'EventBridgeSecurityFindings', principals: [eventBridge], actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: ['*'] }),
      true,
    );
  }

  /** AWS Config: a role, a bucket the role and the service may deliver to, the recorder and the delivery channel. */
  private createConfig(stack: Stack, props: IipSecurityMonitoringProps, tags: IipTagValues) {
    const role = awsManagedPolicyRole(
      this,
      'ConfigRole',
      { description: 'SRM-IIP AWS Config recorder: reads the configuration of every supported resource type', assumedBy: servicePrincipalFor('config.amazonaws.com', stack.account) },
      [
        {
          name: 'service-role/AWS_ConfigRole',
          reason:
            'The AWS Config recorder role uses the AWS-managed service-role/AWS_ConfigRole, the policy AWS maintains for reading the configuration of every resource type AWS Config supports; a hand-written copy would need thousands of read actions and fall behind each new resource type',
        },
      ],
    );

    let bucket: s3.IBucket;
    if (props.configBucket) {
      bucket = props.configBucket;
    } else {
      const secure = new IipSecureBucket(this, 'ConfigBucket', {
        encryptionKey: this.encryptionKey,
        zone: tags.zone,
        classificationLevel: tags.classificationLevel,
        owner: tags.owner,
        lifecycleStage: tags.lifecycleStage,
      });
      bucket = secure.bucket;
    }

    // Delivery permissions, from "Permissions for the Amazon S3 bucket for the AWS Config delivery channel":
    // the service principal (bound to this account) and the recorder's role, in the bucket and key policies,
    // so no identity policy with an object wildcard is needed.
    const objects = bucket.arnForObjects(`AWSLogs/${stack.account}/Config/*`);
    const sourceAccount = { StringEquals: { 'aws:SourceAccount': stack.account } };
    const service = new iam.ServicePrincipal('config.amazonaws.com');
    const statements = [
      new iam.PolicyStatement({ sid: 'AWSConfigBucketPermissionsCheck', principals: [service], actions: ['s3:GetBucketAcl', 's3:ListBucket'], resources: [bucket.bucketArn], conditions: sourceAccount }),
      new iam.PolicyStatement({
        sid: 'AWSConfigBucketDelivery',
        principals: [service],
        actions: ['s3:PutObject'],
        resources: [objects],
        conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceAccount': stack.account } },
      }),
      new iam.PolicyStatement({ sid: 'AWSConfigRoleBucketCheck', principals: [role], actions: ['s3:GetBucketAcl', 's3:ListBucket'], resources: [bucket.bucketArn] }),
      new iam.PolicyStatement({ sid: 'AWSConfigRoleDelivery', principals: [role], actions: ['s3:PutObject'], resources: [objects] }),
    ];
    for (const s of statements) bucket.addToResourcePolicy(s);
    this.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({ sid: 'AWSConfigDelivery', principals: [service], actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: ['*'], conditions: sourceAccount }),
      true,
    );
    this.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({ sid: 'AWSConfigRoleDelivery', principals: [role], actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: ['*'] }),
      true,
    );

    const recorder = new config.CfnConfigurationRecorder(this, 'Recorder', {
      roleArn: role.roleArn,
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: props.includeGlobalResourceTypes ?? true },
      recordingMode: { recordingFrequency: 'CONTINUOUS' },
    });
    const channel = new config.CfnDeliveryChannel(this, 'DeliveryChannel', {
      s3BucketName: bucket.bucketName,
      s3KmsKeyArn: this.encryptionKey.keyArn,
      configSnapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' },
    });
    // AWS Config needs the recorder before a channel, and checks the bucket policy when the channel is created.
    channel.addResourceDependency(recorder);
    // (An imported bucket has no policy in the app; its owner grants delivery.)
    if (bucket.policy) channel.node.addDependency(bucket.policy);
    return { role, bucket, recorder, channel };
  }

  /** IoT Device Defender: every audit check, a daily audit, notifications to the alert topic. */
  private createIotAudit(stack: Stack) {
    const role = awsManagedPolicyRole(
      this,
      'IotAuditRole',
      { description: 'SRM-IIP IoT Device Defender audit: reads IoT configuration and publishes audit results to the alert topic', assumedBy: servicePrincipalFor('iot.amazonaws.com', stack.account) },
      [
        {
          name: DEVICE_DEFENDER_AUDIT_POLICY,
          reason:
            'The IoT Device Defender audit role uses the AWS-managed service-role/AWSIoTDeviceDefenderAudit, the read-only policy AWS maintains for the audit checks (certificates, policies, role aliases, logging); it follows new checks as AWS adds them',
        },
      ],
    );
    new iam.ManagedPolicy(this, 'IotAuditNotifyPolicy', {
      description: 'SRM-IIP IoT Device Defender audit: publish audit results to the encrypted alert topic',
      roles: [role],
      statements: [
        new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [this.alertTopic.topicArn] }),
        new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [this.encryptionKey.keyArn] }),
      ],
    });
    const configuration = new iot.CfnAccountAuditConfiguration(this, 'IotAuditConfiguration', {
      accountId: stack.account,
      roleArn: role.roleArn,
      auditCheckConfigurations: allAuditChecksEnabled(),
      auditNotificationTargetConfigurations: { sns: { enabled: true, targetArn: this.alertTopic.topicArn, roleArn: role.roleArn } },
    });
    const scheduled = new iot.CfnScheduledAudit(this, 'IotScheduledAudit', {
      frequency: 'DAILY',
      targetCheckNames: IOT_AUDIT_CHECKS.map((c) => c.checkName),
    });
    scheduled.addResourceDependency(configuration);
    // The audit configuration is an account singleton: a second one in the same account and region (such as
    // IipDeviceFleet's) would overwrite this one at deployment, so name the clash at synthesis.
    rejectSecondSingleton(this, configuration, iot.CfnAccountAuditConfiguration, {
      what: 'IoT Device Defender audit',
      here: ' (enableIotAudit: true)',
      subject: 'AWS::IoT::AccountAuditConfiguration',
      fix: 'set enableIotAudit: false here, or turn the audit off on the other construct, e.g. IipDeviceFleet enableDeviceDefenderAudit: false',
    });
    return { role, configuration, scheduled };
  }

  private validateChoices(name: string, values: readonly string[], allowed: readonly string[]): void {
    values.forEach((v, i) => {
      if (!allowed.includes(v)) throw new SrmIipError(`${name}[${i}] must be one of ${allowed.join(', ')}, got '${v}'`, this.node.path);
      if (values.indexOf(v) !== i) throw new SrmIipError(`${name} lists '${v}' twice`, this.node.path);
    });
  }
}

/** `aws-foundational-security-best-practices/v/1.0.0` → `AwsFoundationalSecurityBestPractices100`. */
function standardId(s: string): string {
  return s
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p !== '' && p !== 'v')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}
