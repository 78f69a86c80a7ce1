import { AspectPriority, Aspects, CfnResource, Environment, IAspect, Stack, Stage, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct, IConstruct } from 'constructs';
import { CLOUDWATCH_LOG_RETENTION_DAYS } from '../constructs/defaults/logs-defaults';
import { IipApiIngress } from '../constructs/IipApiIngress';
import { IipAuditTrail } from '../constructs/IipAuditTrail';
import { IipBackupPlan } from '../constructs/IipBackupPlan';
import { DeviceSpec, IipDeviceFleet } from '../constructs/IipDeviceFleet';
import { ComponentSpec, IipEdgeGateway } from '../constructs/IipEdgeGateway';
import { IipKeyRing, KeyPurpose } from '../constructs/IipKeyRing';
import { IipNetwork } from '../constructs/IipNetwork';
import { IipPartnerAccess, PartnerSpec } from '../constructs/IipPartnerAccess';
import { IipSecureBucket } from '../constructs/IipSecureBucket';
import { IipSecurityMonitoring } from '../constructs/IipSecurityMonitoring';
import { IipSiteConnection } from '../constructs/IipSiteConnection';
import { IipTelemetryPipeline } from '../constructs/IipTelemetryPipeline';
import { Conduit, ZoneSpec } from '../constructs/network/zones';
import { acknowledge } from '../constructs/private/annotations';
import { validateRegions } from '../constructs/private/validate';
import { CheckOptions } from '../rules/engine/run';
import { TAG_LEVEL } from '../rules/engine/zones';
import { SrmIipError } from '../rules/errors';
import { SECURITY_LEVELS, SecurityLevel, SecurityLevelProfile, securityLevelProfile } from './security-levels';

/** A plant's Site-to-Site VPN into the platform's network (the options of IipSiteConnection the platform passes on). */
export interface SiteConnectionSpec {
  /** Short name of the plant: letters, digits and hyphens, 1..32 characters, starting with a letter; it becomes the construct id. */
  readonly name: string;
  /**
   * Public, static IPv4 address of the plant's VPN device.
   * @default - a CloudFormation parameter asks for it at deployment
   * @see SRM-IIP-COM-05
   */
  readonly plantPublicIp?: string;
  /**
   * BGP ASN of the plant's customer gateway.
   * @default 65000
   */
  readonly bgpAsn?: number;
  /**
   * IPv4 CIDRs of the plant, routed statically through the VPN.
   * @default - dynamic routing over BGP
   */
  readonly staticRoutes?: string[];
  /**
   * Diffie-Hellman groups the tunnels allow, each 14..21.
   * @default [19, 20, 21]
   * @see SRM-IIP-COM-05
   */
  readonly dhGroups?: number[];
  /**
   * Zone of the platform network whose subnets learn the plant's routes.
   * @default 'edge'
   * @see SRM-IIP-NET-06
   */
  readonly zone?: string;
}

