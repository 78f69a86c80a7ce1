import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'RdsMultiAzDeployment';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const cluster = (p: Record<string, unknown> = {}) => ({ Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'aurora-postgresql', ...p } });
const member = (clusterRef: unknown, extra: Record<string, unknown> = {}) => ({ Type: 'AWS::RDS::DBInstance', Properties: { DBInstanceClass: 'db.r6g.large', Engine: 'aurora-postgresql', DBClusterIdentifier: clusterRef }, ...extra });
const auroraEngine = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 });

describe('SRM-IIP-SYS-07: RDS databases survive the loss of an availability zone', () => {
  it('is exported from the package root with its judgement', () => {
    expect(kit.RdsMultiAzDeployment.controlId).toBe('SRM-IIP-SYS-07');
    expect(kit.survivesZoneLoss(2)).toBe(true);
    expect(kit.survivesZoneLoss(1)).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 single-AZ instance', () => {
      const stack = new Stack(new App(), 'S');
      new rds.DatabaseInstance(stack, 'Db', { engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }), vpc: new ec2.Vpc(stack, 'Vpc') });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toMatchObject([{ controlId: 'SRM-IIP-SYS-07', ruleId: RULE, kind: 'violation', location: 'MultiAZ', severity: 'warning' }]);
      expect(fs[0].message).toContain('single availability zone');
    });

    it('2: an L2 Aurora cluster with a writer only', () => {
      const stack = new Stack(new App(), 'S');
      new rds.DatabaseCluster(stack, 'Db', { engine: auroraEngine, writer: rds.ClusterInstance.provisioned('w'), vpc: new ec2.Vpc(stack, 'Vpc') });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', resourceType: 'AWS::RDS::DBCluster', message: expect.stringContaining('has 1 DB instance(s)') }]);
    });

    it('3: an L1 Aurora Serverless v1 cluster', () => {
      expect(findings(template({ C: cluster({ EngineMode: 'serverless' }) }), RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('Serverless v1') }]);
    });

    it('4: one branch of Fn::If turns Multi-AZ off', () => {
      const t = template({ D: { Type: 'AWS::RDS::DBInstance', Properties: { MultiAZ: { 'Fn::If': ['Prod', true, false] } } } }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 Multi-AZ instance, and an L2 Aurora cluster with a writer and a reader', () => {
      const stack = new Stack(new App(), 'S');
      const vpc = new ec2.Vpc(stack, 'Vpc');
      new rds.DatabaseInstance(stack, 'Db', { engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }), vpc, multiAz: true });
      new rds.DatabaseCluster(stack, 'Aurora', { engine: auroraEngine, writer: rds.ClusterInstance.provisioned('w'), readers: [rds.ClusterInstance.serverlessV2('r')], vpc });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('cluster members in another template (cross-stack), by reference and by name', () => {
      const a = template({ C: cluster({ DBClusterIdentifier: 'Plant-Db' }) }, { Outputs: { Id: { Value: { Ref: 'C' }, Export: { Name: 'db' } } } });
      const b = template({ W: member({ 'Fn::ImportValue': 'db' }), R: member('plant-db') });
      expect(runOnTemplates([a, b], RULE).findings).toEqual([]);
    });

    it('a Multi-AZ DB cluster (DBClusterInstanceClass) spans three zones by design; every Fn::If branch Multi-AZ', () => {
      const t = template({ C: cluster({ Engine: 'postgres', DBClusterInstanceClass: 'db.m6gd.large' }), D: { Type: 'AWS::RDS::DBInstance', Properties: { MultiAZ: { 'Fn::If': ['Prod', true, 'true'] } } } }, COND);
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('MultiAZ from a parameter is unverifiable', () => {
      const t = template({ D: { Type: 'AWS::RDS::DBInstance', Properties: { MultiAZ: { Ref: 'Multi' } } } }, { Parameters: { Multi: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Multi') }]);
    });

    it('a second member that exists only under a condition is unverifiable', () => {
      const t = template({ C: cluster(), W: member({ Ref: 'C' }), R: member({ Ref: 'C' }, { Condition: 'Prod' }) }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('1 DB instance(s) always belong to it and 1 more') }]);
    });
  });
});
