import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template, type Resources } from '../../support/harness';

const RULE = 'ReplicationTargetsAllowed';
const EU = { allowedRegions: ['eu-central-1', 'eu-west-1'] };
const EU_OPTS = { ...EU, region: 'eu-central-1' };
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const replicated = (dest: unknown): Resources => ({
  Src: { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { Status: 'Enabled' }, ReplicationConfiguration: { Role: 'arn:aws:iam::1:role/r', Rules: [{ Status: 'Enabled', Destination: { Bucket: dest } }] } } },
});
const plan = (vaultArn: unknown): Resources => ({
  Plan: { Type: 'AWS::Backup::BackupPlan', Properties: { BackupPlan: { BackupPlanName: 'p', BackupPlanRule: [{ RuleName: 'r', TargetBackupVault: 'v', CopyActions: [{ DestinationBackupVaultArn: vaultArn }] }] } } },
});

describe('SRM-IIP-MGT-03: every replication target is in an allowed region', () => {
  it('is exported from the package root', () => {
    expect(kit.ReplicationTargetsAllowed.controlId).toBe('SRM-IIP-MGT-03');
    expect(kit.regionOfArn('arn:aws:backup:us-east-1:111111111111:backup-vault:v')).toBe('us-east-1');
    expect(kit.regionOfArn('arn:aws:s3:::bucket')).toBeUndefined();
  });

  describe('Noncompliance', () => {
    it('1: an L2 global table with a replica in us-east-1', () => {
      const stack = new Stack(new App(), 'Data', { env: { region: 'eu-central-1' } });
      new dynamodb.TableV2(stack, 'T', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, replicas: [{ region: 'us-east-1' }] });
      const fs = findingsForApp(stack, RULE, EU);
      expect(fs).toMatchObject([{ controlId: 'SRM-IIP-MGT-03', ruleId: RULE, kind: 'violation', resourceType: 'AWS::DynamoDB::GlobalTable', location: 'Replicas.Region' }]);
      expect(fs[0].message).toContain('a global table replica goes to us-east-1');
    });

    it('2: cross-stack: S3 replication into a bucket of a stack in us-west-2', () => {
      const app = new App();
      const dest = new s3.Bucket(new Stack(app, 'Dr', { env: { region: 'us-west-2', account: '111111111111' } }), 'Replica', { bucketName: 'dr-replica' });
      const src = new Stack(app, 'Prod', { env: { region: 'eu-central-1', account: '111111111111' } });
      new s3.CfnBucket(src, 'Src', {
        versioningConfiguration: { status: 'Enabled' },
        replicationConfiguration: { role: 'arn:aws:iam::111111111111:role/r', rules: [{ status: 'Enabled', destination: { bucket: `arn:aws:s3:::${dest.bucketName}` } }] },
      });
      const fs = findingsForApp(app, RULE, EU);
      expect(fs).toMatchObject([{ kind: 'violation', stack: 'Prod', message: expect.stringMatching(/S3 replication goes to us-west-2 \(Replica\w+ \(AWS::S3::Bucket\) in stack Dr\)/) }]);
    });

    it('3: a backup copy into a vault in another region, and secret and ECR replicas outside', () => {
      const t = template({
        ...plan('arn:aws:backup:us-east-1:111111111111:backup-vault:dr'),
        Secret: { Type: 'AWS::SecretsManager::Secret', Properties: { ReplicaRegions: [{ Region: 'eu-west-1' }, { Region: 'sa-east-1' }] } },
        Ecr: { Type: 'AWS::ECR::ReplicationConfiguration', Properties: { ReplicationConfiguration: { Rules: [{ Destinations: [{ Region: 'ap-northeast-1', RegistryId: '1' }] }] } } },
      });
      expect(findings(t, RULE, EU_OPTS).map((f) => `${f.kind} ${f.logicalId}: ${f.message}`)).toEqual([
        expect.stringContaining('violation Plan: a backup copy goes to us-east-1'),
        expect.stringContaining('violation Ecr: ECR image replication goes to ap-northeast-1'),
        expect.stringContaining('violation Secret: a secret replica goes to sa-east-1'),
      ]);
    });

    it('4: cross-stack: a KMS replica key in a us-east-1 stack of a multi-Region key from an EU stack', () => {
      const primary = { name: 'Keys', region: 'eu-central-1', template: template({ K: { Type: 'AWS::KMS::Key', Properties: { MultiRegion: true } } }, { Outputs: { A: { Value: { 'Fn::GetAtt': ['K', 'Arn'] }, Export: { Name: 'KeyArn' } } } }) };
      const replica = { name: 'UsKeys', region: 'us-east-1', template: template({ R: { Type: 'AWS::KMS::ReplicaKey', Properties: { PrimaryKeyArn: { 'Fn::ImportValue': 'KeyArn' }, KeyPolicy: {} } } }) };
      const fs = runOnTemplates([primary, replica], RULE, EU).findings;
      expect(fs.map((f) => `${f.kind} ${f.logicalId}`)).toEqual(['violation R', 'unverifiable K']);
      expect(fs[0].message).toContain('a KMS replica key goes to us-east-1');
    });

    it('5: one branch of Fn::If replicates outside', () => {
      const t = template({ G: { Type: 'AWS::DynamoDB::GlobalTable', Properties: { Replicas: [{ Region: { 'Fn::If': ['Prod', 'eu-west-1', 'us-east-2'] } }] } } }, COND);
      expect(findings(t, RULE, EU_OPTS)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('us-east-2') }]);
    });
  });

  describe('Compliance', () => {
    it('raw templates: S3 replication to an imported bucket in an allowed region', () => {
      const dr = { name: 'Dr', region: 'eu-west-1', template: template({ Replica: { Type: 'AWS::S3::Bucket' } }, { Outputs: { A: { Value: { 'Fn::GetAtt': ['Replica', 'Arn'] }, Export: { Name: 'ReplicaArn' } } } }) };
      const prod = { name: 'Prod', region: 'eu-central-1', template: template(replicated({ 'Fn::ImportValue': 'ReplicaArn' })) };
      expect(runOnTemplates([dr, prod], RULE, EU).findings).toEqual([]);
    });

    it('backup copies to the own region and to an allowed one; replicas in allowed regions', () => {
      const t = template({
        ...plan({ 'Fn::Sub': 'arn:${AWS::Partition}:backup:${AWS::Region}:${AWS::AccountId}:backup-vault:local' }),
        Plan2: { Type: 'AWS::Backup::BackupPlan', Properties: { BackupPlan: { BackupPlanRule: [{ CopyActions: [{ DestinationBackupVaultArn: 'arn:aws:backup:eu-west-1:1:backup-vault:dr' }] }] } } },
        G: { Type: 'AWS::DynamoDB::GlobalTable', Properties: { Replicas: [{ Region: { Ref: 'AWS::Region' } }, { Region: 'eu-west-1' }] } },
        K: { Type: 'AWS::KMS::Key', Properties: { MultiRegion: false } },
      });
      expect(findings(t, RULE, EU_OPTS)).toEqual([]);
    });

    it('without an allowed-region list this rule stays silent (StackRegionsAllowed reports once)', () => {
      expect(findings(template(plan('arn:aws:backup:us-east-1:1:backup-vault:dr')), RULE)).toEqual([]);
    });

    it('every branch of Fn::If stays inside', () => {
      const t = template({ G: { Type: 'AWS::DynamoDB::GlobalTable', Properties: { Replicas: [{ Region: { 'Fn::If': ['Prod', 'eu-west-1', 'eu-central-1'] } }] } } }, COND);
      expect(findings(t, RULE, EU_OPTS)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a multi-Region L2 key is unverifiable: replicas can be made outside the template', () => {
      const stack = new Stack(new App(), 'Keys', { env: { region: 'eu-central-1' } });
      new kms.Key(stack, 'Key', { multiRegion: true });
      expect(findingsForApp(stack, RULE, EU)).toMatchObject([{ kind: 'unverifiable', resourceType: 'AWS::KMS::Key', location: 'MultiRegion', message: expect.stringContaining('multi-Region') }]);
    });

    it('a destination bucket outside the app is unverifiable (an S3 ARN names no region)', () => {
      expect(findings(template(replicated('arn:aws:s3:::partner-bucket')), RULE, EU_OPTS)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('partner-bucket is not defined in the app') }]);
    });

    it('a replica region from a parameter is unverifiable', () => {
      const t = template({ G: { Type: 'AWS::DynamoDB::GlobalTable', Properties: { Replicas: [{ Region: { Ref: 'DrRegion' } }] } } }, { Parameters: { DrRegion: { Type: 'String' } } });
      expect(findings(t, RULE, EU_OPTS)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter DrRegion') }]);
    });
  });
});
