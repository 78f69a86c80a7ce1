import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';
import { PROD_CONDITION } from './network-fixtures';

const RULE = 'DatabasesNotPublic';

function dbStack(subnetType: ec2.SubnetType, publiclyAccessible?: boolean): Stack {
  const stack = new Stack(new App(), 'S');
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [
      { name: 'pub', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  new rds.DatabaseInstance(stack, 'Db', { vpc, engine: rds.DatabaseInstanceEngine.POSTGRES, vpcSubnets: { subnetType }, publiclyAccessible });
  return stack;
}

const db = (props: Record<string, unknown>, type = 'AWS::RDS::DBInstance') => ({ Type: type, Properties: props });

describe('SRM-IIP-NET-03: RDS, Redshift and DMS resources are not publicly accessible', () => {
  it('is exported from the package root', () => {
    expect(kit.DatabasesNotPublic.controlId).toBe('SRM-IIP-NET-03');
    expect(kit.rdsPublicByDefault('instance', false, 'none')).toBe(true);
    expect(kit.rdsPublicByDefault('instance', true, 'none')).toBe(false);
    expect(kit.rdsPublicByDefault('instance', false, 'named')).toBe(false);
    expect(kit.rdsPublicByDefault('cluster', true, 'default')).toBe(true);
    expect(kit.isAuroraEngine('aurora-postgresql')).toBe(true);
  });

  describe('Noncompliance', () => {
    it('1: an L2 database instance in public subnets (CDK sets PubliclyAccessible true)', () => {
      const fs = findingsForApp(dbStack(ec2.SubnetType.PUBLIC), RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-NET-03', ruleId: RULE, kind: 'violation', resourceType: 'AWS::RDS::DBInstance', location: 'PubliclyAccessible' });
      expect(fs[0].message).toContain('publicly accessible (PubliclyAccessible true)');
    });

    it('2: a non-Aurora instance without a subnet group and without PubliclyAccessible (RDS default: public)', () => {
      const fs = findings(template({ Db: db({ Engine: 'mysql', DBInstanceClass: 'db.t3.micro' }) }), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining('without a DB subnet group RDS makes a non-Aurora DB instance (engine mysql) publicly accessible') }]);
    });

    it("3: the 'default' subnet group", () => {
      const fs = findings(template({ Db: db({ Engine: 'postgres', DBSubnetGroupName: 'default' }) }), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining("'default' DB subnet group") }]);
    });

    it('4: a Multi-AZ DB cluster, a Redshift cluster and a DMS instance', () => {
      const t = template({
        C: db({ Engine: 'postgres', PubliclyAccessible: 'true' }, 'AWS::RDS::DBCluster'),
        R: db({ NodeType: 'ra3.xlplus', PubliclyAccessible: true }, 'AWS::Redshift::Cluster'),
        D: db({ ReplicationInstanceClass: 'dms.t3.micro' }, 'AWS::DMS::ReplicationInstance'),
      });
      const fs = findings(t, RULE);
      expect(fs.map((f) => [f.logicalId, f.kind])).toEqual([
        ['C', 'violation'],
        ['R', 'violation'],
        ['D', 'violation'],
      ]);
      expect(fs[2].message).toContain('PubliclyAccessible is not set, and the service default is publicly accessible');
    });

    it('5: one Fn::If branch makes the instance public', () => {
      const t = template({ Db: db({ Engine: 'postgres', DBSubnetGroupName: 'grp', PubliclyAccessible: { 'Fn::If': ['Prod', false, true] } }) }, PROD_CONDITION);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 database instance in isolated subnets', () => {
      expect(findingsForApp(dbStack(ec2.SubnetType.PRIVATE_ISOLATED), RULE)).toEqual([]);
    });

    it('service defaults that are private: named subnet group, Aurora instance, Aurora cluster, Redshift', () => {
      const t = template({
        A: db({ Engine: 'postgres', DBSubnetGroupName: { Ref: 'G' } }),
        G: { Type: 'AWS::RDS::DBSubnetGroup', Properties: { DBSubnetGroupDescription: 'g', SubnetIds: ['subnet-1'] } },
        B: db({ Engine: 'aurora-postgresql', DBClusterIdentifier: { Ref: 'C' } }),
        C: db({ Engine: 'aurora-postgresql', DBSubnetGroupName: { Ref: 'G' } }, 'AWS::RDS::DBCluster'),
        R: db({ NodeType: 'ra3.xlplus' }, 'AWS::Redshift::Cluster'),
        D: db({ ReplicationInstanceClass: 'dms.t3.micro', PubliclyAccessible: false }, 'AWS::DMS::ReplicationInstance'),
      });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('every Fn::If branch is private', () => {
      const t = template({ Db: db({ Engine: 'postgres', PubliclyAccessible: { 'Fn::If': ['Prod', false, 'false'] } }) }, PROD_CONDITION);
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('PubliclyAccessible from a parameter is unverifiable', () => {
      const t = template({ Db: db({ Engine: 'postgres', PubliclyAccessible: { Ref: 'Pub' } }) }, { Parameters: { Pub: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', location: 'PubliclyAccessible', message: expect.stringContaining('parameter Pub') }]);
    });

    it('an unset PubliclyAccessible with a subnet group name from a parameter is unverifiable', () => {
      const t = template({ Db: db({ Engine: 'postgres', DBSubnetGroupName: { Ref: 'G' } }) }, { Parameters: { G: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('DBSubnetGroupName is') }]);
    });
  });
});
