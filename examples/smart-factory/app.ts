/**
 * The reference app of srm-iip-kit: a smart factory on one hardened
 * industrial internet platform (security level SL3, two classification
 * levels, data kept in eu-central-1 and eu-west-1), checked at synthesis by
 * the kit's SRM-IIP pack, cdk-nag AwsSolutions and NIST 800-53 R5, and the
 * bundled CloudFormation validator's default rules.
 *
 *   CDK_OUTDIR=cdk.out npx tsx examples/smart-factory/app.ts
 *   npx cdk synth --app "npx tsx examples/smart-factory/app.ts"
 */
import { join } from 'node:path';
import { App, Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { IipPlatform, SecurityLevel, SrmIipChecks, writeSrmIipReport } from '../../index';

/** Where the platform runs. No AWS account is contacted at synthesis. */
export const SMART_FACTORY_ENV: Environment = { account: '111122223333', region: 'eu-central-1' };

// Certificate signing requests the devices generated; their private keys never left them.
const PRESS_01_CSR = [
  '-----BEGIN CERTIFICATE REQUEST-----',
  'MIHOMHUCAQAwEzERMA8GA1UEAwwIcHJlc3MtMDEwWTATBgcqhkjOPQIBBggqhkjO',
  'PQMBBwNCAASyozJBaNfmBRgN7Qe4zvD2g0EaIiac2xjRn6vWpMMeinz2v5xmyqDc',
  'k3eOnk9FaFQxM31frqq0wIjNMxwlF7GVoAAwCgYIKoZIzj0EAwIDSQAwRgIhAKnl',
  'Waa5SF/EGYbyccXYn/CAIrBV2EswRTzWC9Ju4wvmAiEAt4QSHrXAGoXaJxSUac68',
  '9G/zyaoQGzr59gpbjxpzGV8=',
  '-----END CERTIFICATE REQUEST-----',
].join('\n');
const PRESS_02_CSR = [
  '-----BEGIN CERTIFICATE REQUEST-----',
  'MIHNMHUCAQAwEzERMA8GA1UEAwwIcHJlc3MtMDIwWTATBgcqhkjOPQIBBggqhkjO',
  'PQMBBwNCAASPv5zYsQTdZGn1U/pwapIT3ayiAm+i/48qMiVDbmSiO/cwkduZ9nxf',
  '7e2bSrFl4PY5f/BBqMHVCoqrYdysnBkloAAwCgYIKoZIzj0EAwIDSAAwRQIhAJR/',
  'h67QYI+hDGaFUN6qP+3Cgy3aT4YKxXXr8aYv7gKIAiBv38B1m/x5kMqZncUlrjOu',
  'E0Q6n2ReTsWY2chExWQ1Ew==',
  '-----END CERTIFICATE REQUEST-----',
].join('\n');
const PAINT_ROBOT_07_CSR = [
  '-----BEGIN CERTIFICATE REQUEST-----',
  'MIHTMHsCAQAwGTEXMBUGA1UEAwwOcGFpbnQtcm9ib3QtMDcwWTATBgcqhkjOPQIB',
  'BggqhkjOPQMBBwNCAAQFY+wwx/RbYTFhOUcVa6VAyuy3HiGHO/Og/zSFt2XXzxml',
  'lzYkmFpyYxatWdMED51Xn6IIeQDyBXjeXzqbVSrkoAAwCgYIKoZIzj0EAwIDSAAw',
  'RQIgSlfZbCVNZXx1IreM1ggwCp0OVGrVRadnpg3HAIu0NekCIQCD0VVxkRQYF2o8',
  'psmSm8Yl4i5ZtWxmklVt8BFJrraq2Q==',
  '-----END CERTIFICATE REQUEST-----',
].join('\n');
const LINE1_GATEWAY_CSR = [
  '-----BEGIN CERTIFICATE REQUEST-----',
  'MIHSMHoCAQAwGDEWMBQGA1UEAwwNbGluZTEtZ2F0ZXdheTBZMBMGByqGSM49AgEG',
  'CCqGSM49AwEHA0IABHpddKtmlrFysLvrkvorJDiI8QDwvBDbjwusDqBq0Fld2Fx/',
  'PkVLC1TvfAd4oTgxKyd5iW4jfNRrPchgsZ/6kh+gADAKBggqhkjOPQQDAgNIADBF',
  'AiBS93H/morb8sHQHXijWCK8iIAkK5Tiup1VCJxEqA+33AIhANqc1AObeTDhCn9x',
  'cdiC7HXkZiLn7NQRiT1Jz2nl03CG',
  '-----END CERTIFICATE REQUEST-----',
].join('\n');

/** The app context of the reference app: the CloudFormation validator's default rules count as errors. */
export const SMART_FACTORY_CONTEXT: Record<string, unknown> = {
  '@aws-cdk/core:validateAgainstDefaultRules': true,
};

export interface SmartFactory {
  readonly app: App;
  readonly platform: IipPlatform;
  readonly srmIipChecks: SrmIipChecks;
}

/**
 * Build the smart-factory app: the platform and the three packs. Pass an app
 * to reuse it (tests, report writers); without one, a new app with
 * SMART_FACTORY_CONTEXT is created. Nothing is synthesized here.
 */
export function buildSmartFactory(app: App = new App({ context: SMART_FACTORY_CONTEXT })): SmartFactory {
  const platform = new IipPlatform(app, 'SmartFactory', {
    platformName: 'smart-factory',
    env: SMART_FACTORY_ENV,
    securityLevel: SecurityLevel.SL3,
    classificationLevels: 2,
    allowedRegions: ['eu-central-1', 'eu-west-1'],
    owner: 'plant-ot-security',
    devices: [
      { name: 'press-01', csr: PRESS_01_CSR },
      { name: 'press-02', csr: PRESS_02_CSR },
      { name: 'paint-robot-07', csr: PAINT_ROBOT_07_CSR },
    ],
    coreDevices: [{ name: 'line1-gateway', csr: LINE1_GATEWAY_CSR }],
    siteConnections: [{ name: 'PlantStuttgart', plantPublicIp: '203.0.113.10', staticRoutes: ['192.168.10.0/24'] }],
    partners: [{ name: 'machine-builder', accountId: '444455556666', externalId: 'smart-factory-mb-2024', description: 'Predictive maintenance of the presses' }],
  });
  const srmIipChecks = new SrmIipChecks(app, platform.checkOptions);
  Validations.of(app).addPlugins(srmIipChecks, new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  return { app, platform, srmIipChecks };
}

/**
 * The main job (`npm run synth`): synthesize with every check, then write
 * cdk.out/srm-iip-report.json — the packs that ran, every finding and
 * acknowledgement, and the status of every catalog control. The report is
 * written even when a pack fails, so the failure can be read.
 */
export function synthesizeWithReport(sf: SmartFactory = buildSmartFactory()): { outdir: string; report: string } {
  let failure: unknown;
  try {
    sf.app.synth();
  } catch (e) {
    failure = e;
  }
  const packs = [sf.srmIipChecks, ...['AwsSolutions', 'NIST.800.53.R5'].map((name) => ({ name }))];
  // The platform's attestations (manual, inherited and the runtime part of partial controls) live at the repo root.
  const attestationsPath = join(__dirname, '..', '..', 'srm-iip.attestations.yaml');
  const report = sf.srmIipChecks.lastResult ? writeSrmIipReport(sf.app, sf.app.outdir, sf.srmIipChecks, packs, { attestationsPath }) : '(not written: the SRM-IIP pack did not run)';
  if (failure) throw failure;
  return { outdir: sf.app.outdir, report };
}

if (require.main === module) {
  const { report } = synthesizeWithReport();
  process.stderr.write(`SRM-IIP report: ${report}\n`);
}
