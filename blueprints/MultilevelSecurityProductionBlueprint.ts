import { Duration, Tags, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct } from 'constructs';
import { defaultNetworkConduits, defaultNetworkZones } from '../constructs/defaults/vpc-defaults';
import { IipSecureBucket } from '../constructs/IipSecureBucket';
import { KeyPurpose } from '../constructs/IipKeyRing';
import { Conduit, ConduitProtocol, ZoneSpec } from '../constructs/network/zones';
import { acknowledge, acknowledgeWildcard } from '../constructs/private/annotations';
import { applyIipTags } from '../constructs/tagging';
import { SecurityDomain } from '../rules/catalog/types';
import { TAG_LEVEL } from '../rules/engine/zones';
import { SrmIipError } from '../rules/errors';
import { IipPlatform, IipPlatformProps } from './IipPlatform';

/** Principal tag that states a person's clearance (the highest level they may read). */
export const CLEARANCE_TAG = 'srm-iip:clearance';
/** Classification levels when none are given. */
export const DEFAULT_MULTILEVEL_LEVELS = 2;

/** Zone name of a classification level: level 1 is the platform's own `platform` zone, higher levels get `level-<n>`. */
export function levelZoneName(level: number): string {
  return level === 1 ? 'platform' : `level-${level}`;
}

/** The isolated zone of each level above 1 (platform domain, no internet, no NAT). */
export function levelZones(levels: number): ZoneSpec[] {
  const out: ZoneSpec[] = [];
  for (let l = 2; l <= levels; l++) out.push({ name: levelZoneName(l), domain: SecurityDomain.PLATFORM, isolated: true });
  return out;
}

/** Each level zone reaches only the VPC endpoints (TCP 443 into the endpoint zone); no conduit joins two levels. */
export function levelConduits(levels: number): Conduit[] {
  const out: Conduit[] = [];
  for (let l = 2; l <= levels; l++) {
    out.push({ from: levelZoneName(l), to: 'platform', protocol: ConduitProtocol.TCP, fromPort: 443, description: `level ${l} workloads to the VPC endpoints (HTTPS)` });
  }
  return out;
}

export interface MultilevelSecurityProductionBlueprintProps extends IipPlatformProps {
  /**
   * Create a launch template per level for the level's workloads (in the level's zone, under
   * the level's keys, IMDSv2 only, managed through Session Manager; the top level on dedicated
   * hardware). Launch templates cost nothing until instances start from them.
   * @default true
   * @see SRM-IIP-PHY-03
   */
  readonly levelComputeTemplates?: boolean;
  /**
   * Machine image of the level launch templates.
   * @default - the latest Amazon Linux 2023 (resolved from the public SSM parameter at deployment)
   */
  readonly machineImage?: ec2.IMachineImage;
  /**
   * Instance type of the level launch templates (one that supports dedicated tenancy).
   * @default m7i.large
   */
  readonly instanceType?: ec2.InstanceType;
}

/** What the blueprint builds for one classification level. */
export interface ClassificationLevelParts {
  /** The level, 1 = lowest. */
  readonly level: number;
  /** The level's zone (its own subnets, security group and network ACL). */
  readonly zone: string;
  /** The level's data key, from the platform's key ring. */
  readonly dataKey: kms.IKey;
  /** The level's data store, encrypted with the level's data key. */
  readonly store: IipSecureBucket;
  /** The role people of this clearance or higher assume to read the level's data. */
  readonly readerRole: iam.Role;
  /** The launch template of the level's workloads, unless `levelComputeTemplates` is false. */
  readonly computeTemplate?: ec2.LaunchTemplate;
}

/**
 * Multilevel security production (SRM-IIP 7.4): several classification levels
 * on one platform, kept apart by keys, subnets and grants (SRM-IIP-SYS-06), the
 * top level on dedicated hardware (SRM-IIP-PHY-03).
 *
 * On top of IipPlatform (with `classificationLevels` ≥ 2) it adds, per level:
 * - a zone (levels ≥ 2: `level-<n>`, isolated, its subnets, security group and
 *   network ACL tagged with the level; level 1 is the `platform` zone) whose only
 *   conduit is TCP 443 to the VPC endpoints — no conduit joins two levels;
 * - a data store encrypted with that level's data key of the key ring;
 * - a reader role, assumable only by principals whose `srm-iip:clearance` tag is
 *   that level or higher, that may read and decrypt that level's data only;
 * - a launch template for that level's workloads in its zone, EBS under the level's
 *   key, IMDSv2 only, Session Manager instead of SSH; the top level's with
 *   `Placement.Tenancy: dedicated`.
 */
export class MultilevelSecurityProductionBlueprint extends IipPlatform {
  /** The parts of each level, lowest first (`levels[0]` is level 1). */
  public readonly levels: ClassificationLevelParts[] = [];

