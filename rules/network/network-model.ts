/**
 * What the network rules share: CIDR arithmetic, protocol and port
 * normalization, zone readings, security-group rule reading and subnet
 * lookups. The judgements are plain functions of strings and numbers so a
 * Terraform flavor can reuse them; the readers turn CloudFormation
 * resources into those plain values, alternative by alternative.
 */
import type { AppModel, ResourceHandle, StackModel } from '../engine/model';
import type { RuleContext, RuleIssue } from '../engine/rule';
import { Alt, describe, isPlainObject, numberOf, stringOf, unknown, value } from '../engine/values';
import { TAG_ZONE, zoneOf } from '../engine/zones';

// ---------------------------------------------------------------- CIDRs

/** A parsed IPv4 or IPv6 CIDR block. */
export interface ParsedCidr {
  readonly version: 4 | 6;
  /** The network address with host bits cleared. */
  readonly network: bigint;
  readonly prefix: number;
}

function parseIpv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const b = Number(p);
    if (b > 255) return undefined;
    n = (n << 8n) | BigInt(b);
  }
  return n;
}

function parseIpv6(s: string): bigint | undefined {
  if (s.length > 45 || (s.match(/::/g) ?? []).length > 1) return undefined;
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const groups = (x: string) => (x === '' ? [] : x.split(':'));
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const missing = 8 - h.length - t.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const all = [...h, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...t];
  let n = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return n;
}

/** Parse `10.0.0.0/16` or `2001:db8::/32`; undefined when the text is not a CIDR block. */
export function parseCidr(text: string): ParsedCidr | undefined {
  if (typeof text !== 'string' || text.length > 64) return undefined;
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addr = text.slice(0, slash).trim();
  const prefixText = text.slice(slash + 1).trim();
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const v4 = parseIpv4(addr);
  const version: 4 | 6 | undefined = v4 !== undefined ? 4 : addr.includes(':') ? 6 : undefined;
  const n = v4 ?? (version === 6 ? parseIpv6(addr) : undefined);
  if (n === undefined || version === undefined) return undefined;
  const bits = version === 4 ? 32 : 128;
  if (prefix > bits) return undefined;
  const hostBits = BigInt(bits - prefix);
  return { version, network: (n >> hostBits) << hostBits, prefix };
}

/** Whether a CIDR block is the whole address space (`0.0.0.0/0`, `::/0`): the internet, not a zone. */
export function isAnywhereCidr(text: string): boolean {
  return parseCidr(text)?.prefix === 0;
}

/** Whether `outer` contains `inner` (equal blocks contain each other). */
export function cidrContains(outer: ParsedCidr, inner: ParsedCidr): boolean {
  if (outer.version !== inner.version || outer.prefix > inner.prefix) return false;
  const shift = BigInt((outer.version === 4 ? 32 : 128) - outer.prefix);
  return outer.network >> shift === inner.network >> shift;
}

/** Whether two CIDR blocks share addresses (CIDR blocks either nest or are disjoint). */
export function cidrsOverlap(a: ParsedCidr, b: ParsedCidr): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

// ---------------------------------------------------------------- protocols and ports

/**
 * Normalize an IP protocol as security groups, NACLs and zone-model conduits
 * write it: `tcp`/`6`, `udp`/`17`, `icmp`/`1`, `icmpv6`/`58`, and `-1`/`all`
 * (every protocol) become `tcp`, `udp`, `icmp`, `icmpv6` and `all`. Other
 * protocol numbers stay as their number.
 */
export function normalizeIpProtocol(protocol: string | number): string {
  const p = String(protocol).trim().toLowerCase();
  switch (p) {
    case '-1':
    case 'all':
    case '*':
      return 'all';
    case '6':
    case 'tcp':
      return 'tcp';
    case '17':
    case 'udp':
      return 'udp';
    case '1':
    case 'icmp':
      return 'icmp';
    case '58':
    case 'icmpv6':
      return 'icmpv6';
    default:
      return p;
  }
}

function hasPorts(p: string): boolean {
  return p === 'tcp' || p === 'udp';
}

