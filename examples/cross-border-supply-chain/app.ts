/**
 * An automotive supplier in Germany that works with a tooling partner in
 * Japan and an OEM in the United States: the partners exchange drawings and
 * quality reports through the platform, and the data never leaves the EU
 * regions the contracts name (TransnationalCooperationBlueprint).
 *
 *   CDK_OUTDIR=cdk.out/cross-border-supply-chain npx tsx examples/cross-border-supply-chain/app.ts
 *   npx cdk synth --app "npx tsx examples/cross-border-supply-chain/app.ts"
 */
import { App, Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { SecurityLevel } from '../../blueprints/security-levels';
import { TransnationalCooperationBlueprint } from '../../blueprints/TransnationalCooperationBlueprint';
import { PartnerSpec, SrmIipChecks } from '../../index';

/** Where the supplier's platform runs. No AWS account is contacted at synthesis. */
export const SUPPLY_CHAIN_ENV: Environment = { account: '111122223333', region: 'eu-central-1' };

/** The regions the partner contracts allow the data to live in. */
export const SUPPLY_CHAIN_REGIONS = ['eu-central-1', 'eu-west-1'];

/** The CloudFormation validator's default rules count as errors. */
export const SUPPLY_CHAIN_CONTEXT: Record<string, unknown> = { '@aws-cdk/core:validateAgainstDefaultRules': true };

/** The partners, their AWS accounts and the external IDs agreed with each (shared out of band, one per partner). */
export const SUPPLY_CHAIN_PARTNERS: PartnerSpec[] = [
  { name: 'tooling-jp', accountId: '444455556666', externalId: 'axle-tooling-jp-5c1e9a', description: 'Tooling partner in Japan: receives drawings, returns tool reports' },
  { name: 'oem-us', accountId: '777788889999', externalId: 'axle-oem-us-2b7f40', description: 'OEM in the United States: receives quality reports and delivery data' },
];

export interface CrossBorderSupplyChain {
  readonly app: App;
  readonly platform: TransnationalCooperationBlueprint;
  readonly srmIipChecks: SrmIipChecks;
}

/** Build the platform and register the three packs. Nothing is synthesized here. */
export function buildCrossBorderSupplyChain(app: App = new App({ context: SUPPLY_CHAIN_CONTEXT })): CrossBorderSupplyChain {
  const platform = new TransnationalCooperationBlueprint(app, 'SupplyChain', {
    platformName: 'axle-supplier',
    env: SUPPLY_CHAIN_ENV,
    securityLevel: SecurityLevel.SL3,
    allowedRegions: SUPPLY_CHAIN_REGIONS,
    replicaRegion: 'eu-west-1',
    partners: SUPPLY_CHAIN_PARTNERS,
    owner: 'supplier-platform',
  });
  const srmIipChecks = new SrmIipChecks(app, platform.checkOptions);
  Validations.of(app).addPlugins(srmIipChecks, new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  return { app, platform, srmIipChecks };
}

if (require.main === module) {
  buildCrossBorderSupplyChain().app.synth();
}
