import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { CONTROLS } from '../../rules/catalog/controls';
import { checkTemplates } from '../../rules/template/check';
import { buildReportModel } from '../../reports/model';
import { JUNIT_APP_SUITE, renderJunit } from '../../reports/junit';

const key = (rotate: boolean, extra: Record<string, unknown> = {}) => ({ Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: rotate, ...extra } });
const REASON = 'HSM <import> key & "rotated" by runbook OPS-17';
const result = checkTemplates([
  {
    name: 'Keys',
    template: {
      Resources: {
        DataKey: key(false),
        AckKey: { ...key(false), Metadata: { 'srm-iip': { acknowledgements: [{ id: 'SRM-IIP-SYS-02', reason: REASON }] } } },
      },
    },
  },
  { name: 'Data', template: { Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: {} } } } },
]);
const model = buildReportModel({
  result,
  source: { kind: 'template', paths: ['keys.json', 'data.json'] },
  attestations: [
    { controlId: 'SRM-IIP-PHY-01', owner: 'platform team', evidence: 'AWS SOC 2 report 2026', date: '2026-01-10', expires: '2027-01-10' },
    { controlId: 'SRM-IIP-PHY-02', owner: 'site security', evidence: 'audit ticket SEC-12', date: '2025-01-10', expires: '2026-01-10' },
  ],
  now: new Date('2026-11-27T12:00:00Z'),
});
const xml = renderJunit(model);
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) });
const doc = parser.parse(xml);
type Case = { classname: string; name: string; failure?: { message: string; type: string; '#text': string }; skipped?: { message: string }; 'system-out'?: string };
const suites: Array<{ name: string; tests: string; failures: string; skipped: string; testcase: Case[] }> = doc.testsuites.testsuite;
const suite = (name: string) => suites.find((s) => s.name === name)!;
const testcase = (stack: string, id: string) => suite(stack).testcase.find((c) => c.name.startsWith(`${id} `))!;

describe('renderJunit', () => {
  it('is well-formed XML', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  });

  it('has one suite per stack with findings plus (app), and one case per control per suite', () => {
    expect(suites.map((s) => s.name)).toEqual(['Data', 'Keys', JUNIT_APP_SUITE]);
    for (const s of suites) {
      expect(s.testcase).toHaveLength(CONTROLS.length);
      expect(Number(s.tests)).toBe(CONTROLS.length);
      expect(s.testcase.every((c) => c.classname === s.name)).toBe(true);
    }
    expect(Number(doc.testsuites.tests)).toBe(3 * CONTROLS.length);
    const sys02 = CONTROLS.find((c) => c.id === 'SRM-IIP-SYS-02')!;
    expect(testcase('Keys', 'SRM-IIP-SYS-02').name).toBe(`SRM-IIP-SYS-02 ${sys02.title}`);
  });

  it('fails a case for unacknowledged errors only, and the counts add up', () => {
    const failing = suites.flatMap((s) => s.testcase.filter((c) => c.failure).map((c) => `${s.name} ${c.name.split(' ')[0]}`));
    const expected = new Set(model.findings.filter((f) => f.severity === 'error' && !f.acknowledgement).map((f) => `${f.stack ?? JUNIT_APP_SUITE} ${f.controlId}`));
    expect(failing.sort()).toEqual([...expected].sort());
    expect(failing.length).toBeGreaterThan(0);
    for (const s of suites) expect(Number(s.failures)).toBe(s.testcase.filter((c) => c.failure).length);
    expect(Number(doc.testsuites.failures)).toBe(failing.length);
    // Failures exactly when the run fails.
    expect(model.summary.passed).toBe(false);
  });

  it('puts the findings into the failure, typed by severity', () => {
    const f = testcase('Keys', 'SRM-IIP-SYS-02').failure!;
    expect(f.type).toBe('error');
    expect(f.message).toMatch(/^1 error\(s\): key rotation is off/);
    expect(f['#text']).toContain('DataKey (AWS::KMS::Key)');
    expect(f['#text']).not.toContain('AckKey (AWS::KMS::Key): key rotation');
  });

  it('lists warnings and acknowledged findings in system-out without failing; escapes XML', () => {
    const sys08 = testcase('Keys', 'SRM-IIP-SYS-08');
    expect(sys08.failure).toBeUndefined();
    expect(sys08['system-out']).toMatch(/^WARNING DataKey/);
    const ack = testcase('Keys', 'SRM-IIP-SYS-02')['system-out']!;
    expect(ack).toContain(`ACKNOWLEDGED ERROR AckKey`);
    expect(ack).toContain(REASON);
    expect(xml).toContain('HSM &lt;import&gt; key &amp; &quot;rotated&quot;');
    expect(xml).not.toContain(REASON);
  });

  it('skips not-applicable, unattested and expired controls; attested ones pass', () => {
    expect(testcase('Keys', 'SRM-IIP-NET-05').skipped).toEqual({ message: 'not-applicable' });
    expect(testcase(JUNIT_APP_SUITE, 'SRM-IIP-PHY-02').skipped?.message).toBe('attestation-expired (expired 2026-01-10)');
    const phy01 = testcase(JUNIT_APP_SUITE, 'SRM-IIP-PHY-01');
    expect(phy01.skipped).toBeUndefined();
    expect(phy01.failure).toBeUndefined();
    expect(phy01['system-out']).toContain('ATTESTED by platform team');
    const unattested = model.controls.filter((c) => c.status === 'unattested').map((c) => c.control.id);
    expect(unattested.length).toBeGreaterThan(0);
    for (const id of unattested) expect(testcase('Data', id).skipped?.message).toBe('unattested');
    for (const s of suites) expect(Number(s.skipped)).toBe(s.testcase.filter((c) => c.skipped).length);
  });

  it('drops characters XML cannot hold and renders a clean run as the (app) suite', () => {
    const clean = buildReportModel({ result: { ...result, findings: [], stacks: [] }, source: { kind: 'template', paths: [] } });
    const out = parser.parse(renderJunit(clean));
    expect(out.testsuites.testsuite.map((s: { name: string }) => s.name)).toEqual([JUNIT_APP_SUITE]);
    expect(Number(out.testsuites.failures)).toBe(0);
    // Every stack checked gets its suite, even when it passes.
    const passing = buildReportModel({ result: { ...result, findings: [], stacks: ['Edge', 'Network'] }, source: { kind: 'template', paths: [] } });
    const suites = parser.parse(renderJunit(passing)).testsuites.testsuite;
    expect((Array.isArray(suites) ? suites : [suites]).map((s: { name: string }) => s.name)).toEqual(['Edge', 'Network']);
    const odd = buildReportModel({ result: { ...result, findings: [{ ...result.findings[0], acknowledgement: undefined, message: 'bad \u0001 byte ]]> end' }] }, source: { kind: 'template', paths: [] } });
    const text = renderJunit(odd);
    expect(XMLValidator.validate(text)).toBe(true);
    expect(text).toContain('bad  byte ]]&gt; end');
  });
});
