import { describe, expect, it } from 'vitest';
import { checkTemplates } from '../../rules/template/check';
import { buildReportModel } from '../../reports/model';
import { GITHUB_COMMENT_LIMIT, renderMarkdown } from '../../reports/markdown';

const key = (rotate: boolean, extra: Record<string, unknown> = {}) => ({ Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: rotate, ...extra } });
const REASON = 'HSM-backed import key | rotated by <runbook> OPS-17';
const stacks = [
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
];
const now = new Date('2026-11-27T12:00:00Z');
const model = buildReportModel({
  result: checkTemplates(stacks),
  source: { kind: 'template', paths: ['keys.json', 'data.json'] },
  attestations: [{ controlId: 'SRM-IIP-PHY-01', owner: 'platform team', evidence: 'AWS SOC 2 report', date: '2026-01-10', expires: '2027-01-10' }],
  now,
});
const md = renderMarkdown(model);

describe('renderMarkdown', () => {
  it('starts with the verdict and a summary line of counts', () => {
    const c = model.summary.controls;
    expect(md.startsWith('### SRM-IIP check: ❌ failed\n')).toBe(true);
    const summary = md.split('\n')[2];
    expect(summary).toContain(`**Controls:** ${c.passed ?? 0} passed · ${c.failed} failed · ${c.acknowledged ?? 0} acknowledged · 1 attested · ${c.unattested} unattested`);
    expect(summary).toContain(`**Open findings:** ${model.summary.errors} errors, ${model.summary.warnings} warnings`);
    expect(summary).toContain('1 acknowledged');
  });

  it('lists failing controls first, those with errors before warning-only ones, then acknowledged findings, then the mapping note', () => {
    const failing = md.indexOf('#### Failing controls');
    const details = md.indexOf('<details>');
    const mapping = md.indexOf(model.mapping);
    expect(failing).toBeGreaterThan(0);
    expect(details).toBeGreaterThan(failing);
    expect(mapping).toBeGreaterThan(details);
    const rows = md.slice(failing, details).split('\n').filter((l) => l.startsWith('| `'));
    const ids = rows.map((r) => /`(SRM-IIP-[A-Z]+-\d+)`/.exec(r)![1]);
    const open = model.controls.filter((c) => c.findings.some((f) => !f.acknowledgement)).map((c) => c.control.id);
    expect([...ids].sort()).toEqual([...open].sort());
    const warningOnly = rows.findIndex((r) => !/\d+ errors?/.test(r));
    expect(warningOnly).toBeGreaterThan(0);
    expect(rows.slice(warningOnly).every((r) => !/\d+ errors?/.test(r))).toBe(true);
    expect(ids.slice(warningOnly)).toEqual(expect.arrayContaining(['SRM-IIP-SYS-08', 'SRM-IIP-MGT-02']));
    // Most errors first among error rows: OPS-03 has four app-level errors.
    expect(ids[0]).toBe('SRM-IIP-OPS-03');
  });

  it('shows counts and the first messages of a failing control, with where they are', () => {
    const row = md.split('\n').find((l) => l.startsWith('| `SRM-IIP-SYS-02`'))!;
    expect(row).toContain('| Keys rotate | 1 error |');
    expect(row).toContain('`Keys/DataKey`: key rotation is off');
    const ops03 = md.split('\n').find((l) => l.startsWith('| `SRM-IIP-OPS-03`'))!;
    expect(ops03).toContain('`(app)`: GuardDuty is not enabled');
    expect(ops03).toContain('… and 1 more');
  });

  it('collapses acknowledged findings with their reasons, escaped for a table', () => {
    const details = md.slice(md.indexOf('<details>'), md.indexOf('</details>'));
    expect(details).toContain('<summary>1 acknowledged finding</summary>');
    expect(details).toContain('| `SRM-IIP-SYS-02` | `Keys/AckKey` | key rotation is off');
    expect(details).toContain('HSM-backed import key \\| rotated by &lt;runbook&gt; OPS-17');
    expect(details).toContain('`Keys/AckKey` |');
  });

  it('says so when nothing is open', () => {
    const clean = renderMarkdown(buildReportModel({ result: { findings: [], controls: [], rules: [], resourceCount: 0 }, source: { kind: 'template', paths: [] }, now }));
    expect(clean).toContain('✅ passed');
    expect(clean).toContain('No control has open findings.');
    expect(clean).not.toContain('<details>');
  });

  it('stays under the comment limit and notes what it left out', () => {
    const resources: Record<string, unknown> = {};
    for (let i = 0; i < 1500; i++) resources[`Key${i}`] = { ...key(false), Metadata: { 'srm-iip': { acknowledgements: [{ id: 'SRM-IIP-SYS-02', reason: `reason ${i} `.repeat(20) }] } } };
    const big = buildReportModel({ result: checkTemplates([{ name: 'Big', template: { Resources: resources } }]), source: { kind: 'template', paths: [] }, now });
    const out = renderMarkdown(big);
    expect(out.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(out).toMatch(/> ⚠️ \d+ more acknowledged finding\(s\) not shown/);
    expect(out).toContain('</details>');
    expect(out.trimEnd().endsWith(`${big.tool.name} ${big.tool.version}.`)).toBe(true);
    const small = renderMarkdown(model, 1500);
    expect(small.length).toBeLessThan(1500);
    expect(small).toMatch(/more failing control\(s\) not shown/);
    expect(small).toContain(model.mapping);
  });
});
