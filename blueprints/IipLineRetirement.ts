import { Annotations, Duration, RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { IipDeviceFleet } from '../constructs/IipDeviceFleet';
import { IipEdgeGateway } from '../constructs/IipEdgeGateway';
import { IipTelemetryPipeline } from '../constructs/IipTelemetryPipeline';
import { timestreamRetention } from '../constructs/defaults/stream-defaults';
import { validateRange } from '../constructs/private/validate';
import { applyIipTags, IipTaggingProps } from '../constructs/tagging';
import { LifecycleStage } from '../rules/catalog/types';
import { TAG_STAGE } from '../rules/engine/zones';
import { SrmIipError } from '../rules/errors';

/** What a retired device certificate becomes (SRM-IIP-OPS-07). */
export enum RetiredCertificateStatus {
  /** Final: AWS IoT never accepts the certificate again. */
  REVOKED = 'REVOKED',
  /** Reversible: the certificate can be activated again, e.g. for a line that is only mothballed. */
  INACTIVE = 'INACTIVE',
}

/** Days S3 lifecycle may take after an expiry date to actually remove objects (it runs asynchronously). */
export const S3_LIFECYCLE_LAG_DAYS = 2;
/** Data of a retired line is kept this many days by default before it expires. */
export const DEFAULT_RETIREMENT_EXPIRATION_DAYS = 30;
/** Kinesis' shortest retention, the default for retired streams. */
export const DEFAULT_RETIRED_STREAM_RETENTION_HOURS = 24;
/** ID of the lifecycle rule that expires a retired bucket's data. */
export const RETIREMENT_EXPIRY_RULE_ID = 'srm-iip-retirement-expiry';
/** ID of the lifecycle rule that removes the delete markers left once every version is gone. */
export const RETIREMENT_MARKER_RULE_ID = 'srm-iip-retirement-delete-markers';

export interface IipLineRetirementProps extends IipTaggingProps {
  /**
   * The day the line stopped producing data (`YYYY-MM-DD`, UTC). Every expiry date is counted from it.
   * @see SRM-IIP-OPS-07
   */
  readonly retiredOn: string;
  /**
   * Device fleets of the line. Each declared device certificate that is still active becomes
   * `certificateStatus` (a certificate already `REVOKED` stays so), the fleet-provisioning
   * template is disabled, and the fleet is tagged `srm-iip:stage=retirement`. Certificates that
   * fleet provisioning created at run time are not CloudFormation resources: revoke them with
   * the runbook in the documentation.
   * @default - no fleet is retired
   * @see SRM-IIP-OPS-07
   */
  readonly deviceFleets?: IipDeviceFleet[];
  /**
   * Edge gateways of the line: the certificate of each declared Greengrass core device that is
   * still active becomes `certificateStatus`, and the gateway is tagged `srm-iip:stage=retirement`.
   * @default - no gateway is retired
   * @see SRM-IIP-OPS-07
   */
  readonly edgeGateways?: IipEdgeGateway[];
  /**
   * Status of the retired certificates.
   * @default RetiredCertificateStatus.REVOKED
   * @see SRM-IIP-OPS-07
   */
  readonly certificateStatus?: RetiredCertificateStatus;
  /**
   * Telemetry pipelines of the line: the topic rule is disabled (no more data comes in), the
   * Kinesis stream keeps records `streamRetentionHours`, the Timestream table the shortest
   * retention (1 hour in memory, 1 day on magnetic storage), and the data lake bucket the
   * pipeline created expires like `dataBuckets`. A data lake bucket the pipeline was given may
   * hold other lines' data and is left alone (reported as a warning). The pipeline's keys are
   * not scheduled for deletion unless listed in `keys`.
   * @default - no pipeline is retired
   * @see SRM-IIP-OPS-07
   */
  readonly telemetryPipelines?: IipTelemetryPipeline[];
  /**
   * Buckets that hold only the line's data. Each gets a lifecycle rule that expires current
   * versions and noncurrent versions `dataExpirationDays` after they were written or superseded
   * and aborts incomplete multipart uploads after 1 day, and a rule that removes the expired
   * delete markers that remain.
   * @default - no further bucket is retired
   * @see SRM-IIP-OPS-07
   */
  readonly dataBuckets?: s3.Bucket[];
  /**
   * Kinesis streams that carry only the line's data; each keeps records `streamRetentionHours`.
   * @default - no further stream is retired
   * @see SRM-IIP-OPS-07
   */
  readonly streams?: kinesis.Stream[];
  /**
   * Days the line's data is kept before it expires (current versions after this many days,
   * noncurrent versions this many days after they were superseded), 1..3650.
   * @default 30
   * @see SRM-IIP-OPS-07
   */
  readonly dataExpirationDays?: number;
  /**
   * Hours the retired Kinesis streams keep records, 24..168.
   * @default 24
   * @see SRM-IIP-OPS-07
   */
  readonly streamRetentionHours?: number;
  /**
   * Customer-managed keys of this app that protect only the retired data. They are kept until
   * `keysDeletableAfter`, then deleted when the stack removes them: they are tagged
   * `srm-iip:stage=retirement`, get `RemovalPolicy.DESTROY` and the explicit waiting period
   * `keyPendingWindowDays`. A key shared with live data must not be listed.
   * @default - no key is scheduled for deletion; every key stays retained
   * @see SRM-IIP-SYS-08
   */
  readonly keys?: kms.IKey[];
  /**
   * Waiting period KMS keeps a retired key after the stack removed it, 7..30 days; the deletion
   * can still be cancelled during it.
   * @default 30
   * @see SRM-IIP-SYS-08
   */
  readonly keyPendingWindowDays?: number;
  /**
   * First day (`YYYY-MM-DD`) the retired keys may be removed from the stack. It may not be
   * earlier than the day the last of the retired data is gone.
   * @default - the day the last retired data is gone: `retiredOn` + the longest retention of the
   * retired stores (for buckets: expiry of the current version, then of the noncurrent version,
   * and any object-lock retention) + 2 days for S3 lifecycle to run
   * @see SRM-IIP-SYS-08
   */
  readonly keysDeletableAfter?: string;
}

/**
 * The retirement stage of a production line or plant (SRM-IIP 7.3): a companion
 * that takes the line's parts and turns them into their retirement form.
 * Device certificates are revoked, ingestion stops, stored data expires with
 * its old versions, streams and tables keep data as briefly as the service
 * allows, and the keys of the retired data are kept until that data is gone,
 * then deleted with an explicit waiting period when the stack removes them.
 * Everything it retires is tagged `srm-iip:stage=retirement`.
 *
 * It creates no resources of its own; it changes the parts it is given, in
 * their own stacks.
 */
export class IipLineRetirement extends Construct {
  /** The day the line stopped producing data. */
  public readonly retiredOn: string;
  /** The day the last retired data is gone (S3 lifecycle lag included). */
  public readonly dataGoneAfter: string;
  /** First day the retired keys may be removed from their stack. */
  public readonly keysDeletableAfter: string;
  /** Certificates deactivated by this companion (declared devices of the fleets, core devices of the gateways). */
  public readonly retiredCertificates: iot.CfnCertificate[] = [];
  /** Buckets whose data expires. */
  public readonly retiredBuckets: s3.Bucket[] = [];
  /** Streams whose retention was cut. */
  public readonly retiredStreams: kinesis.Stream[] = [];
  /** Keys scheduled for deletion when their stack removes them. */
  public readonly retiredKeys: kms.Key[] = [];

  constructor(scope: Construct, id: string, props: IipLineRetirementProps) {
    super(scope, id);
    props = props ?? ({} as IipLineRetirementProps);

    // ------------------------------------------------------------ validation
    const retiredOn = parseDay(this, 'retiredOn', props.retiredOn);
    const expirationDays = props.dataExpirationDays ?? DEFAULT_RETIREMENT_EXPIRATION_DAYS;
    validateRange(this, 'dataExpirationDays', expirationDays, 1, 3650);
    const streamHours = props.streamRetentionHours ?? DEFAULT_RETIRED_STREAM_RETENTION_HOURS;
    validateRange(this, 'streamRetentionHours', streamHours, 24, 168);
    const windowDays = props.keyPendingWindowDays ?? 30;
    validateRange(this, 'keyPendingWindowDays', windowDays, 7, 30);
    if (props.lifecycleStage !== undefined && props.lifecycleStage !== LifecycleStage.RETIREMENT) {
      throw new SrmIipError(`lifecycleStage must be LifecycleStage.RETIREMENT or unset for a retirement companion, got '${props.lifecycleStage}'`, this.node.path);
    }
    const status = props.certificateStatus ?? RetiredCertificateStatus.REVOKED;
    if (!Object.values(RetiredCertificateStatus).includes(status)) {
      throw new SrmIipError(`certificateStatus must be one of ${Object.values(RetiredCertificateStatus).join(', ')}, got '${String(status)}'`, this.node.path);
    }
    const fleets = props.deviceFleets ?? [];
    const gateways = props.edgeGateways ?? [];
    const pipelines = props.telemetryPipelines ?? [];
    const buckets = props.dataBuckets ?? [];
    const streams = props.streams ?? [];
    const keys = props.keys ?? [];
    if (fleets.length + gateways.length + pipelines.length + buckets.length + streams.length + keys.length === 0) {
      throw new SrmIipError('nothing to retire: give at least one of deviceFleets, edgeGateways, telemetryPipelines, dataBuckets, streams or keys', this.node.path);
    }
    keys.forEach((k, i) => {
      if (!(k instanceof kms.Key)) {
        throw new SrmIipError(`keys[${i}] (${k.node.path}) is not a key this app creates; an imported key is scheduled for deletion by the stack or account that owns it`, this.node.path);
      }
    });
    noDuplicates(this, 'deviceFleets', fleets);
    noDuplicates(this, 'edgeGateways', gateways);
    noDuplicates(this, 'telemetryPipelines', pipelines);
    noDuplicates(this, 'dataBuckets', buckets);
    noDuplicates(this, 'streams', streams);
    noDuplicates(this, 'keys', keys);

    // ------------------------------------------------------------ what is retired, and until when data lives
    const allBuckets = [...buckets];
    const bucketNames = buckets.map((_, i) => `dataBuckets[${i}]`);
    const allStreams = [...streams];
    for (const [i, p] of pipelines.entries()) {
      if (p.dataLake) {
        if (!allBuckets.includes(p.dataLake.bucket)) {
          allBuckets.push(p.dataLake.bucket);
          bucketNames.push(`the data lake of telemetryPipelines[${i}]`);
        }
      } else {
        Annotations.of(this).addWarningV2(
          `srm-iip:retirement-shared-data-lake-${i}`,
          `SRM-IIP-OPS-07: telemetryPipelines[${i}] (${p.node.path}) writes into a data lake bucket it did not create (${p.dataLakeBucket.node.path}), which may hold other lines' data; its telemetry objects are not expired by this companion. Add a lifecycle rule for the pipeline's prefix to that bucket, or list the bucket in dataBuckets if it holds only this line's data`,
        );
      }
      if (!allStreams.includes(p.stream)) allStreams.push(p.stream);
    }
    // The last day any retired store may still hold data.
    let lastDataDays = 0;
    for (const [i, b] of allBuckets.entries()) {
      const lockDays = objectLockDays(this, bucketNames[i], b);
      // Current versions expire, become noncurrent, then expire in turn; locked versions wait for their lock.
      lastDataDays = Math.max(lastDataDays, Math.max(expirationDays, lockDays) + expirationDays + S3_LIFECYCLE_LAG_DAYS);
    }
    if (allStreams.length > 0) lastDataDays = Math.max(lastDataDays, Math.ceil(streamHours / 24));
    if (pipelines.some((p) => p.timestreamTable)) lastDataDays = Math.max(lastDataDays, 1);
    this.retiredOn = props.retiredOn;
    this.dataGoneAfter = formatDay(addDays(retiredOn, lastDataDays));
    if (props.keysDeletableAfter !== undefined) {
      const asked = parseDay(this, 'keysDeletableAfter', props.keysDeletableAfter);
      if (asked < addDays(retiredOn, lastDataDays)) {
        throw new SrmIipError(
          `keysDeletableAfter '${props.keysDeletableAfter}' is before the retired data is gone; the keys protect it until ${this.dataGoneAfter} (retiredOn ${props.retiredOn} + ${lastDataDays} days: ${explainDays(allBuckets.length > 0, expirationDays)}), so choose ${this.dataGoneAfter} or later`,
          this.node.path,
        );
      }
      this.keysDeletableAfter = props.keysDeletableAfter;
    } else {
      this.keysDeletableAfter = this.dataGoneAfter;
    }

    // ------------------------------------------------------------ tags (MGT-02): everything retired says so
    applyIipTags(this, { ...props, lifecycleStage: LifecycleStage.RETIREMENT }, 'platform');
    const markRetired = (c: IConstruct) => Tags.of(c).add(TAG_STAGE, LifecycleStage.RETIREMENT, { priority: 300 });

    // ------------------------------------------------------------ device certificates (OPS-07)
    const retireCertificates = (certs: readonly iot.CfnCertificate[]) => {
      for (const cert of certs) {
        // REVOKED is final in AWS IoT: never turn it back into INACTIVE.
        if (cert.status !== RetiredCertificateStatus.REVOKED) cert.status = status;
        this.retiredCertificates.push(cert);
      }
    };
    for (const fleet of fleets) {
      retireCertificates(fleet.certificates);
      fleet.provisioningTemplate.enabled = false;
      markRetired(fleet);
    }
    for (const gateway of gateways) {
      retireCertificates(gateway.certificates);
      markRetired(gateway);
    }

    // ------------------------------------------------------------ ingestion stops, short retention
    for (const p of pipelines) {
      p.topicRule.addPropertyOverride('TopicRulePayload.RuleDisabled', true);
      if (p.timestreamTable) p.timestreamTable.retentionProperties = timestreamRetention(1, 1);
      markRetired(p);
    }
    for (const s of allStreams) {
      (s.node.defaultChild as kinesis.CfnStream).retentionPeriodHours = streamHours;
      markRetired(s);
      this.retiredStreams.push(s);
    }

    // ------------------------------------------------------------ data expiry and sanitization (OPS-07)
    for (const b of allBuckets) {
      b.addLifecycleRule({
        id: RETIREMENT_EXPIRY_RULE_ID,
        enabled: true,
        expiration: Duration.days(expirationDays),
        noncurrentVersionExpiration: Duration.days(expirationDays),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      });
      // S3 does not allow ExpiredObjectDeleteMarker next to an expiry in days: a rule of its own.
      b.addLifecycleRule({ id: RETIREMENT_MARKER_RULE_ID, enabled: true, expiredObjectDeleteMarker: true });
      markRetired(b);
      this.retiredBuckets.push(b);
    }

    // ------------------------------------------------------------ keys: kept until the data is gone, then deleted (SYS-08)
    for (const k of keys as kms.Key[]) {
      const cfn = k.node.defaultChild as kms.CfnKey;
      cfn.pendingWindowInDays = windowDays;
      k.applyRemovalPolicy(RemovalPolicy.DESTROY);
      cfn.addMetadata('srm-iip:retirement', { retiredOn: this.retiredOn, dataGoneAfter: this.dataGoneAfter, deletableAfter: this.keysDeletableAfter });
      markRetired(k);
      this.retiredKeys.push(k);
    }
    if (keys.length > 0) {
      Annotations.of(this).addWarningV2(
        'srm-iip:retirement-keys',
        `SRM-IIP-SYS-08: ${keys.length} key(s) of the retired data (${keys.map((k) => k.node.path).join(', ')}) are deleted when their stack removes them (RemovalPolicy.DESTROY, ${windowDays}-day waiting period). Remove them, or their stack, on or after ${this.keysDeletableAfter}, when the data they protect has expired; until then keep the stack deployed`,
      );
    }
  }
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A `YYYY-MM-DD` day as a UTC timestamp; a clear error for anything else. */
function parseDay(scope: IConstruct, name: string, value: string | undefined): number {
  if (value !== undefined && Token.isUnresolved(value)) {
    throw new SrmIipError(`${name} must be a literal date YYYY-MM-DD, got a token: expiry dates are computed at synthesis`, scope.node.path);
  }
  const m = value === undefined ? null : DAY.exec(value);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(t) || formatDay(t) !== value) {
    throw new SrmIipError(`${name} must be a date YYYY-MM-DD, got ${value === undefined ? 'none' : `'${value}'`}`, scope.node.path);
  }
  return t;
}

function addDays(t: number, days: number): number {
  return t + days * 86_400_000;
}

function formatDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

function explainDays(buckets: boolean, n: number): string {
  return buckets
    ? `${n} days until current versions expire, ${n} more until the superseded versions expire, ${S3_LIFECYCLE_LAG_DAYS} for S3 lifecycle to run, longer where object lock holds versions`
    : 'the retention of the retired streams and tables';
}

function noDuplicates(scope: IConstruct, name: string, items: readonly IConstruct[]): void {
  items.forEach((x, i) => {
    if (items.indexOf(x) !== i) throw new SrmIipError(`${name}[${i}] (${x.node.path}) is listed twice`, scope.node.path);
  });
}

/** The bucket's object-lock default retention in days (0 without one); locked versions outlive lifecycle expiry. */
function objectLockDays(scope: IConstruct, name: string, bucket: s3.Bucket): number {
  const cfn = bucket.node.defaultChild as s3.CfnBucket;
  if (cfn.objectLockConfiguration === undefined) return 0;
  // The L1 holds the property in CDK's camelCase; an override may have written CloudFormation's PascalCase.
  const lock = Stack.of(bucket).resolve(cfn.objectLockConfiguration) as Record<string, any> | undefined;
  const rule = lock?.rule ?? lock?.Rule;
  const retention = rule?.defaultRetention ?? rule?.DefaultRetention;
  if (retention === undefined) return 0;
  const days: unknown = retention.days ?? retention.Days;
  const years: unknown = retention.years ?? retention.Years;
  if (typeof days === 'number') return days;
  if (typeof years === 'number') return years * 366;
  throw new SrmIipError(
    `${name} (${bucket.node.path}) has an object-lock retention that cannot be read at synthesis; locked versions outlive lifecycle expiry, so give the bucket a literal default retention`,
    scope.node.path,
  );
}
