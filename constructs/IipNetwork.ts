import { Annotations, CfnResource, Lazy, Names, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { SecurityDomain } from '../rules/catalog/types';
import { SrmIipError } from '../rules/errors';
import { isPlainObject } from '../rules/engine/values';
import { METADATA_KEY, TAG_LEVEL, TAG_OWNER, TAG_STAGE, TAG_ZONE } from '../rules/engine/zones';
import { BASELINE_ENDPOINT_SERVICES } from '../rules/network/VpcServiceEndpointsPresent';
import { createSecureKey } from './defaults/kms-defaults';
import { checkLogRetention, DEFAULT_LOG_RETENTION_DAYS, LOG_RETENTION_FLOOR_DAYS } from './defaults/logs-defaults';
import {
  DEFAULT_MAX_AZS,
  DEFAULT_VPC_CIDR,
  DEFAULT_ZONE_CIDR_MASK,
  defaultGatewayEndpoints,
  defaultInterfaceEndpoints,
  defaultNetworkConduits,
  defaultNetworkZones,
  ENDPOINT_SERVICES_WITHOUT_PRIVATE_DNS,
  secureVpcProps,
} from './defaults/vpc-defaults';
import { AclEntryPlan, addressesNeeded, conduitText, planZoneAcl, ResolvedConduit } from './network/plan';
import { Conduit, ConduitProtocol, ZoneSpec } from './network/zones';
import { acknowledge, warnWeakened } from './private/annotations';
import { allowLogsForOwnLogGroups, logGroupArn } from './private/logs';
import { servicePrincipalFor } from './private/roles';
import { parseCidr, validateCidr, validateRange } from './private/validate';
import { applyIipTags, IipTagValues, IipTaggingProps } from './tagging';

export * from './network/zones';

export interface IipNetworkProps extends IipTaggingProps {
  /**
   * IPv4 address range of the VPC, /16../24. Must be a literal: the zones'
   * subnets and network-ACL entries are computed from it at synthesis.
   * @default '10.0.0.0/16'
   * @see SRM-IIP-NET-01
   */
  readonly vpcCidr?: string;
  /**
   * Availability zones to spread every zone over, 2..6 (each zone gets one subnet per AZ).
   * @default 2
   * @see SRM-IIP-SYS-07
   */
  readonly maxAzs?: number;
  /**
   * The zones, one subnet tier each.
   * @default - ingress (internet-facing, application domain), edge, platform, application, data (platform domain, isolated), each /24
   * @see SRM-IIP-NET-01
   */
  readonly zones?: ZoneSpec[];
  /**
   * The conduits between zones: the only traffic that crosses a zone boundary.
   * @default - ingress→application tcp 443, application→platform tcp 443, edge→platform tcp 8883 and 443, platform→data tcp 5432 and 6379
   * @see SRM-IIP-NET-06
   */
  readonly conduits?: Conduit[];
  /**
   * Zone whose subnets hold the interface endpoints. A zone reaches the endpoints when it is
   * this zone or has a conduit into it that covers TCP 443.
   * @default 'platform'
   * @see SRM-IIP-NET-04
   */
  readonly endpointZone?: string;
  /**
   * Interface endpoints to create in the endpoint zone.
   * @default - KMS, CloudWatch Logs, IoT Core data, Secrets Manager, SSM, SSM messages, SQS, SNS, Kinesis Data Streams, Firehose, STS, ECR API and ECR Docker
   * @see SRM-IIP-NET-04
   */
  readonly interfaceEndpoints?: ec2.InterfaceVpcEndpointAwsService[];
  /**
   * Gateway endpoints, routed from the zones that reach the endpoints.
   * @default - S3 and DynamoDB
   * @see SRM-IIP-NET-04
   */
  readonly gatewayEndpoints?: ec2.GatewayVpcEndpointAwsService[];
  /**
   * NAT gateways, placed in the first internet-facing zone. Any number above 0 gives the
   * non-isolated zones a path to the internet and is reported.
   * @default 0
   * @see SRM-IIP-NET-03
   */
  readonly natGateways?: number;
  /**
   * Customer-managed key of the flow-log group. A key of the same app gets a key-policy
   * statement for CloudWatch Logs; an imported key must already allow it.
   * @default - a new key with rotation and a 30-day deletion window
   * @see SRM-IIP-SYS-01
   */
  readonly logKey?: kms.IKey;
  /**
   * Days to keep flow logs; one of the periods CloudWatch Logs offers, at least 365 unless
   * `allowShortFlowLogRetention` is set.
   * @default 365
   * @see SRM-IIP-OPS-02
   */
  readonly flowLogRetentionDays?: number;
  /**
   * Accept a flow-log retention below 365 days. The shorter retention is reported.
   * @default false
   * @see SRM-IIP-OPS-02
   */
  readonly allowShortFlowLogRetention?: boolean;
}

/** The zone model as the rules read it from `Metadata.srm-iip.zoneModel`. */
interface ZoneModelEntry {
  readonly name: string;
  readonly domain: string;
  readonly internetFacing: boolean;
}

interface StackZoneModel {
  readonly zones: Map<string, ZoneModelEntry>;
  readonly conduits: Map<string, ResolvedConduit>;
}

/** The zone model of each stack, merged over the networks (and any hand-written model) in it. */
const STACK_ZONE_MODELS = new WeakMap<Stack, StackZoneModel>();

const ZONE_NAME = /^[a-z][a-z0-9-]{0,30}$/;
const NACL_DEFAULT_QUOTA = 20;
const NACL_MAX_ENTRIES = 40;

/**
 * A VPC with one subnet tier per zone of the four security domains, whose
 * only cross-zone traffic is the declared conduits: each conduit becomes the
 * security-group rules and network-ACL entries for exactly its traffic, and
 * the zone model travels with the template (zone tags on every subnet,
 * security group and network ACL; `Metadata.srm-iip.zoneModel`). Flow logs
 * record ALL traffic into a KMS-encrypted log group; AWS services are
 * reached through gateway and interface endpoints; the default security
 * group is stripped; no subnet maps public IPs and, by default, no NAT
 * gateway exists.
 */
export class IipNetwork extends Construct {
  /** The VPC. */
  public readonly vpc: ec2.Vpc;
  /** The zones, with every default filled in. */
  public readonly zones: ZoneSpec[];
  /** The conduits of the zone model (the declared ones, plus those the NAT gateways need). */
  public readonly conduits: Conduit[];
  /** The log group the flow logs go to. */
  public readonly flowLogGroup: logs.LogGroup;
  /** The VPC flow log (ALL traffic). */
  public readonly flowLog: ec2.FlowLog;
  /** The key of the flow-log group. */
  public readonly logKey: kms.IKey;
  /** The security group of the interface endpoints (in the endpoint zone); undefined without interface endpoints. */
  public readonly endpointSecurityGroup?: ec2.SecurityGroup;
  private readonly interfaces = new Map<string, ec2.InterfaceVpcEndpoint>();
  private readonly gateways = new Map<string, ec2.GatewayVpcEndpoint>();
  private readonly groups = new Map<string, ec2.SecurityGroup>();
  private readonly acls = new Map<string, ec2.NetworkAcl>();

  constructor(scope: Construct, id: string, props: IipNetworkProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);

    // ------------------------------------------------------------ validation
    const zones = this.validateZones(props.zones ?? defaultNetworkZones());
    const zoneNames = zones.map((z) => z.name);
    const maxAzs = props.maxAzs ?? DEFAULT_MAX_AZS;
    this.rejectToken('maxAzs', maxAzs, 'the number of subnets is fixed at synthesis');
    validateRange(this, 'maxAzs', maxAzs, 2, 6);
    const vpcCidr = props.vpcCidr ?? DEFAULT_VPC_CIDR;
    this.rejectToken('vpcCidr', vpcCidr, 'the zones\' subnets and network-ACL entries are computed from it at synthesis');
    validateCidr(this, 'vpcCidr', vpcCidr, 16, 24);
    const azs = stack.availabilityZones.slice(0, maxAzs);
    if (azs.length < 2) {
      throw new SrmIipError(`the stack's region offers ${azs.length} availability zone(s) (${azs.join(', ')}); maxAzs ${maxAzs} needs at least 2 so that every zone survives the loss of one`, this.node.path);
    }
    this.validateFit(vpcCidr, zones, azs.length);

    const conduits = this.validateConduits(props.conduits ?? defaultNetworkConduits(), zoneNames);
    const interfaceServices = props.interfaceEndpoints ?? defaultInterfaceEndpoints();
    const gatewayServices = props.gatewayEndpoints ?? defaultGatewayEndpoints();
    const endpointZone = props.endpointZone ?? 'platform';
    const needsEndpointZone = interfaceServices.length > 0 || gatewayServices.length > 0;
    if (needsEndpointZone) {
      const z = zones.find((x) => x.name === endpointZone);
      if (!z) {
        throw new SrmIipError(`endpointZone '${endpointZone}' is not a declared zone; declared zones: ${zoneNames.join(', ')} (or give no interface and gateway endpoints)`, this.node.path);
      }
      if (z.internetFacing) throw new SrmIipError(`endpointZone '${endpointZone}' is internet-facing; VPC endpoints belong in a private zone`, this.node.path);
    }
    this.validateEndpointLists(interfaceServices, gatewayServices);

    const natGateways = props.natGateways ?? 0;
    validateRange(this, 'natGateways', natGateways, 0, maxAzs);
    const natZone = zones.find((z) => z.internetFacing)?.name;
    if (natGateways > 0 && !natZone) {
      throw new SrmIipError(`natGateways ${natGateways} needs an internet-facing zone to hold the NAT gateways; declared zones: ${zoneNames.join(', ')}`, this.node.path);
    }

    const retentionDays = props.flowLogRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
    this.validateRetention(retentionDays, props.allowShortFlowLogRetention ?? false);

    // Which zones reach AWS services: the endpoint zone, and zones with a conduit into it covering TCP 443.
    const serviceZones = new Set<string>();
    if (needsEndpointZone) {
      serviceZones.add(endpointZone);
      for (const c of conduits) if (c.to === endpointZone && coversTcp443(c)) serviceZones.add(c.from);
    }
    const natEgressZones = new Set<string>(natGateways > 0 ? zones.filter((z) => !z.internetFacing && !z.isolated).map((z) => z.name) : []);
    const natConduits: ResolvedConduit[] = [...natEgressZones].map((z) => ({
      from: z,
      to: natZone!,
      protocol: ConduitProtocol.TCP,
      fromPort: 443,
      toPort: 443,
      description: 'HTTPS to the internet through the NAT gateways (natGateways > 0)',
    }));
    // Network-ACL entries depend only on how many subnets each zone has: size them before anything is created.
    const planFor = (zoneCidrs: ReadonlyMap<string, readonly string[]>) => ({
      vpcCidr,
      zoneCidrs,
      internetFacing: new Set(zones.filter((z) => z.internetFacing).map((z) => z.name)),
      conduits,
      awsServiceZones: gatewayServices.length > 0 ? serviceZones : new Set<string>(),
      natEgressZones,
      natZone: natGateways > 0 ? natZone : undefined,
    });
    const placeholders = new Map(zones.map((z) => [z.name, azs.map((_, i) => `${z.name}-${i}`)]));
    for (const z of zones) this.validateAclSize(z.name, planZoneAcl(z.name, planFor(placeholders)));

    this.zones = zones;
    this.conduits = [...conduits, ...natConduits];
    this.registerZoneModel(stack, zones, this.conduits as ResolvedConduit[]);

    // ------------------------------------------------------------ weakenings
    if (natGateways > 0) {
      warnWeakened(this, 'SRM-IIP-NET-03', `natGateways is ${natGateways}: zones ${[...natEgressZones].join(', ') || '(none)'} get a route to the internet through NAT gateways in zone '${natZone}'; an IIP platform reaches AWS through the VPC endpoints and needs none`);
    }

    // ------------------------------------------------------------ resources
    const tags = applyIipTags(this, props, 'cloud-infrastructure');
    acknowledge(
      this,
      'AwsSolutions-VPC3',
      "The network ACLs are the second enforcement layer of the SRM-IIP zone model: every entry is a declared conduit, its return traffic, intra-zone traffic or a deny (SRM-IIP-NET-06), and the kit's pack checks each entry against the conduits; VPC3 only flags that NACLs exist",
    );

    this.logKey = props.logKey ?? createSecureKey(this, 'LogKey', 'SRM-IIP VPC flow-log key');
    const logGroupName = `/srm-iip/vpc-flow-logs/${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`;
    allowLogsForOwnLogGroups(this, this.logKey, 'CloudWatchLogsFlowLogs', logGroupArn(stack, logGroupName));
    this.flowLogGroup = new logs.LogGroup(this, 'FlowLogGroup', {
      logGroupName,
      encryptionKey: this.logKey,
      retention: retentionDays as logs.RetentionDays,
    });

    this.vpc = new ec2.Vpc(this, 'Resource', {
      ...secureVpcProps(),
      ipAddresses: ec2.IpAddresses.cidr(vpcCidr),
      maxAzs,
      natGateways,
      natGatewaySubnets: natGateways > 0 ? { subnetGroupName: natZone } : undefined,
      subnetConfiguration: zones.map((z) => ({
        name: z.name,
        cidrMask: z.cidrMask,
        subnetType: z.internetFacing ? ec2.SubnetType.PUBLIC : natEgressZones.has(z.name) ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED,
        // CDK accepts the flag on public subnets only; isolated and private ones never map public IPs.
        mapPublicIpOnLaunch: z.internetFacing ? false : undefined,
      })),
    });

    // The delivery role: trusted only for this account's flow logs, with a customer-managed policy scoped to the
    // log group (CDK would add an inline policy to a mutable role).
    const deliveryRole = new iam.Role(this, 'FlowLogRole', {
      description: 'SRM-IIP VPC flow-log delivery to CloudWatch Logs',
      assumedBy: servicePrincipalFor('vpc-flow-logs.amazonaws.com', stack.account, stack.formatArn({ service: 'ec2', resource: 'vpc-flow-log', resourceName: '*' })),
    });
    new iam.ManagedPolicy(this, 'FlowLogPolicy', {
      description: 'SRM-IIP VPC flow-log delivery: write to the flow-log group only',
      roles: [deliveryRole],
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [this.flowLogGroup.logGroupArn],
        }),
      ],
    });
    this.flowLog = new ec2.FlowLog(this, 'FlowLog', {
      resourceType: ec2.FlowLogResourceType.fromVpc(this.vpc),
      trafficType: ec2.FlowLogTrafficType.ALL,
      destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup, deliveryRole.withoutPolicyUpdates()),
    });

    // One security group and one network ACL per zone; everything of a zone carries its zone tag.
    const zonesScope = new Construct(this, 'Zones');
    for (const z of zones) {
      const zoneScope = new Construct(zonesScope, z.name);
      tagZone(zoneScope, props, z.name);
      for (const subnet of this.vpc.selectSubnets({ subnetGroupName: z.name }).subnets) {
        tagZone(subnet, props, z.name);
        if (z.internetFacing) acknowledgeInternetRoute(subnet, z.name);
      }
      this.groups.set(
        z.name,
        new ec2.SecurityGroup(zoneScope, 'SecurityGroup', {
          vpc: this.vpc,
          allowAllOutbound: false,
          description: `SRM-IIP zone ${z.name} (${z.domain} domain): only declared conduits`,
        }),
      );
      this.acls.set(z.name, new ec2.NetworkAcl(zoneScope, 'NetworkAcl', { vpc: this.vpc, subnetSelection: { subnetGroupName: z.name } }));
    }

    // Conduits → security-group rules: ingress on the target's group from the source's, egress on the source's to the target's.
    for (const c of conduits) {
      const port = conduitPort(c);
      const text = `${c.description} [conduit ${conduitText(c)}]`;
      this.groups.get(c.to)!.addIngressRule(this.groups.get(c.from)!, port, text);
      this.groups.get(c.from)!.addEgressRule(this.groups.get(c.to)!, port, text);
    }

    // Endpoints: in the endpoint zone, reached on 443 by the zones with a conduit into it.
    if (interfaceServices.length > 0) {
      const scopeEp = new Construct(this, 'Endpoints');
      tagZone(scopeEp, props, endpointZone);
      const sg = new ec2.SecurityGroup(scopeEp, 'SecurityGroup', {
        vpc: this.vpc,
        allowAllOutbound: false,
        description: `SRM-IIP VPC interface endpoints (zone ${endpointZone}): HTTPS from the zones that reach it`,
      });
      this.endpointSecurityGroup = sg;
      for (const z of serviceZones) {
        const zoneSg = this.groups.get(z)!;
        const why = z === endpointZone ? `zone ${z} (the endpoint zone)` : `conduit ${z}→${endpointZone} tcp 443`;
        sg.addIngressRule(zoneSg, ec2.Port.tcp(443), `HTTPS from zone ${z} to the VPC endpoints [${why}]`);
        zoneSg.addEgressRule(sg, ec2.Port.tcp(443), `HTTPS to the VPC endpoints [${why}]`);
      }
      for (const service of interfaceServices) {
        const name = endpointService(service);
        this.interfaces.set(name, new ec2.InterfaceVpcEndpoint(scopeEp, endpointId(name), {
          vpc: this.vpc,
          service,
          subnets: { subnetGroupName: endpointZone },
          securityGroups: [sg],
          open: false,
          privateDnsEnabled: ENDPOINT_SERVICES_WITHOUT_PRIVATE_DNS.includes(name) ? false : undefined,
        }));
      }
    }
    const routed = [...serviceZones].map((z) => ({ subnetGroupName: z }));
    for (const service of gatewayServices) {
      const name = endpointService(service);
      this.gateways.set(name, this.vpc.addGatewayEndpoint(endpointId(name), { service, subnets: routed }));
    }
    // Gateway endpoints (and NAT) answer from addresses outside the VPC, which no security group can name
    // without a region-specific prefix list: allow HTTPS beyond the VPC from the zones that use them.
    const beyondZones = new Set([...(gatewayServices.length > 0 ? serviceZones : []), ...natEgressZones]);
    for (const z of beyondZones) {
      this.groups.get(z)!.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS services through the S3/DynamoDB gateway endpoints (or the internet through NAT, when natGateways > 0)');
    }

    // Conduits → network-ACL entries.
    const zoneCidrs = new Map(zones.map((z) => [z.name, this.vpc.selectSubnets({ subnetGroupName: z.name }).subnets.map((s) => s.ipv4CidrBlock)]));
    for (const z of zones) this.addAclEntries(z.name, planZoneAcl(z.name, planFor(zoneCidrs)));

    this.handleCdkHelpers(stack, tags);
  }

  /** The security group of a zone. */
  public securityGroup(zoneName: string): ec2.SecurityGroup {
    return this.lookup(this.groups, zoneName);
  }

  /** The network ACL of a zone (add entries with rule numbers from 5000 up). */
  public networkAcl(zoneName: string): ec2.NetworkAcl {
    return this.lookup(this.acls, zoneName);
  }

  /** The subnets of a zone, for `vpcSubnets` props. */
  public subnets(zoneName: string): ec2.SubnetSelection {
    this.lookup(this.groups, zoneName);
    return { subnetGroupName: zoneName };
  }

  /** The interface endpoint of a service, by its endpoint name (`kms`, `logs`, `iot.data`, `ecr.dkr`, ...). */
  public interfaceEndpoint(service: string): ec2.InterfaceVpcEndpoint {
    return this.lookup(this.interfaces, service, 'interface endpoint');
  }

  /** The gateway endpoint of a service (`s3`, `dynamodb`). */
  public gatewayEndpoint(service: string): ec2.GatewayVpcEndpoint {
    return this.lookup(this.gateways, service, 'gateway endpoint');
  }

  private lookup<T>(m: Map<string, T>, name: string, what = 'zone'): T {
    const v = m.get(name);
    if (!v) throw new SrmIipError(`the network has no ${what} '${name}'; it has ${[...m.keys()].join(', ') || 'none'}`, this.node.path);
    return v;
  }

  // ------------------------------------------------------------ validation helpers

  private rejectToken(name: string, value: unknown, why: string): void {
    if (Token.isUnresolved(value)) throw new SrmIipError(`${name} must be a literal value, got a token: ${why}`, this.node.path);
  }

  private validateZones(input: readonly ZoneSpec[]): ZoneSpec[] {
    if (input.length === 0) throw new SrmIipError('zones must declare at least one zone, got []', this.node.path);
    const seen = new Set<string>();
    const domains = Object.values(SecurityDomain) as string[];
    return input.map((z, i) => {
      if (typeof z.name !== 'string' || !ZONE_NAME.test(z.name)) {
        throw new SrmIipError(`zones[${i}].name must be lowercase letters, digits and hyphens, starting with a letter (at most 31 characters), got '${z.name}'`, this.node.path);
      }
      if (seen.has(z.name)) throw new SrmIipError(`zones: zone name '${z.name}' is declared twice; zone names must be unique`, this.node.path);
      seen.add(z.name);
      if (!domains.includes(z.domain)) throw new SrmIipError(`zones[${i}] (${z.name}): domain must be one of ${domains.join(', ')}, got '${z.domain}'`, this.node.path);
      const cidrMask = z.cidrMask ?? DEFAULT_ZONE_CIDR_MASK;
      this.rejectToken(`zones[${i}].cidrMask`, cidrMask, 'the subnets are allocated at synthesis');
      validateRange(this, `zones[${i}].cidrMask`, cidrMask, 16, 28);
      const internetFacing = z.internetFacing ?? false;
      return { name: z.name, domain: z.domain, internetFacing, cidrMask, isolated: z.isolated ?? false };
    });
  }

  private validateFit(vpcCidr: string, zones: readonly ZoneSpec[], azCount: number): void {
    const size = 2 ** (32 - parseCidr(vpcCidr)!.prefix);
    const masks = zones.flatMap((z) => Array<number>(azCount).fill(z.cidrMask!));
    const needed = addressesNeeded(masks);
    if (needed > size) {
      const detail = zones.map((z) => `${z.name} ${azCount}×/${z.cidrMask}`).join(', ');
      throw new SrmIipError(
        `the zones do not fit in vpcCidr '${vpcCidr}' (${size} addresses): ${zones.length} zones × ${azCount} AZs need ${needed} addresses (${detail}); use a larger vpcCidr or smaller subnets (a larger cidrMask)`,
        this.node.path,
      );
    }
  }

  private validateConduits(input: readonly Conduit[], zoneNames: readonly string[]): ResolvedConduit[] {
    const seen = new Map<string, number>();
    return input.map((c, i) => {
      const label = `conduits[${i}] (${c.from} → ${c.to})`;
      for (const end of ['from', 'to'] as const) {
        if (!zoneNames.includes(c[end])) {
          throw new SrmIipError(`${label} names ${end} zone '${c[end]}', which is not a declared zone; declared zones: ${zoneNames.join(', ')}`, this.node.path);
        }
      }
      if (c.from === c.to) throw new SrmIipError(`${label} connects zone '${c.from}' with itself; a conduit joins two different zones (traffic within a zone needs none)`, this.node.path);
      const protocol = c.protocol ?? ConduitProtocol.TCP;
      if (!(Object.values(ConduitProtocol) as string[]).includes(protocol)) {
        throw new SrmIipError(`${label}: protocol must be one of ${Object.values(ConduitProtocol).join(', ')}, got '${protocol}'`, this.node.path);
      }
      const toPort = c.toPort ?? c.fromPort;
      for (const [field, v] of [['fromPort', c.fromPort], ['toPort', toPort]] as const) {
        if (Token.isUnresolved(v)) continue;
        if (!Number.isInteger(v) || v < 0 || v > 65535) throw new SrmIipError(`${label}: ${field} must be a port 0..65535, got ${v}`, this.node.path);
      }
      const literal = !Token.isUnresolved(c.fromPort) && !Token.isUnresolved(toPort);
      if (literal && c.fromPort > toPort) {
        throw new SrmIipError(`${label}: fromPort ${c.fromPort} is greater than toPort ${toPort}; a port range runs from fromPort up to toPort`, this.node.path);
      }
      if (literal && c.fromPort === 0 && toPort === 65535) {
        throw new SrmIipError(`${label} opens every ${protocol.toUpperCase()} port (0-65535); a conduit names only the ports its traffic needs (SRM-IIP-NET-02)`, this.node.path);
      }
      const r: ResolvedConduit = { from: c.from, to: c.to, protocol, fromPort: c.fromPort, toPort, description: c.description ?? `${c.from} to ${c.to}` };
      const key = literal ? `${r.from}|${r.to}|${r.protocol}|${r.fromPort}|${r.toPort}` : `token|${i}`;
      if (seen.has(key)) throw new SrmIipError(`${label} repeats conduits[${seen.get(key)}] (${conduitText(r)})`, this.node.path);
      seen.set(key, i);
      return r;
    });
  }

  private validateEndpointLists(interfaces: readonly ec2.InterfaceVpcEndpointAwsService[], gateways: readonly ec2.GatewayVpcEndpointAwsService[]): void {
    const present = new Set([...interfaces.map(endpointService), ...gateways.map(endpointService)]);
    for (const [list, label] of [[interfaces.map(endpointService), 'interfaceEndpoints'], [gateways.map(endpointService), 'gatewayEndpoints']] as const) {
      const dup = list.find((s, i) => list.indexOf(s) !== i);
      if (dup) throw new SrmIipError(`${label} lists endpoint service '${dup}' twice`, this.node.path);
    }
    const missing = BASELINE_ENDPOINT_SERVICES.filter((s) => !present.has(s));
    if (missing.length > 0) {
      warnWeakened(this, 'SRM-IIP-NET-04', `no VPC endpoint for ${missing.join(', ')}: calls to these services then need a path out of the VPC`);
    }
  }

  private validateRetention(days: number, allowShort: boolean): void {
    checkLogRetention(this, 'flowLogRetentionDays', days, allowShort, LOG_RETENTION_FLOOR_DAYS, 'allowShortFlowLogRetention');
  }


  // ------------------------------------------------------------ zone model metadata

  /**
   * Write the zone model into the stack's template metadata. Several networks
   * in one stack share one model: zone names are global, so a zone declared
   * twice must be declared the same way.
   */
  private registerZoneModel(stack: Stack, zones: readonly ZoneSpec[], conduits: readonly ResolvedConduit[]): void {
    let model = STACK_ZONE_MODELS.get(stack);
    if (!model) {
      const existing = stack.templateOptions.metadata?.[METADATA_KEY];
      if (existing !== undefined && !isPlainObject(existing)) {
        throw new SrmIipError(`the stack's template metadata '${METADATA_KEY}' is not an object (${JSON.stringify(existing)}), so the zone model cannot be added to it`, this.node.path);
      }
      model = { zones: new Map(), conduits: new Map() };
      const prior = existing?.zoneModel;
      if (isPlainObject(prior)) {
        for (const z of Array.isArray(prior.zones) ? prior.zones : []) {
          if (isPlainObject(z) && typeof z.name === 'string') model.zones.set(z.name, { name: z.name, domain: String(z.domain), internetFacing: z.internetFacing === true });
        }
        for (const c of Array.isArray(prior.conduits) ? prior.conduits : []) {
          if (isPlainObject(c)) model.conduits.set(JSON.stringify(c), c as unknown as ResolvedConduit);
        }
      }
      const m = model;
      stack.addMetadata(METADATA_KEY, {
        ...(existing ?? {}),
        zoneModel: Lazy.any({
          produce: () => ({
            zones: [...m.zones.values()],
            conduits: [...m.conduits.values()].map((c) => ({ from: c.from, to: c.to, protocol: c.protocol, fromPort: c.fromPort, toPort: c.toPort, description: c.description })),
          }),
        }),
      });
      STACK_ZONE_MODELS.set(stack, model);
    }
    for (const z of zones) {
      const entry: ZoneModelEntry = { name: z.name, domain: z.domain, internetFacing: z.internetFacing === true };
      const prev = model.zones.get(z.name);
      if (prev && (prev.domain !== entry.domain || prev.internetFacing !== entry.internetFacing)) {
        throw new SrmIipError(
          `zone '${z.name}' is declared as domain ${entry.domain}${entry.internetFacing ? ', internet-facing' : ''} here but as domain ${prev.domain}${prev.internetFacing ? ', internet-facing' : ''} in the stack's zone model; zone names are shared by the whole stack, so give the zone another name`,
          this.node.path,
        );
      }
      model.zones.set(z.name, entry);
    }
    for (const c of conduits) model.conduits.set(`${c.from}|${c.to}|${c.protocol}|${c.fromPort}|${c.toPort}|${c.description}`, c);
  }

  // ------------------------------------------------------------ network ACLs

  private validateAclSize(zone: string, plan: readonly AclEntryPlan[]): void {
    for (const egress of [false, true]) {
      const entries = plan.filter((e) => e.egress === egress);
      const direction = egress ? 'outbound' : 'inbound';
      if (entries.length > NACL_MAX_ENTRIES) {
        throw new SrmIipError(
          `zone '${zone}' needs ${entries.length} ${direction} network-ACL entries (its conduits × AZs), more than the ${NACL_MAX_ENTRIES} a network ACL can hold; use fewer AZs, merge port ranges or fewer conduits into the zone`,
          this.node.path,
        );
      }
      if (entries.length > NACL_DEFAULT_QUOTA) {
        Annotations.of(this).addWarningV2(
          'srm-iip:nacl-quota',
          `zone '${zone}' needs ${entries.length} ${direction} network-ACL entries, more than the default quota of ${NACL_DEFAULT_QUOTA}; raise the "Rules per network ACL" quota before deploying`,
        );
      }
    }
  }

  private addAclEntries(zone: string, plan: readonly AclEntryPlan[]): void {
    const acl = this.acls.get(zone)!;
    for (const egress of [false, true]) {
      plan.filter((e) => e.egress === egress).forEach((e, i) => {
        const ruleNumber = 100 + 10 * i;
        // Inbound reply entries (purpose 'return') need no acknowledgement: SRM-IIP-NET-06 covers them by their reverse conduit.
        acl.addEntry(`${egress ? 'Out' : 'In'}${ruleNumber}`, {
          ruleNumber,
          direction: egress ? ec2.TrafficDirection.EGRESS : ec2.TrafficDirection.INGRESS,
          ruleAction: e.allow ? ec2.Action.ALLOW : ec2.Action.DENY,
          cidr: e.cidr === '0.0.0.0/0' ? ec2.AclCidr.anyIpv4() : ec2.AclCidr.ipv4(e.cidr),
          traffic: aclTraffic(e),
        });
      });
    }
  }

  // ------------------------------------------------------------ CDK helper resources

  /**
   * `restrictDefaultSecurityGroup` needs CDK's singleton custom-resource
   * provider (a Lambda function and its role) at the stack root: give it the
   * kit's tags, which it cannot take from `Tags.of` (it is a raw CfnResource),
   * and acknowledge the findings that concern a CDK-managed helper only.
   */
  private handleCdkHelpers(stack: Stack, tags: IipTagValues): void {
    const provider = stack.node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
    if (!provider) return;
    const tagList = [
      { Key: TAG_ZONE, Value: tags.zone },
      { Key: TAG_LEVEL, Value: String(tags.classificationLevel) },
      { Key: TAG_OWNER, Value: tags.owner },
      { Key: TAG_STAGE, Value: tags.lifecycleStage },
    ];
    for (const child of provider.node.children) {
      if (child instanceof CfnResource && (child.cfnResourceType === 'AWS::Lambda::Function' || child.cfnResourceType === 'AWS::IAM::Role')) {
        child.addPropertyOverride('Tags', tagList);
      }
    }
    acknowledgeProvider(provider);
  }
}

