import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { runOnTemplates, template } from '../../support/harness';
import { PROD_CONDITION } from './network-fixtures';

/** The rules of SRM-IIP-NET-01/02/03/06 owned by this folder's zone-model work. */
const RULES = [
  kit.SubnetHasOneZone,
  kit.SubnetPlacementInOwnDomain,
  kit.SecurityGroupNoPublicIngress,
  kit.SecurityGroupNoAllPortsIngress,
  kit.SubnetNoPublicIpOutsideIngress,
  kit.InternetRouteOnlyFromIngress,
  kit.DatabasesNotPublic,
  kit.SearchDomainsInVpc,
  kit.ComputeNoPublicIpOutsideIngress,
  kit.ZoneModelWellFormed,
  kit.SecurityGroupCrossingsUseConduits,
  kit.NetworkAclCrossingsUseConduits,
];

const TYPES = [...new Set(RULES.flatMap((r) => r.resourceTypes)), 'AWS::EC2::RouteTable', 'AWS::EC2::NetworkAcl'];

const ODD: unknown[] = [
  null,
  'text',
  42,
  true,
  'true',
  [],
  [null, 'x', 3, { Ref: 'AWS::NoValue' }],
  { Ref: 'AWS::NoValue' },
  { Ref: 'Missing' },
  { Ref: 'P' },
  { 'Fn::If': ['Prod', { Ref: 'A' }, 'x'] },
  { 'Fn::If': ['Prod', [{ Ref: 'A' }, null], { Ref: 'AWS::NoValue' }] },
  { 'Fn::GetAtt': ['A', 'GroupId'] },
  { 'Fn::ImportValue': 'nowhere' },
  { 'Fn::Join': ['', ['10.0.', { Ref: 'P' }, '.0/24']] },
  { 'Fn::Select': [0, { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] }] },
  [{ Key: 'srm-iip:zone', Value: { 'Fn::If': ['Prod', 'edge', 42] } }, { Key: { Ref: 'P' }, Value: 'x' }],
  { CidrIp: '0.0.0.0/0', IpProtocol: -1 },
  [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: '443', ToPort: 'x' }, 'junk', { 'Fn::If': ['Prod', { IpProtocol: 'all' }, { Ref: 'AWS::NoValue' }] }],
  { SubnetIds: 'subnet-1', SecurityGroupIds: {} },
  'x'.repeat(5000),
  Array.from({ length: 300 }, (_, i) => ({ Ref: i % 2 ? 'A' : 'B' })),
];

const PROPS = [
  'Tags', 'SubnetId', 'SubnetIds', 'Subnets', 'VpcId', 'CidrBlock', 'Ipv6CidrBlock', 'MapPublicIpOnLaunch', 'SecurityGroupIngress', 'SecurityGroupEgress',
  'GroupId', 'SourceSecurityGroupId', 'DestinationSecurityGroupId', 'CidrIp', 'CidrIpv6', 'IpProtocol', 'FromPort', 'ToPort', 'GatewayId', 'RouteTableId',
  'NetworkAclId', 'Egress', 'RuleAction', 'Protocol', 'PortRange', 'Icmp', 'PubliclyAccessible', 'Engine', 'DBSubnetGroupName', 'DBClusterIdentifier',
  'VPCOptions', 'NetworkInterfaces', 'LaunchTemplateData', 'TagSpecifications', 'VpcConfig', 'VPCZoneIdentifier', 'LaunchTemplate', 'NetworkConfiguration',
];

function run(resources: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const t = template(resources as never, { ...PROD_CONDITION, Parameters: { ...PROD_CONDITION.Parameters, P: { Type: 'String' } }, ...extra });
  const findings = RULES.flatMap((r) => runOnTemplates([t], r.id).findings);
  return findings;
}

describe('SRM-IIP-NET-01/02/03/06 rules never throw on odd property shapes', () => {
  it('every rule survives every odd value in every property it may read', () => {
    for (const type of TYPES) {
      for (const odd of ODD) {
        const props = Object.fromEntries(PROPS.map((p) => [p, odd]));
        const fs = run({ A: { Type: type, Properties: props }, B: { Type: 'AWS::EC2::Subnet', Properties: props }, C: { Type: 'AWS::EC2::SecurityGroup', Properties: props } });
        const crashed = fs.filter((f) => f.message.includes('could not read'));
        expect(crashed, `${type} with ${JSON.stringify(odd).slice(0, 80)}`).toEqual([]);
      }
    }
  });

  it('an odd zone model in template metadata is reported, not thrown on', () => {
    const models: unknown[] = [null, 'x', { zones: 'x', conduits: 3 }, { zones: [null, 1, { name: 3 }], conduits: [null, { from: 1 }, { from: 'a', to: 'b', fromPort: 'x' }] }];
    for (const m of models) {
      const fs = run({ A: { Type: 'AWS::EC2::SecurityGroup', Properties: {} } }, { Metadata: { 'srm-iip': { zoneModel: m } } });
      expect(fs.filter((f) => f.message.includes('could not read'))).toEqual([]);
    }
  });

  it('random JSON in the properties of every resource type never makes a rule throw', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TYPES), fc.dictionary(fc.constantFrom(...PROPS), fc.jsonValue({ maxDepth: 4 })), (type, props) => {
        const fs = run({ A: { Type: type, Properties: props }, S: { Type: 'AWS::EC2::Subnet', Properties: props } });
        return fs.every((f) => !f.message.includes('could not read'));
      }),
      { numRuns: 300 },
    );
  });
});