/** The port span of a TCP/UDP rule: `-1` or an unset bound means the whole range. */
export function portSpan(fromPort?: number, toPort?: number): [number, number] {
  const lo = fromPort === undefined || fromPort < 0 ? 0 : fromPort;
  const hi = toPort === undefined || toPort < 0 ? 65535 : toPort;
  return [lo, hi];
}

/** Whether a rule opens every port: protocol `-1`/`all`, or TCP/UDP over 0–65535. */
export function isAllPortsRule(protocol: string | number, fromPort?: number, toPort?: number): boolean {
  const p = normalizeIpProtocol(protocol);
  if (p === 'all') return true;
  if (!hasPorts(p)) return false;
  const [lo, hi] = portSpan(fromPort, toPort);
  return lo <= 0 && hi >= 65535;
}

/** Traffic a rule lets through: protocol (normalized) and port bounds as written. */
export interface Traffic {
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
}

/** Human text for traffic: `tcp 443`, `tcp 1024-2048`, `all traffic`. */
export function describeTraffic(t: Traffic): string {
  if (t.protocol === 'all') return 'all traffic';
  if (!hasPorts(t.protocol)) {
    if (t.protocol === 'icmp' || t.protocol === 'icmpv6') {
      return t.fromPort === undefined || t.fromPort < 0 ? `${t.protocol} (all types)` : `${t.protocol} type ${t.fromPort}${t.toPort !== undefined && t.toPort >= 0 ? ` code ${t.toPort}` : ''}`;
    }
    return `protocol ${t.protocol}`;
  }
  const [lo, hi] = portSpan(t.fromPort, t.toPort);
  if (lo <= 0 && hi >= 65535) return `${t.protocol} all ports`;
  return lo === hi ? `${t.protocol} ${lo}` : `${t.protocol} ${lo}-${hi}`;
}

/** A conduit of the zone model, as plain values. */
export interface ConduitSpec {
  readonly from: string;
  readonly to: string;
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
}

/**
 * Whether a conduit covers the traffic of a rule: a conduit for all
 * protocols covers anything; otherwise the protocol must match and the
 * rule's port range must lie inside the conduit's (ICMP: type, then code,
 * `-1` meaning all). A rule for all traffic needs an all-protocol conduit.
 */
export function conduitCoversTraffic(c: Pick<ConduitSpec, 'protocol' | 'fromPort' | 'toPort'>, t: Traffic): boolean {
  const cp = normalizeIpProtocol(c.protocol);
  if (cp === 'all') return true;
  if (t.protocol === 'all' || cp !== t.protocol) return false;
  if (hasPorts(cp)) {
    const [lo, hi] = portSpan(t.fromPort, t.toPort);
    const [clo, chi] = portSpan(c.fromPort, c.toPort);
    return clo <= lo && hi <= chi;
  }
  if (cp === 'icmp' || cp === 'icmpv6') {
    if (c.fromPort < 0) return true;
    if (t.fromPort === undefined || t.fromPort < 0 || t.fromPort !== c.fromPort) return false;
    return c.toPort < 0 || t.toPort === c.toPort;
  }
  return true;
}

/** Whether some conduit from `from` to `to` covers the traffic. */
export function crossingAllowed(conduits: readonly ConduitSpec[], from: string, to: string, t: Traffic): boolean {
  return conduits.some((c) => c.from === from && c.to === to && conduitCoversTraffic(c, t));
}

/** The ephemeral ports replies go to: 1024–65535. */
export const REPLY_PORT_RANGE = { fromPort: 1024, toPort: 65535 } as const;

/** Whether traffic has the shape of replies: TCP or UDP limited to ports within 1024–65535 (not all protocols, not ports below 1024). */
export function isReplyTraffic(t: Traffic): boolean {
  if (!hasPorts(t.protocol)) return false;
  const [lo, hi] = portSpan(t.fromPort, t.toPort);
  return REPLY_PORT_RANGE.fromPort <= lo && hi <= REPLY_PORT_RANGE.toPort;
}

/**
 * Whether reply-shaped traffic from zone `from` into zone `to` is the return
 * traffic of a conduit `to` → `from` for the same protocol (or for all
 * protocols); the conduit's ports do not matter, replies come back to the
 * initiator's ephemeral port.
 */
