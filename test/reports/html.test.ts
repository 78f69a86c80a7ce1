import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HTML_DOMAINS, HTML_STAGES, HTML_STATUSES, renderHtml } from '../../reports/html';
import { buildReportModel, ReportModel } from '../../reports/model';
import { checkTemplates } from '../../rules/template/check';
import { browse as browseWith, findChromium } from '../support/report-validators';

const REASON = 'HSM import key; rotated by runbook OPS-17 every 90 days <b>not markup</b>';

/** A small plant: a KMS key without rotation (acknowledged) and a bare bucket (failed controls). */
function model(): ReportModel {
  const template = {
    Resources: {
      Key: {
        Type: 'AWS::KMS::Key',
        Properties: { EnableKeyRotation: false, KeyPolicy: {} },
        Metadata: { 'srm-iip': { acknowledgements: [{ id: 'SRM-IIP-SYS-02', reason: REASON }] } },
      },
      Bucket: { Type: 'AWS::S3::Bucket', Properties: {} },
    },
  };
  const result = checkTemplates([{ name: 'Plant', template, templatePath: 'Plant.template.json' }]);
  return buildReportModel({
    result,
    source: { kind: 'template', paths: ['Plant.template.json'] },
    acknowledgements: [{ pack: 'SRM-IIP', id: 'SRM-IIP-SYS-02', reason: REASON, scope: 'Plant/Key', covers: 1 }],
    attestations: [
      { controlId: 'SRM-IIP-PHY-01', owner: 'Cloud security office', evidence: 'https://evidence.example/aws-soc2-2026', date: '2026-01-15', expires: '2027-01-15' },
      { controlId: 'SRM-IIP-PHY-02', owner: 'OT plant engineering', evidence: 'DOC-PHY-0042', date: '2025-01-10', expires: '2026-01-10' },
    ],
    now: new Date('2026-06-01T12:00:00Z'),
  });
}

const m = model();
const html = renderHtml(m);
const outdir = resolve(__dirname, '../.tmp/html-report');
mkdirSync(outdir, { recursive: true });
const htmlPath = join(outdir, 'report.html');
// Atomic write: temporary file, then rename (another run of this file may be writing the same page).
writeFileSync(`${htmlPath}.${process.pid}.tmp`, html);
renameSync(`${htmlPath}.${process.pid}.tmp`, htmlPath);

const count = (pred: (c: ReportModel['controls'][number]) => boolean) => m.controls.filter(pred).length;

