import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';

const DIR = join(__dirname, '..', '..', '..', 'rules', 'network');

describe('network rule registry', () => {
  it('registers every rule file of rules/network in NETWORK_RULES and the kit', () => {
    const files = readdirSync(DIR).filter((f) => /^[A-Z][A-Za-z0-9]+\.ts$/.test(f));
    const rules = files.map((f) => f.replace(/\.ts$/, '')).filter((n) => readFileSync(join(DIR, `${n}.ts`), 'utf8').includes(`export const ${n}: SrmIipRule`));
    expect(rules.length).toBeGreaterThan(0);
    const registered = kit.NETWORK_RULES.map((r) => r.id);
    for (const id of rules) {
      expect(registered, id).toContain(id);
      expect(kit.ruleById(id), id).toBeDefined();
    }
    expect([...registered].sort()).toEqual([...rules].sort());
  });

  it('covers the automated network controls NET-01, 02, 03 and 06 with the zone-model rules', () => {
    const byControl = (id: string) => kit.NETWORK_RULES.filter((r) => r.controlId === id).map((r) => r.id);
    expect(byControl('SRM-IIP-NET-01')).toEqual(['SubnetHasOneZone', 'SubnetPlacementInOwnDomain']);
    expect(byControl('SRM-IIP-NET-02')).toEqual(['SecurityGroupNoPublicIngress', 'SecurityGroupNoAllPortsIngress']);
    expect(byControl('SRM-IIP-NET-03')).toEqual(['SubnetNoPublicIpOutsideIngress', 'InternetRouteOnlyFromIngress', 'DatabasesNotPublic', 'SearchDomainsInVpc', 'ComputeNoPublicIpOutsideIngress']);
    expect(byControl('SRM-IIP-NET-06')).toEqual(['ZoneModelWellFormed', 'SecurityGroupCrossingsUseConduits', 'NetworkAclCrossingsUseConduits']);
  });
});