export function replyAllowed(conduits: readonly ConduitSpec[], from: string, to: string, t: Traffic): boolean {
  if (!isReplyTraffic(t)) return false;
  return conduits.some((c) => {
    if (c.from !== to || c.to !== from) return false;
    const cp = normalizeIpProtocol(c.protocol);
    return cp === 'all' || cp === t.protocol;
  });
}

// ---------------------------------------------------------------- alternatives

/** Cross product of alternatives, capped so a pathological template cannot explode. */
export function combinations<T>(lists: readonly (readonly T[])[], cap = 256): T[][] {
  let acc: T[][] = [[]];
  for (const l of lists) {
    const next: T[][] = [];
    for (const a of acc) for (const x of l) next.push([...a, x]);
    acc = next.length > cap ? next.slice(0, cap) : next;
  }
  return acc;
}

/**
 * Traffic alternatives of a rule element (security-group rule or NACL entry):
 * every combination of protocol and port alternatives, or the first value
 * that cannot be read.
 */
export function readTraffic(
  stack: StackModel,
  element: Alt,
  keys: { protocol: string; from: ReadonlyArray<string>; to: ReadonlyArray<string> },
): { traffic: Traffic[]; unresolved?: { location: string; alt: Alt } } {
  const r = stack.resolver;
  const protos = r.path(stack, [element], [keys.protocol]);
  const froms = r.path(stack, [element], keys.from);
  const tos = r.path(stack, [element], keys.to);
  const traffic: Traffic[] = [];
  const combos = combinations<Alt>([protos, froms, tos]);
  for (const [p, f, t] of combos) {
    const ps = stringOf(p);
    if (ps === undefined) return { traffic, unresolved: { location: keys.protocol, alt: p } };
    const port = (a: Alt, loc: ReadonlyArray<string>): number | undefined | { location: string; alt: Alt } => {
      if (a.kind === 'absent') return undefined;
      const n = numberOf(a);
      return n === undefined ? { location: loc.join('.'), alt: a } : n;
    };
    const fp = port(f, keys.from);
    const tp = port(t, keys.to);
    const protocol = normalizeIpProtocol(ps);
    // Ports do not matter for all traffic, and a bad port value on it is not a reason to doubt it.
    if (protocol !== 'all') {
      if (typeof fp === 'object') return { traffic, unresolved: fp };
      if (typeof tp === 'object') return { traffic, unresolved: tp };
    }
    // Independent Fn::If forks of FromPort and ToPort pair up into inverted ranges no deployment can have.
    if (combos.length > 1 && hasPorts(protocol) && typeof fp === 'number' && typeof tp === 'number' && fp > tp && tp >= 0) continue;
    traffic.push({ protocol, fromPort: typeof fp === 'number' ? fp : undefined, toPort: typeof tp === 'number' ? tp : undefined });
  }
  return { traffic };
}

// ---------------------------------------------------------------- zones

/** One alternative of a resource's zone tag, interpreted against the zone model. */
export type ZoneReading =
  | { readonly kind: 'zone'; readonly name: string; readonly declared: boolean; readonly domain?: string; readonly internetFacing: boolean }
  | { readonly kind: 'untagged' }
  | { readonly kind: 'unknown'; readonly reason: string };

/** The zone alternatives of a resource (its `srm-iip:zone` tag). */
export function readZones(r: ResourceHandle, ctx: RuleContext): ZoneReading[] {
  let memo = zoneMemo.get(ctx.zones);
  if (!memo) zoneMemo.set(ctx.zones, (memo = new WeakMap()));
  let z = memo.get(r);
  if (!z) memo.set(r, (z = zoneReadings(zoneOf(r), ctx)));
  return z;
}

/** Zone readings per zone model and resource: rules over many rules and entries read the same subnets and groups often. */
const zoneMemo = new WeakMap<object, WeakMap<ResourceHandle, ZoneReading[]>>();

/** Interpret zone-tag alternatives against the zone model. */
export function zoneReadings(alts: readonly Alt[], ctx: RuleContext): ZoneReading[] {
  return alts.map((a): ZoneReading => {
    if (a.kind === 'absent') return { kind: 'untagged' };
    const name = stringOf(a);
    if (name === undefined) return { kind: 'unknown', reason: a.kind === 'value' ? `the zone tag is not a string (${describe(a)})` : describe(a) };
    const z = ctx.zones.zone(name);
    return { kind: 'zone', name, declared: z !== undefined, domain: z?.domain, internetFacing: z?.internetFacing === true };
  });
}