  constructor(scope: Construct, id: string, props: MultilevelSecurityProductionBlueprintProps = {}) {
    const path = [scope.node.path, id].filter((p) => p).join('/');
    const levels = props.classificationLevels ?? DEFAULT_MULTILEVEL_LEVELS;
    if (Token.isUnresolved(levels)) throw new SrmIipError('classificationLevels must be a literal for multilevel security production: each level gets its own zone, keys and roles, got a token', path);
    if (!Number.isInteger(levels) || levels < 2 || levels > 8) {
      throw new SrmIipError(`classificationLevels must be a whole number 2..8 for multilevel security production (levels are numbered 1..n, each gets its own zone), got ${levels}`, path);
    }
    const zones = props.zones ?? defaultNetworkZones();
    for (const [i, z] of zones.entries()) {
      if (/^level-\d+$/.test(z.name)) throw new SrmIipError(`zones[${i}] '${z.name}' takes a name the blueprint gives the level zones (level-2..level-${levels}); rename it`, path);
    }
    if (!zones.some((z) => z.name === 'platform')) {
      throw new SrmIipError(`zones must include the 'platform' zone: level 1 and the VPC endpoints live there, got [${zones.map((z) => z.name).join(', ')}]`, path);
    }
    super(scope, id, {
      ...props,
      classificationLevels: levels,
      zones: [...zones, ...levelZones(levels)],
      conduits: [...(props.conduits ?? defaultNetworkConduits()), ...levelConduits(levels)],
    });

    // ------------------------------------------------------------ the level zones carry their level (SYS-06)
    for (let l = 2; l <= levels; l++) {
      const zone = levelZoneName(l);
      const tag = (c: IConstruct) => Tags.of(c).add(TAG_LEVEL, String(l), { priority: 300 });
      for (const subnet of this.network.vpc.selectSubnets(this.network.subnets(zone)).subnets) tag(subnet);
      tag(this.network.securityGroup(zone));
      tag(this.network.networkAcl(zone));
    }

    const withCompute = props.levelComputeTemplates ?? true;
    for (let l = 1; l <= levels; l++) this.levels.push(this.buildLevel(l, levels, props, withCompute));
  }

  private buildLevel(level: number, top: number, props: MultilevelSecurityProductionBlueprintProps, withCompute: boolean): ClassificationLevelParts {
    const stack = this.platformStack;
    const zone = levelZoneName(level);
    const scope = new Construct(stack, `Level${level}`);
    applyIipTags(scope, { classificationLevel: level, owner: props.owner }, zone);
    const dataKey = this.keyRing.key(KeyPurpose.DATA, level);

    const store = new IipSecureBucket(scope, 'Data', { classificationLevel: level, zone, owner: props.owner, encryptionKey: dataKey });

    // People of this clearance or higher (a principal tag set by the identity provider) may read this level.
    const clearances: string[] = [];
    for (let c = level; c <= top; c++) clearances.push(String(c));
    const readerRole = new iam.Role(scope, 'ReaderRole', {
      description: `SRM-IIP level ${level} readers of '${this.platformName}': principals cleared for level ${level} or higher`,
      assumedBy: new iam.AccountPrincipal(stack.account).withConditions({ StringEquals: { [`aws:PrincipalTag/${CLEARANCE_TAG}`]: clearances } }),
      maxSessionDuration: Duration.hours(1),
    });
    const objects = store.bucket.arnForObjects('*');
    const readPolicy = new iam.ManagedPolicy(scope, 'ReaderPolicy', {
      description: `SRM-IIP level ${level} readers: the level ${level} data store and its key, nothing else`,
      roles: [readerRole],
      statements: [
        new iam.PolicyStatement({ sid: 'ListLevelData', actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: [store.bucket.bucketArn] }),
        new iam.PolicyStatement({ sid: 'ReadLevelData', actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [objects] }),
        new iam.PolicyStatement({
          sid: 'DecryptLevelData',
          actions: ['kms:Decrypt'],
          resources: [dataKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
        }),
      ],
    });
    acknowledgeWildcard(readPolicy, objects, `Level ${level} readers read every object of the level ${level} data store and of no other store; S3 object ARNs need the wildcard to name a bucket's objects`);

    let computeTemplate: ec2.LaunchTemplate | undefined;
    if (withCompute) computeTemplate = this.buildCompute(scope, level, top, zone, props);
    return { level, zone, dataKey, store, readerRole, computeTemplate };
  }

  private buildCompute(scope: Construct, level: number, top: number, zone: string, props: MultilevelSecurityProductionBlueprintProps): ec2.LaunchTemplate {
    const key = this.keyRing.key(KeyPurpose.DATA, level);
    const role = new iam.Role(scope, 'InstanceRole', {
      description: `SRM-IIP level ${level} workloads of '${this.platformName}': Session Manager only`,
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });
    acknowledge(
      role,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
      `AmazonSSMManagedInstanceCore is the policy AWS maintains for the SSM agent (Session Manager, patching) that replaces SSH on level ${level} instances (SRM-IIP-OPS-06); it grants the agent's ssm/ssmmessages/ec2messages calls only, and AWS updates it with the agent`,
    );
    const template = new ec2.LaunchTemplate(scope, 'Compute', {
      launchTemplateName: `${this.platformName}-level-${level}`,
      machineImage: props.machineImage ?? ec2.MachineImage.latestAmazonLinux2023(),
      instanceType: props.instanceType ?? new ec2.InstanceType('m7i.large'),
      securityGroup: this.network.securityGroup(zone),
      role,
      requireImdsv2: true,
      httpPutResponseHopLimit: 1,
      detailedMonitoring: true,
      ebsOptimized: true,
      blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(30, { encrypted: true, kmsKey: key, volumeType: ec2.EbsDeviceVolumeType.GP3, deleteOnTermination: true }) }],
      associatePublicIpAddress: false,
    });
    const cfn = template.node.defaultChild as ec2.CfnLaunchTemplate;
    // The top level runs on hardware no other tenant shares (PHY-03).
    if (level === top) cfn.addPropertyOverride('LaunchTemplateData.Placement.Tenancy', 'dedicated');
    return template;
  }
}
