import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, test } from 'vitest';
import * as kit from '../../index';
import { TransnationalCooperationBlueprint, TransnationalCooperationBlueprintProps } from '../../blueprints/TransnationalCooperationBlueprint';
import { describeViolations, kitControlIds, vagueReasons } from '../support/packs';
import { runPacksStrict } from './support';

const ENV = { account: '111122223333', region: 'eu-central-1' };
const PARTNERS: kit.PartnerSpec[] = [
  { name: 'supplier-jp', accountId: '444455556666', externalId: 'gearbox-supplier-jp-7f3a' },
  { name: 'oem-us', accountId: '777788889999', externalId: 'gearbox-oem-us-91c2' },
];
const BASE: TransnationalCooperationBlueprintProps = { env: ENV, allowedRegions: ['eu-central-1', 'eu-west-1'], partners: PARTNERS };

// One platform for the whole file; the mutation tests at the end change it, after every other assertion was computed.
const app = new App();
const coop = new TransnationalCooperationBlueprint(app, 'Coop', { ...BASE, platformName: 'gearbox', replicaRegion: 'eu-west-1' });
const packs = runPacksStrict(app, coop.checkOptions);
const assembly = app.synth();
const application = Template.fromJSON(assembly.getStackByName('gearbox-application').template);
const replica = Template.fromJSON(assembly.getStackByName('gearbox-replica').template);

