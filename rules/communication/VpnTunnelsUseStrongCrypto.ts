import type { ResourceHandle } from '../engine/model';
import { RuleIssue, SrmIipRule, unverifiable } from '../engine/rule';
import { Alt, describe, isPlainObject, numberOf, stringOf } from '../engine/values';

/** Only IKEv2: IKEv1 (aggressive mode, weaker negotiation) is refused. */
export function isStrongIkeVersion(version: string): boolean {
  return version.toLowerCase() === 'ikev2';
}

/** Only AES-256 in GCM mode (authenticated encryption); AES128, AES256-CBC and AES128-GCM-16 are refused. */
export function isStrongVpnEncryption(algorithm: string): boolean {
  return algorithm.toUpperCase() === 'AES256-GCM-16';
}

/** Integrity algorithms of the SHA-2 family with at least 256 bits; SHA1 is refused. */
export function isStrongVpnIntegrity(algorithm: string): boolean {
  return ['SHA2-256', 'SHA2-384', 'SHA2-512'].includes(algorithm.toUpperCase());
}

/**
 * Diffie-Hellman groups 14 to 21: 2048-bit and larger MODP groups (14–18)
 * and the elliptic-curve groups (19–21). Group 2 and 5 are too small. Groups
 * 22–24 are refused although their numbers are higher: they are the RFC 5114
 * MODP groups with small prime-order subgroups (group 22 is only 1024-bit),
 * which RFC 8247 says not to use.
 */
export function isStrongDhGroup(group: number): boolean {
  return Number.isInteger(group) && group >= 14 && group <= 21;
}

/** AWS defaults for a tunnel that sets nothing; each list includes a weak choice. */
const DEFAULTS: Record<string, string> = {
  IKEVersions: 'ikev1 and ikev2',
  Phase1EncryptionAlgorithms: 'AES128, AES256, AES128-GCM-16, AES256-GCM-16',
  Phase2EncryptionAlgorithms: 'AES128, AES256, AES128-GCM-16, AES256-GCM-16',
  Phase1IntegrityAlgorithms: 'SHA1, SHA2-256, SHA2-384, SHA2-512',
  Phase2IntegrityAlgorithms: 'SHA1, SHA2-256, SHA2-384, SHA2-512',
  Phase1DHGroupNumbers: '2, 14–24',
  Phase2DHGroupNumbers: '2, 5, 14–24',
};

const LISTS: ReadonlyArray<{ key: string; ok: (v: Alt) => boolean | undefined; want: string }> = [
  { key: 'IKEVersions', ok: (v) => str(v, isStrongIkeVersion), want: 'ikev2 only' },
  { key: 'Phase1EncryptionAlgorithms', ok: (v) => str(v, isStrongVpnEncryption), want: 'AES256-GCM-16 only' },
  { key: 'Phase2EncryptionAlgorithms', ok: (v) => str(v, isStrongVpnEncryption), want: 'AES256-GCM-16 only' },
  { key: 'Phase1IntegrityAlgorithms', ok: (v) => str(v, isStrongVpnIntegrity), want: 'SHA2-256, SHA2-384 or SHA2-512 only' },
  { key: 'Phase2IntegrityAlgorithms', ok: (v) => str(v, isStrongVpnIntegrity), want: 'SHA2-256, SHA2-384 or SHA2-512 only' },
  { key: 'Phase1DHGroupNumbers', ok: (v) => num(v, isStrongDhGroup), want: 'groups 14–21 only (22–24 are weak RFC 5114 groups)' },
  { key: 'Phase2DHGroupNumbers', ok: (v) => num(v, isStrongDhGroup), want: 'groups 14–21 only (22–24 are weak RFC 5114 groups)' },
];

function str(v: Alt, f: (s: string) => boolean): boolean | undefined {
  const s = v.kind === 'value' ? stringOf(v) : undefined;
  return s === undefined ? undefined : f(s);
}

function num(v: Alt, f: (n: number) => boolean): boolean | undefined {
  const n = v.kind === 'value' ? numberOf(v) : undefined;
  return n === undefined ? undefined : f(n);
}

