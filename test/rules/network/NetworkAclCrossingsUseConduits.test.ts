import { App, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';
import { declareZoneModel, PROD_CONDITION, subnet, VPC, ZONE, zoneModel } from './network-fixtures';

const RULE = 'NetworkAclCrossingsUseConduits';

const ZONES = [
  { name: 'edge', domain: 'edge' },
  { name: 'platform', domain: 'platform' },
];
const MQTT = { from: 'edge', to: 'platform', protocol: 'tcp', fromPort: 8883, toPort: 8883 };

function aclStack(port: ec2.AclTraffic, declare: boolean): Stack {
  const stack = new Stack(new App(), 'S');
  if (declare) declareZoneModel(stack, ZONES, [MQTT]);
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
  const acl = new ec2.NetworkAcl(stack, 'Acl', { vpc, subnetSelection: { subnetGroupName: 'platform' } });
  acl.addEntry('FromEdge', { cidr: ec2.AclCidr.ipv4('10.0.0.0/17'), ruleNumber: 100, traffic: port, direction: ec2.TrafficDirection.INGRESS, ruleAction: ec2.Action.ALLOW });
  return stack;
}

/** A raw VPC with an edge subnet (10.0.1.0/24) and a platform subnet (10.0.2.0/24) guarded by ACL `Acl`. */
function rawAcl(entry: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return template(
    {
      Vpc: VPC,
      E: subnet('edge', '10.0.1.0/24'),
      P: subnet('platform', '10.0.2.0/24'),
      Acl: { Type: 'AWS::EC2::NetworkAcl', Properties: { VpcId: { Ref: 'Vpc' } } },
      Assoc: { Type: 'AWS::EC2::SubnetNetworkAclAssociation', Properties: { NetworkAclId: { Ref: 'Acl' }, SubnetId: { Ref: 'P' } } },
      Entry: { Type: 'AWS::EC2::NetworkAclEntry', Properties: { NetworkAclId: { Ref: 'Acl' }, RuleNumber: 100, RuleAction: 'allow', Protocol: 6, PortRange: { From: 8883, To: 8883 }, ...entry } },
    },
    extra,
  );
}

describe('SRM-IIP-NET-06: network ACL ingress entries between zones match a declared conduit', () => {
  it('is exported from the package root', () => {
    expect(kit.NetworkAclCrossingsUseConduits.controlId).toBe('SRM-IIP-NET-06');
    expect(kit.isAllowingIngressEntry(false, 'allow')).toBe(true);
    expect(kit.isAllowingIngressEntry(true, 'allow')).toBe(false);
    expect(kit.isAllowingIngressEntry(false, 'deny')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 ACL admitting the edge subnet into platform subnets, with no zone model', () => {
      const fs = findingsForApp(aclStack(ec2.AclTraffic.tcpPort(22), false), RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-NET-06', ruleId: RULE, kind: 'violation', resourceType: 'AWS::EC2::NetworkAclEntry' });
      expect(fs[0].message).toMatch(/lets zone 'edge' \(subnet \w+ \(via CidrBlock 10\.0\.0\.0\/17\)\) reach zone 'platform' \(subnet \w+\) on tcp 22, but no declared conduit covers it: the app declares no zone model/);
    });

    it('2: a host address inside the edge subnet on a port outside the conduit', () => {
      const fs = findings(rawAcl({ CidrBlock: '10.0.1.7/32', PortRange: { From: 22, To: 22 } }, zoneModel(ZONES, [MQTT])), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', logicalId: 'Entry', message: expect.stringContaining('conduits edge→platform allow only tcp 8883') }]);
    });

    it('3: the whole VPC range for all traffic (protocol -1)', () => {
      const fs = findings(rawAcl({ CidrBlock: '10.0.0.0/16', Protocol: -1, PortRange: undefined }, zoneModel(ZONES, [MQTT])), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining("zone 'edge' (subnet E (via CidrBlock 10.0.0.0/16)) reach zone 'platform' (subnet P) on all traffic") }]);
    });

    it('4: cross-stack: the entry in one stack, the ACL and its subnets in another', () => {
      const base = rawAcl({ CidrBlock: '10.0.1.0/24', PortRange: { From: 22, To: 22 } }) as { Resources: Record<string, unknown> };
      const entry = base.Resources.Entry as { Properties: Record<string, unknown> };
      delete base.Resources.Entry;
      const net = { ...base, Outputs: { O: { Value: { Ref: 'Acl' }, Export: { Name: 'acl' } } } };
      const rules = template({ Entry: { Type: 'AWS::EC2::NetworkAclEntry', Properties: { ...entry.Properties, NetworkAclId: { 'Fn::ImportValue': 'acl' } } } });
      expect(runOnTemplates([net, rules], RULE).findings).toMatchObject([{ kind: 'violation', stack: 'Stack1', message: expect.stringContaining('network ACL entry of Acl (stack Stack0)') }]);
    });

    it('5: one Fn::If branch admits the edge subnet', () => {
      const fs = findings(rawAcl({ CidrBlock: { 'Fn::If': ['Prod', '10.0.2.0/24', '10.0.1.0/24'] }, PortRange: { From: 22, To: 22 } }, PROD_CONDITION), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining("zone 'edge'") }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 entry matching the declared conduit', () => {
      expect(findingsForApp(aclStack(ec2.AclTraffic.tcpPort(8883), true), RULE)).toEqual([]);
    });

    it('egress entries, deny entries, the internet and the own zone are no undeclared crossings', () => {
      expect(findings(rawAcl({ CidrBlock: '10.0.1.0/24', PortRange: { From: 22, To: 22 }, Egress: true }), RULE)).toEqual([]);
      expect(findings(rawAcl({ CidrBlock: '10.0.1.0/24', PortRange: { From: 22, To: 22 }, RuleAction: 'deny' }), RULE)).toEqual([]);
      expect(findings(rawAcl({ CidrBlock: '0.0.0.0/0', PortRange: { From: 22, To: 22 } }), RULE)).toEqual([]);
      expect(findings(rawAcl({ CidrBlock: '10.0.2.0/24', Protocol: -1 }), RULE)).toEqual([]);
    });

    it('every Fn::If branch stays in the own zone or uses the conduit', () => {
      const fs = findings(rawAcl({ CidrBlock: { 'Fn::If': ['Prod', '10.0.2.0/24', '10.0.1.0/24'] } }, { ...PROD_CONDITION, ...zoneModel(ZONES, [MQTT]) }), RULE);
      expect(fs).toEqual([]);
    });
  });

  describe('Return traffic (NACLs are stateless)', () => {
    /** platform → edge: platform opens connections to edge, so the platform ACL must admit edge's replies. */
    const PLATFORM_TO_EDGE = { from: 'platform', to: 'edge', protocol: 'tcp', fromPort: 443, toPort: 443 };
    const REPLY = { CidrBlock: '10.0.1.0/24', Protocol: 6, PortRange: { From: 1024, To: 65535 } };

    it('a reply entry (tcp 1024-65535 from edge) is covered by the reverse conduit platform → edge', () => {
      expect(findings(rawAcl(REPLY, zoneModel(ZONES, [MQTT, PLATFORM_TO_EDGE])), RULE)).toEqual([]);
      expect(findings(rawAcl({ ...REPLY, PortRange: { From: 32768, To: 60999 } }, zoneModel(ZONES, [PLATFORM_TO_EDGE])), RULE)).toEqual([]);
    });

    it('a udp reply entry is covered by a reverse udp conduit, and by a reverse conduit for all protocols', () => {
      const udp = { ...REPLY, Protocol: 17 };
      expect(findings(rawAcl(udp, zoneModel(ZONES, [{ ...PLATFORM_TO_EDGE, protocol: 'udp', fromPort: 53, toPort: 53 }])), RULE)).toEqual([]);
      expect(findings(rawAcl(udp, zoneModel(ZONES, [{ ...PLATFORM_TO_EDGE, protocol: '-1', fromPort: -1, toPort: -1 }])), RULE)).toEqual([]);
    });

    it('a reply entry without a reverse conduit is a violation', () => {
      const fs = findings(rawAcl(REPLY, zoneModel(ZONES, [MQTT])), RULE);
      expect(fs).toMatchObject([
        {
          kind: 'violation',
          logicalId: 'Entry',
          message: expect.stringContaining(
            "reach zone 'platform' (subnet P) on tcp 1024-65535, but no declared conduit covers it: conduits edge→platform allow only tcp 8883; as return traffic it would need a conduit 'platform'→'edge' for tcp, and none is declared",
          ),
        },
      ]);
    });

    it('a reverse conduit for another protocol does not cover the replies', () => {
      const fs = findings(rawAcl({ ...REPLY, Protocol: 17 }, zoneModel(ZONES, [PLATFORM_TO_EDGE])), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining('on udp 1024-65535') }]);
    });

    it('an entry for all protocols (-1) on the reply ports is no reply entry', () => {
      const conduits = [PLATFORM_TO_EDGE, { ...PLATFORM_TO_EDGE, protocol: 'udp' }, { ...PLATFORM_TO_EDGE, protocol: 'all', fromPort: -1, toPort: -1 }];
      const fs = findings(rawAcl({ ...REPLY, Protocol: -1 }, zoneModel(ZONES, conduits)), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining("reach zone 'platform' (subnet P) on all traffic, but no declared conduit covers it: the zone model declares no conduit from 'edge' to 'platform'") }]);
      expect(fs[0].message).not.toContain('return traffic');
    });

    it('ports partly below 1024 are no reply traffic', () => {
      for (const PortRange of [{ From: 1023, To: 65535 }, { From: 0, To: 65535 }, undefined]) {
        const fs = findings(rawAcl({ ...REPLY, PortRange }, zoneModel(ZONES, [PLATFORM_TO_EDGE])), RULE);
        expect(fs).toMatchObject([{ kind: 'violation', logicalId: 'Entry' }]);
        expect(fs[0].message).not.toContain('return traffic');
      }
    });

    it('a conduit in the same direction as the entry is no reverse conduit', () => {
      const fs = findings(rawAcl(REPLY, zoneModel(ZONES, [{ ...MQTT, fromPort: 8883, toPort: 8883 }, { from: 'edge', to: 'platform', protocol: 'tcp', fromPort: 443, toPort: 443 }])), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining("a conduit 'platform'→'edge' for tcp") }]);
    });
  });

  describe('Unresolvable values', () => {
    it('a CIDR block from a parameter is unverifiable', () => {
      const fs = findings(rawAcl({ CidrBlock: { Ref: 'Cidr' } }, { Parameters: { Cidr: { Type: 'String' } } }), RULE);
      expect(fs).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Cidr') }]);
    });

    it('a protocol from a parameter on a crossing is unverifiable', () => {
      const fs = findings(rawAcl({ CidrBlock: '10.0.1.0/24', Protocol: { Ref: 'Proto' } }, { Parameters: { Proto: { Type: 'Number' } }, ...zoneModel(ZONES, [MQTT]) }), RULE);
      expect(fs).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Proto') }]);
    });
  });
});
