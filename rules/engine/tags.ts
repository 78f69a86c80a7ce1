/**
 * The one reader of a resource's tags, in every shape CloudFormation writes
 * them: a `[{Key, Value}]` list (also with PropagateAtLaunch), a
 * `{key: value}` map, under `Tags` or a type-specific property
 * (`UserPoolTags`, `FileSystemTags`, `BackupPlanTags`, ... see
 * taggable-types.generated.ts).
 *
 * The tag set is read once per resource (cached) and serves two views:
 * - `readResourceTags` keeps `Fn::If` branches apart, so a tag that only one
 *   branch writes counts as missing in the other;
 * - `readTags` in zones.ts merges the branches: every value a key may have.
 */
import type { ResourceHandle } from './model';
import { Alt, describe, isPlainObject } from './values';
import { TAGGABLE_TYPES } from './taggable-types.generated';

/** The tag property of a type: from the generated table; `Tags` for a type the table does not know. */
export function tagPropertyOf(type: string): string {
  return TAGGABLE_TYPES[type]?.property ?? 'Tags';
}

/** Whether aws-cdk-lib knows the type as taggable. */
export function isTaggableType(type: string): boolean {
  return Object.prototype.hasOwnProperty.call(TAGGABLE_TYPES, type);
}

/** Whether a key is on a resource: in every way the tags may be written, in none of some, or unknowable. */
export type TagPresence = 'present' | 'missing' | 'unknown';

export interface TagReading {
  /** The property the tags were read from. */
  readonly property: string;
  /** Presence of a key across every Fn::If branch of the tag property. */
  presence(key: string): TagPresence;
  /** Every value the key may have (empty when it is never written). */
  values(key: string): Alt[];
  /** Every key some branch writes. */
  keys(): string[];
  /** Why (part of) the tags cannot be read; set when some branch is opaque. */
  readonly opaque?: string;
}

/** The tags of a resource with `Fn::If` branches merged: every value per key; `opaque` when the set cannot be read. */
export interface MergedTags {
  tags: Map<string, Alt[]>;
  opaque?: string;
}

/** Read the tags of a resource, branches apart (never throws on odd shapes). Cached per resource. */
export function readResourceTags(r: ResourceHandle): TagReading {
  return tagSetOf(r)?.reading ?? untagged(tagPropertyOf(r.type));
}

/**
 * The tags of a resource with branches merged (the view `readTags` in
 * zones.ts gives). Read once per resource; the result is shared, so callers
 * must not change it.
 */
export function readMergedTags(r: ResourceHandle): MergedTags {
  const set = tagSetOf(r);
  if (!set) return UNTAGGED_MERGED;
  return (set.merged ??= merged(set));
}

/**
 * Something in the tag set that cannot be read (or that only one view
 * accepts). Recorded in order; each view takes the first one it counts.
 */
type Note =
  | { kind: 'set'; alt: Alt } // the tag property itself is unknown or a reference
  | { kind: 'shape'; alt: Alt } // the tag property is neither a list nor a map
  | { kind: 'entry'; alt: Alt } // a list element that is not an object
  | { kind: 'key'; alt: Alt }; // a tag key that is not a string

/** A key written by one list element or map entry, with the alternatives of its value (absent included). */
interface Entry {
  readonly key: string;
  /** The key was written as a number (only the branch-apart view reads it). */
  readonly numeric: boolean;
  readonly values: Alt[];
}

interface Branch {
  /** Keys every alternative of this branch writes. */
  readonly certain: Set<string>;
  /** Notes of this branch. */
  readonly notes: Note[];
}

interface TagSet {
  readonly property: string;
  readonly entries: Entry[];
  readonly branches: Branch[];
  readonly reading: TagReading;
  /** The merged view, made on first use. */
  merged?: MergedTags;
}

/** Tags per resource: zone, level, stage, tenancy, classification and backup rules all read them. Shared: treat as read-only. */
const TAG_SETS = new WeakMap<ResourceHandle, TagSet>();

/** The tag set of a resource, or undefined when its tag property is not set (most resources: nothing to resolve). */
function tagSetOf(r: ResourceHandle): TagSet | undefined {
  const property = tagPropertyOf(r.type);
  const raw = Object.prototype.hasOwnProperty.call(r.properties, property) ? r.properties[property] : undefined;
  if (raw === undefined || raw === null) return undefined;
  let t = TAG_SETS.get(r);
  if (!t) TAG_SETS.set(r, (t = read(r, property)));
  return t;
}

const UNTAGGED = new Map<string, TagReading>();
const UNTAGGED_MERGED: MergedTags = Object.freeze({ tags: new Map<string, Alt[]>() });

/** The reading of a resource whose tag property is not set: every key is missing. */
function untagged(property: string): TagReading {
  let t = UNTAGGED.get(property);
  if (!t) {
    t = { property, presence: () => 'missing', values: () => [], keys: () => [] };
    UNTAGGED.set(property, t);
  }
  return t;
}

