/**
 * Extension point of the engine: a team's own controls (own ID prefix) run
 * next to the SRM-IIP catalog in one pack, through `CheckOptions.controls`.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, test } from 'vitest';
import * as kit from '../../index';

const ENV = { account: '111122223333', region: 'eu-central-1' };

const TEAM_CONTROL: kit.Control = {
  id: 'TEAM-QA-01',
  clause: 'TEAM-QMS 1',
  title: 'Record buckets are versioned',
  objective: 'A team control for the test: record buckets keep every version.',
  domains: [kit.SecurityDomain.PLATFORM],
  stages: [kit.LifecycleStage.UTILIZATION_SUPPORT],
  scenarios: [],
  threats: [kit.ThreatId.T3],
  iec62443: [],
  verification: kit.Verification.AUTOMATED,
  severity: kit.Severity.ERROR,
  check: 'Buckets set VersioningConfiguration.Status Enabled.',
  mappingBasis: 'team',
};

const TEAM_RULE: kit.SrmIipRule = {
  id: 'TeamBucketsVersioned',
  controlId: 'TEAM-QA-01',
  summary: 'Buckets are versioned',
  resourceTypes: ['AWS::S3::Bucket'],
  check: (r) =>
    kit.checkProperty(
      r,
      ['VersioningConfiguration', 'Status'],
      (a) => (a.kind === 'value' ? (kit.stringOf(a) === 'Enabled' ? 'pass' : 'fail') : a.kind === 'absent' ? 'fail' : 'unknown'),
      (a) => `versioning is ${kit.describe(a)}`,
    ),
};

function app(versioned: boolean): { app: App; bucket: s3.Bucket } {
  const a = new App();
  const bucket = new s3.Bucket(new Stack(a, 'S', { env: ENV }), 'Records', { versioned });
  a.synth();
  return { app: a, bucket };
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(kit.SrmIipError);
    return e as Error;
  }
  throw new Error('expected an SrmIipError');
}

describe('a pack with a team control', () => {
  test('a rule whose control is unknown is refused at construction (it would silently never run)', () => {
    expect(errorOf(() => new kit.SrmIipChecks(undefined, {}, [TEAM_RULE])).message).toBe(
      "rule TeamBucketsVersioned checks control 'TEAM-QA-01', which is neither in the SRM-IIP catalog nor in props.controls; add that control to props.controls",
    );
  });

  test('with the control in options.controls the rule runs, next to the kit\'s rules', () => {
    const { app: a } = app(false);
    const pack = new kit.SrmIipChecks(undefined, { controls: [TEAM_CONTROL] }, [...kit.ALL_RULES, TEAM_RULE]);
    const report = pack.validateScope(a);
    const team = report.violations.filter((v) => v.ruleName === 'TEAM-QA-01');
    expect(team).toHaveLength(1);
    expect(team[0].description).toBe('TEAM-QA-01 Record buckets are versioned [TeamBucketsVersioned]: versioning is not set');
    expect(team[0].severity).toBe('error');
    expect(team[0].fix).toBe('Buckets set VersioningConfiguration.Status Enabled.');
    expect(report.violations.some((v) => v.ruleName.startsWith('SRM-IIP-'))).toBe(true);
    expect(report.success).toBe(false);
    expect(pack.lastResult!.controls.find((c) => c.controlId === 'TEAM-QA-01')).toEqual({ controlId: 'TEAM-QA-01', status: 'failed', verification: 'automated', findings: 1, acknowledged: 0 });
    expect(pack.ruleIds).toContain('TEAM-QA-01');
  });

  test('a compliant resource passes the team control', () => {
    const { app: a } = app(true);
    const pack = new kit.SrmIipChecks(undefined, { controls: [TEAM_CONTROL] }, [TEAM_RULE]);
    pack.validateScope(a);
    expect(pack.lastResult!.findings).toEqual([]);
    expect(pack.lastResult!.controls.find((c) => c.controlId === 'TEAM-QA-01')?.status).toBe('passed');
  });

  test('team findings are acknowledged like the kit\'s, and severityOverrides may name the team control', () => {
    const { app: a, bucket } = app(false);
    Validations.of(bucket).acknowledge({ id: 'TEAM-QA-01', reason: 'Scratch bucket of the test; it holds no records, so versioning is not needed' });
    const pack = new kit.SrmIipChecks(undefined, { controls: [TEAM_CONTROL] }, [TEAM_RULE]);
    pack.validateScope(a);
    expect(pack.lastResult!.findings.map((f) => f.acknowledgement?.id)).toEqual(['TEAM-QA-01']);
    expect(pack.lastResult!.controls.find((c) => c.controlId === 'TEAM-QA-01')?.status).toBe('acknowledged');

    const { app: b } = app(false);
    const warn = new kit.SrmIipChecks(undefined, { controls: [TEAM_CONTROL], severityOverrides: { 'TEAM-QA-01': 'warning' } }, [TEAM_RULE]);
    const r = warn.validateScope(b);
    expect(r.violations.map((v) => v.severity)).toEqual(['warning']);
    expect(r.success).toBe(true);
  });

  test('checkTemplates (the CLI path) takes the same option', () => {
    const r = kit.checkTemplates([{ name: 'T', template: { Resources: { B: { Type: 'AWS::S3::Bucket', Properties: {} } } } }], { controls: [TEAM_CONTROL] }, [TEAM_RULE]);
    expect(r.findings.map((f) => f.controlId)).toEqual(['TEAM-QA-01']);
  });

  test.each([
    [{ controls: [{ ...TEAM_CONTROL, id: 'SRM-IIP-NET-05' }] }, "controls: 'SRM-IIP-NET-05' is a control of the SRM-IIP catalog; your own controls need IDs with your own prefix, such as ACME-QA-01"],
    [{ controls: [TEAM_CONTROL, TEAM_CONTROL] }, "controls: 'TEAM-QA-01' is listed twice"],
    [{ controls: [{ ...TEAM_CONTROL, id: '' }] }, 'controls: every control needs an ID such as ACME-QA-01, got ""'],
    [{ controls: [{ ...TEAM_CONTROL, severity: 'fatal' as kit.Severity }] }, "controls: 'TEAM-QA-01' has severity 'fatal'; allowed: error, warning"],
    [{ severityOverrides: { 'TEAM-QA-01': 'warning' } }, "severityOverrides: unknown control ID 'TEAM-QA-01'; expected an ID of the catalog such as SRM-IIP-NET-05, or of options.controls"],
  ])('bad options %#', (props, message) => {
    expect(errorOf(() => new kit.SrmIipChecks(undefined, props as kit.SrmIipChecksProps)).message).toBe(message);
  });
});
