import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { SrmIipError } from '../../rules/errors';
import { Verification } from '../../rules/catalog/types';
import { CONTROLS } from '../../rules/catalog/controls';
import { ATTESTATIONS_FILE, AttestationError, attestationsFromData, loadAttestations, parseAttestations } from '../../reports/attestations';

const FIXTURES = 'test/fixtures/attestations';
const fixture = (name: string) => `${FIXTURES}/${name}.yaml`;
const tmp = mkdtempSync(join(tmpdir(), 'srm-iip-attestations-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The error a call throws (fails the test when it throws none). */
function errorOf(fn: () => unknown): AttestationError {
  try {
    fn();
  } catch (e) {
    return e as AttestationError;
  }
  throw new Error('expected an AttestationError');
}

const ENTRY = (extra: string) => `attestations:\n  - control: SRM-IIP-PHY-02\n    owner: Plant security\n    evidence: INSP-2026-014\n${extra}`;

describe('loadAttestations', () => {
  it('reads a valid file: control or controlId, unquoted and quoted dates, all as ISO date strings', () => {
    expect(loadAttestations(fixture('valid'))).toEqual([
      { controlId: 'SRM-IIP-PHY-01', owner: 'Cloud platform team', evidence: 'AWS Artifact SOC 2 Type II report 2025 (DOC-SEC-0412)', date: '2026-03-01', expires: '2027-03-01' },
      { controlId: 'SRM-IIP-APP-06', owner: 'Application security team', evidence: 'Tenant isolation test run TI-2026-07', date: '2026-04-20', expires: '2026-10-20' },
    ]);
  });

  it('reads the example file at the repository root: PHY-01, PHY-02, MGT-01 and the runtime parts of APP-06, OPS-07, MGT-04', () => {
    const records = loadAttestations(ATTESTATIONS_FILE);
    expect(records.map((r) => r.controlId)).toEqual(['SRM-IIP-PHY-01', 'SRM-IIP-PHY-02', 'SRM-IIP-MGT-01', 'SRM-IIP-APP-06', 'SRM-IIP-OPS-07', 'SRM-IIP-MGT-04']);
    for (const r of records) {
      expect(r.date).toMatch(/^2026-\d\d-\d\d$/);
      expect(r.owner.length).toBeGreaterThan(5);
      expect(r.evidence.length).toBeGreaterThan(10);
    }
    expect(records.filter((r) => r.expires.startsWith('2027-')).length).toBeGreaterThan(0);
  });

  it('names an unknown control ID with its entry number (from 1) and the file', () => {
    const e = errorOf(() => loadAttestations(fixture('unknown-control')));
    expect(e).toBeInstanceOf(AttestationError);
    expect(e).toBeInstanceOf(SrmIipError);
    expect(e.message).toBe('test/fixtures/attestations/unknown-control.yaml: entry 3 (SRM-IIP-XXX-99): unknown control ID; expected an ID of the catalog, such as SRM-IIP-PHY-01');
    expect({ source: e.source, entry: e.entry, controlId: e.controlId }).toEqual({ source: fixture('unknown-control'), entry: 3, controlId: 'SRM-IIP-XXX-99' });
  });

  it('refuses an attestation of an automated control', () => {
    expect(errorOf(() => loadAttestations(fixture('automated-control'))).message).toBe(
      "test/fixtures/attestations/automated-control.yaml: entry 1 (SRM-IIP-NET-05): control is checked from templates (verification 'automated'); only manual, inherited and partial controls take attestations",
    );
  });

  it('names a missing field', () => {
    expect(errorOf(() => loadAttestations(fixture('missing-field'))).message).toBe("test/fixtures/attestations/missing-field.yaml: entry 1 (SRM-IIP-MGT-01): missing field 'evidence'");
  });

  it('refuses an impossible date rather than rolling it over', () => {
    expect(errorOf(() => loadAttestations(fixture('impossible-date'))).message).toBe("test/fixtures/attestations/impossible-date.yaml: entry 1 (SRM-IIP-PHY-02): 'date' 2026-02-30 is not a date of the calendar");
  });

  it('refuses an unparsable date', () => {
    expect(errorOf(() => loadAttestations(fixture('unparsable-date'))).message).toBe("test/fixtures/attestations/unparsable-date.yaml: entry 1 (SRM-IIP-PHY-02): 'expires' must be a date YYYY-MM-DD, got 'next spring'");
  });

  it('refuses an expiry before the attestation date', () => {
    expect(errorOf(() => loadAttestations(fixture('expires-before-date'))).message).toBe('test/fixtures/attestations/expires-before-date.yaml: entry 1 (SRM-IIP-MGT-04): expires (2026-02-15) is before date (2026-02-16)');
  });

  it('refuses a control attested twice, naming both entries', () => {
    expect(errorOf(() => loadAttestations(fixture('duplicate'))).message).toBe('test/fixtures/attestations/duplicate.yaml: entry 3 (SRM-IIP-OPS-07): duplicate control; entry 1 already attests it');
  });

  it('reports a YAML syntax error and a missing file on one line', () => {
    const syntax = errorOf(() => loadAttestations(fixture('not-yaml')));
    expect(syntax.message).toMatch(/^test\/fixtures\/attestations\/not-yaml\.yaml: not valid YAML: .+ at line \d+, column \d+:?$/);
    expect(syntax.entry).toBeUndefined();
    expect(errorOf(() => loadAttestations(join(tmp, 'absent.yaml'))).message).toBe(`${join(tmp, 'absent.yaml')}: file not found`);
  });
});

describe('parseAttestations', () => {
  it('names the file srm-iip.attestations.yaml unless told otherwise', () => {
    expect(errorOf(() => parseAttestations('attestations:\n  - control: SRM-IIP-XXX-99\n')).message).toBe(
      'srm-iip.attestations.yaml: entry 1 (SRM-IIP-XXX-99): unknown control ID; expected an ID of the catalog, such as SRM-IIP-PHY-01',
    );
  });

  it('accepts an empty list, and refuses a file that is not the attestations mapping', () => {
    expect(parseAttestations('attestations: []\n')).toEqual([]);
    const shape = "x.yaml: expected a mapping with an 'attestations' list, such as: attestations: [ { control: SRM-IIP-PHY-01, owner: ..., evidence: ..., date: 2026-03-01, expires: 2027-03-01 } ]";
    expect(errorOf(() => parseAttestations('', 'x.yaml')).message).toBe(shape);
    expect(errorOf(() => parseAttestations('- control: SRM-IIP-PHY-01\n', 'x.yaml')).message).toBe(shape);
    expect(errorOf(() => parseAttestations('attestations: SRM-IIP-PHY-01\n', 'x.yaml')).message).toBe("x.yaml: 'attestations' must be a list, got 'SRM-IIP-PHY-01'");
    expect(errorOf(() => parseAttestations('attestations: []\nowner: me\n', 'x.yaml')).message).toBe("x.yaml: unknown top-level field 'owner'; the file holds only 'attestations'");
    expect(errorOf(() => parseAttestations('attestations:\n  - SRM-IIP-PHY-01\n', 'x.yaml')).message).toBe("x.yaml: entry 1 (no control): expected a mapping with control, owner, evidence, date, expires, got 'SRM-IIP-PHY-01'");
  });

  it('names the entry of every other mistake', () => {
    const msg = (text: string) => errorOf(() => parseAttestations(text, 'f.yaml')).message;
    expect(msg(ENTRY('    date: 2026-03-01\n    expiry: 2027-03-01\n'))).toBe("f.yaml: entry 1 (SRM-IIP-PHY-02): unknown field 'expiry'; allowed: control, owner, evidence, date, expires");
    expect(msg(ENTRY('    date: 2026-03-01\n'))).toBe("f.yaml: entry 1 (SRM-IIP-PHY-02): missing field 'expires'");
    expect(msg(ENTRY('    date: 20260301\n    expires: 2027-03-01\n'))).toBe("f.yaml: entry 1 (SRM-IIP-PHY-02): 'date' must be a date YYYY-MM-DD, got number 20260301");
    expect(msg(ENTRY('    date: 2026-3-1\n    expires: 2027-03-01\n'))).toBe("f.yaml: entry 1 (SRM-IIP-PHY-02): 'date' must be a date YYYY-MM-DD, got '2026-3-1'");
    expect(msg(ENTRY('    date: 2026-03-01\n    expires: 2027-13-01\n'))).toBe("f.yaml: entry 1 (SRM-IIP-PHY-02): 'expires' 2027-13-01 is not a date of the calendar");
    expect(msg('attestations:\n  - owner: Plant security\n')).toBe("f.yaml: entry 1 (no control): missing field 'control'");
    expect(msg('attestations:\n  - control: 42\n')).toBe("f.yaml: entry 1 (no control): 'control' must be a control ID such as SRM-IIP-PHY-01, got number 42");
    expect(msg('attestations:\n  - control: SRM-IIP-PHY-01\n    controlId: SRM-IIP-PHY-01\n')).toBe("f.yaml: entry 1 (SRM-IIP-PHY-01): gives both 'control' and 'controlId'; use one");
    expect(msg('attestations:\n  - control: SRM-IIP-PHY-01\n    owner: "  "\n')).toBe("f.yaml: entry 1 (SRM-IIP-PHY-01): missing field 'owner'");
    expect(msg('attestations:\n  - control: SRM-IIP-PHY-01\n    owner: [a, b]\n')).toBe("f.yaml: entry 1 (SRM-IIP-PHY-01): 'owner' must be text, got a list");
  });

  it('takes an attestation on the day it is made up to its expiry; partial controls take one for their runtime part', () => {
    const ok = parseAttestations(ENTRY('    date: 2026-03-01\n    expires: 2026-03-01\n'));
    expect(ok).toEqual([{ controlId: 'SRM-IIP-PHY-02', owner: 'Plant security', evidence: 'INSP-2026-014', date: '2026-03-01', expires: '2026-03-01' }]);
    const attestable = CONTROLS.filter((c) => c.verification !== Verification.AUTOMATED).map((c) => c.id);
    expect(attestable).toEqual(expect.arrayContaining(['SRM-IIP-PHY-01', 'SRM-IIP-PHY-02', 'SRM-IIP-MGT-01', 'SRM-IIP-APP-06', 'SRM-IIP-OPS-07', 'SRM-IIP-MGT-04']));
  });
});

describe('attestationsFromData', () => {
  it('gives the same records whether YAML dates arrive as strings (YAML 1.2) or Date objects (YAML 1.1 timestamps)', () => {
    const text = ENTRY('    date: 2026-03-01\n    expires: 2027-03-01\n');
    const asDates = parseYaml(text, { schema: 'yaml-1.1' }) as { attestations: Array<{ date: unknown }> };
    expect(asDates.attestations[0].date).toBeInstanceOf(Date);
    expect(attestationsFromData(asDates)).toEqual(parseAttestations(text));
    expect(parseAttestations(text)[0]).toMatchObject({ date: '2026-03-01', expires: '2027-03-01' });
  });

  it('refuses a Date that is a timestamp rather than a day, and an invalid Date', () => {
    const base = { control: 'SRM-IIP-PHY-02', owner: 'Plant security', evidence: 'INSP-2026-014', expires: '2027-03-01' };
    expect(errorOf(() => attestationsFromData({ attestations: [{ ...base, date: new Date('2026-03-01T10:30:00Z') }] }, 'd.json')).message).toBe(
      "d.json: entry 1 (SRM-IIP-PHY-02): 'date' must be a date (YYYY-MM-DD), got the timestamp 2026-03-01T10:30:00.000Z",
    );
    expect(errorOf(() => attestationsFromData({ attestations: [{ ...base, date: new Date('nonsense') }] }, 'd.json')).message).toBe("d.json: entry 1 (SRM-IIP-PHY-02): 'date' is not a valid date");
  });

  it('reads a file written by hand with Windows line endings', () => {
    const path = join(tmp, 'crlf.yaml');
    writeFileSync(path, ENTRY('    date: 2026-03-01\n    expires: 2027-03-01\n').replace(/\n/g, '\r\n'));
    expect(loadAttestations(path)).toEqual([{ controlId: 'SRM-IIP-PHY-02', owner: 'Plant security', evidence: 'INSP-2026-014', date: '2026-03-01', expires: '2027-03-01' }]);
  });
});
