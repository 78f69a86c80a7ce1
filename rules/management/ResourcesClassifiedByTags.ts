import type { RuleIssue, SrmIipRule } from '../engine/rule';
import { KIT_TAGS } from '../engine/zones';
import { describe } from '../engine/values';
import { readResourceTags } from '../engine/tags';
import { TAGGABLE_TYPES } from '../engine/taggable-types.generated';

/** The kit tags a set of tag keys lacks. */
export function missingKitTags(keys: Iterable<string>): string[] {
  const have = new Set(keys);
  return KIT_TAGS.filter((k) => !have.has(k));
}

/**
 * SRM-IIP-MGT-02: every taggable resource (every type aws-cdk-lib can tag,
 * see taggable-types.generated.ts) carries the four kit tags srm-iip:zone,
 * srm-iip:level, srm-iip:owner and srm-iip:stage, with a non-empty value, in
 * every Fn::If branch, read from the type's own tag property (Tags,
 * UserPoolTags, FileSystemTags, BackupPlanTags, ...).
 */
export const ResourcesClassifiedByTags: SrmIipRule = {
  id: 'ResourcesClassifiedByTags',
  controlId: 'SRM-IIP-MGT-02',
  summary: 'Taggable resources carry the zone, level, owner and life-cycle stage tags',
  resourceTypes: Object.keys(TAGGABLE_TYPES),
  check(r) {
    const tags = readResourceTags(r);
    const missing: string[] = [];
    const sometimes: string[] = [];
    const unknown: string[] = [];
    const empty: string[] = [];
    for (const key of KIT_TAGS) {
      const p = tags.presence(key);
      const values = tags.values(key);
      if (p === 'missing') (values.length > 0 ? sometimes : missing).push(key);
      else if (p === 'unknown') unknown.push(key);
      else if (values.some((v) => v.kind === 'value' && String(v.value).trim() === '')) empty.push(key);
    }
    const issues: RuleIssue[] = [];
    const where = tags.property;
    if (missing.length > 0) {
      issues.push({
        resource: r,
        kind: 'violation',
        location: where,
        message: `the resource is not inventoried and classified: missing tag${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (${where})`,
      });
    }
    if (sometimes.length > 0) {
      issues.push({ resource: r, kind: 'violation', location: where, message: `tag${sometimes.length > 1 ? 's' : ''} ${sometimes.join(', ')} ${sometimes.length > 1 ? 'are' : 'is'} missing in some Fn::If branch of ${where}` });
    }
    if (empty.length > 0) {
      issues.push({ resource: r, kind: 'violation', location: where, message: `tag${empty.length > 1 ? 's' : ''} ${empty.join(', ')} ${empty.length > 1 ? 'have' : 'has'} an empty value` });
    }
    if (unknown.length > 0) {
      issues.push({
        resource: r,
        kind: 'unverifiable',
        location: where,
        message: `cannot verify tag${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: ${where} is ${tags.opaque ?? describe({ kind: 'unknown', reason: 'computed at deploy time' })}`,
      });
    }
    return issues;
  },
};
