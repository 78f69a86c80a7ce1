import type { AppModel, ResourceHandle } from './model';
import { readMergedTags } from './tags';
import { Alt, isPlainObject, unknown, value } from './values';

/** The kit's tag keys (MGT-02). */
export const TAG_ZONE = 'srm-iip:zone';
export const TAG_LEVEL = 'srm-iip:level';
export const TAG_OWNER = 'srm-iip:owner';
export const TAG_STAGE = 'srm-iip:stage';
export const KIT_TAGS = [TAG_ZONE, TAG_LEVEL, TAG_OWNER, TAG_STAGE] as const;

/** Template metadata key that carries the zone model and acknowledgements. */
export const METADATA_KEY = 'srm-iip';

export interface ZoneDeclaration {
  readonly name: string;
  /** The security domain the zone belongs to. */
  readonly domain: string;
  /** Whether the zone may receive traffic from the internet (the ingress zone). */
  readonly internetFacing: boolean;
}

export interface ConduitDeclaration {
  readonly from: string;
  readonly to: string;
  /** `tcp`, `udp`, `icmp` or `-1` (all). */
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly description?: string;
}

/**
 * The default zones when a template declares none: the four security
 * domains, plus `ingress` (internet-facing, application domain) and `data`
 * (platform domain) that IipNetwork creates.
 */
export const DEFAULT_ZONES: readonly ZoneDeclaration[] = [
  { name: 'ingress', domain: 'application', internetFacing: true },
  { name: 'edge', domain: 'edge', internetFacing: false },
  { name: 'cloud-infrastructure', domain: 'cloud-infrastructure', internetFacing: false },
  { name: 'platform', domain: 'platform', internetFacing: false },
  { name: 'application', domain: 'application', internetFacing: false },
  { name: 'data', domain: 'platform', internetFacing: false },
];

/**
 * The zone model of an app: zones and conduits declared in template metadata
 * (`Metadata.srm-iip.zoneModel`, merged over all stacks), and the zone and
 * level tags of resources.
 */
export class ZoneModel {
  public readonly zones: ReadonlyMap<string, ZoneDeclaration>;
  public readonly conduits: readonly ConduitDeclaration[];
  /** True when at least one stack declared a zone model. */
  public readonly declared: boolean;
  /** Problems found while reading the declarations (reported by NET-06). */
  public readonly problems: readonly string[];

  constructor(app: AppModel) {
    const zones = new Map<string, ZoneDeclaration>();
    const conduits: ConduitDeclaration[] = [];
    const problems: string[] = [];
    let declared = false;
    for (const s of app.stacks) {
      const meta = s.metadata[METADATA_KEY];
      if (!isPlainObject(meta) || !isPlainObject(meta.zoneModel)) continue;
      declared = true;
      const zm = meta.zoneModel;
      for (const z of Array.isArray(zm.zones) ? zm.zones : []) {
        if (!isPlainObject(z) || typeof z.name !== 'string' || typeof z.domain !== 'string') {
          problems.push(`stack ${s.name}: a zone declaration needs a name and a domain, got ${JSON.stringify(z)}`);
          continue;
        }
        const decl = { name: z.name, domain: z.domain, internetFacing: z.internetFacing === true || z.internetFacing === 'true' };
        const prev = zones.get(z.name);
        if (prev && (prev.domain !== decl.domain || prev.internetFacing !== decl.internetFacing)) {
          problems.push(`stack ${s.name}: zone '${z.name}' is declared differently in another stack (${JSON.stringify(prev)} vs ${JSON.stringify(decl)})`);
        }
        zones.set(z.name, decl);
      }
      for (const c of Array.isArray(zm.conduits) ? zm.conduits : []) {
        const conduit = isPlainObject(c) ? readConduit(c) : undefined;
        if (!conduit) {
          problems.push(`stack ${s.name}: a conduit needs from, to, a protocol (tcp, udp, icmp or -1) and whole-number ports 0..65535 (fromPort <= toPort; optional for -1), got ${JSON.stringify(c)}`);
          continue;
        }
        conduits.push(conduit);
      }
    }
    if (!declared) for (const z of DEFAULT_ZONES) zones.set(z.name, z);
    this.zones = zones;
    this.conduits = conduits;
    this.declared = declared;
    this.problems = problems;
  }

