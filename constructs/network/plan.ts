/**
 * Pure planning of the network: where each zone's subnets fall in the VPC
 * range, and which network-ACL entries the conduits turn into. No CDK
 * constructs here, so the plan can be checked before anything is created.
 */
import { EPHEMERAL_PORT_RANGE } from '../defaults/vpc-defaults';
import { ConduitProtocol } from './zones';

/** A conduit with every default filled in. */
export interface ResolvedConduit {
  readonly from: string;
  readonly to: string;
  readonly protocol: ConduitProtocol;
  readonly fromPort: number;
  readonly toPort: number;
  readonly description: string;
}

// ---------------------------------------------------------------- address plan

/**
 * Addresses needed to place `subnets` (prefix lengths, in allocation order)
 * from the start of a range, the way CDK allocates them: each block starts
 * at the next address aligned to its own size.
 */
export function addressesNeeded(masks: readonly number[]): number {
  let next = 0;
  for (const m of masks) {
    const size = 2 ** (32 - m);
    next = Math.ceil(next / size) * size + size;
  }
  return next;
}

// ---------------------------------------------------------------- network ACL plan

export type AclPurpose = 'conduit' | 'intra-zone' | 'return' | 'vpc-deny' | 'aws-services' | 'internet';

/** One network-ACL entry of a zone. */
export interface AclEntryPlan {
  readonly egress: boolean;
  readonly allow: boolean;
  /** `0.0.0.0/0` for the internet and AWS service ranges. */
  readonly cidr: string;
  /** `tcp`, `udp` or `all`. */
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly purpose: AclPurpose;
  /** Why the entry exists, in words. */
  readonly note: string;
  /** For return entries: the conduits whose replies it carries. */
  readonly returnOf?: readonly ResolvedConduit[];
}

export interface AclPlanInput {
  readonly vpcCidr: string;
  /** Zone names in declaration order, with their subnet CIDRs. */
  readonly zoneCidrs: ReadonlyMap<string, readonly string[]>;
  readonly internetFacing: ReadonlySet<string>;
  readonly conduits: readonly ResolvedConduit[];
  /** Zones that reach AWS services outside the VPC address range (gateway endpoints, NAT) on TCP 443. */
  readonly awsServiceZones: ReadonlySet<string>;
  /** Zones whose traffic leaves through the NAT gateways, and the zone that holds them. */
  readonly natEgressZones: ReadonlySet<string>;
  readonly natZone?: string;
}

const ANYWHERE = '0.0.0.0/0';

function ports(c: ResolvedConduit): string {
  return c.fromPort === c.toPort ? `${c.protocol} ${c.fromPort}` : `${c.protocol} ${c.fromPort}-${c.toPort}`;
}

/** Text of a conduit for notes and messages: `edge→platform tcp 8883`. */
export function conduitText(c: ResolvedConduit): string {
  return `${c.from}→${c.to} ${ports(c)}`;
}

/**
 * The network-ACL entries of one zone, in evaluation order. NACLs are
 * stateless, so each conduit needs four entries: the request in (target
 * ingress) and out (source egress), and the reply on ephemeral ports back
 * out (target egress) and in (source ingress). Inside the VPC range nothing
 * else passes: the zone's own subnets talk freely, every other VPC address
 * is denied before the entries that admit the internet or AWS service
 * ranges.
 */
