import * as fs from 'fs';
import * as path from 'path';
import { describe, it, expect } from 'vitest';
import {
  BusinessScenario,
  CLAUSES,
  CONTROLS,
  LifecycleStage,
  SecurityDomain,
  Severity,
  THREATS,
  ThreatId,
  Verification,
  controlById,
} from '../../rules/catalog';
import { renderControlsMarkdown, withReadmeControlsTable } from '../../scripts/generate-controls-md';

const ROOT = path.resolve(__dirname, '..', '..');
// The spec lives next to the repository in the shared workspace; when it is absent (e.g. a
// fresh clone) the spec-comparison tests are skipped rather than failed.
const SPEC_PATH = process.env.SRM_IIP_SPEC ?? path.resolve(ROOT, '..', 'shared', 'spec', 'controls.md');
const HAS_SPEC = fs.existsSync(SPEC_PATH);

interface SpecRow {
  id: string;
  title: string;
  verification: string;
}

function parseSpec(): SpecRow[] {
  return fs
    .readFileSync(SPEC_PATH, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.startsWith('| SRM-IIP-'))
    .map((line) => {
      const cells = line.split('|').map((s) => s.trim());
      // cells[0] is the empty string before the leading pipe.
      return { id: cells[1], title: cells[2], verification: cells[3] };
    });
}

const FAMILY_CLAUSE: Record<string, string> = {
  PHY: '8.2.2',
  NET: '8.2.3',
  ACC: '8.2.4',
  COM: '8.2.5',
  SYS: '8.2.6',
  APP: '8.2.7',
  OPS: '8.2.8',
  MGT: '8.2.9',
};

describe('control catalog', () => {
  it('has 49 controls', () => {
    expect(CONTROLS).toHaveLength(49);
  });

  it.skipIf(!HAS_SPEC)('contains every control of the spec, in spec order', () => {
    const spec = parseSpec();
    expect(spec).toHaveLength(49);
    expect(CONTROLS.map((c) => c.id)).toEqual(spec.map((r) => r.id));
  });

  it.skipIf(!HAS_SPEC)('uses the spec titles and verification kinds', () => {
    for (const row of parseSpec()) {
      const ctl = controlById(row.id);
      expect(ctl, row.id).toBeDefined();
      expect(ctl!.title, row.id).toBe(row.title);
      expect(ctl!.verification, row.id).toBe(row.verification);
    }
  });

  it('has unique, well-formed IDs', () => {
    const ids = CONTROLS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^SRM-IIP-(PHY|NET|ACC|COM|SYS|APP|OPS|MGT)-\d{2}$/);
    }
  });

  it('maps each family to its clause', () => {
    for (const ctl of CONTROLS) {
      const family = ctl.id.split('-')[2];
      expect(ctl.clause, ctl.id).toBe(FAMILY_CLAUSE[family]);
      expect(CLAUSES[ctl.clause], ctl.id).toBeDefined();
    }
  });

  it('fills every required field with valid values', () => {
    const domains = new Set<string>(Object.values(SecurityDomain));
    const stages = new Set<string>(Object.values(LifecycleStage));
    const scenarios = new Set<string>(Object.values(BusinessScenario));
    const threats = new Set<string>(Object.values(ThreatId));
    for (const ctl of CONTROLS) {
      expect(ctl.title.length, ctl.id).toBeGreaterThan(0);
      expect(ctl.objective.length, ctl.id).toBeGreaterThanOrEqual(20);
      expect(ctl.check.length, ctl.id).toBeGreaterThan(0);
      expect(ctl.domains.length, ctl.id).toBeGreaterThan(0);
      expect(ctl.stages.length, ctl.id).toBeGreaterThan(0);
      expect(ctl.threats.length, ctl.id).toBeGreaterThan(0);
      expect(ctl.iec62443.length, ctl.id).toBeGreaterThan(0);
      for (const d of ctl.domains) expect(domains.has(d), `${ctl.id} domain ${d}`).toBe(true);
      for (const s of ctl.stages) expect(stages.has(s), `${ctl.id} stage ${s}`).toBe(true);
      for (const s of ctl.scenarios) expect(scenarios.has(s), `${ctl.id} scenario ${s}`).toBe(true);
      for (const t of ctl.threats) expect(threats.has(t), `${ctl.id} threat ${t}`).toBe(true);
      for (const sr of ctl.iec62443) expect(sr, ctl.id).toMatch(/^SR \d\.\d{1,2}$/);
      expect(Object.values(Verification)).toContain(ctl.verification);
      expect(Object.values(Severity)).toContain(ctl.severity);
      // No duplicates inside a list: they would inflate report counts.
      for (const values of [ctl.domains, ctl.stages, ctl.scenarios, ctl.threats, ctl.iec62443]) {
        expect(new Set<string>(values).size, ctl.id).toBe(values.length);
      }
    }
  });

  it('maps every control by clause title only', () => {
    for (const ctl of CONTROLS) expect(ctl.mappingBasis, ctl.id).toBe('clause-title');
  });

  it('automates at least 40 controls', () => {
    expect(CONTROLS.filter((c) => c.verification === Verification.AUTOMATED).length).toBeGreaterThanOrEqual(40);
  });

  it('describes every threat', () => {
    for (const t of Object.values(ThreatId)) expect(THREATS[t].length, t).toBeGreaterThan(0);
  });

  it('looks controls up by ID', () => {
    expect(controlById('SRM-IIP-NET-05')?.title).toBe('Every VPC records flow logs');
    expect(controlById('SRM-IIP-NET-99')).toBeUndefined();
  });

  it('keeps CONTROLS.md in sync with the catalog', () => {
    const file = path.join(ROOT, 'CONTROLS.md');
    const committed = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    expect(committed, 'CONTROLS.md is out of date: run `npm run controls:md`').toBe(renderControlsMarkdown());
  });
  it('keeps the README controls table in sync with the catalog', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('<!-- controls:start');
    expect(readme, 'the README controls table is out of date: run `npm run controls:md`').toBe(withReadmeControlsTable(readme));
  });

});