  /** The zone model of an app, read once per app. */
  public static of(app: AppModel): ZoneModel {
    let z = ZONE_MODELS.get(app);
    if (!z) ZONE_MODELS.set(app, (z = new ZoneModel(app)));
    return z;
  }

  public zone(name: string): ZoneDeclaration | undefined {
    return this.zones.get(name);
  }
}

const ZONE_MODELS = new WeakMap<AppModel, ZoneModel>();

const PROTOCOL_NUMBERS: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', all: '-1' };

function port(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= 65535 ? v : undefined;
  if (typeof v === 'string' && /^\d+$/.test(v)) return port(Number(v));
  return undefined;
}

/** A conduit declaration, or undefined when it is malformed (never guessed). */
function readConduit(c: Record<string, unknown>): ConduitDeclaration | undefined {
  if (typeof c.from !== 'string' || typeof c.to !== 'string') return undefined;
  const raw = typeof c.protocol === 'string' || typeof c.protocol === 'number' ? String(c.protocol).toLowerCase() : undefined;
  const protocol = raw === undefined ? undefined : PROTOCOL_NUMBERS[raw] ?? raw;
  if (protocol === undefined || !['tcp', 'udp', 'icmp', '-1'].includes(protocol)) return undefined;
  // CloudFormation writes "all ports" as -1 for protocol -1 and for ICMP types; a missing pair means the same.
  const isAll = (v: unknown) => v === undefined || v === -1 || v === '-1';
  const all = (protocol === '-1' || protocol === 'icmp') && isAll(c.fromPort) && isAll(c.toPort);
  const fromPort = all ? 0 : port(c.fromPort);
  const toPort = all ? 65535 : c.toPort === undefined ? fromPort : port(c.toPort);
  if (fromPort === undefined || toPort === undefined || fromPort > toPort) return undefined;
  return { from: c.from, to: c.to, protocol, fromPort, toPort, description: typeof c.description === 'string' ? c.description : undefined };
}


/**
 * The tags of a resource as alternatives per key, `Fn::If` branches merged.
 * Handles the list form (`[{Key, Value}]`), the map form (`{key: value}`)
 * and tag lists written with intrinsics. `undefined` value for a key means
 * "not tagged". `opaque` is set when the whole tag set cannot be read (a
 * parameter or an import), so no tag can be said to be missing. A view over
 * the one tag reader (tags.ts), read once per resource; the result is
 * shared, so callers must not change it.
 */
export function readTags(r: ResourceHandle): { tags: Map<string, Alt[]>; opaque?: string } {
  return readMergedTags(r);
}

/** The zone tag of a resource: alternatives of its `srm-iip:zone` tag, or `[absent]`. */
export function zoneOf(r: ResourceHandle): Alt[] {
  const { tags, opaque } = readTags(r);
  const z = tags.get(TAG_ZONE);
  if (z && z.length > 0) return z;
  return opaque ? [unknown(`the tags are ${opaque}`)] : [{ kind: 'absent' }];
}

/** The classification level of a resource (`srm-iip:level`), as alternatives of numbers. */
export function levelOf(r: ResourceHandle): Alt[] {
  const { tags, opaque } = readTags(r);
  const l = tags.get(TAG_LEVEL);
  if (!l || l.length === 0) return opaque ? [unknown(`the tags are ${opaque}`)] : [{ kind: 'absent' }];
  return l.map((a) => {
    if (a.kind !== 'value') return a;
    const n = Number(a.value);
    return Number.isInteger(n) && n >= 1 ? value(n) : unknown(`level tag '${String(a.value)}' is not a level number 1..n`);
  });
}