/** `'platform'`, `untagged`, … for messages. */
export function describeZone(z: ZoneReading): string {
  switch (z.kind) {
    case 'zone':
      return `'${z.name}'`;
    case 'untagged':
      return `no ${TAG_ZONE} tag (unclassified)`;
    case 'unknown':
      return `an unreadable zone tag (${z.reason})`;
  }
}

/** Names of the zones the model declares, for messages. */
export function declaredZoneNames(ctx: RuleContext): string {
  return [...ctx.zones.zones.keys()].join(', ') || 'none';
}

/** Names of the internet-facing zones of the model, for messages. */
export function internetFacingZoneNames(ctx: RuleContext): string {
  return [...ctx.zones.zones.values()].filter((z) => z.internetFacing).map((z) => z.name).join(', ') || 'none declared';
}

// ---------------------------------------------------------------- resources and references

/** `Name (stack S)` or `Name` when in the same stack as `from`. */
export function nameOf(r: ResourceHandle, from?: ResourceHandle | StackModel): string {
  const fromStack = from === undefined ? undefined : 'logicalId' in from ? from.stack : from;
  return fromStack === r.stack ? r.logicalId : `${r.logicalId} (stack ${r.stack.name})`;
}

/** A stable key for a resource across the app. */
export function keyOf(r: ResourceHandle): string {
  return `${r.stack.name}\u0000${r.logicalId}`;
}

/** The resource a `ref` alternative points at, when it is in the app and (optionally) of one of the types. */
export function refTarget(app: AppModel, a: Alt, ...types: string[]): ResourceHandle | undefined {
  if (a.kind !== 'ref') return undefined;
  const t = app.resource(a.stack, a.logicalId);
  return t && (types.length === 0 || types.includes(t.type)) ? t : undefined;
}

/** Key of a VPC reference (`VpcId`): the VPC resource, or the literal ID; undefined when unknown. */
export function vpcKey(app: AppModel, alts: readonly Alt[]): string | undefined {
  const keys = new Set<string>();
  for (const a of alts) {
    const t = refTarget(app, a, 'AWS::EC2::VPC');
    if (t) keys.add(keyOf(t));
    else if (a.kind === 'value' && typeof a.value === 'string') keys.add(`id:${a.value}`);
    else return undefined;
  }
  return keys.size === 1 ? [...keys][0] : undefined;
}

/**
 * CIDR alternatives of a property that may reference a VPC or subnet
 * attribute (`Fn::GetAtt Vpc.CidrBlock`): the reference is followed to the
 * CIDR the template gives that resource.
 */
export function cidrAlternatives(stack: StackModel, alts: readonly Alt[]): Alt[] {
  const out: Alt[] = [];
  for (const a of alts) {
    if (a.kind !== 'ref') {
      out.push(a);
      continue;
    }
    const t = refTarget(stack.app, a, 'AWS::EC2::VPC', 'AWS::EC2::Subnet');
    if (t && a.attribute === 'CidrBlock') {
      out.push(...t.stack.resolver.get(t, 'CidrBlock'));
    } else {
      out.push(unknown(`${describe(a)} is a reference, not a CIDR block`));
    }
  }
  return out;
}

/** Subnet lookups of an app: by VPC, with parsed CIDRs. Built once per app. */
export interface SubnetInfo {
  readonly subnet: ResourceHandle;
  readonly vpc?: string;
  /** Parsed CIDR blocks (IPv4 and IPv6) of the subnet. */
  readonly cidrs: readonly ParsedCidr[];
  /** Set when a CIDR block of the subnet cannot be read. */
  readonly cidrUnknown?: string;
}

export interface SubnetIndex {
  readonly all: readonly SubnetInfo[];
  readonly byVpc: ReadonlyMap<string, SubnetInfo[]>;
}

const subnetIndexes = new WeakMap<AppModel, SubnetIndex>();

