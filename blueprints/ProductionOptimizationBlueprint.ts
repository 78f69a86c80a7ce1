import { Duration, Token } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IipSecureBucket } from '../constructs/IipSecureBucket';
import { Conduit, ConduitProtocol, ZoneSpec } from '../constructs/network/zones';
import { acknowledgeWildcard } from '../constructs/private/annotations';
import { applyIipTags } from '../constructs/tagging';
import { validateRange } from '../constructs/private/validate';
import { SecurityDomain } from '../rules/catalog/types';
import { SrmIipError } from '../rules/errors';
import { IipPlatform, IipPlatformProps } from './IipPlatform';

/** Days Athena query results are kept when none is given. */
export const DEFAULT_QUERY_RESULT_RETENTION_DAYS = 30;
/** Bytes one query may scan when no limit is given (10 GiB). */
export const DEFAULT_BYTES_SCANNED_CUTOFF_PER_QUERY = 10 * 1024 ** 3;
/** Prefix of the data lake under which the platform's telemetry pipeline writes. */
export const TELEMETRY_DATA_PREFIX = 'telemetry/data/';

/**
 * The zones of a production-optimization platform: device connectivity (edge),
 * ingestion and processing (platform, with the VPC endpoints) and the stores
 * (data). No application or internet-facing zone: nothing outside the plant
 * reaches the platform.
 */
export function productionOptimizationZones(): ZoneSpec[] {
  return [
    { name: 'edge', domain: SecurityDomain.EDGE },
    { name: 'platform', domain: SecurityDomain.PLATFORM },
    { name: 'data', domain: SecurityDomain.PLATFORM, isolated: true },
  ];
}

/** The conduits of a production-optimization platform: edge → platform, then platform → data. Nothing flows outwards. */
export function productionOptimizationConduits(): Conduit[] {
  const tcp = ConduitProtocol.TCP;
  return [
    { from: 'edge', to: 'platform', protocol: tcp, fromPort: 8883, description: 'edge gateways to platform brokers (MQTT over TLS)' },
    { from: 'edge', to: 'platform', protocol: tcp, fromPort: 443, description: 'edge gateways to platform APIs and the VPC endpoints (HTTPS)' },
    { from: 'platform', to: 'data', protocol: tcp, fromPort: 5432, description: 'platform services to PostgreSQL stores (TLS)' },
  ];
}

export interface ProductionOptimizationBlueprintProps extends IipPlatformProps {
  /**
   * Days Athena query results are kept before they expire, 1..3650.
   * @default 30
   * @see SRM-IIP-OPS-07
   */
  readonly queryResultRetentionDays?: number;
  /**
   * Bytes one Athena query may scan before Athena cancels it (at least 10 MiB), a guard against
   * runaway queries over years of telemetry.
   * @default 10 GiB
   * @see SRM-IIP-SYS-07
   */
  readonly bytesScannedCutoffPerQuery?: number;
}

/**
 * Production optimization (SRM-IIP 7.4): device telemetry from the plant lines
 * flows into analytics, and nothing else reaches the platform.
 *
 * On top of IipPlatform it
 * - keeps the network to the edge, platform and data zones, with conduits only
 *   edge → platform and platform → data: no internet-facing zone, no internet
 *   gateway, no application zone;
 * - has no API ingress and no partner access (asking for either is an error);
 * - adds an analytics workspace in the application stack: an Athena workgroup
 *   that enforces its configuration, encrypts results with a customer-managed
 *   key and caps the bytes a query scans; a results bucket whose results
 *   expire; a Glue database for the telemetry tables; and an analyst role that
 *   may read only the telemetry prefix of the data lake and query in that workgroup.
 */
export class ProductionOptimizationBlueprint extends IipPlatform {
  /** Query results of the workgroup (an IipSecureBucket; results expire). */
  public readonly analyticsResults: IipSecureBucket;
  /** The Athena workgroup of the analysts. */
  public readonly workGroup: athena.CfnWorkGroup;
  /** The Glue database that holds the telemetry tables. */
  public readonly telemetryDatabase: glue.CfnDatabase;
  /** The role analysts assume (from the account's IAM or SSO) to query telemetry. */
  public readonly analystRole: iam.Role;

