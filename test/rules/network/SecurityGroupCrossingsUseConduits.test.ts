import { App, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';
import { declareZoneModel, PROD_CONDITION, securityGroup, subnet, VPC, ZONE, zoneModel } from './network-fixtures';

const RULE = 'SecurityGroupCrossingsUseConduits';

const ZONES = [
  { name: 'edge', domain: 'edge' },
  { name: 'platform', domain: 'platform' },
  { name: 'data', domain: 'platform' },
];
const MQTT = { from: 'edge', to: 'platform', protocol: 'tcp', fromPort: 8883, toPort: 8883, description: 'device telemetry' };

function twoGroups(stack: Stack, zoneA: string | undefined, zoneB: string | undefined, port: ec2.Port): void {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const a = new ec2.SecurityGroup(stack, 'Device', { vpc });
  const b = new ec2.SecurityGroup(stack, 'Broker', { vpc });
  if (zoneA) Tags.of(a).add(ZONE, zoneA);
  if (zoneB) Tags.of(b).add(ZONE, zoneB);
  b.connections.allowFrom(a, port);
}

const ref = (id: string) => ({ 'Fn::GetAtt': [id, 'GroupId'] });
const rule = (extra: Record<string, unknown>) => ({ IpProtocol: 'tcp', FromPort: 8883, ToPort: 8883, ...extra });

describe('SRM-IIP-NET-06: security-group rules between zones match a declared conduit', () => {
  it('is exported from the package root', () => {
    expect(kit.SecurityGroupCrossingsUseConduits.controlId).toBe('SRM-IIP-NET-06');
    expect(kit.conduitCoversTraffic({ protocol: 'tcp', fromPort: 8000, toPort: 9000 }, { protocol: 'tcp', fromPort: 8883, toPort: 8883 })).toBe(true);
    expect(kit.conduitCoversTraffic({ protocol: 'tcp', fromPort: 443, toPort: 443 }, { protocol: 'all' })).toBe(false);
    expect(kit.conduitCoversTraffic({ protocol: '-1', fromPort: -1, toPort: -1 }, { protocol: 'udp', fromPort: 53, toPort: 53 })).toBe(true);
    expect(kit.crossingAllowed([MQTT], 'edge', 'platform', { protocol: 'tcp', fromPort: 8883, toPort: 8883 })).toBe(true);
    expect(kit.crossingAllowed([MQTT], 'platform', 'edge', { protocol: 'tcp', fromPort: 8883, toPort: 8883 })).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 edge-to-platform rule when the app declares no zone model', () => {
      const stack = new Stack(new App(), 'S');
      twoGroups(stack, 'edge', 'platform', ec2.Port.tcp(8883));
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-NET-06', ruleId: RULE, kind: 'violation', resourceType: 'AWS::EC2::SecurityGroupIngress' });
      expect(fs[0].message).toMatch(/lets zone 'edge' \(security group Device\w+\) reach zone 'platform' \(security group Broker\w+\) on tcp 8883, but no declared conduit covers it: the app declares no zone model/);
    });

    it('2: an L2 rule on a port the declared conduit does not cover', () => {
      const stack = new Stack(new App(), 'S');
      declareZoneModel(stack, ZONES, [MQTT]);
      twoGroups(stack, 'edge', 'platform', ec2.Port.tcp(22));
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('tcp 22, but no declared conduit covers it: conduits edge→platform allow only tcp 8883') }]);
    });

    it('3: a raw egress rule in the reverse direction of the conduit', () => {
      const t = template(
        { Vpc: VPC, E: securityGroup('edge'), P: securityGroup('platform', { SecurityGroupEgress: [rule({ DestinationSecurityGroupId: ref('E') })] }) },
        zoneModel(ZONES, [MQTT]),
      );
      expect(findings(t, RULE)).toMatchObject([
        { kind: 'violation', logicalId: 'P', location: 'SecurityGroupEgress.0', message: expect.stringContaining("the zone model declares no conduit from 'platform' to 'edge'") },
      ]);
    });

    it('4: a rule from an untagged group is unclassified', () => {
      const t = template({ Vpc: VPC, U: securityGroup(undefined), P: securityGroup('platform', { SecurityGroupIngress: [rule({ SourceSecurityGroupId: ref('U') })] }) }, zoneModel(ZONES, [MQTT]));
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('security group U has no srm-iip:zone tag (unclassified)') }]);
    });

    it('5: an L2 rule from the whole VPC CIDR reaches the edge subnets', () => {
      const stack = new Stack(new App(), 'S');
      declareZoneModel(stack, ZONES, [MQTT]);
      const vpc = new ec2.Vpc(stack, 'Vpc', {
        maxAzs: 1,
        natGateways: 0,
        subnetConfiguration: [
          { name: 'edge', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
          { name: 'platform', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        ],
      });
      Tags.of(vpc.isolatedSubnets[0]).add(ZONE, 'edge');
      Tags.of(vpc.isolatedSubnets[1]).add(ZONE, 'platform');
      const sg = new ec2.SecurityGroup(stack, 'Broker', { vpc });
      Tags.of(sg).add(ZONE, 'platform');
      sg.addIngressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(8883));
      sg.addIngressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(22));
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ kind: 'violation', location: 'SecurityGroupIngress.1' });
      expect(fs[0].message).toMatch(/lets zone 'edge' \(subnet \w+ \(via CidrIp 10\.0\.0\.0\/16\)\) reach zone 'platform'.* on tcp 22/);
    });

    it('6: cross-stack: an L2 rule between groups of two stacks', () => {
      const app = new App();
      const net = new Stack(app, 'Net');
      declareZoneModel(net, ZONES, [MQTT]);
      const vpc = new ec2.Vpc(net, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      const device = new ec2.SecurityGroup(net, 'Device', { vpc });
      Tags.of(device).add(ZONE, 'edge');
      const work = new Stack(app, 'Work');
      const db = new ec2.SecurityGroup(work, 'Db', { vpc });
      Tags.of(db).add(ZONE, 'data');
      db.connections.allowFrom(device, ec2.Port.tcp(5432));
      const fs = findingsForApp(app, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ kind: 'violation', stack: 'Work', message: expect.stringContaining("zone 'edge' (security group Device") });
      expect(fs[0].message).toContain('(stack Net)');
      expect(fs[0].message).toContain("reach zone 'data'");
    });

    it('7: one Fn::If branch of a port is outside the conduit', () => {
      const t = template(
        { Vpc: VPC, E: securityGroup('edge'), P: securityGroup('platform', { SecurityGroupIngress: [rule({ SourceSecurityGroupId: ref('E'), FromPort: { 'Fn::If': ['Prod', 8883, 22] }, ToPort: { 'Fn::If': ['Prod', 8883, 22] } })] }) },
        { ...PROD_CONDITION, ...zoneModel(ZONES, [MQTT]) },
      );
      const fs = findings(t, RULE);
      expect(fs.length).toBeGreaterThan(0);
      expect(fs.every((f) => f.kind === 'violation')).toBe(true);
      expect(fs.map((f) => f.message).join('\n')).toContain('tcp 22');
      expect(fs.map((f) => f.message).join('\n')).not.toMatch(/on tcp 8883,/);
    });
  });

  describe('Compliance', () => {
    it('an L2 rule matching a declared conduit', () => {
      const stack = new Stack(new App(), 'S');
      declareZoneModel(stack, ZONES, [MQTT]);
      twoGroups(stack, 'edge', 'platform', ec2.Port.tcp(8883));
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('rules within one zone, self references, allow-all egress to the internet and prefix lists are no crossings', () => {
      const t = template(
        {
          Vpc: VPC,
          A: securityGroup('platform', {
            SecurityGroupIngress: [rule({ SourceSecurityGroupId: ref('B') }), { IpProtocol: '-1', SourceSecurityGroupId: ref('A') }, rule({ SourcePrefixListId: 'pl-1' })],
            SecurityGroupEgress: [{ IpProtocol: '-1', CidrIp: '0.0.0.0/0' }, { IpProtocol: '-1', CidrIpv6: '::/0' }],
          }),
          B: securityGroup('data'),
        },
        zoneModel([{ name: 'platform', domain: 'platform' }, { name: 'data', domain: 'platform' }]),
      );
      // B (data) → A (platform) is a crossing: declare it and the template passes.
      expect(findings(t, RULE)).toHaveLength(1);
      const declared = { ...t, ...zoneModel([{ name: 'platform', domain: 'platform' }, { name: 'data', domain: 'platform' }], [{ from: 'data', to: 'platform', protocol: '-1', fromPort: -1, toPort: -1 }]) };
      expect(findings(declared, RULE)).toEqual([]);
    });

    it('every Fn::If branch of a port is inside the conduit', () => {
      const t = template(
        { Vpc: VPC, E: securityGroup('edge'), P: securityGroup('platform', { SecurityGroupIngress: [rule({ SourceSecurityGroupId: ref('E'), FromPort: { 'Fn::If': ['Prod', 8883, 8000] }, ToPort: { 'Fn::If': ['Prod', 8883, 9000] } })] }) },
        { ...PROD_CONDITION, ...zoneModel(ZONES, [{ ...MQTT, fromPort: 8000, toPort: 9000 }]) },
      );
      expect(findings(t, RULE)).toEqual([]);
    });

    it('cross-stack raw templates with a conduit declared in the other stack', () => {
      const net = template({ Vpc: VPC, E: securityGroup('edge') }, { ...zoneModel(ZONES, [MQTT]), Outputs: { O: { Value: ref('E'), Export: { Name: 'edge-sg' } } } });
      const work = template({ P: securityGroup('platform', { SecurityGroupIngress: [rule({ SourceSecurityGroupId: { 'Fn::ImportValue': 'edge-sg' } })] }) });
      expect(runOnTemplates([net, work], RULE).findings).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a source group from a parameter is unverifiable', () => {
      const t = template({ Vpc: VPC, P: securityGroup('platform', { SecurityGroupIngress: [rule({ SourceSecurityGroupId: { Ref: 'Src' } })] }) }, { Parameters: { Src: { Type: 'AWS::EC2::SecurityGroup::Id' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Src') }]);
    });

    it('a port from a parameter on a crossing is unverifiable', () => {
      const t = template(
        { Vpc: VPC, E: securityGroup('edge'), P: securityGroup('platform', { SecurityGroupIngress: [rule({ SourceSecurityGroupId: ref('E'), FromPort: { Ref: 'Port' }, ToPort: { Ref: 'Port' } })] }) },
        { Parameters: { Port: { Type: 'Number' } }, ...zoneModel(ZONES, [MQTT]) },
      );
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Port') }]);
    });

    it('a CIDR from a parameter is unverifiable', () => {
      const t = template({ Vpc: VPC, S: subnet('edge'), P: securityGroup('platform', { SecurityGroupIngress: [rule({ CidrIp: { Ref: 'Cidr' } })] }) }, { Parameters: { Cidr: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Cidr') }]);
    });
  });
});
