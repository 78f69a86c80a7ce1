/**
 * Reading the tags of any taggable resource type, in every shape CloudFormation
 * writes them: a `[{Key, Value}]` list (also with PropagateAtLaunch), a
 * `{key: value}` map, under `Tags` or a type-specific property
 * (`UserPoolTags`, `FileSystemTags`, `BackupPlanTags`, ... see
 * taggable-types.generated.ts).
 *
 * Unlike `readTags` in rules/engine/zones.ts it keeps `Fn::If` branches
 * apart, so a tag that only one branch writes counts as missing in the
 * other, and it knows the tag property of every taggable type.
 */
import type { ResourceHandle } from '../engine/model';
import { Alt, describe, isPlainObject } from '../engine/values';
import { TAGGABLE_TYPES } from '../engine/taggable-types.generated';

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

interface Branch {
  /** Keys every alternative of this branch writes. */
  readonly certain: Set<string>;
  /** The branch holds entries whose key cannot be read. */
  opaque?: string;
}

const cache = new WeakMap<ResourceHandle, TagReading>();

/** Read the tags of a resource (never throws on odd shapes). Cached per resource. */
export function readResourceTags(r: ResourceHandle): TagReading {
  const property = tagPropertyOf(r.type);
  // Most resources carry no tags at all: one shared reading per tag property, nothing to resolve.
  if (!Object.prototype.hasOwnProperty.call(r.properties, property) || r.properties[property] === undefined || r.properties[property] === null) {
    return untagged(property);
  }
  let t = cache.get(r);
  if (!t) cache.set(r, (t = read(r)));
  return t;
}

const UNTAGGED = new Map<string, TagReading>();

/** The reading of a resource whose tag property is not set: every key is missing. */
function untagged(property: string): TagReading {
  let t = UNTAGGED.get(property);
  if (!t) {
    t = { property, presence: () => 'missing', values: () => [], keys: () => [] };
    UNTAGGED.set(property, t);
  }
  return t;
}

function read(r: ResourceHandle): TagReading {
  const res = r.stack.resolver;
  const property = tagPropertyOf(r.type);
  const branches: Branch[] = [];
  const values = new Map<string, Alt[]>();
  const addValues = (k: string, vs: Alt[]) => values.set(k, [...(values.get(k) ?? []), ...vs.filter((v) => v.kind !== 'absent')]);
  let opaque: string | undefined;

  for (const top of res.get(r, property)) {
    const b: Branch = { certain: new Set() };
    branches.push(b);
    if (top.kind === 'absent') continue;
    if (top.kind !== 'value') {
      b.opaque = top.kind === 'unknown' ? top.reason : `a reference (${describe(top)})`;
    } else if (Array.isArray(top.value)) {
      for (const raw of top.value) {
        const alts = res.resolve(r.stack, raw);
        // Keys this element writes in every alternative (an Fn::If with AWS::NoValue writes none).
        let common: Set<string> | undefined;
        for (const el of alts) {
          const keys = new Set<string>();
          if (el.kind === 'value' && isPlainObject(el.value)) {
            for (const k of res.path(r.stack, [el], ['Key'])) {
              if (k.kind === 'value' && (typeof k.value === 'string' || typeof k.value === 'number')) {
                keys.add(String(k.value));
                addValues(String(k.value), res.path(r.stack, [el], ['Value']));
              } else if (k.kind !== 'absent') {
                b.opaque ??= `a tag key that is ${describe(k)}`;
              }
            }
          } else if (el.kind === 'unknown' || el.kind === 'ref') {
            b.opaque ??= el.kind === 'unknown' ? el.reason : `a reference (${describe(el)})`;
          } else if (el.kind === 'value' && Array.isArray(el.value)) {
            b.opaque ??= 'a nested tag list';
          }
          common = common ? new Set([...common].filter((k) => keys.has(k))) : keys;
        }
        for (const k of common ?? []) b.certain.add(k);
      }
    } else if (isPlainObject(top.value)) {
      for (const [k, v] of Object.entries(top.value)) {
        const vs = res.resolve(r.stack, v);
        addValues(k, vs);
        if (!vs.some((x) => x.kind === 'absent')) b.certain.add(k);
      }
    } else {
      b.opaque = `a tag set that is not a list or a map (${describe(top)})`;
    }
    opaque ??= b.opaque;
  }

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
