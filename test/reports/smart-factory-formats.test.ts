import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { buildSmartFactory } from '../../examples/smart-factory/app';
import { loadAttestations } from '../../reports/attestations';
import { renderHtml } from '../../reports/html';
import { renderJunit } from '../../reports/junit';
import { renderMarkdown } from '../../reports/markdown';
import { buildReportModel } from '../../reports/model';
import { renderSarif } from '../../reports/sarif';
import { browse, findChromium, sarifValidator } from '../support/report-validators';

/**
 * Every reviewer format, produced from the reference smart-factory app (its pack result, its
 * acknowledgements and the repo's attestations), checked as a reviewer's tools would read it.
 */
const sf = buildSmartFactory();
sf.app.synth();
const model = buildReportModel({
  result: sf.srmIipChecks.lastResult!,
  source: { kind: 'app', paths: ['examples/smart-factory/app.ts'] },
  attestations: loadAttestations(resolve(__dirname, '..', '..', 'srm-iip.attestations.yaml')),
  now: new Date('2026-11-27T12:00:00Z'),
});

describe('reports of the smart-factory app', () => {
  it('the model: no failed control; attestation-based controls attested or expired, never passed', () => {
    expect(model.summary.passed).toBe(true);
    expect(model.summary.controls.failed ?? 0).toBe(0);
    for (const c of model.controls.filter((x) => ['manual', 'inherited'].includes(x.control.verification))) {
      expect(['attested', 'attestation-expired']).toContain(c.status);
    }
  });

  it('SARIF validates against the 2.1.0 schema, one rule per control, acknowledged findings as suppressions', () => {
    const log = JSON.parse(renderSarif(model));
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(log.runs[0].tool.driver.rules.length).toBeGreaterThanOrEqual(49);
    const results = log.runs[0].results as Array<{ suppressions?: Array<{ justification: string }> }>;
    expect(results.length).toBe(model.findings.length);
    expect(results.every((r) => r.suppressions?.[0].justification)).toBe(true);
  });

  it('JUnit is well-formed XML with a suite per stack and no failure', () => {
    const xml = renderJunit(model);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml);
    expect(Number(doc.testsuites['@_failures'] ?? 0)).toBe(0);
    expect(Number(doc.testsuites['@_tests'])).toBeGreaterThanOrEqual(49);
  });

  it('Markdown summarizes the run for a pull request', () => {
    const md = renderMarkdown(model);
    expect(md).toContain('not a conformance claim');
    expect(md.length).toBeLessThan(65_536);
  });

  const chromium = findChromium();
  it.skipIf(!chromium.path)(`HTML renders in headless Chromium with the model's counts${chromium.path ? '' : ` — SKIPPED: ${chromium.reason}`}`, () => {
    const dir = join(__dirname, '..', '.tmp', 'smart-factory-report');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'srm-iip.html');
    writeFileSync(file, renderHtml(model));
    const dom = browse(chromium.path!, ['--dump-dom', '--virtual-time-budget=5000'], pathToFileURL(file).href);
    const chips = [...dom.matchAll(/data-chip[^>]*data-control="([^"]+)"[^>]*data-status="([^"]+)"|data-chip[^>]*data-status="([^"]+)"[^>]*data-control="([^"]+)"/g)];
    expect(chips.length).toBeGreaterThan(0);
    for (const c of model.controls) expect(dom).toContain(`data-control="${c.control.id}"`);
    browse(chromium.path!, ['--screenshot=' + join(dir, 'srm-iip.png'), '--window-size=1400,1000', '--virtual-time-budget=5000'], pathToFileURL(file).href);
  });
});