  constructor(scope: Construct, id: string, props: ProductionOptimizationBlueprintProps = {}) {
    const path = [scope.node.path, id].filter((p) => p).join('/');
    validateScenario(path, props);
    super(scope, id, {
      ...props,
      enableApiIngress: false,
      zones: props.zones ?? productionOptimizationZones(),
      conduits: props.conduits ?? productionOptimizationConduits(),
    });
    const resultDays = props.queryResultRetentionDays ?? DEFAULT_QUERY_RESULT_RETENTION_DAYS;
    validateRange(this, 'queryResultRetentionDays', resultDays, 1, 3650);
    const cutoff = props.bytesScannedCutoffPerQuery ?? DEFAULT_BYTES_SCANNED_CUTOFF_PER_QUERY;
    if (!Token.isUnresolved(cutoff) && (!Number.isInteger(cutoff) || cutoff < 10_485_760)) {
      throw new SrmIipError(`bytesScannedCutoffPerQuery must be a whole number of bytes, at least 10485760 (10 MiB, Athena's minimum), got ${cutoff}`, this.node.path);
    }

    const app = this.applicationStack;
    // Analytics is the application of this scenario: it lives in the application stack, in its own construct.
    const analytics = new Construct(app, 'Analytics');
    applyIipTags(analytics, { owner: props.owner }, 'application');

    // ------------------------------------------------------------ results bucket
    this.analyticsResults = new IipSecureBucket(analytics, 'Results', {
      zone: 'application',
      owner: props.owner,
      lifecycleRules: [{ id: 'srm-iip-expire-query-results', enabled: true, expiration: Duration.days(resultDays) }],
    });
    const resultsKey = this.analyticsResults.encryptionKey;

    // ------------------------------------------------------------ workgroup and catalog
    const name = `${this.platformName}-analytics`;
    this.workGroup = new athena.CfnWorkGroup(analytics, 'WorkGroup', {
      name,
      description: `SRM-IIP production optimization: telemetry analytics of platform '${this.platformName}'`,
      state: 'ENABLED',
      workGroupConfiguration: {
        // Clients cannot override the output location or the encryption.
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: cutoff,
        resultConfiguration: {
          outputLocation: this.analyticsResults.bucket.s3UrlForObject('results/'),
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: resultsKey.keyArn },
        },
      },
    });
    const databaseName = `${this.platformName.replace(/-/g, '_')}_telemetry`;
    this.telemetryDatabase = new glue.CfnDatabase(analytics, 'TelemetryDatabase', {
      catalogId: app.account,
      databaseInput: {
        name: databaseName,
        description: `Telemetry tables over s3://<data lake>/${TELEMETRY_DATA_PREFIX} of platform '${this.platformName}'`,
        locationUri: this.dataLake.bucket.s3UrlForObject(TELEMETRY_DATA_PREFIX),
      },
    });

