import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { createSecureKey } from '../constructs/defaults/kms-defaults';
import { IipSecureBucket } from '../constructs/IipSecureBucket';
import { acknowledgeWildcard } from '../constructs/private/annotations';
import { applyIipTags } from '../constructs/tagging';
import { SrmIipError } from '../rules/errors';
import { IipPlatform, IipPlatformProps } from './IipPlatform';

/** Prefix of the exchange bucket under which each partner has its own folder. */
export const PARTNER_EXCHANGE_PREFIX = 'partners/';

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

export interface TransnationalCooperationBlueprintProps extends IipPlatformProps {
  /**
   * A second allowed region that keeps a replica of the partner exchange (disaster recovery
   * without leaving the agreed jurisdictions). Must be one of `allowedRegions` and differ from
   * `env.region`; needs a literal `env.account` (the replica bucket is named after it).
   * @default - no replica
   * @see SRM-IIP-MGT-03
   */
  readonly replicaRegion?: string;
}

/**
 * Transnational cooperation (SRM-IIP 7.4): partners in other jurisdictions work
 * with the plant's data, which never leaves the agreed regions.
 *
 * On top of IipPlatform (with named `partners` and explicit `allowedRegions`) it adds:
 * - data residency as a stated decision: `allowedRegions` is required, every
 *   stack (the replica's included) sits in one of them (SRM-IIP-MGT-03), and
 *   each partner role's region guard denies requests to other regions;
 * - partner roles with external IDs that must differ per partner (SRM-IIP-ACC-08);
 * - a partner exchange bucket in the application stack: each partner reads and
 *   writes only its own folder `partners/<name>/`;
 * - with `replicaRegion`, a replica stack in that second allowed region holding
 *   the replica bucket and its key, and replication of the exchange to it only:
 *   the destination is checked against `allowedRegions` at construction and by
 *   the kit's pack at synthesis (SRM-IIP-MGT-03).
 */
export class TransnationalCooperationBlueprint extends IipPlatform {
  /** Files exchanged with the partners, one folder per partner. */
  public readonly exchange: IipSecureBucket;
  /** The stack of the replica (in `replicaRegion`); undefined without a replica. */
  public readonly replicaStack?: Stack;
  /** The replica of the exchange; undefined without a replica. */
  public readonly replica?: IipSecureBucket;
  private readonly exchangePolicies = new Map<string, iam.ManagedPolicy>();

