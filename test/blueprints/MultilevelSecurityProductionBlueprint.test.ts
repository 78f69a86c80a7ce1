import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, test } from 'vitest';
import * as kit from '../../index';
import {
  levelConduits,
  levelZoneName,
  MultilevelSecurityProductionBlueprint,
  MultilevelSecurityProductionBlueprintProps,
} from '../../blueprints/MultilevelSecurityProductionBlueprint';
import { describeViolations, kitControlIds, vagueReasons } from '../support/packs';
import { runPacksStrict } from './support';

const ENV = { account: '111122223333', region: 'eu-central-1' };

// One platform for the whole file; the mutation tests at the end change it, after every other assertion was computed.
const app = new App();
const plant = new MultilevelSecurityProductionBlueprint(app, 'Plant', { platformName: 'foundry', env: ENV, classificationLevels: 3 });
const packs = runPacksStrict(app, plant.checkOptions);
const assembly = app.synth();
const network = Template.fromJSON(assembly.getStackByName('foundry-network').template);
const platform = Template.fromJSON(assembly.getStackByName('foundry-platform').template);
const security = Template.fromJSON(assembly.getStackByName('foundry-security').template);

type Res = { Properties: Record<string, any>; DeletionPolicy?: string };
const tags = (r: Res): Record<string, string> => Object.fromEntries(((r.Properties.Tags ?? []) as Array<{ Key: string; Value: string }>).map((x) => [x.Key, x.Value]));

function expectError(props: MultilevelSecurityProductionBlueprintProps, message: string): void {
  let error: unknown;
  try {
    new MultilevelSecurityProductionBlueprint(new App(), 'Plant', { env: ENV, ...props });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(kit.SrmIipError);
  expect((error as Error).message).toBe(message);
}

describe('MultilevelSecurityProductionBlueprint: separate zones per level (SYS-06, NET-06)', () => {
  test('levels 2 and 3 get zones of their own; every subnet carries exactly its level', () => {
    const byZone: Record<string, string[]> = {};
    for (const s of Object.values(network.findResources('AWS::EC2::Subnet')) as Res[]) {
      const t = tags(s);
      (byZone[t['srm-iip:zone']] ??= []).push(t['srm-iip:level']);
    }
    expect(byZone).toEqual({
      ingress: ['1', '1'],
      edge: ['1', '1'],
      platform: ['1', '1'],
      application: ['1', '1'],
      data: ['1', '1'],
      'level-2': ['2', '2'],
      'level-3': ['3', '3'],
    });
  });

  test('the level zones\' security groups and network ACLs carry their level', () => {
    for (const type of ['AWS::EC2::SecurityGroup', 'AWS::EC2::NetworkAcl']) {
      const levels = (Object.values(network.findResources(type)) as Res[]).filter((r) => /^level-/.test(tags(r)['srm-iip:zone'] ?? '')).map((r) => `${tags(r)['srm-iip:zone']}:${tags(r)['srm-iip:level']}`);
      expect(levels.sort()).toEqual(['level-2:2', 'level-3:3']);
    }
  });

  test('each level zone reaches only the VPC endpoints; no conduit joins two levels', () => {
    const model = (assembly.getStackByName('foundry-network').template.Metadata as any)['srm-iip'].zoneModel;
    const levelCrossings = model.conduits.filter((c: kit.Conduit) => /^level-/.test(c.from) || /^level-/.test(c.to));
    expect(levelCrossings.map((c: kit.Conduit) => `${c.from}→${c.to}:${c.fromPort}`)).toEqual(['level-2→platform:443', 'level-3→platform:443']);
    expect(levelConduits(3)).toHaveLength(2);
  });
});

describe('MultilevelSecurityProductionBlueprint: keys, stores and grants per level', () => {
  test('the key ring holds a key per purpose and level (5 × 3), each tagged with its level', () => {
    const keys = Object.values(security.findResources('AWS::KMS::Key')) as Res[];
    const ring = keys.filter((k) => String(k.Properties.Description).startsWith('SRM-IIP ') && / key, classification level \d$/.test(k.Properties.Description));
    expect(ring).toHaveLength(15);
    for (const k of ring) expect(tags(k)['srm-iip:level']).toBe(k.Properties.Description.slice(-1));
  });

  test('each level\'s data store is encrypted with that level\'s data key and tagged with the level', () => {
    for (const l of [1, 2, 3]) {
      const parts = plant.levels[l - 1];
      expect(parts.level).toBe(l);
      expect(parts.zone).toBe(levelZoneName(l));
      expect(parts.dataKey).toBe(plant.keyRing.key(kit.KeyPurpose.DATA, l));
      platform.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::ImportValue': Match.stringLikeRegexp(`KeyRingDataL${l}`) } } })],
        },
        Tags: Match.arrayWith([{ Key: 'srm-iip:level', Value: String(l) }]),
      });
    }
  });

  test('each level\'s reader role may be assumed only by principals cleared for that level or higher', () => {
    const roles = (Object.values(platform.findResources('AWS::IAM::Role')) as Res[]).filter((r) => String(r.Properties.Description).includes('readers'));
    const clearances = roles.map((r) => [tags(r)['srm-iip:level'], r.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals['aws:PrincipalTag/srm-iip:clearance']]);
    expect(clearances.sort()).toEqual([
      ['1', ['1', '2', '3']],
      ['2', ['2', '3']],
      ['3', ['3']],
    ]);
  });

  test('a reader may decrypt only its own level\'s key, through S3', () => {
    const policies = (Object.values(platform.findResources('AWS::IAM::ManagedPolicy')) as Res[]).filter((p) => String(p.Properties.Description).includes('readers'));
    expect(policies).toHaveLength(3);
    for (const p of policies) {
      const level = /level (\d) readers/.exec(p.Properties.Description)![1];
      const decrypt = p.Properties.PolicyDocument.Statement.find((s: { Sid: string }) => s.Sid === 'DecryptLevelData');
      expect(decrypt.Action).toBe('kms:Decrypt');
      expect(JSON.stringify(decrypt.Resource)).toContain(`KeyRingDataL${level}`);
      expect(decrypt.Condition).toEqual({ StringEquals: { 'kms:ViaService': 's3.eu-central-1.amazonaws.com' } });
    }
  });
});