export interface IipPlatformProps {
  /**
   * Name of the platform (or plant): lowercase letters, digits and hyphens, 1..24 characters,
   * starting with a letter. It names the stacks (`<platformName>-security`, `-network`, `-edge`,
   * `-platform`, `-application`).
   * @default 'iip'
   */
  readonly platformName?: string;
  /**
   * Account and region of every stack of the platform. With both known, the kit's pack verifies
   * data residency (SRM-IIP-MGT-03) at synthesis.
   * @default - the environment of the enclosing Stage, else the CDK default environment (CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION); environment-agnostic stacks when neither is set
   * @see SRM-IIP-MGT-03
   */
  readonly env?: Environment;
  /**
   * Target security level (IEC 62443 SL-T); see `securityLevelProfile()` for what each level sets.
   * @default SecurityLevel.SL2
   */
  readonly securityLevel?: SecurityLevel;
  /**
   * Number of classification levels, 1..16. The key ring creates keys per level, and the top
   * level is the one that needs dedicated hardware (SRM-IIP-PHY-03) at SL3 and above.
   * @default 1
   * @see SRM-IIP-SYS-06
   */
  readonly classificationLevels?: number;
  /**
   * Regions the platform's data may live in; must include the stacks' region.
   * @default - the stacks' region, when `env` names it
   * @see SRM-IIP-MGT-03
   */
  readonly allowedRegions?: string[];
  /**
   * Days every log group of the platform keeps its events; one of the retentions CloudWatch Logs
   * accepts and at least the security level's floor (365 days; 731 at SL4).
   * @default - the security level's default (365 days; 731 at SL4)
   * @see SRM-IIP-OPS-02
   */
  readonly logRetentionDays?: number;
  /**
   * Partner accounts that get a cross-account role (external ID, region guard) with read access
   * to their own prefix `partners/<name>/` of the data lake.
   * @default - no partner access
   * @see SRM-IIP-ACC-08
   */
  readonly partners?: PartnerSpec[];
  /**
   * Plants connected over Site-to-Site VPN to the platform network. At most one: each connection
   * attaches a virtual private gateway, and a VPC takes only one.
   * @default - no site connection
   * @see SRM-IIP-COM-05
   */
  readonly siteConnections?: SiteConnectionSpec[];
  /**
   * Devices registered with the device fleet now, each with its own certificate.
   * @default - no devices; devices join through fleet provisioning
   * @see SRM-IIP-ACC-03
   */
  readonly devices?: DeviceSpec[];
  /**
   * Greengrass core devices registered with the edge gateway now.
   * @default - no core devices
   * @see SRM-IIP-ACC-03
   */
  readonly coreDevices?: DeviceSpec[];
  /**
   * Components deployed to every core device of the edge gateway.
   * @default - no deployment
   */
  readonly edgeComponents?: ComponentSpec[];
  /**
   * Create the API ingress (REST API with WAF, Cognito and access logs) in the application stack.
   * @default true
   */
  readonly enableApiIngress?: boolean;
  /**
   * Create the device fleet and edge gateway in the edge stack.
   * @default true
   */
  readonly enableEdge?: boolean;
  /**
   * Also write telemetry into an Amazon Timestream for LiveAnalytics table. Timestream for
   * LiveAnalytics is closed to new customers since 2025-06-20 (the CloudFormation validator
   * warns, W3697), so the platform keeps telemetry in the stream and the data lake by default.
   * @default false
   */
  readonly enableTimestream?: boolean;
  /**
   * Zones of the platform network.
   * @default - the kit's five zones (ingress, edge, platform, application, data)
   * @see SRM-IIP-NET-01
   */
  readonly zones?: ZoneSpec[];
  /**
   * Conduits between the zones.
   * @default - the kit's default conduits (inwards, towards the data, over TLS ports)
   * @see SRM-IIP-NET-06
   */
  readonly conduits?: Conduit[];
  /**
   * E-mail addresses that receive security alerts (each must confirm the subscription).
   * @default - no subscriptions
   * @see SRM-IIP-OPS-04
   */
  readonly alertEmails?: string[];
  /**
   * Team or person accountable for the platform's resources (tag `srm-iip:owner`).
   * @default 'iip-platform'
   * @see SRM-IIP-MGT-02
   */
  readonly owner?: string;
}

const PLATFORM_NAME = /^[a-z][a-z0-9-]{0,23}$/;
const SITE_NAME = /^[A-Za-z][A-Za-z0-9-]{0,31}$/;
/** MQTT topic prefix of the fleet; the telemetry pipeline reads `<prefix>/<thing>/telemetry/...`. */
const TOPIC_PREFIX = 'factory';

