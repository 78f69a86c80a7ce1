import type { ResourceHandle } from '../engine/model';
import { RuleIssue, SrmIipRule, violation } from '../engine/rule';
import { isPlainObject, stringOf } from '../engine/values';
import { TAG_ZONE } from '../engine/zones';
import { declaredZoneNames, readZones } from './network-model';

/**
 * How many `srm-iip:zone` entries the subnet's tag list holds, at most, over
 * every way the list may be written (an entry whose key is chosen by Fn::If
 * counts when any branch names the zone key).
 */
function maxZoneTagEntries(r: ResourceHandle): number {
  const resolver = r.stack.resolver;
  let max = 0;
  for (const b of resolver.branches(r.stack, resolver.get(r, 'Tags'))) {
    if (b.kind !== 'list') {
      if (b.alt.kind === 'value' && isPlainObject(b.alt.value) && TAG_ZONE in b.alt.value) max = Math.max(max, 1);
      continue;
    }
    let n = 0;
    for (const el of b.elements) {
      const keys = resolver.path(r.stack, el, ['Key']);
      if (keys.some((k) => stringOf(k) === TAG_ZONE)) n++;
    }
    max = Math.max(max, n);
  }
  return max;
}

/**
 * SRM-IIP-NET-01: every subnet belongs to exactly one zone of the zone model.
 * An untagged subnet is unclassified; a zone name the model does not declare
 * (or, without a declared model, not one of the default zones) is a violation.
 */
export const SubnetHasOneZone: SrmIipRule = {
  id: 'SubnetHasOneZone',
  controlId: 'SRM-IIP-NET-01',
  summary: `Every subnet carries exactly one ${TAG_ZONE} tag naming a zone of the zone model`,
  resourceTypes: ['AWS::EC2::Subnet'],
  check(r, ctx) {
    const issues: RuleIssue[] = [];
    const count = maxZoneTagEntries(r);
    if (count > 1) {
      issues.push(violation(r, `subnet carries ${count} ${TAG_ZONE} tags; a subnet must belong to exactly one zone`, 'Tags'));
    }
    const seen = new Set<string>();
    for (const z of readZones(r, ctx)) {
      if (z.kind === 'untagged') {
        issues.push(violation(r, `subnet has no ${TAG_ZONE} tag (unclassified); tag it with one zone of the zone model (${declaredZoneNames(ctx)})`, 'Tags'));
      } else if (z.kind === 'unknown') {
        issues.push({ resource: r, kind: 'unverifiable', location: 'Tags', message: `cannot verify the ${TAG_ZONE} tag of the subnet: ${z.reason}` });
      } else if (!z.declared && !seen.has(z.name)) {
        seen.add(z.name);
        const why = ctx.zones.declared
          ? `which the zone model does not declare; declared zones: ${declaredZoneNames(ctx)}`
          : `which is not a default zone (the app declares no zone model); default zones: ${declaredZoneNames(ctx)}`;
        issues.push(violation(r, `subnet zone tag names zone '${z.name}', ${why}`, 'Tags'));
      }
    }
    return dedupeIssues(issues);
  },
};

function dedupeIssues(issues: RuleIssue[]): RuleIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.kind}|${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
