import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, test } from 'vitest';
import * as kit from '../../index';
import { AcmePlatform, buildExtendABlueprint } from '../../examples/extend-a-blueprint/app';
import { ACME_CONTROLS, ACME_QA_01, AcmeChecks, AcmeQualityRecords, ACME_RULES, QualityRecordBucketsLocked } from '../../examples/extend-a-blueprint/acme';
import { recordedAcknowledgements } from '../../rules/packs';
import { vagueReasons } from '../support/packs';

const ENV = { account: '111122223333', region: 'eu-central-1' };

// Built and synthesized once, as `npx tsx examples/extend-a-blueprint/app.ts` does: the three registered packs run at synthesis.
const ex = buildExtendABlueprint();
const assembly = ex.app.synth();

/** ACME's findings in an app, as control IDs. */
function acmeFindings(app: App): string[] {
  app.synth({ force: true });
  const pack = new AcmeChecks(undefined, { allowedRegions: ['eu-central-1'] });
  pack.validateScope(app);
  return pack.lastResult!.findings.filter((f) => !f.acknowledgement && f.controlId.startsWith('ACME-')).map((f) => `${f.controlId}: ${f.message}`);
}

describe('example extend-a-blueprint', () => {
  test('synthesizes with ACME\'s pack, AwsSolutions and NIST 800-53 R5 registered; none fails', () => {
    const plugins = (ex.app as unknown as { _validationPlugins: Array<{ name: string }> })._validationPlugins.map((p) => p.name);
    expect(plugins).toEqual(['ACME-SRM-IIP', 'AwsSolutions', 'NIST.800.53.R5']);
    const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    for (const p of report.pluginReports) expect(p.conclusion).toBe('success');
  });

  test('ACME\'s pack runs every SRM-IIP rule and ACME\'s, and reports ACME-QA-01 as passed', () => {
    const r = ex.acmeChecks.lastResult!;
    expect(r.rules).toEqual([...kit.ALL_RULES, ...ACME_RULES].map((x) => x.id));
    expect(r.findings.filter((f) => !f.acknowledgement && f.severity === 'error')).toEqual([]);
    expect(r.controls.find((c) => c.controlId === 'ACME-QA-01')).toEqual({ controlId: 'ACME-QA-01', status: 'passed', verification: 'automated', findings: 0, acknowledged: 0 });
    expect(r.controls).toHaveLength(kit.CONTROLS.length + ACME_CONTROLS.length);
  });

  test('every acknowledgement carries a specific reason', () => {
    const acks = [...recordedAcknowledgements(ex.app).values()].flat().map((a) => ({ id: a.key, reason: a.reason }));
    expect(vagueReasons(acks)).toEqual([]);
  });

  test('the subclass keeps every part of IipPlatform and adds the quality-record store to the platform stack', () => {
    expect(ex.platform).toBeInstanceOf(AcmePlatform);
    expect(ex.platform.keyRing).toBeDefined();
    expect(ex.platform.qualityRecords.node.scope).toBe(ex.platform.platformStack);
    const t = Template.fromJSON(assembly.getStackByName('acme-platform').template);
    t.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 3650 } } },
      Tags: [{ Key: 'acme:record-type', Value: 'quality' }, { Key: 'srm-iip:level', Value: '1' }, { Key: 'srm-iip:owner', Value: 'acme-quality' }, { Key: 'srm-iip:stage', Value: 'utilization-support' }, { Key: 'srm-iip:zone', Value: 'platform' }],
    });
  });

  test('ACME\'s control is a catalog entry of its own prefix', () => {
    expect(ACME_QA_01.id).toBe('ACME-QA-01');
    expect(kit.controlById('ACME-QA-01')).toBeUndefined();
    expect(QualityRecordBucketsLocked.controlId).toBe(ACME_QA_01.id);
  });
});

describe('ACME-QA-01: quality-record buckets keep object lock', () => {
  function records(mutate?: (b: s3.CfnBucket) => void): App {
    const app = new App();
    const r = new AcmeQualityRecords(new Stack(app, 'S', { env: ENV }), 'Records');
    mutate?.(r.bucket.node.defaultChild as s3.CfnBucket);
    return app;
  }

  test('Compliance: the construct\'s bucket', () => {
    expect(acmeFindings(records())).toEqual([]);
  });

  test('Noncompliance 1: object lock mode switched to GOVERNANCE through an escape hatch', () => {
    expect(acmeFindings(records((b) => b.addPropertyOverride('ObjectLockConfiguration.Rule.DefaultRetention.Mode', 'GOVERNANCE')))).toEqual([
      "ACME-QA-01: quality records must be locked in COMPLIANCE mode (GOVERNANCE lets privileged users delete them), got 'GOVERNANCE'",
    ]);
  });

  test('Noncompliance 2: retention shortened to a year', () => {
    expect(acmeFindings(records((b) => b.addPropertyOverride('ObjectLockConfiguration.Rule.DefaultRetention.Days', 365)))).toEqual([
      'ACME-QA-01: quality records must be kept at least 3650 days, got 365 days',
    ]);
  });

  test('Noncompliance 3: object lock removed', () => {
    expect(
      acmeFindings(
        records((b) => {
          b.addPropertyDeletionOverride('ObjectLockEnabled');
          b.addPropertyDeletionOverride('ObjectLockConfiguration');
        }),
      ),
    ).toEqual([
      'ACME-QA-01: a quality-record bucket must enable object lock, but ObjectLockEnabled is not set',
      'ACME-QA-01: quality records must be locked in COMPLIANCE mode (GOVERNANCE lets privileged users delete them), got not set',
      'ACME-QA-01: a quality-record bucket needs a default retention of at least 3650 days, got none',
    ]);
  });

  test('a bucket without the tag is not a quality-record bucket', () => {
    const app = new App();
    new s3.Bucket(new Stack(app, 'S', { env: ENV }), 'Other');
    expect(acmeFindings(app)).toEqual([]);
  });

  test('bad props: a retention below ten years', () => {
    let error: unknown;
    try {
      new AcmeQualityRecords(new Stack(new App(), 'S', { env: ENV }), 'Records', { retentionDays: 365 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(kit.SrmIipError);
    expect((error as Error).message).toBe('[S/Records] retentionDays must be a whole number 3650..36500 (ACME-QA-01: quality records are kept ten years), got 365');
  });
});