/**
 * A whole industrial internet platform across the four security domains of
 * SRM-IIP, in five stacks an operator deploys in order:
 *
 * - `<name>-security`: key ring, audit trail with its log archive, security monitoring, backup plan;
 * - `<name>-network`: the zoned VPC (zones and conduits) and the plants' site connections;
 * - `<name>-edge`: device fleet and edge gateway;
 * - `<name>-platform`: telemetry pipeline and data lake;
 * - `<name>-application`: API ingress and partner access (partner roles read their prefix of the data lake).
 *
 * A security level profile (SL1–SL4) tightens what the constructs do. Every
 * stack passes the kit's pack and the AwsSolutions and NIST 800-53 R5 packs;
 * pass `checkOptions` to `SrmIipChecks` so the pack checks what the platform promises.
 */
export class IipPlatform extends Construct {
  /** Name of the platform, the prefix of the stack names. */
  public readonly platformName: string;
  /** What the security level sets. */
  public readonly profile: SecurityLevelProfile;
  /** Number of classification levels. */
  public readonly classificationLevels: number;
  /** Regions the platform's data may live in (empty when the region is unknown and none was given). */
  public readonly allowedRegions: string[];
  /** Log retention of the platform's log groups, in days. */
  public readonly logRetentionDays: number;
  /** The options to give `SrmIipChecks` so it checks what the platform promises (regions, levels, retention). */
  public readonly checkOptions: CheckOptions;

  /** Key ring, audit trail, log archive, security monitoring and backup plan. */
  public readonly securityStack: Stack;
  /** Network zones and conduits, site connections. */
  public readonly networkStack: Stack;
  /** Device fleet and edge gateway. */
  public readonly edgeStack: Stack;
  /** Telemetry pipeline and data lake. */
  public readonly platformStack: Stack;
  /** API ingress and partner access. */
  public readonly applicationStack: Stack;

  /** Keys per purpose and classification level, for the teams' own data stores. */
  public readonly keyRing: IipKeyRing;
  /** Multi-region CloudTrail trail with its locked log archive. */
  public readonly auditTrail: IipAuditTrail;
  /** GuardDuty, Security Hub, AWS Config and the alert topic. */
  public readonly monitoring: IipSecurityMonitoring;
  /** AWS Backup plan and locked vault for every resource of the platform. */
  public readonly backupPlan: IipBackupPlan;
  /** The zoned VPC. */
  public readonly network: IipNetwork;
  /** The plants' VPN connections. */
  public readonly siteConnections: IipSiteConnection[] = [];
  /** The device fleet; undefined with `enableEdge: false`. */
  public readonly deviceFleet?: IipDeviceFleet;
  /** The edge gateway; undefined with `enableEdge: false`. */
  public readonly edgeGateway?: IipEdgeGateway;
  /** Device telemetry into a stream, the data lake and Timestream. */
  public readonly telemetry: IipTelemetryPipeline;
  /** The data lake bucket the telemetry pipeline created. */
  public readonly dataLake: IipSecureBucket;
  /** The API ingress; undefined with `enableApiIngress: false`. */
  public readonly apiIngress?: IipApiIngress;
  /** Partner roles; undefined without `partners`. */
  public readonly partnerAccess?: IipPartnerAccess;

