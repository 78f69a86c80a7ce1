import { describe, expect, test } from 'vitest';
import { buildCrossBorderSupplyChain, SUPPLY_CHAIN_PARTNERS, SUPPLY_CHAIN_REGIONS } from '../../examples/cross-border-supply-chain/app';
import { recordedAcknowledgements } from '../../rules/packs';
import { vagueReasons } from '../support/packs';
import { registeredPlugins, reportConclusions } from '../blueprints/support';

// Built and synthesized once, as `npx tsx examples/cross-border-supply-chain/app.ts` does: the three registered packs run at synthesis.
const ex = buildCrossBorderSupplyChain();
const assembly = ex.app.synth();

describe('example cross-border-supply-chain', () => {
  test('synthesizes with the three packs registered; none fails (cdk-nag fails on any unacknowledged finding, warnings included)', () => {
    expect(registeredPlugins(ex.app)).toEqual(['SRM-IIP', 'AwsSolutions', 'NIST.800.53.R5']);
    for (const c of reportConclusions(assembly.directory)) expect(c).toMatch(/: success$/);
  });

  test('the kit\'s pack: no unacknowledged error; residency and partner trust checked and passing', () => {
    const r = ex.srmIipChecks.lastResult!;
    expect(r.findings.filter((f) => !f.acknowledgement && f.severity === 'error')).toEqual([]);
    const status = Object.fromEntries(r.controls.map((c) => [c.controlId, c.status]));
    expect([status['SRM-IIP-MGT-03'], status['SRM-IIP-ACC-08']]).toEqual(['passed', 'passed']);
  });

  test('every acknowledgement carries a specific reason', () => {
    const acks = [...recordedAcknowledgements(ex.app).values()].flat().map((a) => ({ id: a.key, reason: a.reason }));
    expect(vagueReasons(acks)).toEqual([]);
  });

  test('every stack sits in an allowed EU region; the replica in eu-west-1', () => {
    for (const s of assembly.stacks) expect(SUPPLY_CHAIN_REGIONS).toContain(s.environment.region);
    expect(assembly.getStackByName('axle-supplier-replica').environment.region).toBe('eu-west-1');
  });

  test('one role and one exchange folder per partner', () => {
    for (const p of SUPPLY_CHAIN_PARTNERS) {
      expect(ex.platform.partnerAccess!.role(p.name)).toBeDefined();
      expect(ex.platform.exchangePolicy(p.name)).toBeDefined();
    }
  });
});