  constructor(scope: Construct, id: string, props: TransnationalCooperationBlueprintProps = {}) {
    const path = [scope.node.path, id].filter((p) => p).join('/');
    validateScenario(path, props);
    super(scope, id, props);

    const app = this.applicationStack;
    const exchangeScope = new Construct(app, 'PartnerExchange');
    applyIipTags(exchangeScope, { owner: props.owner }, 'application');

    // ------------------------------------------------------------ the replica, in a second allowed region (MGT-03)
    let replicationDestinations;
    if (props.replicaRegion !== undefined) {
      const account = app.account;
      const replicaName = `${this.platformName}-exchange-replica-${account}-${props.replicaRegion}`;
      const aliasName = `alias/${this.platformName}-exchange-replica`;
      this.replicaStack = new Stack(this, 'Replica', {
        env: { account, region: props.replicaRegion },
        stackName: `${this.platformName}-replica`,
        description: `Replica of the partner exchange in ${props.replicaRegion} (SRM-IIP platform '${this.platformName}')`,
      });
      this.replicaStack.addStackDependency(this.securityStack, 'the audit trail and monitoring are in place before data is replicated');
      const replicaScope = new Construct(this.replicaStack, 'PartnerExchangeReplica');
      applyIipTags(replicaScope, { owner: props.owner }, 'application');
      const replicaKey = createSecureKey(replicaScope, 'Key', `SRM-IIP replica of the partner exchange of '${this.platformName}'`);
      replicaKey.addAlias(aliasName);
      this.replica = new IipSecureBucket(replicaScope, 'Bucket', {
        bucketName: replicaName,
        encryptionKey: replicaKey,
        allowedRegions: this.allowedRegions,
        owner: props.owner,
        zone: 'application',
      });
      // The application stack replicates into it: deploy the replica first.
      app.addStackDependency(this.replicaStack, 'the exchange replicates into the replica bucket');
      // Referenced by name and alias, not by cross-region export (which would need custom-resource Lambdas).
      replicationDestinations = [
        {
          bucket: s3.Bucket.fromBucketArn(exchangeScope, 'ReplicaBucket', `arn:${app.partition}:s3:::${replicaName}`),
          region: props.replicaRegion,
          encryptionKey: kms.Key.fromKeyArn(exchangeScope, 'ReplicaKey', `arn:${app.partition}:kms:${props.replicaRegion}:${account}:${aliasName}`),
        },
      ];
    }

    // ------------------------------------------------------------ the exchange
    this.exchange = new IipSecureBucket(exchangeScope, 'Bucket', {
      allowedRegions: this.allowedRegions,
      replicationDestinations,
      owner: props.owner,
      zone: 'application',
    });
    if (this.replica && this.exchange.replicationRole) {
      // KMS authorizes by key ARN, which the source stack cannot know; the alias pins the one key.
      const replicaKeys = `arn:${app.partition}:kms:${props.replicaRegion}:${app.account}:key/*`;
      const aliasPolicy = new iam.ManagedPolicy(exchangeScope, 'ReplicaKeyPolicy', {
        description: `S3 replication of the partner exchange: encrypt replicas with the key aliased alias/${this.platformName}-exchange-replica in ${props.replicaRegion}`,
        roles: [this.exchange.replicationRole],
        statements: [
          new iam.PolicyStatement({
            sid: 'EncryptReplicasWithAliasedKey',
            actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
            resources: [replicaKeys],
            conditions: {
              'ForAnyValue:StringEquals': { 'kms:ResourceAliases': `alias/${this.platformName}-exchange-replica` },
              StringEquals: { 'kms:ViaService': `s3.${props.replicaRegion}.amazonaws.com` },
            },
          }),
        ],
      });
      acknowledgeWildcard(
        aliasPolicy,
        replicaKeys,
        `The replica key lives in ${props.replicaRegion} and its ARN exists only after that stack is deployed; the statement is limited to the one key carrying alias alias/${this.platformName}-exchange-replica (kms:ResourceAliases) used through S3 in that region`,
      );
    }

    // ------------------------------------------------------------ each partner: its own folder
    for (const p of props.partners ?? []) {
      const folder = `${PARTNER_EXCHANGE_PREFIX}${p.name}/`;
      const objects = this.exchange.bucket.arnForObjects(`${folder}*`);
      const policy = new iam.ManagedPolicy(exchangeScope, `${p.name}Exchange`, {
        description: `SRM-IIP partner ${p.name}: read and write ${folder} of the partner exchange`,
        roles: [this.partnerAccess!.role(p.name)],
        statements: [
          new iam.PolicyStatement({ sid: 'ListOwnFolder', actions: ['s3:ListBucket'], resources: [this.exchange.bucket.bucketArn], conditions: { StringLike: { 's3:prefix': [`${folder}*`] } } }),
          new iam.PolicyStatement({ sid: 'OwnFolder', actions: ['s3:GetObject', 's3:PutObject'], resources: [objects] }),
          new iam.PolicyStatement({
            sid: 'ExchangeKeyThroughS3',
            actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
            resources: [this.exchange.encryptionKey.keyArn],
            conditions: { StringEquals: { 'kms:ViaService': `s3.${app.region}.amazonaws.com` } },
          }),
        ],
      });
      acknowledgeWildcard(policy, objects, `Partner ${p.name} reads and writes only the objects under its own folder ${folder} of the exchange; S3 object ARNs under a prefix need the trailing wildcard`);
      this.exchangePolicies.set(p.name, policy);
    }
  }

  /** The managed policy that gives a partner its folder of the exchange. Throws for an unknown partner. */
  public exchangePolicy(partnerName: string): iam.ManagedPolicy {
    const policy = this.exchangePolicies.get(partnerName);
    if (!policy) throw new SrmIipError(`no partner '${partnerName}'; the partners are ${[...this.exchangePolicies.keys()].join(', ')}`, this.node.path);
    return policy;
  }
}

function validateScenario(path: string, props: TransnationalCooperationBlueprintProps): void {
  const fail = (msg: string): never => {
    throw new SrmIipError(msg, path);
  };
  const partners = props.partners ?? [];
  if (partners.length === 0) fail('partners must name at least one partner account for transnational cooperation, got []');
  if (props.allowedRegions === undefined) {
    fail('allowedRegions must be given for transnational cooperation: name the regions the data may live in (data residency, SRM-IIP-MGT-03), got none');
  }
  const seen = new Map<string, number>();
  partners.forEach((p, i) => {
    if (Token.isUnresolved(p.externalId)) return;
    const first = seen.get(p.externalId);
    if (first !== undefined) fail(`partners[${i}].externalId repeats partners[${first}].externalId; each partner needs its own external ID (SRM-IIP-ACC-08), got '${p.externalId}' twice`);
    seen.set(p.externalId, i);
  });
  const replica = props.replicaRegion;
  if (replica === undefined) return;
  if (Token.isUnresolved(replica) || !REGION.test(replica)) fail(`replicaRegion must be a literal AWS region name such as eu-west-1, got '${replica}'`);
  if (!props.allowedRegions!.includes(replica)) fail(`replicaRegion '${replica}' is not one of allowedRegions [${props.allowedRegions!.join(', ')}]; replicas stay inside the allowed regions (SRM-IIP-MGT-03)`);
  const region = props.env?.region;
  if (region === undefined || Token.isUnresolved(region)) fail('replicaRegion needs a literal env.region: the replica must be in another region than the platform, got none');
  if (replica === region) fail(`replicaRegion must differ from env.region '${region}': a replica in the same region adds no resilience, got '${replica}'`);
  const account = props.env?.account;
  if (account === undefined || Token.isUnresolved(account)) fail('replicaRegion needs a literal env.account: the replica bucket is named after the account, got none');
}