  constructor(scope: Construct, id: string, props: IipPlatformProps = {}) {
    super(scope, id);
    if (scope.node.scopes.some((s) => Stack.isStack(s))) {
      throw new SrmIipError(`IipPlatform creates its own stacks, so its scope must be an App or a Stage, got '${scope.node.path}' (a stack, or a construct in one)`, this.node.path);
    }

    // ------------------------------------------------------------ validation
    this.platformName = props.platformName ?? 'iip';
    if (typeof this.platformName !== 'string' || !PLATFORM_NAME.test(this.platformName)) {
      throw new SrmIipError(`platformName must be 1..24 lowercase letters, digits and hyphens, starting with a letter, got '${this.platformName}'`, this.node.path);
    }
    const level = props.securityLevel ?? SecurityLevel.SL2;
    if (!SECURITY_LEVELS.includes(level)) {
      throw new SrmIipError(`securityLevel must be one of ${SECURITY_LEVELS.join(', ')}, got '${String(level)}'`, this.node.path);
    }
    this.profile = securityLevelProfile(level);

    this.classificationLevels = props.classificationLevels ?? 1;
    const levels = this.classificationLevels;
    if (!Token.isUnresolved(levels) && (!Number.isInteger(levels) || levels < 1 || levels > 16)) {
      throw new SrmIipError(`classificationLevels must be a whole number 1..16 (levels are numbered 1..n), got ${levels}`, this.node.path);
    }

    // Without env: the enclosing Stage's environment, else the CDK default environment of the CLI.
    const stage = Stage.of(this);
    const env: Environment = props.env ?? { account: stage?.account ?? process.env.CDK_DEFAULT_ACCOUNT, region: stage?.region ?? process.env.CDK_DEFAULT_REGION };
    const region = env.region !== undefined && !Token.isUnresolved(env.region) ? env.region : undefined;
    if (props.allowedRegions !== undefined) {
      if (props.allowedRegions.length === 0) throw new SrmIipError('allowedRegions must name at least one region, got []', this.node.path);
      validateRegions(this, 'allowedRegions', props.allowedRegions);
      const seen = new Set<string>();
      for (const r of props.allowedRegions) {
        if (seen.has(r)) throw new SrmIipError(`allowedRegions lists '${r}' twice`, this.node.path);
        seen.add(r);
      }
      if (region !== undefined && !props.allowedRegions.some((r) => Token.isUnresolved(r)) && !props.allowedRegions.includes(region)) {
        throw new SrmIipError(`allowedRegions must include the stacks' region '${region}' (env.region), got [${props.allowedRegions.join(', ')}]`, this.node.path);
      }
    }
    this.allowedRegions = props.allowedRegions ? [...props.allowedRegions] : region ? [region] : [];

    this.logRetentionDays = props.logRetentionDays ?? this.profile.defaultLogRetentionDays;
    const days = this.logRetentionDays;
    if (!Token.isUnresolved(days)) {
      if (days < this.profile.logRetentionFloorDays) {
        throw new SrmIipError(`logRetentionDays must be at least ${this.profile.logRetentionFloorDays} (the log retention floor at ${level}), got ${days}`, this.node.path);
      }
      if (!CLOUDWATCH_LOG_RETENTION_DAYS.includes(days)) {
        throw new SrmIipError(`logRetentionDays must be a retention CloudWatch Logs accepts (${CLOUDWATCH_LOG_RETENTION_DAYS.filter((d) => d >= this.profile.logRetentionFloorDays).join(', ')}), got ${days}`, this.node.path);
      }
    }

    const partners = props.partners ?? [];
    this.validatePartners(partners, env.account);
    const sites = props.siteConnections ?? [];
    this.validateSites(sites);

    this.checkOptions = {
      ...(this.allowedRegions.length > 0 ? { allowedRegions: [...this.allowedRegions] } : {}),
      classificationLevels: levels,
      logRetentionDays: this.profile.logRetentionFloorDays,
    };

    // ------------------------------------------------------------ stacks
    const stack = (suffix: string, cid: string, description: string) =>
      new Stack(this, cid, { env, stackName: `${this.platformName}-${suffix}`, description: `${description} (SRM-IIP platform '${this.platformName}', ${level})` });
    this.securityStack = stack('security', 'Security', 'Key ring, audit trail and log archive, security monitoring, backup');
    this.networkStack = stack('network', 'Network', 'Network zones and conduits, plant site connections');
    this.edgeStack = stack('edge', 'Edge', 'Device fleet and edge gateway');
    this.platformStack = stack('platform', 'Platform', 'Telemetry pipeline and data lake');
    this.applicationStack = stack('application', 'Application', 'API ingress and partner access');
    const why = 'the audit trail, security monitoring and backup plan are in place before any workload';
    for (const s of [this.networkStack, this.edgeStack, this.platformStack, this.applicationStack]) s.addStackDependency(this.securityStack, why);

    const owner = props.owner;
    const retention = this.logRetentionDays;
    const regions = this.allowedRegions.length > 0 ? this.allowedRegions : undefined;

    // ------------------------------------------------------------ security & log archive
    this.keyRing = new IipKeyRing(this.securityStack, 'KeyRing', {
      classificationLevels: levels,
      rotationPeriodDays: this.profile.keyRotationPeriodDays,
      owner,
    });
    // The trail and the vault use the ring's level-1 keys; keys of the other stacks stay in their own
    // stacks, so that no key policy of this stack names a resource of a later one (a dependency cycle).
    this.auditTrail = new IipAuditTrail(this.securityStack, 'AuditTrail', {
      encryptionKey: this.keyRing.key(KeyPurpose.LOGS, 1),
      logRetentionDays: retention,
      allowedRegions: regions,
      owner,
    });
    this.monitoring = new IipSecurityMonitoring(this.securityStack, 'Monitoring', {
      alertSeverity: this.profile.alertSeverity,
      alertEmails: props.alertEmails,
      // IipDeviceFleet owns the account's IoT audit configuration when the edge exists.
      enableIotAudit: props.enableEdge === false,
      owner,
    });
    this.backupPlan = new IipBackupPlan(this.securityStack, 'Backup', {
      encryptionKey: this.keyRing.key(KeyPurpose.BACKUP, 1),
      dailyRetentionDays: this.profile.backupDailyRetentionDays,
      monthlyRetentionDays: this.profile.backupMonthlyRetentionDays,
      allowedRegions: regions,
      owner,
    });

    // ------------------------------------------------------------ network
    this.network = new IipNetwork(this.networkStack, 'Network', {
      zones: props.zones,
      conduits: props.conduits,
      flowLogRetentionDays: retention,
      owner,
    });
    for (const site of sites) {
      this.siteConnections.push(
        new IipSiteConnection(this.networkStack, site.name, {
          vpc: this.network.vpc,
          subnets: this.network.subnets(site.zone ?? 'edge'),
          plantPublicIp: site.plantPublicIp,
          bgpAsn: site.bgpAsn,
          staticRoutes: site.staticRoutes,
          dhGroups: site.dhGroups,
          logRetentionDays: retention,
          owner,
        }),
      );
    }

    // ------------------------------------------------------------ edge
    if (props.enableEdge ?? true) {
      this.deviceFleet = new IipDeviceFleet(this.edgeStack, 'DeviceFleet', {
        devices: props.devices,
        topicPrefix: TOPIC_PREFIX,
        logRetentionDays: retention,
        auditFrequency: this.profile.deviceAuditFrequency,
        owner,
      });
      this.edgeGateway = new IipEdgeGateway(this.edgeStack, 'EdgeGateway', {
        coreDevices: props.coreDevices,
        components: props.edgeComponents,
        credentialDurationSeconds: this.profile.edgeCredentialDurationSeconds,
        owner,
      });
    } else if (props.devices?.length || props.coreDevices?.length || props.edgeComponents?.length) {
      throw new SrmIipError('devices, coreDevices and edgeComponents need the edge; remove them or leave enableEdge at true, got enableEdge false', this.node.path);
    }

    // ------------------------------------------------------------ platform
    this.telemetry = new IipTelemetryPipeline(this.platformStack, 'Telemetry', {
      topicFilter: `${TOPIC_PREFIX}/+/telemetry/#`,
      enableTimestream: props.enableTimestream ?? false,
      logRetentionDays: retention,
      owner,
    });
    this.dataLake = this.telemetry.dataLake!;

    // ------------------------------------------------------------ application
    if (props.enableApiIngress ?? true) {
      this.apiIngress = new IipApiIngress(this.applicationStack, 'ApiIngress', {
        restApiName: `${this.platformName}-api`,
        minPasswordLength: this.profile.minPasswordLength,
        rateLimitPer5Minutes: this.profile.apiRateLimitPer5Minutes,
        logRetentionDays: retention,
        owner,
      });
    }
    if (partners.length > 0) {
      this.partnerAccess = new IipPartnerAccess(this.applicationStack, 'Partners', {
        partners,
        allowedRegions: regions,
        maxSessionDurationHours: this.profile.partnerMaxSessionDurationHours,
        owner,
      });
      const dataLakeArn = this.platformStack.exportValue(this.dataLake.bucket.bucketArn, { name: this.dataLakeExportName });
      this.applicationStack.addStackDependency(this.platformStack, 'partner roles read the data lake');
      partners.forEach((p) => this.grantPartnerRead(p.name, dataLakeArn));
    }

    // ------------------------------------------------------------ profile enforcement
    const enforcement = new ProfileEnforcement(this.profile, levels);
    for (const s of this.stacks) {
      // After the tag aspects (MUTATING, or DEFAULT without the aspect-priority feature flag): the tenancy rule reads the level tags.
      Aspects.of(s).add(enforcement, { priority: AspectPriority.DEFAULT + 100 });
      Aspects.of(s).add(new EmptyStack(s, props), { priority: AspectPriority.READONLY });
    }
  }