    // ------------------------------------------------------------ the analyst role
    this.analystRole = new iam.Role(analytics, 'AnalystRole', {
      description: `SRM-IIP production optimization analysts of '${this.platformName}': query telemetry in workgroup ${name}`,
      // The account's IAM (an SSO permission set, a federated group) decides who may assume it.
      assumedBy: new iam.AccountPrincipal(app.account),
      maxSessionDuration: Duration.hours(1),
    });
    const region = app.region;
    const catalogArn = app.formatArn({ service: 'glue', resource: 'catalog' });
    const databaseArn = app.formatArn({ service: 'glue', resource: 'database', resourceName: databaseName });
    const tablesArn = app.formatArn({ service: 'glue', resource: 'table', resourceName: `${databaseName}/*` });
    // An export with a fixed name, so the acknowledgement below can name the imported ARN.
    const dataLakeArn = this.platformStack.exportValue(this.dataLake.bucket.bucketArn, { name: `${this.platformName}-platform-AnalyticsDataLakeArn` });
    const telemetryObjects = `${dataLakeArn}/${TELEMETRY_DATA_PREFIX}*`;
    const resultObjects = this.analyticsResults.bucket.arnForObjects('results/*');
    const viaS3 = { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } };
    const policy = new iam.ManagedPolicy(analytics, 'AnalystPolicy', {
      description: `SRM-IIP analysts of '${this.platformName}': Athena in ${name}, the telemetry tables, the telemetry prefix of the data lake, their results`,
      roles: [this.analystRole],
      statements: [
        new iam.PolicyStatement({
          sid: 'Queries',
          actions: ['athena:StartQueryExecution', 'athena:StopQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:ListQueryExecutions', 'athena:GetWorkGroup'],
          resources: [app.formatArn({ service: 'athena', resource: 'workgroup', resourceName: name })],
        }),
        new iam.PolicyStatement({
          sid: 'TelemetryTables',
          actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'glue:CreateTable', 'glue:UpdateTable'],
          resources: [catalogArn, databaseArn, tablesArn],
        }),
        new iam.PolicyStatement({
          sid: 'ListTelemetry',
          actions: ['s3:ListBucket', 's3:GetBucketLocation'],
          resources: [dataLakeArn],
          conditions: { StringLike: { 's3:prefix': [`${TELEMETRY_DATA_PREFIX}*`] } },
        }),
        new iam.PolicyStatement({ sid: 'ReadTelemetry', actions: ['s3:GetObject'], resources: [telemetryObjects] }),
        new iam.PolicyStatement({ sid: 'DecryptTelemetry', actions: ['kms:Decrypt'], resources: [this.dataLake.encryptionKey.keyArn], conditions: viaS3 }),
        new iam.PolicyStatement({ sid: 'ResultsBucket', actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: [this.analyticsResults.bucket.bucketArn] }),
        new iam.PolicyStatement({ sid: 'Results', actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'], resources: [resultObjects] }),
        new iam.PolicyStatement({ sid: 'ResultsKey', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [resultsKey.keyArn], conditions: viaS3 }),
      ],
    });
    acknowledgeWildcard(policy, tablesArn, `Analysts create and read the telemetry tables of database ${databaseName} only; Glue table ARNs name each table, and the tables are defined by the analysts (one per device type or line)`);
    acknowledgeWildcard(policy, telemetryObjects, `Firehose names the telemetry objects by delivery time under ${TELEMETRY_DATA_PREFIX}; the analysts read that prefix of the data lake only, nothing else in it`);
    acknowledgeWildcard(policy, resultObjects, `Athena names each query's result object by its query ID under results/; the role reads and writes only that prefix of the results bucket`);
  }
}

/** The scenario's own limits, checked before the platform is built. */
function validateScenario(path: string, props: ProductionOptimizationBlueprintProps): void {
  const fail = (msg: string): never => {
    throw new SrmIipError(msg, path);
  };
  if (props.enableApiIngress === true) {
    fail('enableApiIngress must be false or unset for production optimization, got true: telemetry flows from the edge into the platform and no application entry point exists; use ProductCustomizationBlueprint for a customer-facing API');
  }
  if ((props.partners ?? []).length > 0) {
    fail(`partners must be empty for production optimization, got ${props.partners!.length} partner(s); use TransnationalCooperationBlueprint for partner access`);
  }
  const zones = props.zones ?? productionOptimizationZones();
  const domainOf = new Map(zones.map((z) => [z.name, z.domain]));
  zones.forEach((z, i) => {
    if (z.internetFacing) fail(`zones[${i}] '${z.name}' is internet-facing; production optimization has no internet entry point, allowed: zones of the edge and platform domains that are not internet-facing`);
    if (z.domain !== SecurityDomain.EDGE && z.domain !== SecurityDomain.PLATFORM) {
      fail(`zones[${i}] '${z.name}' is in the ${z.domain} domain; production optimization allows zones of the edge and platform domains only`);
    }
  });
  (props.conduits ?? productionOptimizationConduits()).forEach((c, i) => {
    const from = domainOf.get(c.from);
    const to = domainOf.get(c.to);
    if (from === undefined || to === undefined) return; // IipNetwork names the undeclared zone
    const ok = (from === SecurityDomain.EDGE && to === SecurityDomain.PLATFORM) || (from === SecurityDomain.PLATFORM && to === SecurityDomain.PLATFORM);
    if (!ok) {
      fail(`conduits[${i}] '${c.from}' → '${c.to}' flows from the ${from} domain to the ${to} domain; production optimization allows edge → platform and platform → platform conduits only`);
    }
  });
}
