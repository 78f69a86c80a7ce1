/**
 * Classification levels as SYS-06 and PHY-03 read them: the `srm-iip:level`
 * tag of each resource (also where the engine's `levelOf` cannot see tags:
 * launch templates and global tables), and the levels of the app.
 */
import type { AppModel, ResourceHandle, StackModel } from '../engine/model';
import { launchTemplateUses } from './launch-templates';
import type { RuleContext } from '../engine/rule';
import { ABSENT, Alt, isPlainObject, unknown, value } from '../engine/values';
import { readTags, TAG_LEVEL } from '../engine/zones';
import { perApp } from '../engine/cache';

/** A level tag text as a level number 1..n; undefined when it is not one. */
export function parseLevel(text: string | number | boolean): number | undefined {
  const n = Number(text);
  return typeof text !== 'boolean' && String(text).trim() !== '' && Number.isInteger(n) && n >= 1 ? n : undefined;
}

/** The level of a resource as read from its tags. */
export interface LevelReading {
  /** Alternatives of the level: numbers, `absent` (not tagged), or `unknown`. */
  readonly alts: readonly Alt[];
  /** True when a level tag is written on the resource (whatever its value). */
  readonly tagged: boolean;
  /** Where an untagged resource's level comes from, when it is derived, e.g. "the instances that launch from it". */
  readonly derivedFrom?: string;
}

const READINGS = new WeakMap<ResourceHandle, LevelReading>();

/** The `srm-iip:level` of a resource, as alternatives of level numbers. */
export function levelReading(r: ResourceHandle): LevelReading {
  let reading = READINGS.get(r);
  if (!reading) {
    reading = readLevel(r);
    // Most resources have no level tag; reading that again is cheaper than remembering it for each of them.
    if (reading !== NOT_TAGGED) READINGS.set(r, reading);
  }
  return reading;
}

function toLevel(a: Alt): Alt {
  if (a.kind !== 'value') return a;
  const v = a.value;
  const n = typeof v === 'string' || typeof v === 'number' ? parseLevel(v) : undefined;
  return n !== undefined ? value(n) : unknown(`level tag '${String(v)}' is not a level number 1..n`);
}

function readLevel(r: ResourceHandle): LevelReading {
  const { tags, opaque } = readTags(r);
  const l = tags.get(TAG_LEVEL);
  if (l && l.length > 0) return { alts: l.map(toLevel), tagged: true };
  // Types whose tags the engine does not read: launch templates (TagSpecifications), global tables (per replica).
  const extra = r.type === 'AWS::EC2::LaunchTemplate' ? launchTemplateLevelTags(r) : r.type === 'AWS::DynamoDB::GlobalTable' ? globalTableLevelTags(r) : [];
  if (extra.length > 0) return { alts: extra.map(toLevel), tagged: true };
  if (!opaque && (r.type === 'AWS::EC2::LaunchTemplate' || r.type === 'AWS::AutoScaling::LaunchConfiguration')) {
    // Launch configurations cannot carry tags, and CDK leaves its launch templates untagged: they hold the level of what launches from them.
    const users = launchUsers(r.stack.app).get(r) ?? [];
    if (users.length > 0) {
      const alts = dedupeLevels(users.flatMap((u) => levelReading(u).alts));
      const names = users.slice(0, 2).map((u) => u.logicalId).join(', ') + (users.length > 2 ? ` and ${users.length - 2} more` : '');
      return { alts, tagged: false, derivedFrom: `the level of the resources that launch from it (${names})` };
    }
  }
  return opaque ? { alts: [unknown(`the tags are ${opaque}`)], tagged: false } : NOT_TAGGED;
}

/** The reading of a resource without a level tag (most resources): shared, read-only. */
const NOT_TAGGED: LevelReading = Object.freeze({ alts: Object.freeze([ABSENT]) as readonly Alt[], tagged: false });