const PROVIDER = "CDK's singleton provider for Custom::VpcRestrictDefaultSG (restrictDefaultSecurityGroup: true, SRM-IIP-NET-08)";

/** Findings on the default-security-group provider and why each does not apply to it. */
function acknowledgeProvider(provider: IConstruct): void {
  const acks: Record<string, string> = {
    'AwsSolutions-IAM4': `${PROVIDER}: its role uses the AWS-managed AWSLambdaBasicExecutionRole, which only grants CloudWatch Logs writes for this one-shot handler`,
    'SRM-IIP-SYS-05': `${PROVIDER}: CDK bundles and deploys its handler code as a CDK asset; CustomResourceProvider offers no code-signing config, and the function runs only at deployment to revoke the default group's rules`,
    'NIST.800.53.R5-LambdaConcurrency': `${PROVIDER}: runs once per deployment from CloudFormation, so a concurrency limit protects nothing`,
    'NIST.800.53.R5-LambdaDLQ': `${PROVIDER}: invoked synchronously by CloudFormation, which reports a failure as a failed deployment; no event can be lost to a dead-letter queue`,
    'NIST.800.53.R5-LambdaInsideVPC': `${PROVIDER}: calls only the EC2 API to revoke the default security group's rules and handles no data; it runs outside the VPC it configures`,
    'NIST.800.53.R5-IAMNoInlinePolicy': `${PROVIDER}: CDK writes its permissions (revoke/authorize rules on the VPC's default security group only) as an inline policy of its role`,
  };
  for (const [id, reason] of Object.entries(acks)) acknowledge(provider, id, reason);
}

