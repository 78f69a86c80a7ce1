import { CfnParameter, Names, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { SrmIipError } from '../rules/errors';
import { createSecureKey } from './defaults/kms-defaults';
import { allowLogGroupEncryption, checkLogRetention, DEFAULT_LOG_RETENTION_DAYS, LOG_RETENTION_FLOOR_DAYS, secureLogGroupProps } from './defaults/logs-defaults';
import {
  DEFAULT_AMAZON_SIDE_ASN,
  DEFAULT_CUSTOMER_ASN,
  defaultDhGroups,
  MAX_BGP_ASN_FIELD,
  NON_PUBLIC_IPV4_RANGES,
  RESERVED_CUSTOMER_ASNS,
  secureTunnelOptions,
} from './defaults/vpn-defaults';
import { IipNetwork } from './IipNetwork';
import { logGroupArn } from './private/logs';
import { cidrsOverlap, parseCidr } from './private/validate';
import { applyIipTags, IipTaggingProps } from './tagging';

export interface IipSiteConnectionProps extends IipTaggingProps {
  /**
   * Public, static IPv4 address of the plant's VPN device (or of the NAT device in front of it).
   * Private, loopback, link-local, shared (100.64.0.0/10), multicast and reserved addresses are refused.
   * @default - a CloudFormation parameter `<ConstructId>PlantPublicIp…` asks for it at deployment
   * @see SRM-IIP-COM-05
   */
  readonly plantPublicIp?: string;
  /**
   * BGP ASN of the plant's customer gateway, 1..4294967294; not 7224 (reserved by AWS), nor
   * 9059 / 10124 / 17943 in eu-west-1 / ap-northeast-1 / ap-southeast-1, nor the Amazon-side ASN.
   * @default 65000
   */
  readonly bgpAsn?: number;
  /**
   * Private BGP ASN of the virtual private gateway, 64512..65534 or 4200000000..4294967294.
   * @default 64512
   */
  readonly amazonSideAsn?: number;
  /**
   * VPC the plant connects to. The construct attaches a virtual private gateway to it.
   * @default - a new IipNetwork (child 'Network') with its default zones; the plant reaches its edge zone
   * @see SRM-IIP-NET-01
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Subnets whose route tables learn the plant's routes (route propagation from the virtual
   * private gateway). Only these subnets can reach the plant.
   * @default - the edge zone of the created network; with `vpc`, the VPC's default subnet selection (its private subnets)
   * @see SRM-IIP-NET-06
   */
  readonly subnets?: ec2.SubnetSelection;
  /**
   * IPv4 CIDRs of the plant, routed statically through the VPN; each must not overlap the VPC
   * or another route. Setting them makes the connection static (no BGP).
   * @default - dynamic routing: the plant announces its routes over BGP
   */
  readonly staticRoutes?: string[];
  /**
   * Diffie-Hellman groups the tunnels allow in IKE phase 1 and (for perfect forward secrecy)
   * phase 2, each 14..21; 2, 5 and 22..24 are weak and refused.
   * @default [19, 20, 21]
   * @see SRM-IIP-COM-05
   */
  readonly dhGroups?: number[];
  /**
   * Customer-managed key of the tunnel log group. A key of the same app gets a key-policy
   * statement for CloudWatch Logs; an imported key must already allow it.
   * @default - a new key with rotation on, a 30-day deletion window and RETAIN
   * @see SRM-IIP-SYS-01
   */
  readonly logKey?: kms.IKey;
  /**
   * Days to keep tunnel logs; one of the periods CloudWatch Logs offers, at least 365 unless
   * `allowShortLogRetention` is set.
   * @default 365
   * @see SRM-IIP-OPS-02
   */
  readonly logRetentionDays?: number;
  /**
   * Accept a tunnel-log retention below 365 days. The shorter retention is reported.
   * @default false
   * @see SRM-IIP-OPS-02
   */
  readonly allowShortLogRetention?: boolean;
}

/**
 * A Site-to-Site VPN from a plant to a VPC: a customer gateway for the
 * plant's VPN device, a virtual private gateway attached to the VPC, and a
 * VPN connection whose two tunnels allow IKEv2 only, AES-256-GCM only, SHA-2
 * integrity and DH groups 19–21 (configurable within 14–21), and log their
 * activity to a KMS-encrypted log group kept 365 days. AWS generates the
 * pre-shared keys, so none is in the template. Plant routes are learnt over
 * BGP or set as static routes, and propagate only to the chosen subnets.
 *
 * The network ACLs and security groups of the VPC still decide what plant
 * traffic may enter: add entries for the ports the plant needs
 * (with IipNetwork, `networkAcl('edge')` and `securityGroup('edge')`).
 */
export class IipSiteConnection extends Construct {
  /** The VPN connection. */
  public readonly vpnConnection: ec2.CfnVPNConnection;
  /** The plant's customer gateway. */
  public readonly customerGateway: ec2.CfnCustomerGateway;
  /** The virtual private gateway attached to the VPC. */
  public readonly vpnGateway: ec2.CfnVPNGateway;
  /** The VPC the plant connects to. */
  public readonly vpc: ec2.IVpc;
  /** The network the construct created, when no `vpc` was given. */
  public readonly network?: IipNetwork;
  /** The log group of the tunnel logs. */
  public readonly logGroup: logs.LogGroup;
  /** The key of the tunnel log group. */
  public readonly logKey: kms.IKey;
  /** The parameter that asks for the plant's IP address at deployment, when `plantPublicIp` was not given. */
  public readonly plantPublicIpParameter?: CfnParameter;

  constructor(scope: Construct, id: string, props: IipSiteConnectionProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);

    // ------------------------------------------------------------ validation
    this.validatePlantIp(props.plantPublicIp);
    const bgpAsn = props.bgpAsn ?? DEFAULT_CUSTOMER_ASN;
    const amazonSideAsn = props.amazonSideAsn ?? DEFAULT_AMAZON_SIDE_ASN;
    this.validateAsns(bgpAsn, amazonSideAsn, stack.region);
    const dhGroups = props.dhGroups ?? defaultDhGroups();
    this.validateDhGroups(dhGroups);
    const retentionDays = props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
    checkLogRetention(this, 'logRetentionDays', retentionDays, props.allowShortLogRetention ?? false, LOG_RETENTION_FLOOR_DAYS, 'allowShortLogRetention');
    const staticRoutes = props.staticRoutes ?? [];
    if (props.staticRoutes !== undefined && staticRoutes.length === 0) {
      throw new SrmIipError('staticRoutes must name at least one plant CIDR, got []; leave it unset for BGP routing', this.node.path);
    }
    if (props.subnets !== undefined && props.vpc === undefined) {
      throw new SrmIipError('subnets needs vpc: the subnets select route tables of the given VPC; without vpc the plant reaches the edge zone of the created network', this.node.path);
    }

    // ------------------------------------------------------------ network
    const tags = applyIipTags(this, props, 'edge');
    if (props.vpc) {
      this.vpc = props.vpc;
    } else {
      this.network = new IipNetwork(this, 'Network', { classificationLevel: tags.classificationLevel, owner: tags.owner, lifecycleStage: tags.lifecycleStage });
      this.vpc = this.network.vpc;
    }
    this.validateStaticRoutes(staticRoutes, vpcCidrOf(this.vpc));
    const selection = props.subnets ?? (this.network ? this.network.subnets('edge') : {});
    const routeTableIds = [...new Set(this.vpc.selectSubnets(selection).subnets.map((s) => s.routeTable.routeTableId))];
    if (routeTableIds.length === 0) {
      throw new SrmIipError('subnets selects no subnet of the VPC, so no route table would learn the plant routes; select the subnets that talk to the plant', this.node.path);
    }

    // ------------------------------------------------------------ tunnel logs
    this.logKey = props.logKey ?? createSecureKey(this, 'LogKey', 'SRM-IIP site-to-site VPN tunnel-log key');
    const logGroupName = `/srm-iip/vpn/${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`;
    allowLogGroupEncryption(this.logKey, logGroupArn(stack, logGroupName), `CloudWatchLogsVpnTunnels${Names.uniqueId(this).slice(-8)}`);
    this.logGroup = new logs.LogGroup(this, 'TunnelLogs', { ...secureLogGroupProps(this.logKey, retentionDays), logGroupName });

    // ------------------------------------------------------------ VPN
    let ipAddress = props.plantPublicIp;
    if (ipAddress === undefined) {
      this.plantPublicIpParameter = new CfnParameter(this, 'PlantPublicIp', {
        type: 'String',
        description: `Public static IPv4 address of the plant VPN device of ${this.node.path}`,
        allowedPattern: '^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$',
        constraintDescription: 'must be an IPv4 address such as 203.0.113.10',
      });
      ipAddress = this.plantPublicIpParameter.valueAsString;
    }
    this.customerGateway = new ec2.CfnCustomerGateway(this, 'CustomerGateway', {
      type: 'ipsec.1',
      ipAddress,
      ...(bgpAsn > MAX_BGP_ASN_FIELD ? { bgpAsnExtended: bgpAsn } : { bgpAsn }),
    });
    this.vpnGateway = new ec2.CfnVPNGateway(this, 'VpnGateway', { type: 'ipsec.1', amazonSideAsn });
    const attachment = new ec2.CfnVPCGatewayAttachment(this, 'VpnGatewayAttachment', { vpcId: this.vpc.vpcId, vpnGatewayId: this.vpnGateway.ref });
    const propagation = new ec2.CfnVPNGatewayRoutePropagation(this, 'RoutePropagation', { routeTableIds, vpnGatewayId: this.vpnGateway.ref });
    // Route propagation fails until the gateway is attached to the VPC.
    propagation.addResourceDependency(attachment);

    const tunnel = secureTunnelOptions(dhGroups, this.logGroup.logGroupArn);
    this.vpnConnection = new ec2.CfnVPNConnection(this, 'Resource', {
      type: 'ipsec.1',
      customerGatewayId: this.customerGateway.ref,
      vpnGatewayId: this.vpnGateway.ref,
      staticRoutesOnly: staticRoutes.length > 0,
      vpnTunnelOptionsSpecifications: [tunnel, tunnel],
    });
    this.vpnConnection.addResourceDependency(attachment);
    staticRoutes.forEach((cidr, i) => {
      new ec2.CfnVPNConnectionRoute(this, `StaticRoute${i}`, { destinationCidrBlock: cidr, vpnConnectionId: this.vpnConnection.ref });
    });
  }

  private validatePlantIp(ip: string | undefined): void {
    if (ip === undefined || Token.isUnresolved(ip)) return;
    const parsed = parseCidr(`${ip}/32`);
    if (!parsed) throw new SrmIipError(`plantPublicIp must be an IPv4 address such as 203.0.113.10, got '${ip}'`, this.node.path);
    for (const r of NON_PUBLIC_IPV4_RANGES) {
      if (cidrsOverlap(parsed, parseCidr(r.cidr)!)) {
        throw new SrmIipError(`plantPublicIp must be a public IPv4 address reachable over the internet, got '${ip}' (in ${r.cidr}, ${r.what})`, this.node.path);
      }
    }
  }

  private validateAsns(bgpAsn: number, amazonSideAsn: number, region: string): void {
    const literal = (n: number) => !Token.isUnresolved(n);
    if (literal(bgpAsn)) {
      if (!Number.isInteger(bgpAsn) || bgpAsn < 1 || bgpAsn > 4294967294) throw new SrmIipError(`bgpAsn must be a whole number 1..4294967294, got ${bgpAsn}`, this.node.path);
      for (const r of RESERVED_CUSTOMER_ASNS) {
        if (r.asn !== bgpAsn) continue;
        if (r.region === undefined) throw new SrmIipError(`bgpAsn ${bgpAsn} is reserved by AWS in every region; use the plant's own public ASN or a private one (64512..65534)`, this.node.path);
        if (r.region === region) throw new SrmIipError(`bgpAsn ${bgpAsn} is reserved by AWS in ${region}; use the plant's own public ASN or a private one (64512..65534)`, this.node.path);
      }
    }
    if (literal(amazonSideAsn)) {
      const ok = Number.isInteger(amazonSideAsn) && ((amazonSideAsn >= 64512 && amazonSideAsn <= 65534) || (amazonSideAsn >= 4200000000 && amazonSideAsn <= 4294967294));
      if (!ok) throw new SrmIipError(`amazonSideAsn must be a private ASN, 64512..65534 or 4200000000..4294967294, got ${amazonSideAsn}`, this.node.path);
    }
    if (literal(bgpAsn) && literal(amazonSideAsn) && bgpAsn === amazonSideAsn) {
      throw new SrmIipError(`bgpAsn must differ from amazonSideAsn; BGP needs two autonomous systems, got ${bgpAsn} for both`, this.node.path);
    }
  }

  private validateDhGroups(groups: readonly number[]): void {
    if (groups.length === 0) throw new SrmIipError('dhGroups must name at least one Diffie-Hellman group 14..21, got []', this.node.path);
    groups.forEach((g, i) => {
      if (Token.isUnresolved(g)) return;
      if (!Number.isInteger(g) || g < 14 || g > 21) {
        throw new SrmIipError(`dhGroups must be Diffie-Hellman groups 14..21 (2 and 5 are too small; 22..24 are weak RFC 5114 groups), got ${g} in [${groups.join(', ')}]`, this.node.path);
      }
      if (groups.indexOf(g) !== i) throw new SrmIipError(`dhGroups lists group ${g} twice`, this.node.path);
    });
  }

  private validateStaticRoutes(routes: readonly string[], vpcCidr: string | undefined): void {
    const seen: Array<{ cidr: string; parsed: { network: number; prefix: number } }> = [];
    routes.forEach((cidr, i) => {
      if (Token.isUnresolved(cidr)) return;
      const parsed = parseCidr(cidr);
      if (!parsed) throw new SrmIipError(`staticRoutes[${i}] must be an IPv4 CIDR block with its host bits zero (e.g. 192.168.10.0/24), got '${cidr}'`, this.node.path);
      if (vpcCidr !== undefined && cidrsOverlap(parsed, parseCidr(vpcCidr)!)) {
        throw new SrmIipError(`staticRoutes[${i}] '${cidr}' overlaps the VPC's CIDR ${vpcCidr}; plant and VPC addresses must be distinct`, this.node.path);
      }
      const clash = seen.find((s) => cidrsOverlap(s.parsed, parsed));
      if (clash) throw new SrmIipError(`staticRoutes[${i}] '${cidr}' overlaps staticRoutes entry '${clash.cidr}'`, this.node.path);
      seen.push({ cidr, parsed });
    });
  }
}

/** The VPC's primary IPv4 CIDR when it is known at synthesis (a looked-up VPC, or a VPC of this app). */
function vpcCidrOf(vpc: ec2.IVpc): string | undefined {
  const candidates = [vpc.vpcCidrBlock, (vpc.node.defaultChild as ec2.CfnVPC | undefined)?.cidrBlock];
  return candidates.find((c): c is string => typeof c === 'string' && !Token.isUnresolved(c) && parseCidr(c) !== undefined);
}