  /** The five stacks, in deployment order. */
  public get stacks(): Stack[] {
    return [this.securityStack, this.networkStack, this.edgeStack, this.platformStack, this.applicationStack];
  }

  /**
   * Read access for a partner to its prefix `partners/<name>/` of the data lake: a managed policy
   * with the exact S3 and KMS actions, in the application stack (which depends on the platform stack).
   */
  private grantPartnerRead(partnerName: string, dataLakeArn: string): void {
    const role = this.partnerAccess!.role(partnerName);
    const prefix = `partners/${partnerName}/`;
    const policy = new iam.ManagedPolicy(this.applicationStack, `${partnerName}DataLakeRead`, {
      description: `SRM-IIP partner ${partnerName}: read ${prefix} of the data lake`,
      roles: [role],
      statements: [
        new iam.PolicyStatement({ sid: 'ListOwnPrefix', actions: ['s3:ListBucket'], resources: [dataLakeArn], conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } } }),
        new iam.PolicyStatement({ sid: 'ReadOwnPrefix', actions: ['s3:GetObject'], resources: [`${dataLakeArn}/${prefix}*`] }),
        new iam.PolicyStatement({
          sid: 'DecryptThroughS3',
          actions: ['kms:Decrypt'],
          resources: [this.dataLake.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${this.platformStack.region}.amazonaws.com` } },
        }),
      ],
    });
    acknowledge(
      policy,
      `AwsSolutions-IAM5[Resource::${this.dataLakeExportName}/${prefix}*]`,
      `Partner ${partnerName} may read only the objects under its own prefix ${prefix} of the data lake; S3 object ARNs under a prefix need the trailing wildcard`,
    );
  }

  /** Export name of the data lake's ARN (an explicit name, so the partner grants' acknowledgement can name it). */
  private get dataLakeExportName(): string {
    return `${this.platformName}-platform-DataLakeArn`;
  }

  private validatePartners(partners: readonly PartnerSpec[], account: string | undefined): void {
    const seen = new Map<string, number>();
    partners.forEach((p, i) => {
      const a = p.accountId;
      if (Token.isUnresolved(a)) return;
      if (typeof a !== 'string' || !/^\d{12}$/.test(a)) {
        throw new SrmIipError(`partners[${i}].accountId must be an AWS account ID of 12 digits, got '${a}'`, this.node.path);
      }
      if (seen.has(a)) throw new SrmIipError(`partners[${i}].accountId '${a}' repeats partners[${seen.get(a)}]; each partner account may be listed once`, this.node.path);
      seen.set(a, i);
      if (account !== undefined && !Token.isUnresolved(account) && a === account) {
        throw new SrmIipError(`partners[${i}].accountId '${a}' is the platform's own account (env.account); partners are other accounts`, this.node.path);
      }
    });
  }

  private validateSites(sites: readonly SiteConnectionSpec[]): void {
    if (sites.length > 1) {
      throw new SrmIipError(
        `siteConnections may hold at most one plant (each connection attaches a virtual private gateway and a VPC takes one), got ${sites.length}: ${sites.map((s) => s.name).join(', ')}`,
        this.node.path,
      );
    }
    sites.forEach((s, i) => {
      if (typeof s.name !== 'string' || !SITE_NAME.test(s.name)) {
        throw new SrmIipError(`siteConnections[${i}].name must be 1..32 letters, digits and hyphens, starting with a letter, got '${s.name}'`, this.node.path);
      }
    });
  }
}

/**
 * A stack whose parts are switched off (`enableEdge: false`; `enableApiIngress: false` without
 * partners) stays, so teams can still add to it. When nothing was added it is empty at synthesis:
 * `cdk deploy` skips a stack without resources, and the CloudFormation validator's F0001 on it is
 * acknowledged with the option that emptied it.
 */
class EmptyStack implements IAspect {
  constructor(
    private readonly stack: Stack,
    private readonly props: IipPlatformProps,
  ) {}