describe('MultilevelSecurityProductionBlueprint: compute per level (PHY-03)', () => {
  const templates = (Object.values(platform.findResources('AWS::EC2::LaunchTemplate')) as Res[]).map((r) => r.Properties);
  const byName = Object.fromEntries(templates.map((p) => [p.LaunchTemplateName, p.LaunchTemplateData]));

  test('one launch template per level; only the top level\'s is on dedicated hardware', () => {
    expect(Object.keys(byName).sort()).toEqual(['foundry-level-1', 'foundry-level-2', 'foundry-level-3']);
    expect(byName['foundry-level-3'].Placement).toEqual({ Tenancy: 'dedicated' });
    expect(byName['foundry-level-1'].Placement).toBeUndefined();
    expect(byName['foundry-level-2'].Placement).toBeUndefined();
  });

  test('IMDSv2 only, no public IP, EBS under the level\'s key, the level zone\'s security group, instances and volumes tagged with the level', () => {
    for (const l of [1, 2, 3]) {
      const d = byName[`foundry-level-${l}`];
      expect(d.MetadataOptions).toEqual({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 });
      expect(d.NetworkInterfaces[0].AssociatePublicIpAddress).toBe(false);
      expect(JSON.stringify(d.NetworkInterfaces[0].Groups)).toContain(`Zones${levelZoneName(l).replace('-', '')}SecurityGroup`);
      expect(d.BlockDeviceMappings[0].Ebs).toEqual(expect.objectContaining({ Encrypted: true, KmsKeyId: { 'Fn::ImportValue': expect.stringContaining(`KeyRingDataL${l}`) } }));
      for (const spec of d.TagSpecifications) expect(spec.Tags).toEqual(expect.arrayContaining([{ Key: 'srm-iip:level', Value: String(l) }]));
    }
  });

  test('levelComputeTemplates: false builds none', () => {
    const other = new MultilevelSecurityProductionBlueprint(new App(), 'P', { env: ENV, levelComputeTemplates: false });
    expect(other.levels.map((l) => l.computeTemplate)).toEqual([undefined, undefined]);
  });
});