/** The default route of an internet-facing zone's subnet is that zone's purpose, not a leak. */
function acknowledgeInternetRoute(subnet: ec2.ISubnet, zone: string): void {
  const route = subnet.node.tryFindChild('DefaultRoute');
  if (!route) return;
  acknowledge(
    route,
    'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
    `Route of internet-facing zone '${zone}' to the internet gateway: the zone exists to hold public load balancers, and SRM-IIP-NET-03 allows internet routes only in such zones; its subnets map no public IPs, its network ACL admits only HTTPS from the internet, and no other zone has such a route`,
  );
}

/** Tag a scope with a zone (over the construct-wide zone tag). */
function tagZone(scope: IConstruct, props: IipTaggingProps, zone: string): void {
  applyIipTags(scope, { ...props, zone }, zone, 200);
}

function coversTcp443(c: ResolvedConduit): boolean {
  if (c.protocol !== ConduitProtocol.TCP || Token.isUnresolved(c.fromPort) || Token.isUnresolved(c.toPort)) return false;
  return c.fromPort <= 443 && 443 <= c.toPort;
}

function conduitPort(c: ResolvedConduit): ec2.Port {
  switch (c.protocol) {
    case ConduitProtocol.UDP:
      return c.fromPort === c.toPort ? ec2.Port.udp(c.fromPort) : ec2.Port.udpRange(c.fromPort, c.toPort);
    default:
      return c.fromPort === c.toPort ? ec2.Port.tcp(c.fromPort) : ec2.Port.tcpRange(c.fromPort, c.toPort);
  }
}

function aclTraffic(e: AclEntryPlan): ec2.AclTraffic {
  switch (e.protocol) {
    case 'all':
      return ec2.AclTraffic.allTraffic();
    case 'udp':
      return ec2.AclTraffic.udpPortRange(e.fromPort!, e.toPort!);
    default:
      return ec2.AclTraffic.tcpPortRange(e.fromPort!, e.toPort!);
  }
}

/** `com.amazonaws.<region>.ecr.dkr` → `ecr.dkr`. */
function endpointService(service: { readonly name: string }): string {
  const m = /^(?:[a-z.]*amazonaws\.)?(?:\$\{Token\[[^\]]+\]\}|[a-z0-9-]+)\.(.+)$/.exec(service.name);
  return (service as { shortName?: string }).shortName ?? (m ? m[1] : service.name);
}

/** `ecr.dkr` → `EcrDkr`, `kinesis-firehose` → `KinesisFirehose`. */
function endpointId(service: string): string {
  return service
    .split(/[.-]/)
    .filter((p) => p !== '')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}