  private acknowledged = false;

  public visit(node: IConstruct): void {
    // Once: a forced second synthesis visits the stack again.
    if (node !== this.stack || this.acknowledged) return;
    if (this.stack.node.findAll().some((c) => CfnResource.isCfnResource(c))) return;
    const why = this.props.enableEdge === false && this.stack.node.id === 'Edge' ? 'enableEdge is false' : 'enableApiIngress is false and there are no partners';
    this.acknowledged = true;
    acknowledge(this.stack, 'CloudFormation-Validate::F0001', `Stack ${this.stack.stackName} holds no resources because ${why}; cdk deploy skips a stack without resources, and the stack stays for the team's own constructs`);
  }
}

/**
 * Applies what the profile sets to everything in the platform's stacks,
 * including what teams add to them later: the key rotation period, dedicated
 * tenancy for the top classification level, and a web ACL on every entry point.
 */
class ProfileEnforcement implements IAspect {
  constructor(
    private readonly profile: SecurityLevelProfile,
    private readonly classificationLevels: number,
  ) {}

  public visit(node: IConstruct): void {
    if (node instanceof kms.CfnKey) this.rotation(node);
    if (this.profile.dedicatedTenancyForTopLevel) {
      if (node instanceof ec2.CfnInstance) this.instanceTenancy(node);
      if (node instanceof ec2.CfnLaunchTemplate) this.launchTemplateTenancy(node);
    }
    if (this.profile.wafOnEveryEntryPoint) this.waf(node);
  }

