/**
 * Retiring production line 3 of a plant (SRM-IIP 7.3, retirement stage): the
 * plant's platform keeps running; the line's own stack is redeployed with an
 * IipLineRetirement companion that revokes the line's device certificates,
 * stops its telemetry, lets its data expire and schedules its keys for
 * deletion once that data is gone.
 *
 *   CDK_OUTDIR=cdk.out/retire-a-line npx tsx examples/retire-a-line/app.ts
 *   npx cdk synth --app "npx tsx examples/retire-a-line/app.ts"
 */
import { App, Environment, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { Construct } from 'constructs';
import { IipLineRetirement } from '../../blueprints/IipLineRetirement';
import { IipPlatform } from '../../blueprints/IipPlatform';
import { DeviceSpec, IipDeviceFleet, IipSecureBucket, IipTelemetryPipeline, SrmIipChecks } from '../../index';

/** Where the plant runs. No AWS account is contacted at synthesis. */
export const RETIRE_A_LINE_ENV: Environment = { account: '111122223333', region: 'eu-central-1' };

/** The CloudFormation validator's default rules count as errors. */
export const RETIRE_A_LINE_CONTEXT: Record<string, unknown> = { '@aws-cdk/core:validateAgainstDefaultRules': true };

/** The day line 3 produced its last part. */
export const LINE_3_RETIRED_ON = '2025-03-31';

// Certificate signing requests line 3's presses generated; their private keys never left them.
const LINE3_PRESS_01_CSR = [
  '-----BEGIN CERTIFICATE REQUEST-----',
  'MIHSMHsCAQAwGTEXMBUGA1UEAwwObGluZTMtcHJlc3MtMDEwWTATBgcqhkjOPQIB',
  'BggqhkjOPQMBBwNCAASsuClubEhNFYiwIiLzi8w+5cPydwWki4bkeiGKKLUohQ/y',
  'YqA70VpjVjBEUMwdL9budwHaK2eeVrHsuV/dLsHQoAAwCgYIKoZIzj0EAwIDRwAw',
  'RAIgdfHyMMG86fWzJzJy4WKzdaUpMK4KLYPKAFqpRCo9DfACICJujZ6Ae3aOSaQ8',
  'Z9Z6feCt1Sb0iUiiiBVLIuK6k+dc',
  '-----END CERTIFICATE REQUEST-----',
].join('\n');
const LINE3_PRESS_02_CSR = [
  '-----BEGIN CERTIFICATE REQUEST-----',
  'MIHTMHsCAQAwGTEXMBUGA1UEAwwObGluZTMtcHJlc3MtMDIwWTATBgcqhkjOPQIB',
  'BggqhkjOPQMBBwNCAAQtHJMoL0dFFOrLn3eNb65BBXADzzZq+e+3tEbIZSLEOm2s',
  'IS1gZb6cWw8hSxgZTKG3MOGSHwKEMS5KLS5ZGD4aoAAwCgYIKoZIzj0EAwIDSAAw',
  'RQIhAMeFefWv5AaCimQ70hg/jVXbjNbr5RJU7DKxRv6bgjP8AiBH8N3jmjD54bHE',
  'msOMRVYSo5g7zbs/2vGaibgteAKdVg==',
  '-----END CERTIFICATE REQUEST-----',
].join('\n');
const LINE_3_DEVICES: DeviceSpec[] = [
  { name: 'line3-press-01', csr: LINE3_PRESS_01_CSR },
  { name: 'line3-press-02', csr: LINE3_PRESS_02_CSR },
];

/** What line 3 ran on: its own devices, its own telemetry pipeline and data lake, its quality records. */
export class ProductionLine extends Construct {
  public readonly fleet: IipDeviceFleet;
  public readonly telemetry: IipTelemetryPipeline;
  public readonly qualityRecords: IipSecureBucket;

  constructor(scope: Construct, id: string, devices: DeviceSpec[]) {
    super(scope, id);
    this.fleet = new IipDeviceFleet(this, 'Devices', {
      devices,
      topicPrefix: 'line3',
      // The platform's own fleet owns the account's IoT logging and Device Defender audit.
      enableAccountLogging: false,
      enableDeviceDefenderAudit: false,
      owner: 'line-3',
    });
    // Like the platform, the line keeps telemetry in its stream and data lake (Timestream for LiveAnalytics is closed to new customers).
    this.telemetry = new IipTelemetryPipeline(this, 'Telemetry', { topicFilter: 'line3/+/telemetry/#', enableTimestream: false, owner: 'line-3' });
    this.qualityRecords = new IipSecureBucket(this, 'QualityRecords', { owner: 'line-3' });
  }
}

export interface RetireALine {
  readonly app: App;
  readonly platform: IipPlatform;
  readonly lineStack: Stack;
  readonly line: ProductionLine;
  /** The retirement companion; undefined with `retire: false` (the line as it ran). */
  readonly retirement?: IipLineRetirement;
  readonly srmIipChecks: SrmIipChecks;
}

export interface RetireALineOptions {
  /** The app to build into. @default - a new app with RETIRE_A_LINE_CONTEXT */
  readonly app?: App;
  /** Build the line in its retirement form. @default true */
  readonly retire?: boolean;
}

/** Build the plant: its platform, line 3's stack, line 3's retirement, and the three packs. Nothing is synthesized here. */
export function buildRetireALine(options: RetireALineOptions = {}): RetireALine {
  const app = options.app ?? new App({ context: RETIRE_A_LINE_CONTEXT });
  const platform = new IipPlatform(app, 'Plant', {
    platformName: 'plant-bremen',
    env: RETIRE_A_LINE_ENV,
    owner: 'plant-ot-security',
  });
  const lineStack = new Stack(app, 'Line3', {
    env: RETIRE_A_LINE_ENV,
    stackName: 'plant-bremen-line-3',
    description: 'Production line 3 of plant Bremen: its devices, telemetry and quality records',
  });
  lineStack.addStackDependency(platform.edgeStack, "the line's devices rely on the platform fleet's IoT logging and Device Defender audit");
  const line = new ProductionLine(lineStack, 'Line', LINE_3_DEVICES);

  let retirement: IipLineRetirement | undefined;
  if (options.retire ?? true) {
    retirement = new IipLineRetirement(lineStack, 'Retirement', {
      retiredOn: LINE_3_RETIRED_ON,
      deviceFleets: [line.fleet],
      telemetryPipelines: [line.telemetry],
      dataBuckets: [line.qualityRecords.bucket],
      // The keys of line 3's data only: its telemetry key and its quality records' key. The log key stays.
      keys: [line.telemetry.encryptionKey, line.qualityRecords.encryptionKey],
      // Quality records stay readable 90 days after the last part, for the final audit.
      dataExpirationDays: 90,
      owner: 'line-3',
    });
  }

  const srmIipChecks = new SrmIipChecks(app, platform.checkOptions);
  Validations.of(app).addPlugins(srmIipChecks, new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  return { app, platform, lineStack, line, retirement, srmIipChecks };
}

if (require.main === module) {
  buildRetireALine().app.synth();
}
