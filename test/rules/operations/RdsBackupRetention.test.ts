import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';

const RULE = 'RdsBackupRetention';
const db = (props: Record<string, unknown>) => template({ Db: { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'postgres', ...props } } });
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

describe('SRM-IIP-OPS-05: RDS keeps automated backups for at least 7 days', () => {
  it('is exported from the package root', () => {
    expect(kit.RdsBackupRetention.controlId).toBe('SRM-IIP-OPS-05');
    expect(kit.isBackupRetentionEnough(undefined)).toBe(false);
    expect(kit.isBackupRetentionEnough(7)).toBe(true);
  });

  describe('Noncompliance', () => {
    it('1: an L2 instance with a 3-day retention', () => {
      const stack = new Stack(new App(), 'S');
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
      const vpcSubnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
      new rds.DatabaseInstance(stack, 'Db', { engine: rds.DatabaseInstanceEngine.POSTGRES, vpc, vpcSubnets, backupRetention: Duration.days(3) });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ controlId: 'SRM-IIP-OPS-05', ruleId: RULE, kind: 'violation', location: 'BackupRetentionPeriod', message: expect.stringContaining('3 days') }]);
    });

    it('2: an L1 instance without BackupRetentionPeriod (RDS default 1 day)', () => {
      expect(findings(db({}), RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('not set; RDS defaults to 1') }]);
    });

    it('3: a cluster with backups off', () => {
      const t = template({ C: { Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'aurora-mysql', BackupRetentionPeriod: '0' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', resourceType: 'AWS::RDS::DBCluster' }]);
    });

    it('4: one branch of Fn::If keeps a single day', () => {
      expect(findings(template({ Db: { Type: 'AWS::RDS::DBInstance', Properties: { BackupRetentionPeriod: { 'Fn::If': ['Prod', 35, 1] } } } }, COND), RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 Aurora cluster with 14 days (its member instances are not judged)', () => {
      const stack = new Stack(new App(), 'S');
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
      const vpcSubnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
      new rds.DatabaseCluster(stack, 'Cluster', {
        engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
        writer: rds.ClusterInstance.provisioned('Writer'),
        vpc,
        vpcSubnets,
        backup: { retention: Duration.days(14) },
      });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('a read replica is not judged; a retention written as a string is read', () => {
      expect(findings(db({ SourceDBInstanceIdentifier: 'arn:aws:rds:eu-central-1:1:db:src' }), RULE)).toEqual([]);
      expect(findings(db({ BackupRetentionPeriod: '35' }), RULE)).toEqual([]);
    });

    it('every branch of Fn::If keeps a week or more', () => {
      expect(findings(template({ Db: { Type: 'AWS::RDS::DBInstance', Properties: { BackupRetentionPeriod: { 'Fn::If': ['Prod', 35, 7] } } } }, COND), RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a retention parameter is unverifiable', () => {
      const t = template({ Db: { Type: 'AWS::RDS::DBInstance', Properties: { BackupRetentionPeriod: { Ref: 'Days' } } } }, { Parameters: { Days: { Type: 'Number' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Days') }]);
    });
  });
});
