import { App, Stack, Tags } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template, type Resources } from '../../support/harness';

const RULE = 'BackupCoversStatefulStores';
const PLAN: Resources = {
  Plan: { Type: 'AWS::Backup::BackupPlan', Properties: { BackupPlan: { BackupPlanName: 'p', BackupPlanRule: [{ RuleName: 'daily', TargetBackupVault: 'v' }] } } },
};
const selection = (body: Record<string, unknown>, planId: unknown = { Ref: 'Plan' }): Resources => ({
  Sel: { Type: 'AWS::Backup::BackupSelection', Properties: { BackupPlanId: planId, BackupSelection: { IamRoleArn: 'arn:aws:iam::1:role/b', SelectionName: 's', ...body } } },
});
const table = (props: Record<string, unknown> = {}): Resources => ({ Table: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [], ...props } } });
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

describe('SRM-IIP-OPS-05: an AWS Backup plan and selection cover every stateful store', () => {
  it('is exported from the package root', () => {
    expect(kit.BackupCoversStatefulStores.controlId).toBe('SRM-IIP-OPS-05');
    expect(kit.backupPatternMatches('arn:aws:dynamodb:*:*:table/*', 'arn:aws:dynamodb:eu-west-1:1:table/orders')).toBe(true);
    expect(kit.backupPatternMatches('arn:aws:rds:*:*:db:*', 'arn:aws:dynamodb:eu-west-1:1:table/orders')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 table in an app without any backup plan', () => {
      const stack = new Stack(new App(), 'Data');
      new dynamodb.Table(stack, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toMatchObject([{ controlId: 'SRM-IIP-OPS-05', ruleId: RULE, kind: 'violation', resourceType: 'AWS::DynamoDB::Table' }]);
      expect(fs[0].message).toContain('the app has no AWS::Backup::BackupPlan in the only stack, Data');
    });

    it('2: a plan without a selection', () => {
      const fs = findings(template({ ...PLAN, ...table() }), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', logicalId: 'Table', message: expect.stringContaining('have no AWS::Backup::BackupSelection') }]);
    });

    it('3: cross-stack: the selection names one table, the other table and an EFS file system are uncovered', () => {
      const app = new App();
      const data = new Stack(app, 'Data');
      const covered = new dynamodb.Table(data, 'Covered', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
      new dynamodb.Table(data, 'Forgotten', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
      new efs.FileSystem(data, 'Files', { vpc: new ec2.Vpc(data, 'Vpc', { maxAzs: 1, natGateways: 0 }) });
      const ops = new Stack(app, 'Backup');
      const plan = backup.BackupPlan.daily35DayRetention(ops, 'Plan');
      plan.addSelection('Sel', { resources: [backup.BackupResource.fromDynamoDbTable(covered)] });
      const fs = findingsForApp(app, RULE);
      expect(fs.map((f) => f.resourceType).sort()).toEqual(['AWS::DynamoDB::Table', 'AWS::EFS::FileSystem']);
      expect(fs.find((f) => f.resourceType === 'AWS::DynamoDB::Table')!.logicalId).toMatch(/^Forgotten/);
      expect(fs[0].message).toMatch(/none of the selections .*BackupSelection.* names it by ARN or tag/);
    });

    it('4: a tag selection the store does not carry; NotResources excludes an ARN-selected store', () => {
      const t = template({
        ...PLAN,
        ...table({ Tags: [{ Key: 'backup', Value: 'no' }] }),
        Db: { Type: 'AWS::RDS::DBInstance', Properties: { DBInstanceIdentifier: 'orders', BackupRetentionPeriod: 7 } },
        ...selection({ ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'yes' }] }),
        Sel2: { Type: 'AWS::Backup::BackupSelection', Properties: { BackupPlanId: { Ref: 'Plan' }, BackupSelection: { IamRoleArn: 'r', SelectionName: 's2', Resources: ['arn:aws:rds:*:*:db:*'], NotResources: ['arn:aws:rds:*:*:db:orders'] } } },
      });
      expect(findings(t, RULE).map((f) => `${f.kind} ${f.logicalId}`).sort()).toEqual(['violation Db', 'violation Table']);
    });

    it('5: a tag the store writes only in one branch of Fn::If leaves it uncovered in the other', () => {
      const t = template({ ...PLAN, ...table({ Tags: [{ 'Fn::If': ['Prod', { Key: 'backup', Value: 'yes' }, { Ref: 'AWS::NoValue' }] }] }), ...selection({ ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'yes' }] }) }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', logicalId: 'Table' }]);
    });

    it('6: the ARN entry naming the table exists in one branch of Fn::If only', () => {
      const t = template({ ...PLAN, ...table(), ...selection({ Resources: [{ 'Fn::If': ['Prod', { 'Fn::GetAtt': ['Table', 'Arn'] }, { Ref: 'AWS::NoValue' }] }] }) }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', logicalId: 'Table' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 plan selecting by tag covers tagged stores of another stack', () => {
      const app = new App();
      const data = new Stack(app, 'Data');
      const vol = new ec2.CfnVolume(data, 'Volume', { availabilityZone: 'eu-central-1a', size: 10, encrypted: true });
      Tags.of(vol).add('backup', 'daily');
      const ops = new Stack(app, 'Backup');
      backup.BackupPlan.daily35DayRetention(ops, 'Plan').addSelection('Sel', { resources: [backup.BackupResource.fromTag('backup', 'daily')] });
      expect(findingsForApp(app, RULE)).toEqual([]);
    });

    it('a wildcard ARN over pseudo parameters covers a named table', () => {
      const t = template({ ...PLAN, ...table({ TableName: 'orders' }), ...selection({ Resources: [{ 'Fn::Sub': 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/*' }] }) });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('raw templates: the table ARN is imported into the backup stack', () => {
      const producer = template(table(), { Outputs: { A: { Value: { 'Fn::GetAtt': ['Table', 'Arn'] }, Export: { Name: 'TableArn' } } } });
      const consumer = template({ ...PLAN, ...selection({ Resources: [{ 'Fn::ImportValue': 'TableArn' }] }) });
      expect(runOnTemplates([producer, consumer], RULE).findings).toEqual([]);
    });

    it('tag Conditions (StringLike) select the store; cluster members and S3 buckets are not stores of their own', () => {
      const t = template({
        ...PLAN,
        Cluster: { Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'aurora-postgresql', Tags: [{ Key: 'tier', Value: 'data-critical' }] } },
        Member: { Type: 'AWS::RDS::DBInstance', Properties: { DBClusterIdentifier: { Ref: 'Cluster' } } },
        Bucket: { Type: 'AWS::S3::Bucket' },
        ...selection({ Resources: ['*'], Conditions: { StringLike: [{ ConditionKey: 'aws:ResourceTag/tier', ConditionValue: 'data-*' }] } }),
      });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('an app without stateful stores needs no plan', () => {
      expect(findings(template({ Q: { Type: 'AWS::SQS::Queue' } }), RULE)).toEqual([]);
    });

    it('every branch of Fn::If writes the selected tag', () => {
      const t = template({ ...PLAN, ...table({ Tags: [{ 'Fn::If': ['Prod', { Key: 'backup', Value: 'yes' }, { Key: 'backup', Value: 'yes' }] }] }), ...selection({ ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'yes' }] }) }, COND);
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a selection ARN from a parameter is unverifiable', () => {
      const t = template({ ...PLAN, ...table(), ...selection({ Resources: [{ Ref: 'Arn' }] }) }, { Parameters: { Arn: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', logicalId: 'Table', message: expect.stringContaining('cannot verify that the store is backed up') }]);
    });

    it('a selected tag whose value on the store is a parameter is unverifiable', () => {
      const t = template({ ...PLAN, ...table({ Tags: [{ Key: 'backup', Value: { Ref: 'Tier' } }] }), ...selection({ ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'yes' }] }) }, { Parameters: { Tier: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', logicalId: 'Table' }]);
    });

    it('a selection whose plan is outside the app is unverifiable', () => {
      const t = template({ ...table(), ...selection({ Resources: [{ 'Fn::GetAtt': ['Table', 'Arn'] }] }, 'plan-1234') });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', logicalId: 'Table' }]);
    });
  });
});
