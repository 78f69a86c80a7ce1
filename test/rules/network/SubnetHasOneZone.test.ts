import { App, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';
import { PROD_CONDITION, subnet, VPC, ZONE, zoneModel } from './network-fixtures';

const RULE = 'SubnetHasOneZone';

function twoSubnetVpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 1,
    natGateways: 0,
    subnetConfiguration: [
      { name: 'ingress', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
}

describe('SRM-IIP-NET-01: every subnet carries exactly one zone tag naming a zone of the zone model', () => {
  it('is exported from the package root and registered', () => {
    expect(kit.SubnetHasOneZone.controlId).toBe('SRM-IIP-NET-01');
    expect(kit.NETWORK_RULES).toContain(kit.SubnetHasOneZone);
  });

  describe('Noncompliance', () => {
    it('1: L2 VPC subnets without zone tags are unclassified', () => {
      const stack = new Stack(new App(), 'S');
      twoSubnetVpc(stack);
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(2);
      for (const f of fs) {
        expect(f).toMatchObject({ controlId: 'SRM-IIP-NET-01', ruleId: RULE, kind: 'violation', resourceType: 'AWS::EC2::Subnet', location: 'Tags' });
        expect(f.message).toContain('unclassified');
      }
    });

    it('2: a subnet with two zone tags', () => {
      const t = template({
        Vpc: VPC,
        S: subnet(undefined, '10.0.1.0/24', { Tags: [{ Key: ZONE, Value: 'edge' }, { Key: ZONE, Value: 'platform' }] }),
      });
      const fs = findings(t, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ kind: 'violation', logicalId: 'S', message: expect.stringContaining('carries 2 srm-iip:zone tags') });
    });

    it('3: a zone the declared zone model does not know', () => {
      const t = template({ Vpc: VPC, S: subnet('dmz') }, zoneModel([{ name: 'ingress', domain: 'application', internetFacing: true }]));
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringMatching(/zone 'dmz', which the zone model does not declare; declared zones: ingress/) }]);
    });

    it('4: without a declared model, a zone that is not a default zone', () => {
      const t = template({ Vpc: VPC, S: subnet('dmz') });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining("zone 'dmz', which is not a default zone") }]);
    });

    it('5: one Fn::If branch names an unknown zone', () => {
      const t = template({ Vpc: VPC, S: subnet({ 'Fn::If': ['Prod', 'platform', 'bogus'] }) }, PROD_CONDITION);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining("'bogus'") }]);
    });

    it('6: one Fn::If branch drops the zone tag (AWS::NoValue)', () => {
      const t = template({ Vpc: VPC, S: subnet({ 'Fn::If': ['Prod', 'platform', { Ref: 'AWS::NoValue' }] }) }, PROD_CONDITION);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('unclassified') }]);
    });
  });

  describe('Compliance', () => {
    it('L2 VPC whose subnets are tagged with default zones', () => {
      const stack = new Stack(new App(), 'S');
      const vpc = twoSubnetVpc(stack);
      for (const s of vpc.publicSubnets) Tags.of(s).add(ZONE, 'ingress');
      for (const s of vpc.isolatedSubnets) Tags.of(s).add(ZONE, 'data');
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('a zone declared in the template zone model', () => {
      const t = template({ Vpc: VPC, S: subnet('dmz') }, zoneModel([{ name: 'dmz', domain: 'application', internetFacing: true }]));
      expect(findings(t, RULE)).toEqual([]);
    });

    it('every Fn::If branch names a known zone', () => {
      const t = template({ Vpc: VPC, S: subnet({ 'Fn::If': ['Prod', 'platform', 'data'] }) }, PROD_CONDITION);
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a zone tag from a parameter is unverifiable', () => {
      const t = template({ Vpc: VPC, S: subnet({ Ref: 'Zone' }) }, { Parameters: { Zone: { Type: 'String', Default: 'platform' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Zone') }]);
    });

    it('a whole tag list from a parameter is unverifiable', () => {
      const t = template({ Vpc: VPC, S: subnet(undefined, '10.0.1.0/24', { Tags: { Ref: 'TagList' } }) }, { Parameters: { TagList: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable' }]);
    });

    it('a zone pinned by AllowedValues to known zones passes', () => {
      const t = template({ Vpc: VPC, S: subnet({ Ref: 'Zone' }) }, { Parameters: { Zone: { Type: 'String', AllowedValues: ['platform', 'data'] } } });
      expect(findings(t, RULE)).toEqual([]);
    });
  });
});
