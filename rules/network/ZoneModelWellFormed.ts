import { SecurityDomain } from '../catalog/types';
import type { StackModel } from '../engine/model';
import { RuleIssue, SrmIipRule } from '../engine/rule';
import { isPlainObject } from '../engine/values';
import { METADATA_KEY, TAG_ZONE } from '../engine/zones';
import { declaredZoneNames, readZones } from './network-model';

/** Whether a zone's domain is one of the SRM-IIP security domains. */
export function isSecurityDomain(domain: string): boolean {
  return (Object.values(SecurityDomain) as string[]).includes(domain);
}

function rawZoneModel(stack: StackModel): { zones: unknown[]; conduits: unknown[] } | undefined {
  const meta = stack.metadata[METADATA_KEY];
  if (!isPlainObject(meta) || !isPlainObject(meta.zoneModel)) return undefined;
  const zm = meta.zoneModel;
  return { zones: Array.isArray(zm.zones) ? zm.zones : [], conduits: Array.isArray(zm.conduits) ? zm.conduits : [] };
}

/**
 * SRM-IIP-NET-06: the zone model the conduit checks rely on is consistent.
 * Reports the problems found while reading the declarations (malformed
 * conduits, zones declared differently in two stacks), conduits that
 * name undeclared zones, zones whose domain is not an
 * SRM-IIP security domain, and security groups tagged with a zone the model
 * does not declare (their rules cannot be matched against conduits).
 */
export const ZoneModelWellFormed: SrmIipRule = {
  id: 'ZoneModelWellFormed',
  controlId: 'SRM-IIP-NET-06',
  summary: 'The zone model is consistent: conduits and security-group zone tags name declared zones',
  resourceTypes: ['AWS::EC2::SecurityGroup'],
  checkApp(ctx) {
    const issues: RuleIssue[] = [];
    for (const p of ctx.zones.problems) issues.push({ kind: 'violation', message: `zone model: ${p}` });

    for (const stack of ctx.app.stacks) {
      const zm = rawZoneModel(stack);
      if (!zm) continue;
      for (const z of zm.zones) {
        if (!isPlainObject(z) || typeof z.name !== 'string') continue;
        if (typeof z.domain === 'string' && !isSecurityDomain(z.domain)) {
          issues.push({
            stack,
            kind: 'violation',
            message: `zone model: zone '${z.name}' has domain '${z.domain}', which is not an SRM-IIP security domain (${Object.values(SecurityDomain).join(', ')})`,
          });
        }
      }
      zm.conduits.forEach((c, i) => {
        if (!isPlainObject(c)) return;
        for (const end of ['from', 'to'] as const) {
          const name = c[end];
          if (typeof name === 'string' && !ctx.zones.zone(name)) {
            issues.push({
              stack,
              kind: 'violation',
              message: `zone model: conduit ${i} (${String(c.from)} → ${String(c.to)}) names ${end} zone '${name}', which the zone model does not declare; declared zones: ${declaredZoneNames(ctx)}`,
            });
          }
        }
      });
    }

    const reported = new Set<string>();
    for (const sg of ctx.app.resourcesOfType('AWS::EC2::SecurityGroup')) {
      for (const z of readZones(sg, ctx)) {
        if (z.kind === 'unknown') {
          issues.push({ resource: sg, kind: 'unverifiable', location: 'Tags', message: `cannot verify that the ${TAG_ZONE} tag of the security group names a declared zone: ${z.reason}` });
          continue;
        }
        if (z.kind !== 'zone' || z.declared || reported.has(`${sg.stack.name}/${sg.logicalId}`)) continue;
        reported.add(`${sg.stack.name}/${sg.logicalId}`);
        issues.push({
          resource: sg,
          kind: 'violation',
          location: 'Tags',
          message: `security group ${TAG_ZONE} tag names zone '${z.name}', which ${ctx.zones.declared ? 'the zone model does not declare' : 'is not a default zone (no zone model is declared)'}; its rules cannot be matched against conduits (known zones: ${declaredZoneNames(ctx)})`,
        });
      }
    }
    return issues;
  },
};
