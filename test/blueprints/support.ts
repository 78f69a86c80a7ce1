/**
 * The three packs as `cdk synth` runs them when an app registers them:
 * cdk-nag's plugins fail synthesis on any unacknowledged finding, warnings
 * included, so blueprint and example tests look at every peer finding, not
 * only errors. The kit's pack fails on unacknowledged errors only.
 */
import { App, PolicyViolation } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { recordedAcknowledgements, SrmIipChecks, SrmIipChecksProps } from '../../rules/packs';

export interface StrictPackResults {
  /** Unacknowledged errors of the kit's pack. */
  readonly srmIip: PolicyViolation[];
  /** Every unacknowledged AwsSolutions finding (errors and warnings). */
  readonly awsSolutions: PolicyViolation[];
  /** Every unacknowledged NIST 800-53 R5 finding (errors and warnings). */
  readonly nist: PolicyViolation[];
  /** Every acknowledgement in the tree, with its reason and scope. */
  readonly acknowledgements: Array<{ id: string; reason: string; scope: string }>;
  readonly pack: SrmIipChecks;
}

/** Synthesize once (tags and aspects apply), then run the three packs over the tree. */
export function runPacksStrict(app: App, options: SrmIipChecksProps = {}): StrictPackResults {
  app.synth({ force: true });
  const pack = new SrmIipChecks(app, options);
  const srmIip = pack.validateScope(app).violations.filter((v) => v.severity === 'error');
  const acknowledgements = [...recordedAcknowledgements(app).values()].flat().map((a) => ({ id: a.key.replace(/^annotation::/i, ''), reason: a.reason, scope: a.scope }));
  return {
    srmIip,
    awsSolutions: new AwsSolutionsChecks(app).validateScope(app).violations,
    nist: new NIST80053R5Checks(app).validateScope(app).violations,
    acknowledgements,
    pack,
  };
}

/** Acknowledgements per pack: `AwsSolutions`, `NIST`, `SRM-IIP`, or another team's prefix. */
export function acknowledgementsByPack(acks: ReadonlyArray<{ id: string }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of acks) {
    const pack = a.id.startsWith('AwsSolutions-') ? 'AwsSolutions' : a.id.startsWith('NIST.') ? 'NIST' : a.id.startsWith('SRM-IIP-') ? 'SRM-IIP' : a.id.split('-')[0];
    out[pack] = (out[pack] ?? 0) + 1;
  }
  return out;
}

/** Names of the validation plugins registered on an app (Stage keeps them in an internal field; no public accessor exists). */
export function registeredPlugins(app: App): string[] {
  return (app as unknown as { _validationPlugins: Array<{ name: string }> })._validationPlugins.map((p) => p.name);
}

/** Conclusions of the plugins in the validation report `cdk synth` wrote into the assembly. */
export function reportConclusions(assemblyDirectory: string): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require('fs') as typeof import('fs');
  const file = `${assemblyDirectory}/validation-report.json`;
  if (!fs.existsSync(file)) return [];
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as { pluginReports: Array<{ pluginName: string; conclusion: string }> };
  return report.pluginReports.map((p) => `${p.pluginName}: ${p.conclusion}`);
}
