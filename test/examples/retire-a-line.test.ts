import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { buildRetireALine } from '../../examples/retire-a-line/app';
import { recordedAcknowledgements } from '../../rules/packs';
import { vagueReasons } from '../support/packs';

// Built and synthesized once, as `npx tsx examples/retire-a-line/app.ts` does: the three registered packs run at synthesis.
const ex = buildRetireALine();
const assembly = ex.app.synth();

describe('example retire-a-line', () => {
  test('synthesizes with the three packs registered; none fails (cdk-nag fails on any unacknowledged finding, warnings included)', () => {
    // Stage keeps its plugins in an internal field; no public accessor exists.
    const plugins = (ex.app as unknown as { _validationPlugins: Array<{ name: string }> })._validationPlugins.map((p) => p.name);
    expect(plugins).toEqual(['SRM-IIP', 'AwsSolutions', 'NIST.800.53.R5']);
    const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    for (const p of report.pluginReports) expect(p.conclusion).toBe('success');
  });

  test('the kit\'s pack reports no unacknowledged finding of the retirement controls, and both are checked', () => {
    const r = ex.srmIipChecks.lastResult!;
    expect(r.findings.filter((f) => !f.acknowledgement && f.severity === 'error')).toEqual([]);
    expect(r.findings.filter((f) => !f.acknowledgement && ['SRM-IIP-OPS-07', 'SRM-IIP-SYS-08'].includes(f.controlId))).toEqual([]);
    const status = Object.fromEntries(r.controls.map((c) => [c.controlId, c.status]));
    expect(status['SRM-IIP-SYS-08']).toBe('passed');
    expect(status['SRM-IIP-OPS-07']).toBe('passed');
  });

  test('every acknowledgement carries a specific reason', () => {
    const acks = [...recordedAcknowledgements(ex.app).values()].flat().map((a) => ({ id: a.key, reason: a.reason }));
    expect(acks.length).toBeGreaterThan(0);
    expect(vagueReasons(acks)).toEqual([]);
  });

  test('line 3 is retired: certificates revoked, ingestion off, data expiring after 90 days, two keys deleted after 2025-09-29', () => {
    const t = Template.fromJSON(assembly.getStackByName('plant-bremen-line-3').template);
    for (const c of Object.values(t.findResources('AWS::IoT::Certificate'))) expect(c.Properties.Status).toBe('REVOKED');
    t.hasResourceProperties('AWS::IoT::TopicRule', { TopicRulePayload: { RuleDisabled: true } });
    t.hasResourceProperties('AWS::Kinesis::Stream', { RetentionPeriodHours: 24 });
    expect(Object.keys(t.findResources('AWS::KMS::Key', { DeletionPolicy: 'Delete' }))).toHaveLength(2);
    expect(ex.retirement!.keysDeletableAfter).toBe('2025-09-29');
  });

  test('the platform stacks are untouched by the line\'s retirement', () => {
    for (const s of ex.platform.stacks) {
      expect(JSON.stringify(assembly.getStackByName(s.stackName).template)).not.toContain('"retirement"');
    }
  });

  test('without the companion, the same line runs: certificates active', () => {
    const live = buildRetireALine({ retire: false });
    expect(live.retirement).toBeUndefined();
    expect(live.line.fleet.certificates.map((c) => c.status)).toEqual(['ACTIVE', 'ACTIVE']);
  });
});
