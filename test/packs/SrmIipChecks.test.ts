import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnParameter, NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { NagPack } from 'cdk-nag';
import { afterEach, describe, expect, it } from 'vitest';
import * as kit from '../../index';

const dirs: string[] = [];
function newApp(): App {
  const outdir = mkdtempSync(join(tmpdir(), 'srm-iip-pack-'));
  dirs.push(outdir);
  return new App({ outdir });
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The SYS-02 rule only, so these tests pin the pack's mechanics, not the whole rule set. */
function pack(app: App, props: kit.SrmIipChecksProps = {}) {
  return new kit.SrmIipChecks(app, props, [kit.KmsKeyRotationEnabled]);
}

interface ReportViolation {
  ruleName: string;
  description: string;
  severity: string;
  acknowledgedId?: string;
  reason?: string;
  violatingConstructs: Array<{ constructPath: string }>;
}
function report(app: App): { pluginReports: Array<{ pluginName: string; conclusion: string; violations: ReportViolation[]; suppressedViolations?: ReportViolation[] }> } {
  return JSON.parse(readFileSync(join(app.outdir, 'validation-report.json'), 'utf8'));
}

describe('SrmIipChecks', () => {
  it('is a cdk-nag v3 NagPack and a CDK validation plugin named SRM-IIP', () => {
    const p = pack(newApp());
    expect(p).toBeInstanceOf(NagPack);
    expect(p.name).toBe('SRM-IIP');
    expect(p.ruleIds).toEqual(['SRM-IIP-SYS-02']);
  });

  it('validateScope reports a finding that names the control ID and the construct', () => {
    const app = newApp();
    const stack = new Stack(app, 'Keys');
    new kms.Key(stack, 'DataKey', { enableKeyRotation: false });
    const r = pack(app).validateScope(app);
    expect(r.success).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].ruleName).toBe('SRM-IIP-SYS-02');
    expect(r.violations[0].description).toMatch(/^SRM-IIP-SYS-02 .*\[KmsKeyRotationEnabled\]: key rotation is off/);
    expect(r.violations[0].violatingResources[0].constructPath).toBe('Keys/DataKey/Resource');
  });

  it('fails synthesis through Validations.of(app).addPlugins and writes the finding to the validation report', () => {
    const app = newApp();
    new kms.Key(new Stack(app, 'Keys'), 'DataKey', { enableKeyRotation: false });
    Validations.of(app).addPlugins(pack(app));
    expect(() => app.synth()).toThrow(/SRM-IIP-SYS-02/);
    const rep = report(app).pluginReports.find((p) => p.pluginName === 'SRM-IIP')!;
    expect(rep.conclusion).toBe('failure');
    expect(rep.violations[0].violatingConstructs[0].constructPath).toBe('Keys/DataKey/Resource');
  });

  it('an acknowledgement by control ID passes synthesis and shows, with its reason, in the validation report', () => {
    const app = newApp();
    const stack = new Stack(app, 'Keys');
    const key = new kms.Key(stack, 'DataKey', { enableKeyRotation: false });
    Validations.of(key).acknowledge({ id: 'SRM-IIP-SYS-02', reason: 'HSM-backed import key; rotated manually every 90 days by runbook OPS-17' });
    const p = pack(app);
    Validations.of(app).addPlugins(p);
    app.synth();
    const rep = report(app).pluginReports.find((x) => x.pluginName === 'SRM-IIP')!;
    expect(rep.violations).toEqual([]);
    expect(rep.suppressedViolations).toHaveLength(1);
    expect(rep.suppressedViolations![0]).toMatchObject({ reason: 'HSM-backed import key; rotated manually every 90 days by runbook OPS-17' });
    expect(p.lastResult!.findings[0].acknowledgement).toMatchObject({ id: 'SRM-IIP-SYS-02', scope: 'Keys/DataKey' });
  });

  it('a stack-level acknowledgement covers every resource of the stack, and only that stack', () => {
    const app = newApp();
    const a = new Stack(app, 'A');
    const b = new Stack(app, 'B');
    new kms.Key(a, 'K', { enableKeyRotation: false });
    new kms.Key(b, 'K', { enableKeyRotation: false });
    Validations.of(a).acknowledge({ id: 'SRM-IIP-SYS-02', reason: 'stack A holds only short-lived test keys destroyed nightly' });
    const r = pack(app).validateScope(app);
    expect(r.violations.map((v) => v.violatingResources[0].constructPath)).toEqual(['B/K/Resource']);
  });

  it('an acknowledgement of another control does not cover the finding', () => {
    const app = newApp();
    const stack = new Stack(app, 'S');
    const key = new kms.Key(stack, 'K', { enableKeyRotation: false });
    Validations.of(key).acknowledge({ id: 'SRM-IIP-SYS-08', reason: 'key deletion window reviewed by the key custodian' });
    expect(pack(app).validateScope(app).violations).toHaveLength(1);
  });

  it('severity overrides turn a control into a warning or off', () => {
    const app = newApp();
    new kms.Key(new Stack(app, 'S'), 'K', { enableKeyRotation: false });
    const warn = pack(app, { severityOverrides: { 'SRM-IIP-SYS-02': 'warning' } }).validateScope(app);
    expect(warn.success).toBe(true);
    expect(warn.violations[0].severity).toBe('warning');
    expect(pack(app, { severityOverrides: { 'SRM-IIP-SYS-02': 'off' } }).validateScope(app).violations).toEqual([]);
  });

  it('domain, stage and scenario filters select controls', () => {
    const app = newApp();
    new kms.Key(new Stack(app, 'S'), 'K', { enableKeyRotation: false });
    const sys02 = kit.controlById('SRM-IIP-SYS-02')!;
    const otherDomain = ['edge', 'cloud-infrastructure', 'platform', 'application'].find((d) => !sys02.domains.includes(d as kit.SecurityDomain))!;
    expect(pack(app, { domains: [otherDomain] }).validateScope(app).violations).toEqual([]);
    expect(pack(app, { domains: [sys02.domains[0]] }).validateScope(app).violations).toHaveLength(1);
  });

  describe('bad options fail at construction with the option, the value and what is allowed', () => {
    it.each([
      [{ allowedRegions: ['mars-north-1x'] }, "allowedRegions: 'mars-north-1x' is not an AWS region name; expected names such as eu-central-1 or us-gov-west-1"],
      [{ logRetentionDays: 0 }, 'logRetentionDays must be a whole number of days >= 1, got 0'],
      [{ classificationLevels: 0 }, 'classificationLevels must be a whole number 1..16, got 0'],
      [{ domains: ['factory'] }, "domains: unknown value 'factory'; allowed: edge, cloud-infrastructure, platform, application"],
      [{ severityOverrides: { 'SRM-IIP-XXX-99': 'error' } }, "severityOverrides: unknown control ID 'SRM-IIP-XXX-99'"],
      [{ severityOverrides: { 'SRM-IIP-SYS-02': 'fatal' } }, "severityOverrides[SRM-IIP-SYS-02] must be one of error, warning, off, got 'fatal'"],
    ])('%j', (props, message) => {
      const err = (() => {
        try {
          new kit.SrmIipChecks(newApp(), props as kit.SrmIipChecksProps);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(kit.SrmIipError);
      expect((err as Error).message).toContain(message);
    });
  });
});

describe('SrmIipChecks on unusual apps', () => {
  it('a stack without resources (only a parameter) is checked, not refused', () => {
    const app = new App();
    const s = new Stack(app, 'Empty');
    new CfnParameter(s, 'P');
    const r = new kit.SrmIipChecks(app, {}, [kit.KmsKeyRotationEnabled]).validateScope(app);
    expect(r.success).toBe(true);
  });
});

describe('SrmIipChecks on nested stacks', () => {
  it('checks the resources of a nested stack, during synthesis and through validateScope', () => {
    const app = newApp();
    const parent = new Stack(app, 'Parent');
    const nested = new NestedStack(parent, 'Child');
    new kms.Key(nested, 'NestedKey', { enableKeyRotation: false });
    const direct = pack(app).validateScope(app);
    expect(direct.violations.map((v) => v.violatingResources[0].constructPath)).toEqual(['Parent/Child/NestedKey/Resource']);

    const p = pack(app);
    Validations.of(app).addPlugins(p);
    expect(() => app.synth()).toThrow(/SRM-IIP-SYS-02/);
    expect(p.lastResult!.findings.map((f) => f.constructPath)).toEqual(['Parent/Child/NestedKey/Resource']);
  });
});

describe('SrmIipChecks in a Stage', () => {
  it('checks the stacks of a stage and points at their constructs', () => {
    const app = newApp();
    const stage = new Stage(app, 'Prod');
    new kms.Key(new Stack(stage, 'Keys'), 'K', { enableKeyRotation: false });
    const p = pack(app);
    Validations.of(app).addPlugins(p);
    expect(() => app.synth()).toThrow(/SRM-IIP-SYS-02/);
    expect(p.lastResult!.findings.map((f) => f.constructPath)).toEqual(['Prod/Keys/K/Resource']);
  });
});
