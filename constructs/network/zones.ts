import { SecurityDomain } from '../../rules/catalog/types';

/**
 * IP protocol of a conduit. TCP and UDP only: conduits carry application
 * traffic on named ports (ICMP between zones is not offered).
 */
export enum ConduitProtocol {
  /** TCP; the conduit's ports are a port range. */
  TCP = 'tcp',
  /** UDP; the conduit's ports are a port range. */
  UDP = 'udp',
}

/**
 * A zone of the network: one subnet tier (one subnet per availability zone),
 * its own security group and its own network ACL.
 */
export interface ZoneSpec {
  /** Zone name: lowercase letters, digits and hyphens, starting with a letter (it becomes a tag value and a construct id). */
  readonly name: string;
  /** The SRM-IIP security domain the zone belongs to. */
  readonly domain: SecurityDomain;
  /**
   * Whether the zone may be reached from the internet. Internet-facing zones get public
   * subnets (a route to the internet gateway) but still never map public IPs on launch.
   * @default false
   * @see SRM-IIP-NET-03
   */
  readonly internetFacing?: boolean;
  /**
   * Prefix length of each of the zone's subnets, 16..28.
   * @default 24
   */
  readonly cidrMask?: number;
  /**
   * Keep the zone without a route to the NAT gateways even when `natGateways` > 0.
   * Without NAT gateways every zone but the internet-facing ones is isolated anyway.
   * @default false
   * @see SRM-IIP-NET-03
   */
  readonly isolated?: boolean;
}

/**
 * A conduit of the zone model: the only way traffic may cross from one zone
 * to another. Each conduit becomes the security-group rules and network-ACL
 * entries that let exactly this traffic through, and is written into the
 * template metadata so the checker can match every rule against it.
 */
export interface Conduit {
  /** Source zone (where connections start). */
  readonly from: string;
  /** Target zone (where connections are accepted). */
  readonly to: string;
  /**
   * IP protocol.
   * @default ConduitProtocol.TCP
   */
  readonly protocol?: ConduitProtocol;
  /** First port of the range, 0..65535. */
  readonly fromPort: number;
  /**
   * Last port of the range, fromPort..65535.
   * @default - fromPort (one port)
   */
  readonly toPort?: number;
  /**
   * What the conduit carries, shown on the generated rules.
   * @default - '<from> to <to> <protocol> <ports>'
   */
  readonly description?: string;
}