describe('MultilevelSecurityProductionBlueprint: the three packs', () => {
  test('no unacknowledged error of the kit\'s pack; no unacknowledged finding of AwsSolutions or NIST 800-53 R5', () => {
    expect(describeViolations(packs.srmIip)).toEqual([]);
    expect(describeViolations(packs.awsSolutions)).toEqual([]);
    expect(describeViolations(packs.nist)).toEqual([]);
  });

  test('SYS-06 and PHY-03 are checked and pass', () => {
    const status = Object.fromEntries(packs.pack.lastResult!.controls.map((c) => [c.controlId, c.status]));
    expect([status['SRM-IIP-SYS-06'], status['SRM-IIP-PHY-03'], status['SRM-IIP-NET-06']]).toEqual(['passed', 'passed', 'passed']);
    expect(plant.checkOptions.classificationLevels).toBe(3);
  });

  test('every acknowledgement carries a specific reason; per level: the reader wildcard and the SSM agent policy', () => {
    expect(vagueReasons(packs.acknowledgements)).toEqual([]);
    const perLevel = packs.acknowledgements.filter((a) => /\/Level\d\/(ReaderPolicy|InstanceRole)$/.test(a.scope));
    expect(perLevel.map((a) => a.id.replace(/\[.*$/, '')).sort()).toEqual(['AwsSolutions-IAM4', 'AwsSolutions-IAM4', 'AwsSolutions-IAM4', 'AwsSolutions-IAM5', 'AwsSolutions-IAM5', 'AwsSolutions-IAM5']);
  });
});

describe('MultilevelSecurityProductionBlueprint: bad options', () => {
  test.each<[MultilevelSecurityProductionBlueprintProps, string]>([
    [{ classificationLevels: 1 }, '[Plant] classificationLevels must be a whole number 2..8 for multilevel security production (levels are numbered 1..n, each gets its own zone), got 1'],
    [{ classificationLevels: 2.5 }, '[Plant] classificationLevels must be a whole number 2..8 for multilevel security production (levels are numbered 1..n, each gets its own zone), got 2.5'],
    [{ classificationLevels: 9 }, '[Plant] classificationLevels must be a whole number 2..8 for multilevel security production (levels are numbered 1..n, each gets its own zone), got 9'],
    [{ zones: [...kit.defaultNetworkZones(), { name: 'level-2', domain: kit.SecurityDomain.PLATFORM }] }, "[Plant] zones[5] 'level-2' takes a name the blueprint gives the level zones (level-2..level-2); rename it"],
    [{ zones: kit.defaultNetworkZones().filter((z) => z.name !== 'platform'), conduits: [] }, "[Plant] zones must include the 'platform' zone: level 1 and the VPC endpoints live there, got [ingress, edge, application, data]"],
    [{ logRetentionDays: 30 }, '[Plant] logRetentionDays must be at least 365 (the log retention floor at SL2), got 30'],
  ])('%#: %j', (props, message) => expectError(props, message));
});

describe('MultilevelSecurityProductionBlueprint: mutations through escape hatches (run last: they change the shared app)', () => {
  test('the top level\'s launch template back on shared hardware → SRM-IIP-PHY-03', () => {
    (plant.levels[2].computeTemplate!.node.defaultChild as ec2.CfnLaunchTemplate).addPropertyDeletionOverride('LaunchTemplateData.Placement');
    expect(kitControlIds(app, plant.checkOptions)).toContain('SRM-IIP-PHY-03');
  });

  test('the level-2 store encrypted with the level-1 data key → SRM-IIP-SYS-06', () => {
    const level1Key = plant.platformStack.resolve(plant.keyRing.key(kit.KeyPurpose.DATA, 1).keyArn);
    (plant.levels[1].store.bucket.node.defaultChild as s3.CfnBucket).addPropertyOverride('BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault.KMSMasterKeyID', level1Key);
    expect(kitControlIds(app, plant.checkOptions)).toContain('SRM-IIP-SYS-06');
  });
});
