/**
 * How a team extends the kit: ACME adds its own construct (a quality-record
 * store), its own control with its own ID prefix (ACME-QA-01) and the rule
 * that checks it, and its own pack that runs every SRM-IIP rule plus ACME's.
 * ACME's platform is the kit's IipPlatform, extended by subclassing.
 *
 *   CDK_OUTDIR=cdk.out/extend-a-blueprint npx tsx examples/extend-a-blueprint/app.ts
 *   npx cdk synth --app "npx tsx examples/extend-a-blueprint/app.ts"
 */
import { App, Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { Construct } from 'constructs';
import { IipPlatform, IipPlatformProps } from '../../blueprints/IipPlatform';
import { AcmeChecks, AcmeQualityRecords } from './acme';

/** Where ACME's platform runs. No AWS account is contacted at synthesis. */
export const ACME_ENV: Environment = { account: '111122223333', region: 'eu-central-1' };

/** The CloudFormation validator's default rules count as errors. */
export const ACME_CONTEXT: Record<string, unknown> = { '@aws-cdk/core:validateAgainstDefaultRules': true };

/**
 * ACME's platform: everything IipPlatform builds, plus ACME's quality-record
 * store in the platform stack. Every part of IipPlatform stays reachable
 * (`keyRing`, `platformStack`, `telemetry`, ...), so ACME adds to it rather than forking it.
 */
export class AcmePlatform extends IipPlatform {
  /** Inspection results and batch releases, locked for ten years (ACME-QA-01). */
  public readonly qualityRecords: AcmeQualityRecords;

  constructor(scope: Construct, id: string, props: IipPlatformProps = {}) {
    super(scope, id, props);
    this.qualityRecords = new AcmeQualityRecords(this.platformStack, 'QualityRecords', { owner: 'acme-quality' });
  }
}

export interface ExtendABlueprint {
  readonly app: App;
  readonly platform: AcmePlatform;
  /** ACME's pack: the SRM-IIP rules and ACME's own. */
  readonly acmeChecks: AcmeChecks;
}

/** Build ACME's app: the extended platform and the three packs (ACME's replaces SrmIipChecks, which it contains). */
export function buildExtendABlueprint(app: App = new App({ context: ACME_CONTEXT })): ExtendABlueprint {
  const platform = new AcmePlatform(app, 'Acme', {
    platformName: 'acme',
    env: ACME_ENV,
    owner: 'acme-platform',
  });
  const acmeChecks = new AcmeChecks(app, platform.checkOptions);
  Validations.of(app).addPlugins(acmeChecks, new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  return { app, platform, acmeChecks };
}

if (require.main === module) {
  buildExtendABlueprint().app.synth();
}
