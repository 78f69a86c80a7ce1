import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { SecurityDomain } from '../../rules/catalog/types';
import { Conduit, ConduitProtocol, ZoneSpec } from '../network/zones';

/** VPC address range when none is given. */
export const DEFAULT_VPC_CIDR = '10.0.0.0/16';

/** Availability zones per zone when none are given; also the least the kit accepts (SRM-IIP-SYS-07). */
export const DEFAULT_MAX_AZS = 2;

/** Prefix length of a zone's subnets when the zone gives none. */
export const DEFAULT_ZONE_CIDR_MASK = 24;



/** Client-side (ephemeral) ports that carry the replies of a conduit through stateless network ACLs. */
export const EPHEMERAL_PORT_RANGE = { fromPort: 1024, toPort: 65535 } as const;

/**
 * The zones of an industrial internet platform, one subnet tier each
 * (SRM-IIP-NET-01): an internet-facing ingress zone for load balancers
 * (application domain), edge for gateway and device connectivity, platform
 * for ingestion and processing (and the VPC endpoints), application for
 * customer-facing services, and data for the stores (platform domain,
 * isolated). The domains follow the rule engine's default zone model.
 */
export function defaultNetworkZones(): ZoneSpec[] {
  return [
    { name: 'ingress', domain: SecurityDomain.APPLICATION, internetFacing: true, cidrMask: DEFAULT_ZONE_CIDR_MASK },
    { name: 'edge', domain: SecurityDomain.EDGE, internetFacing: false, cidrMask: DEFAULT_ZONE_CIDR_MASK },
    { name: 'platform', domain: SecurityDomain.PLATFORM, internetFacing: false, cidrMask: DEFAULT_ZONE_CIDR_MASK },
    { name: 'application', domain: SecurityDomain.APPLICATION, internetFacing: false, cidrMask: DEFAULT_ZONE_CIDR_MASK },
    { name: 'data', domain: SecurityDomain.PLATFORM, internetFacing: false, cidrMask: DEFAULT_ZONE_CIDR_MASK, isolated: true },
  ];
}

/**
 * The conduits between the default zones (SRM-IIP-NET-06). Everything flows
 * inwards, towards the data, over TLS ports; the data zone starts no
 * connection, and nothing reaches edge or ingress from the inside.
 */
export function defaultNetworkConduits(): Conduit[] {
  const tcp = ConduitProtocol.TCP;
  return [
    { from: 'ingress', to: 'application', protocol: tcp, fromPort: 443, toPort: 443, description: 'load balancers to application services (HTTPS)' },
    { from: 'application', to: 'platform', protocol: tcp, fromPort: 443, toPort: 443, description: 'application services to platform APIs and the VPC endpoints (HTTPS)' },
    { from: 'edge', to: 'platform', protocol: tcp, fromPort: 8883, toPort: 8883, description: 'edge gateways to platform brokers (MQTT over TLS)' },
    { from: 'edge', to: 'platform', protocol: tcp, fromPort: 443, toPort: 443, description: 'edge gateways to platform APIs and the VPC endpoints (HTTPS)' },
    { from: 'platform', to: 'data', protocol: tcp, fromPort: 5432, toPort: 5432, description: 'platform services to PostgreSQL stores (TLS)' },
    { from: 'platform', to: 'data', protocol: tcp, fromPort: 6379, toPort: 6379, description: 'platform services to Redis/Valkey caches (in-transit encryption)' },
  ];
}

/**
 * Interface endpoints of the services the kit's constructs use
 * (SRM-IIP-NET-04): every service the NET-04 rule may require (keys, logs,
 * IoT data, secrets, parameters, queues, topics, streams, Firehose, STS,
 * ECR), plus Session Manager's channel so instances are administered without
 * open ports (SRM-IIP-OPS-06).
 */
export function defaultInterfaceEndpoints(): ec2.InterfaceVpcEndpointAwsService[] {
  const s = ec2.InterfaceVpcEndpointAwsService;
  return [
    s.KMS,
    s.CLOUDWATCH_LOGS,
    s.IOT_CORE,
    s.SECRETS_MANAGER,
    s.SSM,
    s.SSM_MESSAGES,
    s.SQS,
    s.SNS,
    s.KINESIS_STREAMS,
    s.KINESIS_FIREHOSE,
    s.STS,
    s.ECR,
    s.ECR_DOCKER,
  ];
}

/** Gateway endpoints (free, route-table based): S3 and DynamoDB. */
export function defaultGatewayEndpoints(): ec2.GatewayVpcEndpointAwsService[] {
  return [ec2.GatewayVpcEndpointAwsService.S3, ec2.GatewayVpcEndpointAwsService.DYNAMODB];
}

/**
 * Endpoint services whose data endpoint has no private DNS: AWS IoT Core's
 * data plane rejects `PrivateDnsEnabled: true`; clients reach it through a
 * private hosted zone of their own.
 */
export const ENDPOINT_SERVICES_WITHOUT_PRIVATE_DNS: readonly string[] = ['iot.data', 'iot.credentials'];

/**
 * Secure defaults of the VPC itself (SRM-IIP-NET-03, NET-08): DNS for the
 * private endpoints, no NAT gateways, the default security group stripped,
 * no public IPs on launch (set per subnet tier).
 */
export function secureVpcProps(): ec2.VpcProps {
  return {
    enableDnsHostnames: true,
    enableDnsSupport: true,
    natGateways: 0,
    restrictDefaultSecurityGroup: true,
    createInternetGateway: true,
  };
}