export function subnetIndex(app: AppModel): SubnetIndex {
  const cached = subnetIndexes.get(app);
  if (cached) return cached;
  const all: SubnetInfo[] = [];
  const byVpc = new Map<string, SubnetInfo[]>();
  for (const s of app.resourcesOfType('AWS::EC2::Subnet')) {
    const r = s.stack.resolver;
    const cidrs: ParsedCidr[] = [];
    let cidrUnknown: string | undefined;
    for (const prop of ['CidrBlock', 'Ipv6CidrBlock']) {
      for (const a of cidrAlternatives(s.stack, r.get(s, prop))) {
        if (a.kind === 'absent') continue;
        const text = stringOf(a);
        const c = text !== undefined ? parseCidr(text) : undefined;
        if (c) cidrs.push(c);
        else cidrUnknown ??= `${prop} is ${describe(a)}`;
      }
    }
    const vpc = vpcKey(app, r.get(s, 'VpcId'));
    const info: SubnetInfo = { subnet: s, vpc, cidrs, cidrUnknown };
    all.push(info);
    if (vpc !== undefined) {
      let l = byVpc.get(vpc);
      if (!l) byVpc.set(vpc, (l = []));
      l.push(info);
    }
  }
  const idx = { all, byVpc };
  subnetIndexes.set(app, idx);
  return idx;
}

/**
 * Subnets whose address space a CIDR block reaches, in the given VPC (all
 * subnets of the app when the VPC is unknown), and those whose CIDR cannot
 * be read (so the block may reach them).
 */
export function subnetsReachedBy(app: AppModel, cidr: ParsedCidr, vpc: string | undefined): { reached: SubnetInfo[]; maybe: SubnetInfo[] } {
  const idx = subnetIndex(app);
  const pool = vpc !== undefined ? idx.byVpc.get(vpc) ?? [] : idx.all;
  const reached: SubnetInfo[] = [];
  const maybe: SubnetInfo[] = [];
  for (const s of pool) {
    if (s.cidrs.some((c) => cidrsOverlap(c, cidr))) reached.push(s);
    else if (s.cidrUnknown !== undefined && !s.cidrs.some((c) => c.version === cidr.version)) maybe.push(s);
  }
  return { reached, maybe };
}

// ---------------------------------------------------------------- security-group rules

/** One security-group rule, inline in an `AWS::EC2::SecurityGroup` or a standalone ingress/egress resource. */
export interface SecurityGroupRuleEntry {
  /** The resource the rule is written in (where findings go). */
  readonly holder: ResourceHandle;
  /** Property path of the rule inside the holder (empty for a standalone rule). */
  readonly location: string;
  readonly direction: 'ingress' | 'egress';
  /** Alternatives of the security group the rule belongs to. */
  readonly group: readonly Alt[];
  /** The rule object (one alternative), when it can be read. */
  readonly element?: Alt;
  /** Set when the rule (or the whole rule list) cannot be read. */
  readonly unreadable?: Alt;
}

export const SECURITY_GROUP_TYPES = ['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress'];

/** Read the security-group rules a resource holds (inline lists or the standalone rule itself). */
export function readSecurityGroupRules(r: ResourceHandle): SecurityGroupRuleEntry[] {
  const resolver = r.stack.resolver;
  if (r.type === 'AWS::EC2::SecurityGroupIngress' || r.type === 'AWS::EC2::SecurityGroupEgress') {
    const direction = r.type === 'AWS::EC2::SecurityGroupIngress' ? 'ingress' : 'egress';
    const group = resolver.get(r, 'GroupId');
    const byName = resolver.get(r, 'GroupName');
    const groupAlts = group.every((a) => a.kind === 'absent') && byName.some((a) => a.kind !== 'absent')
      ? byName.map((a) => unknown(`the security group is named (GroupName ${describe(a)}), not a resource of the app`))
      : group;
    return [{ holder: r, location: '', direction, group: groupAlts, element: value(r.properties) }];
  }
  if (r.type !== 'AWS::EC2::SecurityGroup') return [];
  const self: Alt = { kind: 'ref', stack: r.stack.name, logicalId: r.logicalId };
  const out: SecurityGroupRuleEntry[] = [];
  for (const [prop, direction] of [['SecurityGroupIngress', 'ingress'], ['SecurityGroupEgress', 'egress']] as const) {
    for (const b of resolver.branches(r.stack, resolver.get(r, prop))) {
      if (b.kind === 'other') {
        if (b.alt.kind !== 'absent') out.push({ holder: r, location: prop, direction, group: [self], unreadable: b.alt });
        continue;
      }
      b.elements.forEach((alts, i) => {
        for (const el of alts) {
          if (el.kind === 'absent') continue;
          const location = `${prop}.${i}`;
          if (el.kind === 'value' && isPlainObject(el.value)) out.push({ holder: r, location, direction, group: [self], element: el });
          else out.push({ holder: r, location, direction, group: [self], unreadable: el });
        }
      });
    }
  }
  return out;
}