function expectError(props: TransnationalCooperationBlueprintProps, message: string): void {
  let error: unknown;
  try {
    new TransnationalCooperationBlueprint(new App(), 'Coop', props);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(kit.SrmIipError);
  expect((error as Error).message).toBe(message);
}

describe('TransnationalCooperationBlueprint: data residency (MGT-03)', () => {
  test('six stacks, each in an allowed region; the replica alone in eu-west-1', () => {
    const regions = Object.fromEntries(assembly.stacks.map((s) => [s.stackName, s.environment.region]));
    expect(regions).toEqual({
      'gearbox-security': 'eu-central-1',
      'gearbox-network': 'eu-central-1',
      'gearbox-edge': 'eu-central-1',
      'gearbox-platform': 'eu-central-1',
      'gearbox-replica': 'eu-west-1',
      'gearbox-application': 'eu-central-1',
    });
    expect(coop.checkOptions.allowedRegions).toEqual(['eu-central-1', 'eu-west-1']);
  });

  test('the exchange replicates only to the replica bucket, named literally, with the replica key by its alias', () => {
    application.hasResourceProperties('AWS::S3::Bucket', {
      ReplicationConfiguration: {
        Role: Match.anyValue(),
        Rules: [
          Match.objectLike({
            Status: 'Enabled',
            Destination: {
              Bucket: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::gearbox-exchange-replica-111122223333-eu-west-1']] },
              EncryptionConfiguration: { ReplicaKmsKeyID: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:eu-west-1:111122223333:alias/gearbox-exchange-replica']] } },
            },
            SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
          }),
        ],
      },
    });
    replica.hasResourceProperties('AWS::S3::Bucket', { BucketName: 'gearbox-exchange-replica-111122223333-eu-west-1', VersioningConfiguration: { Status: 'Enabled' } });
    replica.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/gearbox-exchange-replica' });
  });

  test('the replication role may encrypt only with the key that carries the replica alias, through S3 in eu-west-1', () => {
    application.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          {
            Sid: 'EncryptReplicasWithAliasedKey',
            Effect: 'Allow',
            Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:eu-west-1:111122223333:key/*']] },
            Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/gearbox-exchange-replica' }, StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
          },
        ],
        Version: '2012-10-17',
      },
    });
  });

  test('the replica stack is deployed before the application stack', () => {
    expect(coop.applicationStack.dependencies).toContain(coop.replicaStack);
  });

  test('partner roles deny every request outside the allowed regions', () => {
    application.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-central-1', 'eu-west-1'] } } })] },
    });
  });

  test('the kit\'s pack checks residency and partner trust, and both pass', () => {
    const status = Object.fromEntries(packs.pack.lastResult!.controls.map((c) => [c.controlId, c.status]));
    expect([status['SRM-IIP-MGT-03'], status['SRM-IIP-ACC-08']]).toEqual(['passed', 'passed']);
  });
});

describe('TransnationalCooperationBlueprint: partners (ACC-08)', () => {
  test('each partner role trusts only its account, with its own external ID', () => {
    for (const p of PARTNERS) {
      application.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Condition: { StringEquals: { 'sts:ExternalId': p.externalId } }, Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${p.accountId}:root`]] } } }],
        },
        MaxSessionDuration: 3600,
      });
    }
  });

  test('each partner reads and writes only its own folder of the exchange', () => {
    for (const p of PARTNERS) {
      const doc = coop.exchangePolicy(p.name).document.toJSON();
      const own = doc.Statement.find((s: { Sid: string }) => s.Sid === 'OwnFolder');
      expect(own.Action).toEqual(['s3:GetObject', 's3:PutObject']);
      expect(JSON.stringify(coop.applicationStack.resolve(own.Resource))).toContain(`/partners/${p.name}/*`);
    }
  });

  test('exchangePolicy of an unknown partner names the partners', () => {
    expect(() => coop.exchangePolicy('nobody')).toThrow("[Coop] no partner 'nobody'; the partners are supplier-jp, oem-us");
  });

  test('without replicaRegion: no replica stack, no replication', () => {
    const plain = new TransnationalCooperationBlueprint(new App(), 'Coop', BASE);
    expect(plain.replicaStack).toBeUndefined();
    expect(plain.replica).toBeUndefined();
    expect(plain.exchange.replicationRole).toBeUndefined();
  });
});

describe('TransnationalCooperationBlueprint: the three packs', () => {
  test('no unacknowledged error of the kit\'s pack; no unacknowledged finding of AwsSolutions or NIST 800-53 R5', () => {
    expect(describeViolations(packs.srmIip)).toEqual([]);
    expect(describeViolations(packs.awsSolutions)).toEqual([]);
    expect(describeViolations(packs.nist)).toEqual([]);
  });

  test('every acknowledgement carries a specific reason', () => {
    expect(vagueReasons(packs.acknowledgements)).toEqual([]);
    const mine = packs.acknowledgements.filter((a) => /\/PartnerExchange\/(ReplicaKeyPolicy|[a-z-]+Exchange)$/.test(a.scope));
    expect(mine.map((a) => a.id)).toEqual([
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:eu-west-1:111122223333:key/*]',
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<PartnerExchangeBucket[0-9A-F]{8}\.Arn>\/partners\/supplier-jp\/\*\]$/),
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<PartnerExchangeBucket[0-9A-F]{8}\.Arn>\/partners\/oem-us\/\*\]$/),
    ]);
  });
});

describe('TransnationalCooperationBlueprint: bad options', () => {
  test.each<[TransnationalCooperationBlueprintProps, string]>([
    [{ ...BASE, partners: [] }, '[Coop] partners must name at least one partner account for transnational cooperation, got []'],
    [{ env: ENV, partners: PARTNERS }, '[Coop] allowedRegions must be given for transnational cooperation: name the regions the data may live in (data residency, SRM-IIP-MGT-03), got none'],
    [{ ...BASE, partners: [PARTNERS[0], { ...PARTNERS[1], externalId: PARTNERS[0].externalId }] }, "[Coop] partners[1].externalId repeats partners[0].externalId; each partner needs its own external ID (SRM-IIP-ACC-08), got 'gearbox-supplier-jp-7f3a' twice"],
    [{ ...BASE, replicaRegion: 'us-east-1' }, "[Coop] replicaRegion 'us-east-1' is not one of allowedRegions [eu-central-1, eu-west-1]; replicas stay inside the allowed regions (SRM-IIP-MGT-03)"],
    [{ ...BASE, replicaRegion: 'eu-central-1' }, "[Coop] replicaRegion must differ from env.region 'eu-central-1': a replica in the same region adds no resilience, got 'eu-central-1'"],
    [{ ...BASE, replicaRegion: 'europe' }, "[Coop] replicaRegion must be a literal AWS region name such as eu-west-1, got 'europe'"],
    [{ ...BASE, env: { region: 'eu-central-1' }, replicaRegion: 'eu-west-1' }, '[Coop] replicaRegion needs a literal env.account: the replica bucket is named after the account, got none'],
    [{ ...BASE, allowedRegions: ['eu-west-1'] }, "[Coop] allowedRegions must include the stacks' region 'eu-central-1' (env.region), got [eu-west-1]"],
    [{ ...BASE, partners: [PARTNERS[0], { ...PARTNERS[1], accountId: PARTNERS[0].accountId }] }, "[Coop] partners[1].accountId '444455556666' repeats partners[0]; each partner account may be listed once"],
  ])('%#: %j', (props, message) => expectError(props, message));
});

describe('TransnationalCooperationBlueprint: mutations through escape hatches (run last: they change the shared app)', () => {
  test('a partner role without its external ID → SRM-IIP-ACC-08', () => {
    (coop.partnerAccess!.role('oem-us').node.defaultChild as iam.CfnRole).addPropertyDeletionOverride('AssumeRolePolicyDocument.Statement.0.Condition');
    expect(kitControlIds(app, coop.checkOptions)).toContain('SRM-IIP-ACC-08');
  });

  test('replication redirected to a bucket outside the app (its region cannot be shown allowed) → SRM-IIP-MGT-03', () => {
    (coop.exchange.bucket.node.defaultChild as s3.CfnBucket).addPropertyOverride('ReplicationConfiguration.Rules.0.Destination.Bucket', 'arn:aws:s3:::somewhere-else');
    expect(kitControlIds(app, coop.checkOptions)).toContain('SRM-IIP-MGT-03');
  });
});