function read(r: ResourceHandle, property: string): TagSet {
  const res = r.stack.resolver;
  const entries: Entry[] = [];
  const branches: Branch[] = [];

  for (const top of res.get(r, property)) {
    const b: Branch = { certain: new Set(), notes: [] };
    branches.push(b);
    if (top.kind === 'absent') continue;
    if (top.kind !== 'value') {
      b.notes.push({ kind: 'set', alt: top });
    } else if (Array.isArray(top.value)) {
      for (const raw of top.value) {
        // Keys this element writes in every alternative (an Fn::If with AWS::NoValue writes none).
        let common: Set<string> | undefined;
        for (const el of res.resolve(r.stack, raw)) {
          const keys = new Set<string>();
          if (el.kind === 'value' && isPlainObject(el.value)) {
            for (const k of res.path(r.stack, [el], ['Key'])) {
              if (k.kind === 'value' && (typeof k.value === 'string' || typeof k.value === 'number')) {
                keys.add(String(k.value));
                entries.push({ key: String(k.value), numeric: typeof k.value === 'number', values: res.path(r.stack, [el], ['Value']) });
                if (typeof k.value === 'number') b.notes.push({ kind: 'key', alt: k });
              } else {
                b.notes.push({ kind: 'key', alt: k });
              }
            }
          } else if (el.kind !== 'absent') {
            b.notes.push({ kind: 'entry', alt: el });
          }
          common = common ? new Set([...common].filter((k) => keys.has(k))) : keys;
        }
        for (const k of common ?? []) b.certain.add(k);
      }
    } else if (isPlainObject(top.value)) {
      for (const [k, v] of Object.entries(top.value)) {
        const vs = res.resolve(r.stack, v);
        entries.push({ key: k, numeric: false, values: vs });
        if (!vs.some((x) => x.kind === 'absent')) b.certain.add(k);
      }
    } else {
      b.notes.push({ kind: 'shape', alt: top });
    }
  }

  return { property, entries, branches, reading: branchesApart(property, entries, branches) };
}

/** Why a branch cannot be read, in the words of the branch-apart view (undefined: the note does not make it opaque). */
function branchReason(n: Note): string | undefined {
  const { alt } = n;
  switch (n.kind) {
    case 'set':
      return alt.kind === 'unknown' ? alt.reason : `a reference (${describe(alt)})`;
    case 'shape':
      return `a tag set that is not a list or a map (${describe(alt)})`;
    case 'entry':
      if (alt.kind === 'unknown') return alt.reason;
      if (alt.kind === 'ref') return `a reference (${describe(alt)})`;
      return alt.kind === 'value' && Array.isArray(alt.value) ? 'a nested tag list' : undefined;
    case 'key':
      return alt.kind === 'absent' || (alt.kind === 'value' && typeof alt.value === 'number') ? undefined : `a tag key that is ${describe(alt)}`;
  }
}

/** Why the tag set cannot be read, in the words of the merged view. */
function mergedReason(n: Note): string {
  const { alt } = n;
  switch (n.kind) {
    case 'set':
      return alt.kind === 'unknown' ? alt.reason : 'tags that are a reference';
    case 'shape':
      return 'a tag set that is not a list or a map';
    case 'entry':
      return alt.kind === 'unknown' ? alt.reason : 'a tag entry computed at deploy time';
    case 'key':
      return 'a tag key computed at deploy time';
  }
}

function branchesApart(property: string, entries: readonly Entry[], notes: readonly Branch[]): TagReading {
  const values = new Map<string, Alt[]>();
  for (const e of entries) values.set(e.key, [...(values.get(e.key) ?? []), ...e.values.filter((v) => v.kind !== 'absent')]);
  const opaqueOf = (b: Branch) => b.notes.map(branchReason).find((x) => x !== undefined);
  const branches = notes.map((b) => ({ certain: b.certain, opaque: opaqueOf(b) }));
  let opaque: string | undefined;
  for (const b of branches) opaque ??= b.opaque;
  return {
    property,
    opaque,
    presence(key) {
      let unknownSeen = false;
      for (const b of branches) {
        if (b.certain.has(key)) continue;
        if (b.opaque) unknownSeen = true;
        else return 'missing';
      }
      return unknownSeen ? 'unknown' : 'present';
    },
    values(key) {
      return values.get(key) ?? [];
    },
    keys() {
      return [...values.keys()];
    },
  };
}

function merged(set: TagSet): MergedTags {
  const tags = new Map<string, Alt[]>();
  for (const e of set.entries) if (!e.numeric) tags.set(e.key, [...(tags.get(e.key) ?? []), ...e.values]);
  const first = set.branches.flatMap((b) => b.notes)[0];
  return { tags, opaque: first && mergedReason(first) };
}