describe('renderHtml (the page as text)', () => {
  it('the fixture has the statuses the page must show', () => {
    for (const s of ['failed', 'passed', 'not-applicable', 'acknowledged', 'attested', 'attestation-expired', 'unattested']) {
      expect(m.summary.controls[s], s).toBeGreaterThan(0);
    }
  });

  it('is one self-contained page: no http(s) src/href, no CSS url()/@import, a strict CSP', () => {
    expect(html).not.toMatch(/\b(src|href|action|srcset|poster|data)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/url\s*\(/i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/<(link|iframe|img|object|embed)\b/i);
    expect(html).not.toMatch(/<script[^>]*\bsrc=/i);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe');
    // The https evidence of an attestation is shown as text, never loaded or linked.
    expect(html).toContain('<code>https://evidence.example/aws-soc2-2026</code>');
  });

  it('shows the summary and the mapping note, never a conformance claim', () => {
    expect(html).toContain(`data-summary="resources" data-count="${m.resourceCount}"`);
    expect(html).toContain(`data-summary="errors" data-count="${m.summary.errors}"`);
    expect(html).toContain(`data-summary="warnings" data-count="${m.summary.warnings}"`);
    expect(html).toContain('this is not a conformance claim');
    expect(html).not.toMatch(/\b(is|are) (ISO[^ ]* )?(conformant|compliant)\b|certified/i);
    for (const s of HTML_STATUSES) expect(html).toContain(`data-status-filter="${s}" data-status="${s}" data-count="${m.summary.controls[s] ?? 0}"`);
  });

  it('escapes text from templates and gives acknowledgement and attestation details', () => {
    expect(html).not.toContain('<b>not markup</b>');
    expect(html).toContain('&lt;b&gt;not markup&lt;/b&gt;');
    expect(html).toMatch(/Acknowledged as <code>SRM-IIP-SYS-02<\/code> in <code>Plant\/Key<\/code>/);
    expect(html).toContain('OT plant engineering');
    expect(html).toContain('<strong class="expired">expired</strong>');
  });
});

// ---------------------------------------------------------------------------
// In a real browser: headless Chromium driven from the command line.

const chromium = findChromium();
if (!chromium.path) console.warn(`SKIPPING the HTML report browser tests: ${chromium.reason}`);

function browse(args: string[], url: string): string {
  return browseWith(chromium.path!, args, url);
}

interface Tag {
  readonly name: string;
  readonly attrs: Record<string, string>;
}
/** The opening tags carrying `marker` in a dumped DOM, with their attributes. */
function tags(dom: string, marker: string): Tag[] {
  const out: Tag[] = [];
  for (const t of dom.match(new RegExp(`<[a-z]+\\b[^>]*\\s${marker}(=""|\\s|>|=")[^>]*>`, 'g')) ?? []) {
    const attrs: Record<string, string> = {};
    for (const a of t.matchAll(/\s([a-z-]+)(?:="([^"]*)")?/g)) attrs[a[1]] = a[2] ?? '';
    out.push({ name: /^<([a-z]+)/.exec(t)![1], attrs });
  }
  return out;
}
const visible = (t: Tag) => !('hidden' in t.attrs);

describe.skipIf(!chromium.path)(`the HTML report in headless Chromium${chromium.path ? '' : ` — SKIPPED: ${chromium.reason}`}`, () => {
  const url = pathToFileURL(htmlPath).href;

  it('renders the domain and stage matrices with the model’s counts per status, after the scripts ran', () => {
    const dom = browse(['--dump-dom', '--virtual-time-budget=5000'], url);
    // The script ran: it wrote the "shown" counter and hid the stage view (default view: domains).
    expect(dom).toContain(`${m.controls.length} of ${m.controls.length} controls shown`);
    expect(dom).toMatch(/<div data-view="stage" hidden="">/);
    expect(dom).toMatch(/<div data-view="domain">/);
    const chips = tags(dom, 'data-chip');
    expect(chips.every(visible)).toBe(true);
    for (const d of HTML_DOMAINS) {
      for (const s of HTML_STATUSES) {
        const expected = count((c) => c.status === s && (c.control.domains as string[]).includes(d));
        expect(chips.filter((c) => c.attrs['data-domain'] === d && c.attrs['data-status'] === s).length, `${d}/${s}`).toBe(expected);
      }
    }
    for (const st of HTML_STAGES) {
      for (const s of HTML_STATUSES) {
        const expected = count((c) => c.status === s && (c.control.stages as string[]).includes(st));
        expect(chips.filter((c) => c.attrs['data-stage'] === st && c.attrs['data-status'] === s).length, `${st}/${s}`).toBe(expected);
      }
    }
    // Every control appears in the domain matrix, with its status.
    const inDomains = new Map(chips.filter((c) => c.attrs['data-domain']).map((c) => [c.attrs['data-control'], c.attrs['data-status']]));
    expect(Object.fromEntries(inDomains)).toEqual(Object.fromEntries(m.controls.map((c) => [c.control.id, c.status])));
    // The status buttons show the summary's counts.
    for (const b of tags(dom, 'data-status-filter')) expect(Number(b.attrs['data-count'])).toBe(m.summary.controls[b.attrs['data-status-filter']] ?? 0);
    // Every control has its details, with the acknowledgement's reason and the attestation.
    expect(tags(dom, 'data-finding').length).toBe(m.findings.length);
    expect(dom).toContain('HSM import key; rotated by runbook OPS-17');
  });

  it('pre-applies a filter from the URL hash: #status=failed shows only failed chips and controls', () => {
    const dom = browse(['--dump-dom', '--virtual-time-budget=5000'], `${url}#status=failed`);
    const chips = tags(dom, 'data-chip');
    const shown = chips.filter(visible);
    expect(shown.length).toBe(chips.filter((c) => c.attrs['data-status'] === 'failed').length);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((c) => c.attrs['data-status'] === 'failed')).toBe(true);
    const failed = m.summary.controls.failed;
    expect(dom).toContain(`${failed} of ${m.controls.length} controls shown`);
    const rows = tags(dom, 'data-search').filter((t) => !('data-chip' in t.attrs));
    expect(rows.filter(visible).map((r) => r.attrs['data-control']).sort()).toEqual(m.controls.filter((c) => c.status === 'failed').map((c) => c.control.id).sort());
    expect(dom).toContain('data-filtered="true"');
    // Matrix rows of families without a failed control are hidden (PHY: attested and expired only).
    const failedFamilies = new Set(shown.map((c) => c.attrs['data-family']));
    const matrixRows = tags(dom, 'data-family').filter((t) => t.name === 'tr');
    expect(matrixRows.length).toBeGreaterThan(0);
    for (const r of matrixRows) expect(visible(r), r.attrs['data-family']).toBe(failedFamilies.has(r.attrs['data-family']));
    expect(failedFamilies.has('PHY')).toBe(false);
  });

  it('combines filters from the hash: family and text search, in the stage view', () => {
    const dom = browse(['--dump-dom', '--virtual-time-budget=5000'], `${url}#family=OPS&q=monitor&view=stage`);
    const shown = tags(dom, 'data-chip').filter(visible);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((c) => c.attrs['data-family'] === 'OPS' && c.attrs['data-search'].includes('monitor'))).toBe(true);
    expect(dom).toMatch(/<div data-view="domain" hidden="">/);
  });

  it('takes a screenshot that is not trivial', () => {
    const png = join(outdir, `report.${process.pid}.png`);
    rmSync(png, { force: true });
    browse([`--screenshot=${png}`, '--window-size=1400,1000', '--hide-scrollbars', '--virtual-time-budget=5000'], url);
    expect(existsSync(png)).toBe(true);
    expect(statSync(png).size).toBeGreaterThan(10 * 1024);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    renameSync(png, join(outdir, 'report.png'));
  });
});
