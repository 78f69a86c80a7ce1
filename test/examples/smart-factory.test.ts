import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { buildSmartFactory, SMART_FACTORY_CONTEXT } from '../../examples/smart-factory/app';
import * as kit from '../../index';
import { describeViolations, runAllPacks, vagueReasons } from '../support/packs';

describe('examples/smart-factory', () => {
  const { app, platform, srmIipChecks } = buildSmartFactory(new App({ context: SMART_FACTORY_CONTEXT }));
  const r = runAllPacks(app, platform.checkOptions);

  it('builds the SL3 platform of the README: five stacks in eu-central-1, two levels, data in eu-central-1 and eu-west-1', () => {
    expect(platform.stacks.map((s) => s.stackName)).toEqual([
      'smart-factory-security',
      'smart-factory-network',
      'smart-factory-edge',
      'smart-factory-platform',
      'smart-factory-application',
    ]);
    expect(platform.profile.level).toBe('SL3');
    expect(platform.checkOptions).toEqual({ allowedRegions: ['eu-central-1', 'eu-west-1'], classificationLevels: 2, logRetentionDays: 365 });
    expect(app.node.tryGetContext('@aws-cdk/core:validateAgainstDefaultRules')).toBe(true);
  });

  it('registers the three packs on the app', () => {
    // aws-cdk-lib 2.276 has no public getter for a stage's plugins; `_validationPlugins` is what synthesis runs.
    const names = (app as unknown as { _validationPlugins: Array<{ name: string }> })._validationPlugins.map((p) => p.name);
    expect(names).toEqual(['SRM-IIP', 'AwsSolutions', 'NIST.800.53.R5']);
    expect(srmIipChecks).toBeInstanceOf(kit.SrmIipChecks);
  });

  it('synthesizes 299 resources in five templates', () => {
    const assembly = app.synth();
    const counts = assembly.stacks.map((s) => Object.keys((s.template as { Resources: object }).Resources).length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(299);
    expect(assembly.stacks).toHaveLength(5);
  });

  it('passes the three packs: no unacknowledged error, no cdk-nag warning, no vague reason', () => {
    expect(describeViolations(r.srmIip)).toEqual([]);
    expect(describeViolations(r.awsSolutions)).toEqual([]);
    expect(describeViolations(r.nist)).toEqual([]);
    // cdk-nag fails a report on warnings too, and CDK then fails `cdk synth`.
    expect(describeViolations(new AwsSolutionsChecks(app).validateScope(app).violations)).toEqual([]);
    expect(describeViolations(new NIST80053R5Checks(app).validateScope(app).violations)).toEqual([]);
    expect(vagueReasons(r.acknowledgements)).toEqual([]);
  });

  it('the app-level controls pass on the platform itself, and no control fails', () => {
    const controls = r.pack.lastResult!.controls;
    const status = Object.fromEntries(controls.map((c) => [c.controlId, c.status]));
    for (const id of ['SRM-IIP-OPS-01', 'SRM-IIP-OPS-03', 'SRM-IIP-OPS-04', 'SRM-IIP-OPS-05', 'SRM-IIP-MGT-03']) expect([id, status[id]]).toEqual([id, 'passed']);
    expect(controls.filter((c) => c.status === 'failed')).toEqual([]);
  });

});
