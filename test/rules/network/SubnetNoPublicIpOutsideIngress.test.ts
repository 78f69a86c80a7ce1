import { App, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';
import { PROD_CONDITION, subnet, VPC, ZONE, zoneModel } from './network-fixtures';

const RULE = 'SubnetNoPublicIpOutsideIngress';

function publicVpc(zone?: string): Stack {
  const stack = new Stack(new App(), 'S');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'pub', subnetType: ec2.SubnetType.PUBLIC }] });
  if (zone) for (const s of vpc.publicSubnets) Tags.of(s).add(ZONE, zone);
  return stack;
}

describe('SRM-IIP-NET-03: subnets map public IPs on launch only in an internet-facing zone', () => {
  it('is exported from the package root', () => {
    expect(kit.SubnetNoPublicIpOutsideIngress.controlId).toBe('SRM-IIP-NET-03');
    expect(kit.publicAddressAllowed(true, false)).toBe(false);
    expect(kit.publicAddressAllowed(true, true)).toBe(true);
    expect(kit.publicAddressAllowed(false, false)).toBe(true);
  });

  describe('Noncompliance', () => {
    it('1: an L2 public subnet tagged with the platform zone', () => {
      const fs = findingsForApp(publicVpc('platform'), RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-NET-03', ruleId: RULE, kind: 'violation', resourceType: 'AWS::EC2::Subnet', location: 'MapPublicIpOnLaunch' });
      expect(fs[0].message).toContain("its zone 'platform' is not internet-facing");
    });

    it('2: an L2 public subnet without a zone tag is unclassified', () => {
      expect(findingsForApp(publicVpc(), RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('unclassified') }]);
    });

    it('3: "true" as a string in a data subnet', () => {
      const t = template({ Vpc: VPC, S: subnet('data', '10.0.1.0/24', { MapPublicIpOnLaunch: 'true' }) });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining("zone 'data'") }]);
    });

    it('4: one Fn::If branch maps public IPs', () => {
      const t = template({ Vpc: VPC, S: subnet('application', '10.0.1.0/24', { MapPublicIpOnLaunch: { 'Fn::If': ['Prod', false, true] } }) }, PROD_CONDITION);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation' }]);
    });

    it('5: a declared zone model without internet-facing flag on the zone', () => {
      const t = template({ Vpc: VPC, S: subnet('dmz', '10.0.1.0/24', { MapPublicIpOnLaunch: true }) }, zoneModel([{ name: 'dmz', domain: 'application' }]));
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining("internet-facing zone (none declared)") }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 public subnet in the ingress zone', () => {
      expect(findingsForApp(publicVpc('ingress'), RULE)).toEqual([]);
    });

    it('a declared internet-facing zone, and a private subnet with the default (false)', () => {
      const t = template(
        { Vpc: VPC, S: subnet('dmz', '10.0.1.0/24', { MapPublicIpOnLaunch: true }), P: subnet('core', '10.0.2.0/24') },
        zoneModel([{ name: 'dmz', domain: 'application', internetFacing: true }, { name: 'core', domain: 'platform' }]),
      );
      expect(findings(t, RULE)).toEqual([]);
    });

    it('every Fn::If branch keeps public IPs off', () => {
      const t = template({ Vpc: VPC, S: subnet('platform', '10.0.1.0/24', { MapPublicIpOnLaunch: { 'Fn::If': ['Prod', false, 'false'] } }) }, PROD_CONDITION);
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('MapPublicIpOnLaunch from a parameter outside the ingress zone is unverifiable', () => {
      const t = template({ Vpc: VPC, S: subnet('platform', '10.0.1.0/24', { MapPublicIpOnLaunch: { Ref: 'Pub' } }) }, { Parameters: { Pub: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Pub') }]);
    });

    it('a zone tag from a parameter on a public subnet is unverifiable', () => {
      const t = template({ Vpc: VPC, S: subnet({ Ref: 'Z' }, '10.0.1.0/24', { MapPublicIpOnLaunch: true }) }, { Parameters: { Z: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Z') }]);
    });
  });
});