  private rotation(key: kms.CfnKey): void {
    if (key.keySpec !== undefined && key.keySpec !== 'SYMMETRIC_DEFAULT') return;
    // A key without rotation is the kit's pack's finding (SYS-02), not something to fix silently.
    if (key.enableKeyRotation !== true) return;
    const current = key.rotationPeriodInDays;
    if (current === undefined || (!Token.isUnresolved(current) && current > this.profile.keyRotationPeriodDays)) {
      key.rotationPeriodInDays = this.profile.keyRotationPeriodDays;
    }
  }

  /** Whether a resource with these level tags may hold top-level data (untagged counts, as the kit's PHY-03 rule counts it). */
  private atTopLevel(levels: readonly string[]): boolean {
    if (Token.isUnresolved(this.classificationLevels)) return false;
    if (levels.length === 0) return true;
    return levels.some((l) => Token.isUnresolved(l) || !(Number(l) < this.classificationLevels));
  }

  private instanceTenancy(node: ec2.CfnInstance): void {
    const level = node.tags.tagValues()[TAG_LEVEL];
    if (!this.atTopLevel(level === undefined ? [] : [level])) return;
    if (node.tenancy === undefined && node.hostId === undefined && node.launchTemplate === undefined) node.tenancy = 'dedicated';
    else if (node.tenancy === 'default') this.failTenancy(node, 'Tenancy', node.tenancy);
  }