/** Property path of a field of a rule, for `location`. */
export function ruleLocation(e: SecurityGroupRuleEntry, field?: string): string | undefined {
  return [e.location, field].filter((x) => x !== undefined && x !== '').join('.') || undefined;
}

/** Alternatives of a field of a security-group rule. */
export function ruleField(e: SecurityGroupRuleEntry, field: string): Alt[] {
  return e.element ? e.holder.stack.resolver.path(e.holder.stack, [e.element], [field]) : [];
}

/** Traffic alternatives of a security-group rule. */
export function securityGroupRuleTraffic(e: SecurityGroupRuleEntry): ReturnType<typeof readTraffic> {
  return readTraffic(e.holder.stack, e.element ?? value({}), { protocol: 'IpProtocol', from: ['FromPort'], to: ['ToPort'] });
}

/** The CIDR fields of a rule (IPv4 and IPv6). */
export const RULE_CIDR_FIELDS = ['CidrIp', 'CidrIpv6'] as const;

/** The field naming the peer security group of a rule. */
export function peerGroupField(e: SecurityGroupRuleEntry): string {
  return e.direction === 'ingress' ? 'SourceSecurityGroupId' : 'DestinationSecurityGroupId';
}

/** The issue for a rule that cannot be read at all. */
export function unreadableRuleIssue(e: SecurityGroupRuleEntry): RuleIssue {
  return {
    resource: e.holder,
    kind: 'unverifiable',
    location: e.location || undefined,
    message: `cannot verify ${e.direction} rule ${e.location || 'of this resource'}: its value is ${describe(e.unreadable ?? unknown('unreadable'))}`,
  };
}

/** The security group a rule belongs to, with its zone alternatives; `group` is undefined when the reference does not lead to a security group of the app. */
export interface GroupZone {
  readonly alt: Alt;
  readonly group?: ResourceHandle;
  readonly zone: ZoneReading;
}

/** Zones of the security groups a list of group references may name. */
export function groupZones(app: AppModel, ctx: RuleContext, groupAlts: readonly Alt[]): GroupZone[] {
  const out: GroupZone[] = [];
  for (const alt of groupAlts) {
    const group = refTarget(app, alt, 'AWS::EC2::SecurityGroup');
    if (!group) {
      const reason =
        alt.kind === 'absent'
          ? 'no security group is named'
          : alt.kind === 'ref'
            ? `${describe(alt)} is not a security group of the app (its zone tag cannot be read)`
            : alt.kind === 'value'
              ? `security group ${describe(alt)} is not defined in the app (its zone tag cannot be read)`
              : `the security group is ${describe(alt)}`;
      out.push({ alt, zone: { kind: 'unknown', reason } });
      continue;
    }
    for (const zone of readZones(group, ctx)) out.push({ alt, group, zone });
  }
  return out;
}

/** A public address (or a public route) is allowed only in an internet-facing zone. */
export function publicAddressAllowed(public_: boolean, internetFacingZone: boolean): boolean {
  return !public_ || internetFacingZone;
}

/** Why a zone reading does not show an internet-facing zone, for messages; undefined when it does or cannot be read. */
export function whyNotInternetFacing(z: ZoneReading): string | undefined {
  if (z.kind === 'untagged') return `it has no ${TAG_ZONE} tag (unclassified)`;
  if (z.kind === 'zone' && !z.declared) return `its zone '${z.name}' is not in the zone model`;
  if (z.kind === 'zone' && !z.internetFacing) return `its zone '${z.name}' is not internet-facing`;
  return undefined;
}
