import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
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
    // Statuses come from the report model: a manual or inherited control without an attestation is unattested (the engine's 'manual').
    expect(status['SRM-IIP-PHY-01']).toBe('unattested');
    expect(status['SRM-IIP-NET-05']).toBe('not-applicable');
  });

  it('reports the run as not passed while a pack fails (the SYS-08 warning does not block; AwsSolutions decides)', () => {
    expect(r.report.summary.srmIip.unacknowledgedErrors).toBe(0);
    expect(r.report.summary.passed).toBe(r.failure === undefined);
  });
});

describe('srm-iip-report.json: attestations and the acknowledgement audit', () => {
  const packs = [r.pack, { name: 'AwsSolutions' }];
  const statusOf = (report: { controls: Array<{ id: string; status: string }> }) => Object.fromEntries(report.controls.map((c) => [c.id, c.status]));
  const withFile = kit.buildSrmIipReport(r.app, outdir, r.pack, packs, { attestationsPath: 'test/fixtures/attestations/valid.yaml', now: new Date('2026-12-01T09:00:00Z') }) as any;

  it('without an attestations file: manual, inherited and partial controls are unattested, never passed', () => {
    expect(r.report.attestations).toEqual([]);
    const status = statusOf(r.report);
    for (const c of kit.CONTROLS.filter((x) => x.verification !== 'automated')) expect(status[c.id], c.id).toBe('unattested');
    expect(r.report.controls.find((c: { id: string }) => c.id === 'SRM-IIP-APP-06')).toMatchObject({ verification: 'partial', status: 'unattested', automatedStatus: 'not-applicable' });
    expect(r.report.summary.srmIip.controls).toMatchObject({ acknowledged: 1, attested: 0, attestationExpired: 0, unattested: kit.CONTROLS.filter((x) => x.verification !== 'automated').length });
  });

  it('carries the attestations of the file and judges them against the report date: attested or expired', () => {
    expect(withFile.attestations).toEqual([
      { controlId: 'SRM-IIP-PHY-01', owner: 'Cloud platform team', evidence: 'AWS Artifact SOC 2 Type II report 2025 (DOC-SEC-0412)', date: '2026-03-01', expires: '2027-03-01' },
      { controlId: 'SRM-IIP-APP-06', owner: 'Application security team', evidence: 'Tenant isolation test run TI-2026-07', date: '2026-04-20', expires: '2026-10-20' },
    ]);
    const status = statusOf(withFile);
    expect(status['SRM-IIP-PHY-01']).toBe('attested');
    expect(status['SRM-IIP-APP-06']).toBe('attestation-expired');
    expect(status['SRM-IIP-PHY-02']).toBe('unattested');
    expect(withFile.controls.find((c: { id: string }) => c.id === 'SRM-IIP-PHY-01').attestation).toMatchObject({ owner: 'Cloud platform team', expires: '2027-03-01' });
    expect(withFile.summary.srmIip.controls).toMatchObject({ attested: 1, attestationExpired: 1 });
    expect(Object.values(status)).not.toContain('manual');
  });

  it('reads the example file at the repository root', () => {
    const example = kit.buildSrmIipReport(r.app, outdir, r.pack, packs, { attestationsPath: kit.ATTESTATIONS_FILE, now: new Date('2026-06-01T00:00:00Z') }) as any;
    expect(example.attestations.map((a: { controlId: string }) => a.controlId)).toEqual(['SRM-IIP-PHY-01', 'SRM-IIP-PHY-02', 'SRM-IIP-MGT-01', 'SRM-IIP-APP-06', 'SRM-IIP-OPS-07', 'SRM-IIP-MGT-04']);
    expect(example.summary.srmIip.controls.attested).toBe(6);
  });

  it('refuses a bad attestations file with the error naming the entry, and writes no report', () => {
    const before = readFileSync(r.path, 'utf8');
    expect(() => kit.writeSrmIipReport(r.app, outdir, r.pack, packs, { attestationsPath: 'test/fixtures/attestations/unknown-control.yaml' })).toThrow(
      'test/fixtures/attestations/unknown-control.yaml: entry 3 (SRM-IIP-XXX-99): unknown control ID; expected an ID of the catalog, such as SRM-IIP-PHY-01',
    );
    expect(readFileSync(r.path, 'utf8')).toBe(before);
    expect(readdirSync(outdir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('audits the acknowledgements: none flagged when each covers a finding and says why', () => {
    expect(r.report.acknowledgementAudit).toEqual([]);
    expect(r.report.summary.acknowledgementAudit).toEqual({ findings: 0, blocking: 0 });
  });

  it('reports a too-short reason under the configured minimum and severity; an error audit finding fails the run', () => {
    const strict = kit.buildSrmIipReport(r.app, outdir, r.pack, packs, { acknowledgementAudit: { minReasonLength: 80, severity: 'error' } }) as any;
    expect(strict.acknowledgementAudit).toEqual([
      {
        controlId: 'SRM-IIP-MGT-01',
        ruleId: 'AcknowledgementAudit',
        severity: 'error',
        kind: 'violation',
        message:
          'acknowledgement SRM-IIP-SYS-02 at Keys/DataKey gives a reason of 62 character(s) ("HSM-backed import key; rotated by runbook OPS-17 every 90 days"), shorter than the minimum of 80; say why the finding does not apply here or what compensates for it',
      },
    ]);
    expect(strict.summary.acknowledgementAudit).toEqual({ findings: 1, blocking: 1 });
    expect(strict.summary.passed).toBe(false);
  });

  it('reports a stale acknowledgement of the app with its ID, scope and reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'srm-iip-report-stale-'));
    try {
      const app = new App({ outdir: dir });
      const stack = new Stack(app, 'Keys', { env: { account: '111122223333', region: 'eu-central-1' } });
      const key = new kms.Key(stack, 'DataKey', { enableKeyRotation: true, pendingWindow: Duration.days(14), removalPolicy: RemovalPolicy.RETAIN });
      Validations.of(key).acknowledge({ id: 'SRM-IIP-SYS-02', reason: 'rotation was off until the import key was replaced' });
      const pack = new kit.SrmIipChecks(app, {}, [kit.KmsKeyRotationEnabled, kit.KmsKeyDeletionWindow]);
      Validations.of(app).addPlugins(pack);
      app.synth();
      const report = kit.buildSrmIipReport(app, dir, pack, [pack]) as any;
      expect(report.acknowledgements).toEqual([{ pack: 'SRM-IIP', id: 'SRM-IIP-SYS-02', reason: 'rotation was off until the import key was replaced', scope: 'Keys/DataKey', covers: [] }]);
      expect(report.acknowledgementAudit.map((f: { message: string }) => f.message)).toEqual([
        'acknowledgement SRM-IIP-SYS-02 at Keys/DataKey covers no finding (reason: "rotation was off until the import key was replaced"); it is stale: remove it, or correct its ID or scope',
      ]);
      expect(report.summary.acknowledgementAudit).toEqual({ findings: 1, blocking: 0 });
      expect(report.summary.passed).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
