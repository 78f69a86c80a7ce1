/**
 * A made-to-order gearbox maker's customer portal: customer companies
 * configure gearboxes and order them through one API, and each company sees
 * only its own configurations and orders (ProductCustomizationBlueprint,
 * SRM-IIP-APP-06), at security level SL3.
 *
 *   CDK_OUTDIR=cdk.out/customer-portal npx tsx examples/customer-portal/app.ts
 *   npx cdk synth --app "npx tsx examples/customer-portal/app.ts"
 */
import { App, Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { ProductCustomizationBlueprint } from '../../blueprints/ProductCustomizationBlueprint';
import { SecurityLevel } from '../../blueprints/security-levels';
import { SrmIipChecks } from '../../index';

/** Where the portal runs. No AWS account is contacted at synthesis. */
export const CUSTOMER_PORTAL_ENV: Environment = { account: '111122223333', region: 'eu-central-1' };

/** The CloudFormation validator's default rules count as errors. */
export const CUSTOMER_PORTAL_CONTEXT: Record<string, unknown> = { '@aws-cdk/core:validateAgainstDefaultRules': true };

export interface CustomerPortal {
  readonly app: App;
  readonly portal: ProductCustomizationBlueprint;
  readonly srmIipChecks: SrmIipChecks;
}

/** Build the portal and register the three packs. Nothing is synthesized here. */
export function buildCustomerPortal(app: App = new App({ context: CUSTOMER_PORTAL_CONTEXT })): CustomerPortal {
  const portal = new ProductCustomizationBlueprint(app, 'Portal', {
    platformName: 'gearbox-portal',
    env: CUSTOMER_PORTAL_ENV,
    securityLevel: SecurityLevel.SL3,
    tenantAttribute: 'company_id',
    maxOrderQuantity: 500,
    alertEmails: ['soc@gearbox.example'],
    owner: 'portal-team',
  });
  const srmIipChecks = new SrmIipChecks(app, portal.checkOptions);
  Validations.of(app).addPlugins(srmIipChecks, new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  return { app, portal, srmIipChecks };
}

if (require.main === module) {
  buildCustomerPortal().app.synth();
}