/**
 * SRM-IIP-COM-05: both tunnels of a Site-to-Site VPN connection pin IKEv2,
 * AES-256-GCM, SHA-2 integrity and DH group 14–21. A connection without
 * tunnel options, or with options for one tunnel only, leaves (a tunnel on)
 * the AWS defaults, which include IKEv1, AES128, SHA1 and DH group 2.
 */
export const VpnTunnelsUseStrongCrypto: SrmIipRule = {
  id: 'VpnTunnelsUseStrongCrypto',
  controlId: 'SRM-IIP-COM-05',
  summary: 'Site-to-Site VPN tunnels allow IKEv2 only, AES256-GCM-16 only, SHA-2 integrity and DH groups 14–21',
  resourceTypes: ['AWS::EC2::VPNConnection'],
  check(r) {
    const resolver = r.stack.resolver;
    const issues: RuleIssue[] = [];
    const location = 'VpnTunnelOptionsSpecifications';
    for (const b of resolver.branches(r.stack, resolver.get(r, location))) {
      if (b.kind === 'other') {
        if (b.alt.kind === 'absent') {
          issues.push({ resource: r, kind: 'violation', location, message: `${location} is not set, so both tunnels use the AWS defaults (IKEv1 allowed, AES128, SHA1, DH group 2); pin IKEv2, AES256-GCM-16, SHA2-256+ and DH groups 14–21` });
        } else {
          issues.push(unverifiable(r, location, b.alt));
        }
        continue;
      }
      if (b.elements.length < 2) {
        issues.push({
          resource: r,
          kind: 'violation',
          location,
          message: `${location} configures ${b.elements.length} of the connection's 2 tunnels; the other uses the AWS defaults (IKEv1 allowed, AES128, SHA1, DH group 2)`,
        });
      }
      b.elements.forEach((el, i) => {
        for (const t of el) issues.push(...checkTunnel(r, t, i + 1));
      });
    }
    const seen = new Set<string>();
    return issues.filter((i) => (seen.has(`${i.kind}${i.message}`) ? false : (seen.add(`${i.kind}${i.message}`), true)));
  },
};

function checkTunnel(r: ResourceHandle, t: Alt, n: number): RuleIssue[] {
  const resolver = r.stack.resolver;
  const base = 'VpnTunnelOptionsSpecifications';
  if (t.kind !== 'value') return [unverifiable(r, base, t)];
  if (!isPlainObject(t.value)) return [{ resource: r, kind: 'violation', location: base, message: `tunnel ${n} options are ${describe(t)}, not an object, so the tunnel uses the AWS defaults` }];
  const issues: RuleIssue[] = [];
  for (const { key, ok, want } of LISTS) {
    const location = `${base}.${key}`;
    const listAlts = resolver.path(r.stack, [t], [key]);
    for (const b of resolver.branches(r.stack, listAlts)) {
      if (b.kind === 'other' && b.alt.kind !== 'absent') {
        issues.push(unverifiable(r, location, b.alt));
        continue;
      }
      const elements = b.kind === 'list' ? b.elements : [];
      if (elements.length === 0) {
        issues.push({ resource: r, kind: 'violation', location, message: `tunnel ${n} sets no ${key}, so AWS allows its defaults (${DEFAULTS[key]}); allow ${want}` });
        continue;
      }
      for (const el of elements) {
        for (const e of el) {
          const v = e.kind === 'value' && isPlainObject(e.value) ? resolver.path(r.stack, [e], ['Value']) : [e];
          for (const x of v) {
            const verdict = x.kind === 'value' ? ok(x) : undefined;
            if (verdict === false || (x.kind === 'value' && verdict === undefined) || x.kind === 'absent') {
              issues.push({ resource: r, kind: 'violation', location, message: `tunnel ${n} allows ${key} ${describe(x)}; allow ${want}` });
            } else if (verdict === undefined) {
              issues.push(unverifiable(r, location, x));
            }
          }
        }
      }
    }
  }
  return issues;
}