  private launchTemplateTenancy(node: ec2.CfnLaunchTemplate): void {
    const data = (renderedProperties(node).LaunchTemplateData ?? {}) as {
      Placement?: { Tenancy?: string; HostId?: string; HostResourceGroupArn?: string };
      TagSpecifications?: Array<{ ResourceType?: string; Tags?: Array<{ Key: string; Value: string }> }>;
    };
    const levels = (data.TagSpecifications ?? []).flatMap((t) => (t.Tags ?? []).filter((x) => x.Key === TAG_LEVEL).map((x) => x.Value));
    if (!this.atTopLevel(levels)) return;
    const p = data.Placement ?? {};
    if (p.HostId !== undefined || p.HostResourceGroupArn !== undefined) return;
    if (p.Tenancy === undefined) node.addPropertyOverride('LaunchTemplateData.Placement.Tenancy', 'dedicated');
    else if (p.Tenancy === 'default') this.failTenancy(node, 'LaunchTemplateData.Placement.Tenancy', p.Tenancy);
  }

  private failTenancy(node: IConstruct, property: string, value: string): never {
    throw new SrmIipError(
      `SRM-IIP-PHY-03: security level ${this.profile.level} runs the top classification level (${this.classificationLevels}) on dedicated hardware; ${property} must be dedicated or host, got '${value}'`,
      node.node.path,
    );
  }

  /** The entry points WAF can protect, and the token of each that a web ACL association names. */
  private entryPoint(node: IConstruct): { type: string; marks: string[] } | undefined {
    const stack = Stack.of(node);
    const id = (c: { logicalId: string }) => String(stack.resolve(c.logicalId));
    if (node instanceof apigateway.CfnStage) {
      return { type: 'AWS::ApiGateway::Stage', marks: [`"${id(node)}"`, ...(node.stageName && !Token.isUnresolved(node.stageName) ? [`/stages/${node.stageName}`] : [])] };
    }
    if (node instanceof elbv2.CfnLoadBalancer && (node.type ?? 'application') === 'application' && node.scheme !== 'internal') {
      return { type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', marks: [`"${id(node)}"`] };
    }
    if (node instanceof appsync.CfnGraphQLApi) return { type: 'AWS::AppSync::GraphQLApi', marks: [`"${id(node)}"`] };
    return undefined;
  }

  private waf(node: IConstruct): void {
    if (node instanceof cloudfront.CfnDistribution) {
      const cfg = renderedProperties(node).DistributionConfig as { WebACLId?: unknown } | undefined;
      if (cfg?.WebACLId === undefined) this.failWaf(node, 'AWS::CloudFront::Distribution', 'set DistributionConfig.WebACLId (webAclId) to a web ACL of scope CLOUDFRONT');
      return;
    }
    const ep = this.entryPoint(node);
    if (!ep) return;
    const stack = Stack.of(node);
    const covered = stack.node.findAll().some((c) => {
      if (!(c instanceof wafv2.CfnWebACLAssociation)) return false;
      const arn = JSON.stringify(stack.resolve(c.resourceArn));
      return ep.marks.some((m) => arn.includes(m));
    });
    if (!covered) this.failWaf(node, ep.type, 'associate a web ACL with a wafv2.CfnWebACLAssociation in the same stack');
  }

  private failWaf(node: IConstruct, type: string, fix: string): never {
    throw new SrmIipError(`SRM-IIP-NET-07: security level ${this.profile.level} puts a WAFv2 web ACL on every entry point; this ${type} has none (${fix})`, node.node.path);
  }
}

/**
 * A resource's properties as CloudFormation will see them: PascalCase, tokens
 * resolved, escape-hatch overrides applied (the L1's own fields are camelCase
 * and miss overrides).
 */
function renderedProperties(node: CfnResource): Record<string, unknown> {
  const stack = Stack.of(node);
  const rendered = stack.resolve((node as unknown as { _toCloudFormation(): unknown })._toCloudFormation()) as { Resources?: Record<string, { Properties?: Record<string, unknown> }> };
  return rendered.Resources?.[stack.resolve(node.logicalId)]?.Properties ?? {};
}
