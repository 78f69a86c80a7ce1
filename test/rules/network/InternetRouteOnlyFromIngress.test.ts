import { App, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';
import { PROD_CONDITION, subnet, VPC, ZONE } from './network-fixtures';

const RULE = 'InternetRouteOnlyFromIngress';

const IGW = { Type: 'AWS::EC2::InternetGateway', Properties: {} };
const RT = { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } };
const assoc = (rt: unknown, sub: unknown) => ({ Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { RouteTableId: rt, SubnetId: sub } });
const route = (gateway: unknown, rt: unknown = { Ref: 'Rt' }) => ({ Type: 'AWS::EC2::Route', Properties: { RouteTableId: rt, DestinationCidrBlock: '0.0.0.0/0', GatewayId: gateway } });

function cdkVpc(publicZone?: string): Stack {
  const stack = new Stack(new App(), 'S');
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 1,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'pub', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    ],
  });
  if (publicZone) for (const s of vpc.publicSubnets) Tags.of(s).add(ZONE, publicZone);
  for (const s of vpc.privateSubnets) Tags.of(s).add(ZONE, 'application');
  return stack;
}

describe('SRM-IIP-NET-03: routes to an internet gateway exist only for internet-facing-zone subnets', () => {
  it('is exported from the package root', () => {
    expect(kit.InternetRouteOnlyFromIngress.controlId).toBe('SRM-IIP-NET-03');
    expect(kit.internetRouteAllowed([true, true])).toBe(true);
    expect(kit.internetRouteAllowed([true, false])).toBe(false);
    expect(kit.internetRouteAllowed([])).toBe(false);
    expect(kit.isInternetGatewayId('igw-0abc')).toBe(true);
  });

  describe('Noncompliance', () => {
    it('1: an L2 VPC whose public subnet is tagged with the platform zone', () => {
      const fs = findingsForApp(cdkVpc('platform'), RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-NET-03', ruleId: RULE, kind: 'violation', resourceType: 'AWS::EC2::Route', location: 'GatewayId' });
      expect(fs[0].message).toMatch(/route to internet gateway VpcIGW\w+ in route table \w+ gives a public path to subnet \w+ \(its zone 'platform' is not internet-facing\)/);
    });

    it('2: an L2 VPC with untagged public subnets is unclassified', () => {
      expect(findingsForApp(cdkVpc(), RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('unclassified') }]);
    });

    it('3: a route table associated with no subnet at all', () => {
      const t = template({ Vpc: VPC, Igw: IGW, Rt: RT, R: route({ Ref: 'Igw' }) });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', location: 'RouteTableId', message: expect.stringContaining('associated with no subnet of an internet-facing zone (ingress)') }]);
    });

    it('4: a literal igw- ID in a route table shared by ingress and data subnets', () => {
      const t = template({
        Vpc: VPC,
        Rt: RT,
        In: subnet('ingress', '10.0.1.0/24'),
        Da: subnet('data', '10.0.2.0/24'),
        A1: assoc({ Ref: 'Rt' }, { Ref: 'In' }),
        A2: assoc({ Ref: 'Rt' }, { Ref: 'Da' }),
        R: route('igw-0123'),
      });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringMatching(/internet gateway 'igw-0123'.*subnet Da \(its zone 'data'/) }]);
    });

    it('5: cross-stack: the route in one stack, the route table and subnet in another', () => {
      const net = template(
        { Vpc: VPC, Igw: IGW, Rt: RT, P: subnet('platform'), A: assoc({ Ref: 'Rt' }, { Ref: 'P' }) },
        { Outputs: { Rt: { Value: { Ref: 'Rt' }, Export: { Name: 'rt' } }, Igw: { Value: { Ref: 'Igw' }, Export: { Name: 'igw' } } } },
      );
      const routes = template({ R: route({ 'Fn::ImportValue': 'igw' }, { 'Fn::ImportValue': 'rt' }) });
      expect(runOnTemplates([net, routes], RULE).findings).toMatchObject([
        { kind: 'violation', stack: 'Stack1', logicalId: 'R', message: expect.stringContaining('internet gateway Igw (stack Stack0) in route table Rt (stack Stack0) gives a public path to subnet P (stack Stack0)') },
      ]);
    });

    it('6: one Fn::If branch routes a platform subnet to the internet gateway', () => {
      const t = template(
        {
          Vpc: VPC,
          Igw: IGW,
          Vgw: { Type: 'AWS::EC2::VPNGateway', Properties: { Type: 'ipsec.1' } },
          Rt: RT,
          P: subnet('platform'),
          A: assoc({ Ref: 'Rt' }, { Ref: 'P' }),
          R: route({ 'Fn::If': ['Prod', { Ref: 'Vgw' }, { Ref: 'Igw' }] }),
        },
        PROD_CONDITION,
      );
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', logicalId: 'R' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 VPC with ingress-zone public subnets (private subnets route through NAT)', () => {
      expect(findingsForApp(cdkVpc('ingress'), RULE)).toEqual([]);
    });

    it('every Fn::If branch routes a platform subnet to a non-internet gateway', () => {
      const t = template(
        {
          Vpc: VPC,
          Vgw: { Type: 'AWS::EC2::VPNGateway', Properties: { Type: 'ipsec.1' } },
          Rt: RT,
          P: subnet('platform'),
          A: assoc({ Ref: 'Rt' }, { Ref: 'P' }),
          R: route({ 'Fn::If': ['Prod', { Ref: 'Vgw' }, 'vgw-0123'] }),
        },
        PROD_CONDITION,
      );
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a gateway from a parameter in a platform route table is unverifiable', () => {
      const t = template({ Vpc: VPC, Rt: RT, P: subnet('platform'), A: assoc({ Ref: 'Rt' }, { Ref: 'P' }), R: route({ Ref: 'Gw' }) }, { Parameters: { Gw: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', location: 'GatewayId', message: expect.stringContaining('parameter Gw') }]);
    });

    it('a gateway from a parameter in an ingress route table passes', () => {
      const t = template({ Vpc: VPC, Rt: RT, P: subnet('ingress'), A: assoc({ Ref: 'Rt' }, { Ref: 'P' }), R: route({ Ref: 'Gw' }) }, { Parameters: { Gw: { Type: 'String' } } });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('an internet route in a route table outside the app is unverifiable', () => {
      const t = template({ Igw: IGW, R: route({ Ref: 'Igw' }, 'rtb-0123') });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', location: 'RouteTableId', message: expect.stringContaining("'rtb-0123'") }]);
    });

    it('an association with a route table from a parameter is unverifiable when internet routes exist', () => {
      const t = template(
        { Vpc: VPC, Igw: IGW, Rt: RT, In: subnet('ingress', '10.0.1.0/24'), P: subnet('platform', '10.0.2.0/24'), A: assoc({ Ref: 'Rt' }, { Ref: 'In' }), B: assoc({ Ref: 'RtParam' }, { Ref: 'P' }), R: route({ Ref: 'Igw' }) },
        { Parameters: { RtParam: { Type: 'String' } } },
      );
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', logicalId: 'B', message: expect.stringContaining('parameter RtParam') }]);
    });
  });
});