function dedupeLevels(alts: readonly Alt[]): Alt[] {
  const seen = new Set<string>();
  return alts.filter((a) => {
    const k = a.kind === 'value' ? `v${String(a.value)}` : a.kind === 'unknown' ? `u${a.reason}` : a.kind;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Instances and auto-scaling groups of the app, per launch template or launch configuration they launch from. */
const launchUsers = perApp((app: AppModel): Map<ResourceHandle, ResourceHandle[]> => {
  const map = new Map<ResourceHandle, ResourceHandle[]>();
  const add = (t: ResourceHandle | undefined, user: ResourceHandle) => {
    if (!t) return;
    const l = map.get(t) ?? [];
    if (!l.includes(user)) l.push(user);
    map.set(t, l);
  };
  for (const i of app.resourcesOfType('AWS::EC2::Instance')) for (const u of launchTemplateUses(i)) add(u.target, i);
  for (const g of app.resourcesOfType('AWS::AutoScaling::AutoScalingGroup')) {
    for (const u of [...launchTemplateUses(g, 'LaunchTemplate'), ...launchTemplateUses(g, 'MixedInstancesPolicy', 'LaunchTemplate', 'LaunchTemplateSpecification')]) add(u.target, g);
    for (const a of g.stack.resolver.get(g, 'LaunchConfigurationName')) {
      const lc = a.kind === 'ref' ? app.resource(a.stack, a.logicalId) : undefined;
      if (lc?.type === 'AWS::AutoScaling::LaunchConfiguration') add(lc, g);
    }
  }
  return map;
});

/** Values of one tag key in a `[{Key, Value}]` list given as alternatives. */
function tagValues(stack: StackModel, listAlts: readonly Alt[], key: string): Alt[] {
  const resolver = stack.resolver;
  const out: Alt[] = [];
  for (const el of resolver.items(stack, listAlts)) {
    if (el.kind !== 'value' || !isPlainObject(el.value)) continue;
    const keys = resolver.path(stack, [el], ['Key']);
    if (keys.some((k) => k.kind === 'value' && k.value === key)) out.push(...resolver.path(stack, [el], ['Value']));
  }
  return out;
}

/** A launch template's level: tags of the template itself, else the tags it gives its instances. */
function launchTemplateLevelTags(r: ResourceHandle): Alt[] {
  const resolver = r.stack.resolver;
  const fromSpecs = (specs: readonly Alt[], resourceType: string): Alt[] => {
    const out: Alt[] = [];
    for (const spec of resolver.items(r.stack, specs)) {
      const types = resolver.path(r.stack, [spec], ['ResourceType']);
      if (types.some((t) => t.kind === 'value' && t.value === resourceType)) out.push(...tagValues(r.stack, resolver.path(r.stack, [spec], ['Tags']), TAG_LEVEL));
    }
    return out;
  };
  const own = fromSpecs(resolver.get(r, 'TagSpecifications'), 'launch-template');
  return own.length > 0 ? own : fromSpecs(resolver.get(r, 'LaunchTemplateData', 'TagSpecifications'), 'instance');
}

/** A global table's level: the level tags of its replicas. */
function globalTableLevelTags(r: ResourceHandle): Alt[] {
  const resolver = r.stack.resolver;
  const out: Alt[] = [];
  for (const rep of resolver.items(r.stack, resolver.get(r, 'Replicas'))) out.push(...tagValues(r.stack, resolver.path(r.stack, [rep], ['Tags']), TAG_LEVEL));
  return out;
}

/** The levels found in the app, read once per app. */
export interface LevelScan {
  /** Whether any resource carries a level tag. */
  readonly anyTagged: boolean;
  /** The highest level number tagged on a resource. */
  readonly maxTagged?: number;
}

export const levelScan = perApp((app: AppModel): LevelScan => {
  let anyTagged = false;
  let maxTagged: number | undefined;
  for (const r of app.allResources()) {
    const reading = levelReading(r);
    if (!reading.tagged) continue;
    anyTagged = true;
    for (const a of reading.alts) if (a.kind === 'value' && typeof a.value === 'number') maxTagged = Math.max(maxTagged ?? 0, a.value);
  }
  const scan: LevelScan = { anyTagged, maxTagged };
  return scan;
});

/** How the app is classified: whether levels are in use, and the top level. */
export interface Classification {
  /** Levels are in use: the settings declare them, or some resource carries a level tag. */
  readonly active: boolean;
  /** The highest level: the declared number of levels, else the highest level tag. */
  readonly top?: number;
  /** Where `top` comes from, for messages. */
  readonly topSource: string;
}

export function classificationOf(ctx: RuleContext): Classification {
  const scan = levelScan(ctx.app);
  const declared = ctx.settings.classificationLevels;
  if (declared !== undefined) return { active: true, top: declared, topSource: `classificationLevels is ${declared}` };
  return {
    active: scan.anyTagged,
    top: scan.maxTagged,
    topSource: scan.maxTagged !== undefined ? 'the highest srm-iip:level tag in the app' : 'no readable srm-iip:level tag',
  };
}
