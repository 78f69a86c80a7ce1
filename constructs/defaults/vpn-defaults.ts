import * as ec2 from 'aws-cdk-lib/aws-ec2';

/** BGP ASN of the plant's customer gateway when none is given (a private 2-byte ASN, the EC2 API's own default). */
export const DEFAULT_CUSTOMER_ASN = 65000;

/** Amazon-side BGP ASN of the virtual private gateway when none is given (the AWS default). */
export const DEFAULT_AMAZON_SIDE_ASN = 64512;

/** Largest ASN the EC2 API accepts in `BgpAsn`; larger 4-byte ASNs go into `BgpAsnExtended`. */
export const MAX_BGP_ASN_FIELD = 2147483647;

/**
 * Public ASNs AWS reserves for itself, which a customer gateway cannot use:
 * 7224 everywhere, the others in one region each (Site-to-Site VPN User
 * Guide, "Customer gateway options").
 */
export const RESERVED_CUSTOMER_ASNS: ReadonlyArray<{ readonly asn: number; readonly region?: string }> = [
  { asn: 7224 },
  { asn: 9059, region: 'eu-west-1' },
  { asn: 10124, region: 'ap-northeast-1' },
  { asn: 17943, region: 'ap-southeast-1' },
];

/**
 * Diffie-Hellman groups allowed by default in both IKE phases: the NIST
 * elliptic-curve groups 19 (P-256), 20 (P-384) and 21 (P-521). Groups 14–18
 * (2048-bit and larger MODP) are also strong and may be chosen; 2, 5 and
 * 22–24 never.
 */
export function defaultDhGroups(): number[] {
  return [19, 20, 21];
}

/**
 * IPv4 ranges that are not reachable over the internet (RFC 6890 special-purpose
 * registry), so a customer gateway cannot have its outside address there.
 * The documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) are
 * not listed: AWS accepts them, and examples use them.
 */
export const NON_PUBLIC_IPV4_RANGES: ReadonlyArray<{ readonly cidr: string; readonly what: string }> = [
  { cidr: '0.0.0.0/8', what: "'this network'" },
  { cidr: '10.0.0.0/8', what: 'private (RFC 1918)' },
  { cidr: '100.64.0.0/10', what: 'carrier-grade NAT shared address space (RFC 6598)' },
  { cidr: '127.0.0.0/8', what: 'loopback' },
  { cidr: '169.254.0.0/16', what: 'link-local' },
  { cidr: '172.16.0.0/12', what: 'private (RFC 1918)' },
  { cidr: '192.0.0.0/24', what: 'IETF protocol assignments' },
  { cidr: '192.168.0.0/16', what: 'private (RFC 1918)' },
  { cidr: '198.18.0.0/15', what: 'benchmarking (RFC 2544)' },
  { cidr: '224.0.0.0/4', what: 'multicast' },
  { cidr: '240.0.0.0/4', what: 'reserved (including broadcast)' },
];

/**
 * Options of one VPN tunnel with the kit's cryptography (SRM-IIP-COM-05):
 * IKEv2 only, AES-256-GCM only, SHA-2 integrity (used for the IKE PRF, as
 * GCM carries its own integrity), the given DH groups in both phases (phase 2
 * with perfect forward secrecy), and tunnel activity logged to CloudWatch
 * Logs. No pre-shared key: AWS generates a random one per tunnel, so none is
 * ever written into a template.
 */
export function secureTunnelOptions(dhGroups: readonly number[], logGroupArn?: string): ec2.CfnVPNConnection.VpnTunnelOptionsSpecificationProperty {
  const values = <T>(xs: readonly T[]) => xs.map((value) => ({ value }));
  return {
    ikeVersions: values(['ikev2']),
    phase1EncryptionAlgorithms: values(['AES256-GCM-16']),
    phase2EncryptionAlgorithms: values(['AES256-GCM-16']),
    phase1IntegrityAlgorithms: values(['SHA2-256', 'SHA2-384', 'SHA2-512']),
    phase2IntegrityAlgorithms: values(['SHA2-256', 'SHA2-384', 'SHA2-512']),
    phase1DhGroupNumbers: values(dhGroups),
    phase2DhGroupNumbers: values(dhGroups),
    logOptions: logGroupArn ? { cloudwatchLogOptions: { logEnabled: true, logGroupArn, logOutputFormat: 'json' } } : undefined,
  };
}
