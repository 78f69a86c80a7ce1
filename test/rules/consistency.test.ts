import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as kit from '../../index';

const ROOT = join(__dirname, '..', '..');
const FAMILY_DIR: Record<string, string> = {
  PHY: 'physical',
  NET: 'network',
  ACC: 'access',
  COM: 'communication',
  SYS: 'system',
  APP: 'application',
  OPS: 'operations',
  MGT: 'management',
};

function familyOf(controlId: string): string {
  return FAMILY_DIR[controlId.split('-')[2]];
}

describe('catalog and rules agree', () => {
  it('every rule names a catalog control', () => {
    for (const r of kit.ALL_RULES) expect(kit.controlById(r.controlId), r.id).toBeDefined();
  });

  it('rule IDs are unique PascalCase names', () => {
    const ids = kit.ALL_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Z][A-Za-z0-9]+$/);
  });

  it('one rule per file, named after the rule, in the folder of its control family', () => {
    for (const r of kit.ALL_RULES) {
      const file = join(ROOT, 'rules', familyOf(r.controlId), `${r.id}.ts`);
      expect(existsSync(file), file).toBe(true);
      expect(readFileSync(file, 'utf8')).toContain(`export const ${r.id}`);
    }
  });

  it('every rule has a check and reads at least one resource type or the app', () => {
    for (const r of kit.ALL_RULES) {
      expect(Boolean(r.check) || Boolean(r.checkApp), r.id).toBe(true);
      if (r.check) expect(r.resourceTypes.length, r.id).toBeGreaterThan(0);
      expect(r.summary.length, r.id).toBeGreaterThan(10);
    }
  });

  it('every automated and partial control has at least one rule with its own test file', () => {
    for (const c of kit.CONTROLS.filter((x) => x.verification === 'automated' || x.verification === 'partial')) {
      const rules = kit.ALL_RULES.filter((r) => r.controlId === c.id);
      expect(rules.length, `${c.id} has no rule`).toBeGreaterThan(0);
      for (const r of rules) {
        const test = join(ROOT, 'test', 'rules', familyOf(c.id), `${r.id}.test.ts`);
        expect(existsSync(test), `${r.id} has no test file ${test}`).toBe(true);
        const text = readFileSync(test, 'utf8');
        expect(text, `${test} does not name ${c.id}`).toContain(c.id);
        expect(text, `${test} has no noncompliant case`).toMatch(/Noncompliance/);
        expect(text, `${test} has no compliant case`).toMatch(/Compliance/);
      }
    }
  });

  it('manual and inherited controls have no rule (they rest on attestations)', () => {
    for (const c of kit.CONTROLS.filter((x) => x.verification === 'manual' || x.verification === 'inherited')) {
      expect(kit.ALL_RULES.filter((r) => r.controlId === c.id), c.id).toEqual([]);
    }
  });

  it('at least 40 automated controls, each with a rule', () => {
    const automated = kit.CONTROLS.filter((c) => c.verification === 'automated');
    expect(automated.length).toBeGreaterThanOrEqual(40);
    expect(automated.filter((c) => kit.ALL_RULES.some((r) => r.controlId === c.id)).length).toBe(automated.length);
  });
});
