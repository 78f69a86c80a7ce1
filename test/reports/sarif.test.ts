import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTROLS } from '../../rules/catalog/controls';
import { checkTemplates } from '../../rules/template/check';
import { buildReportModel } from '../../reports/model';
import { renderSarif } from '../../reports/sarif';
import { sarifValidator } from '../support/report-validators';

const dir = mkdtempSync(join(tmpdir(), 'srm-iip-sarif-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const key = (rotate: boolean, extra: Record<string, unknown> = {}) => ({ Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: rotate, ...extra } });
const keys = {
  Description: 'keys',
  Resources: {
    DataKey: key(false),
    OkKey: key(true, { PendingWindowInDays: 30 }),
    AckKey: { ...key(false), Metadata: { 'srm-iip': { acknowledgements: [{ id: 'SRM-IIP-SYS-02', reason: 'HSM-backed import key; rotated by runbook OPS-17' }] } } },
  },
};
const data = { Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: {} } } };
const keysPath = join(dir, 'keys stack.template.yaml');
const dataPath = join(dir, 'Data.template.json');
writeFileSync(keysPath, stringify(keys));
writeFileSync(dataPath, JSON.stringify(data, undefined, 2));

const result = checkTemplates([
  { name: 'Keys', template: keys, templatePath: keysPath },
  { name: 'Data', template: data, templatePath: dataPath },
]);
const model = buildReportModel({ result, source: { kind: 'template', paths: [keysPath, dataPath] }, now: new Date('2026-11-27T12:00:00Z') });
const text = renderSarif(model, { baseDir: dir });
const log = JSON.parse(text);
const run = log.runs[0];

const validate = sarifValidator();

describe('renderSarif', () => {
  it('validates against the SARIF 2.1.0 schema', () => {
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(log.version).toBe('2.1.0');
  });

  it('the validator rejects a broken log (it really validates)', () => {
    const broken = JSON.parse(text);
    broken.runs[0].results[0].level = 'fatal';
    expect(validate(broken)).toBe(false);
    const relativeHelp = JSON.parse(text);
    relativeHelp.runs[0].tool.driver.rules[0].helpUri = 'CONTROLS.md#x';
    expect(validate(relativeHelp)).toBe(false);
  });

  it('has one rule per catalog control, with its catalog data and a link into CONTROLS.md', () => {
    const rules = run.tool.driver.rules;
    expect(rules.map((r: { id: string }) => r.id)).toEqual(CONTROLS.map((c) => c.id));
    const sys02 = rules.find((r: { id: string }) => r.id === 'SRM-IIP-SYS-02');
    const c = CONTROLS.find((x) => x.id === 'SRM-IIP-SYS-02')!;
    expect(sys02).toMatchObject({
      name: 'KeysRotate',
      shortDescription: { text: c.title },
      fullDescription: { text: c.objective },
      defaultConfiguration: { level: 'error' },
      properties: { clause: c.clause, domains: c.domains, stages: c.stages, verification: c.verification, iec62443: c.iec62443, tags: expect.arrayContaining(['security']) },
    });
    expect(sys02.help.text).toContain(c.check);
    expect(sys02.help.markdown).toContain('(CONTROLS.md#srm-iip-sys-02--keys-rotate)');
    expect(sys02.helpUri).toBeUndefined();
    const published = JSON.parse(renderSarif(model, { controlsDocUrl: 'https://github.com/acme/platform/blob/main/CONTROLS.md' }));
    expect(published.runs[0].tool.driver.rules[0].helpUri).toBe('https://github.com/acme/platform/blob/main/CONTROLS.md#srm-iip-phy-01--cloud-data-centres-are-physically-secured');
    expect(validate(published)).toBe(true);
  });

  it('has one result per finding, with level, kind and the rule index', () => {
    expect(run.results).toHaveLength(model.findings.length);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    const levels = new Set(run.results.map((r: { level: string }) => r.level));
    expect([...levels].sort()).toEqual(['error', 'warning']);
    const unverifiable = run.results.filter((r: { properties: { kind: string } }) => r.properties.kind === 'unverifiable');
    expect(unverifiable.length).toBe(model.summary.unverifiable);
  });

  it('locates findings: relative URI, line of the logical ID in YAML and JSON, logical location', () => {
    const yamlLines = readFileSync(keysPath, 'utf8').split('\n');
    const dataKey = run.results.find((r: { ruleId: string; locations: Array<{ logicalLocations?: Array<{ name: string }> }> }) => r.ruleId === 'SRM-IIP-SYS-02' && r.locations[0].logicalLocations?.[0].name === 'DataKey');
    const loc = dataKey.locations[0];
    expect(loc.physicalLocation.artifactLocation.uri).toBe('keys%20stack.template.yaml');
    expect(yamlLines[loc.physicalLocation.region.startLine - 1]).toMatch(/^\s+DataKey:/);
    expect(loc.logicalLocations).toEqual([{ name: 'DataKey', kind: 'resource', fullyQualifiedName: 'Keys/DataKey' }]);

    const jsonLines = readFileSync(dataPath, 'utf8').split('\n');
    const bucket = run.results.find((r: { ruleId: string }) => r.ruleId === 'SRM-IIP-SYS-01').locations[0];
    expect(bucket.physicalLocation.artifactLocation.uri).toBe('Data.template.json');
    expect(jsonLines[bucket.physicalLocation.region.startLine - 1]).toMatch(/^\s+"Bucket": \{/);
  });

  it('gives app-level findings no physical location, and no region when the file is missing', () => {
    const app = run.results.filter((r: { ruleId: string }) => r.ruleId === 'SRM-IIP-OPS-01');
    expect(app.length).toBeGreaterThan(0);
    expect(app[0].locations).toEqual([]);
    const gone = buildReportModel({ result: checkTemplates([{ name: 'Gone', template: data, templatePath: join(dir, 'missing.json') }]), source: { kind: 'template', paths: [] } });
    const r = JSON.parse(renderSarif(gone, { baseDir: dir })).runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'SRM-IIP-SYS-01');
    expect(r.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'missing.json' } });
  });

  it('carries acknowledged findings as accepted external suppressions with the reason', () => {
    const suppressed = run.results.filter((r: { suppressions?: unknown[] }) => r.suppressions);
    expect(suppressed).toHaveLength(model.summary.acknowledged);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0].ruleId).toBe('SRM-IIP-SYS-02');
    expect(suppressed[0].locations[0].logicalLocations[0].name).toBe('AckKey');
    expect(suppressed[0].suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'HSM-backed import key; rotated by runbook OPS-17', properties: { id: 'SRM-IIP-SYS-02', scope: 'Keys/AckKey' } },
    ]);
  });

  it('records the invocation and the mapping note', () => {
    expect(run.invocations).toEqual([{ executionSuccessful: true, endTimeUtc: '2026-11-27T12:00:00.000Z', properties: { passed: false } }]);
    expect(run.properties.mapping).toMatch(/not a conformance claim/);
    expect(run.tool.driver).toMatchObject({ name: 'srm-iip-kit', version: model.tool.version });
  });

  it('gives each result a stable fingerprint', () => {
    const again = JSON.parse(renderSarif(model, { baseDir: dir })).runs[0].results;
    expect(again.map((r: { partialFingerprints: unknown }) => r.partialFingerprints)).toEqual(run.results.map((r: { partialFingerprints: unknown }) => r.partialFingerprints));
  });
});
