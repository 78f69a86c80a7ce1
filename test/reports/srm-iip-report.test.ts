import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import * as kit from '../../index';

const outdir = mkdtempSync(join(tmpdir(), 'srm-iip-report-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

function synthesized() {
  const app = new App({ outdir });
  const stack = new Stack(app, 'Keys', { env: { account: '111122223333', region: 'eu-central-1' } });
  const key = new kms.Key(stack, 'DataKey', { enableKeyRotation: false });
  Validations.of(key).acknowledge({ id: 'SRM-IIP-SYS-02', reason: 'HSM-backed import key; rotated by runbook OPS-17 every 90 days' });
  const pack = new kit.SrmIipChecks(app, {}, [kit.KmsKeyRotationEnabled, kit.KmsKeyDeletionWindow]);
  Validations.of(app).addPlugins(pack, new AwsSolutionsChecks(app));
  let failure: unknown;
  try {
    app.synth();
  } catch (e) {
    failure = e;
  }
  const path = kit.writeSrmIipReport(app, outdir, pack, [pack, { name: 'AwsSolutions' }]);
  return { app, pack, path, failure, report: JSON.parse(readFileSync(path, 'utf8')) };
}

const r = synthesized();

describe('srm-iip-report.json', () => {
  it('is written into the cloud assembly, atomically (no temporary file left)', () => {
    expect(r.path).toBe(join(outdir, kit.SRM_IIP_REPORT_FILE));
    expect(existsSync(r.path)).toBe(true);
    expect(readdirSync(outdir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('names the packs that ran and the mapping basis, never a conformance claim', () => {
    expect(r.report.packs.map((p: { name: string }) => p.name)).toEqual(['SRM-IIP', 'AwsSolutions']);
    expect(r.report.mapping).toMatch(/mapped to clause titles of ISO\/IEC 24392:2023.*not a conformance claim/);
  });

  it('lists every SRM-IIP finding with its acknowledgement, reason and scope', () => {
    const sys02 = r.report.findings.find((f: { controlId: string }) => f.controlId === 'SRM-IIP-SYS-02');
    expect(sys02).toMatchObject({ ruleId: 'KmsKeyRotationEnabled', logicalId: expect.any(String), acknowledged: { reason: 'HSM-backed import key; rotated by runbook OPS-17 every 90 days', scope: 'Keys/DataKey' } });
    const sys08 = r.report.findings.filter((f: { controlId: string }) => f.controlId === 'SRM-IIP-SYS-08');
    expect(sys08.length).toBeGreaterThan(0);
    expect(sys08.every((f: { acknowledged?: unknown }) => f.acknowledged === undefined)).toBe(true);
  });

  it('lists every acknowledgement in the tree by pack, with what it covers', () => {
    expect(r.report.acknowledgements).toEqual([
      expect.objectContaining({ pack: 'SRM-IIP', id: 'SRM-IIP-SYS-02', scope: 'Keys/DataKey', covers: [expect.objectContaining({ ruleId: 'KmsKeyRotationEnabled' })] }),
    ]);
    expect(r.report.summary.acknowledgementsPerPack).toEqual({ 'SRM-IIP': 1 });
  });

  it('gives the status of every catalog control', () => {
    expect(r.report.controls).toHaveLength(kit.CONTROLS.length);
    const status = Object.fromEntries(r.report.controls.map((c: { id: string; status: string }) => [c.id, c.status]));
    expect(status['SRM-IIP-SYS-02']).toBe('acknowledged');
    expect(status['SRM-IIP-PHY-01']).toBe('manual');
    expect(status['SRM-IIP-NET-05']).toBe('not-applicable');
  });

  it('reports the run as not passed while a pack fails (the SYS-08 warning does not block; AwsSolutions decides)', () => {
    expect(r.report.summary.srmIip.unacknowledgedErrors).toBe(0);
    expect(r.report.summary.passed).toBe(r.failure === undefined);
  });
});
