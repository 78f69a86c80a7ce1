/**
 * A plant that makes civil and defence parts on one platform: three
 * classification levels, each with its own zone, keys, data store, readers
 * and compute template, the top level on dedicated hardware
 * (MultilevelSecurityProductionBlueprint, security level SL3).
 *
 *   CDK_OUTDIR=cdk.out/multilevel-plant npx tsx examples/multilevel-plant/app.ts
 *   npx cdk synth --app "npx tsx examples/multilevel-plant/app.ts"
 */
import { App, Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { MultilevelSecurityProductionBlueprint } from '../../blueprints/MultilevelSecurityProductionBlueprint';
import { SecurityLevel } from '../../blueprints/security-levels';
import { SrmIipChecks } from '../../index';

/** Where the plant runs. No AWS account is contacted at synthesis. */
export const MULTILEVEL_PLANT_ENV: Environment = { account: '111122223333', region: 'eu-central-1' };

/** The CloudFormation validator's default rules count as errors. */
export const MULTILEVEL_PLANT_CONTEXT: Record<string, unknown> = { '@aws-cdk/core:validateAgainstDefaultRules': true };

/**
 * The plant's levels: 1 production and machine data, 2 customers' part designs,
 * 3 export-controlled process recipes of the defence line.
 */
export const PLANT_LEVELS = 3;

export interface MultilevelPlant {
  readonly app: App;
  readonly plant: MultilevelSecurityProductionBlueprint;
  readonly srmIipChecks: SrmIipChecks;
}

/** Build the plant and register the three packs. Nothing is synthesized here. */
export function buildMultilevelPlant(app: App = new App({ context: MULTILEVEL_PLANT_CONTEXT })): MultilevelPlant {
  const plant = new MultilevelSecurityProductionBlueprint(app, 'Foundry', {
    platformName: 'foundry',
    env: MULTILEVEL_PLANT_ENV,
    securityLevel: SecurityLevel.SL3,
    classificationLevels: PLANT_LEVELS,
    owner: 'foundry-ot-security',
  });
  const srmIipChecks = new SrmIipChecks(app, plant.checkOptions);
  Validations.of(app).addPlugins(srmIipChecks, new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  return { app, plant, srmIipChecks };
}

if (require.main === module) {
  buildMultilevelPlant().app.synth();
}