export function planZoneAcl(zone: string, input: AclPlanInput): AclEntryPlan[] {
  const out: AclEntryPlan[] = [];
  const cidrs = (z: string) => input.zoneCidrs.get(z) ?? [];
  const add = (e: AclEntryPlan) => out.push(e);

  for (const egress of [false, true]) {
    // 1. Conduit requests.
    for (const c of input.conduits) {
      if ((egress ? c.from : c.to) !== zone) continue;
      const peer = egress ? c.to : c.from;
      for (const cidr of cidrs(peer)) {
        add({ egress, allow: true, cidr, protocol: c.protocol, fromPort: c.fromPort, toPort: c.toPort, purpose: 'conduit', note: `conduit ${conduitText(c)}` });
      }
    }
    // 1b. Traffic towards the NAT gateways: the NAT zone admits it (conduit <zone>→<NAT zone> tcp 443 in the zone
    // model); the egress zones send it to the remote address, which their AWS-service entry below allows.
    if (!egress && zone === input.natZone) {
      for (const z of input.natEgressZones) {
        for (const cidr of cidrs(z)) add({ egress, allow: true, cidr, protocol: 'tcp', fromPort: 443, toPort: 443, purpose: 'conduit', note: `conduit ${z}→${zone} tcp 443 (to the NAT gateways)` });
      }
    }
    // 2. The zone's own subnets (one per availability zone).
    for (const cidr of cidrs(zone)) add({ egress, allow: true, cidr, protocol: 'all', purpose: 'intra-zone', note: `within zone ${zone}` });
    // 3. Replies of conduits: on ephemeral ports, back to the side that opened the connection.
    const replies = new Map<string, ResolvedConduit[]>();
    for (const c of input.conduits) {
      // Ingress replies reach the source zone; egress replies leave the target zone.
      if ((egress ? c.to : c.from) !== zone) continue;
      const peer = egress ? c.from : c.to;
      if (peer === zone) continue;
      const k = `${peer}|${c.protocol}`;
      replies.set(k, [...(replies.get(k) ?? []), c]);
    }
    // Replies from the internet pass the NAT zone back to the egress zones (their source is the remote server, so the
    // egress zones admit them with their AWS-service entry below).
    if (egress && zone === input.natZone) {
      for (const z of input.natEgressZones) {
        const k = `${z}|tcp`;
        const nat: ResolvedConduit = { from: z, to: zone, protocol: ConduitProtocol.TCP, fromPort: 443, toPort: 443, description: 'to the NAT gateways' };
        replies.set(k, [...(replies.get(k) ?? []), nat]);
      }
    }
    for (const [k, list] of replies) {
      const [peer, protocol] = k.split('|');
      for (const cidr of cidrs(peer)) {
        add({
          egress,
          allow: true,
          cidr,
          protocol,
          ...EPHEMERAL_PORT_RANGE,
          purpose: 'return',
          note: `replies of ${list.map(conduitText).join(', ')}`,
          returnOf: list,
        });
      }
    }
    // 4. Beyond the VPC: the internet (internet-facing zones) and AWS service ranges (gateway endpoints, NAT).
    const beyond: AclEntryPlan[] = [];
    const facing = input.internetFacing.has(zone);
    const services = input.awsServiceZones.has(zone) || input.natEgressZones.has(zone);
    const natZone = zone === input.natZone && input.natEgressZones.size > 0;
    if (!egress) {
      if (facing) beyond.push({ egress, allow: true, cidr: ANYWHERE, protocol: 'tcp', fromPort: 443, toPort: 443, purpose: 'internet', note: 'HTTPS from the internet into the internet-facing zone' });
      if (services || natZone) {
        beyond.push({ egress, allow: true, cidr: ANYWHERE, protocol: 'tcp', ...EPHEMERAL_PORT_RANGE, purpose: 'aws-services', note: 'replies from AWS services (gateway endpoints) or the internet (NAT) on ephemeral ports' });
      }
    } else {
      if (facing) beyond.push({ egress, allow: true, cidr: ANYWHERE, protocol: 'tcp', ...EPHEMERAL_PORT_RANGE, purpose: 'internet', note: 'replies to internet clients on ephemeral ports' });
      if (services || natZone) beyond.push({ egress, allow: true, cidr: ANYWHERE, protocol: 'tcp', fromPort: 443, toPort: 443, purpose: 'aws-services', note: 'HTTPS to AWS services (gateway endpoints) or the internet (NAT)' });
    }
    if (beyond.length > 0) {
      add({ egress, allow: false, cidr: input.vpcCidr, protocol: 'all', purpose: 'vpc-deny', note: 'nothing else inside the VPC: only conduits and their replies cross zones' });
      for (const e of beyond) add(e);
    }
  }
  return out;
}
