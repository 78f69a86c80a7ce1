import { App, CfnParameter, CfnResource, Lazy, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, test } from 'vitest';
import * as kit from '../../index';
import { appWithStack, ENV, envStack, expectCleanUnderAllPacks, expectSrmIipError, kitFindings } from '../support/construct-helpers';

const ZONE_TAG = 'srm-iip:zone';

function make(props: kit.IipNetworkProps = {}, env = true): { app: App; stack: Stack; net: kit.IipNetwork } {
  const { app, stack } = appWithStack(env ? ENV : false);
  const net = new kit.IipNetwork(stack, 'Net', props);
  return { app, stack, net };
}

/** Constructing a network with `props` in a fresh stack without an environment throws `message`. */
function expectError(props: kit.IipNetworkProps, message: string): void {
  expectSrmIipError(() => make(props, false), message);
}

/** `n` more edge → platform conduits on ports 9001.. */
function extraConduits(n: number): kit.Conduit[] {
  return Array.from({ length: n }, (_, i) => ({ from: 'edge', to: 'platform', fromPort: 9001 + i }));
}

function zoneOf(resource: { Properties?: { Tags?: Array<{ Key: string; Value: unknown }> } }): unknown {
  return resource.Properties?.Tags?.find((t) => t.Key === ZONE_TAG)?.Value;
}

function resourcesOf(t: Template, type: string): Record<string, { Properties: Record<string, any> }> {
  return t.findResources(type) as Record<string, { Properties: Record<string, any> }>;
}

describe('IipNetwork: secure defaults', () => {
  const { stack, net } = make();
  const t = Template.fromStack(stack);
  const subnets = resourcesOf(t, 'AWS::EC2::Subnet');
  const subnetZone = new Map(Object.entries(subnets).map(([id, s]) => [id, zoneOf(s)]));

  test('a VPC with DNS support for the private endpoints, 10.0.0.0/16', () => {
    t.resourceCountIs('AWS::EC2::VPC', 1);
    t.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16', EnableDnsHostnames: true, EnableDnsSupport: true });
  });

  test('one subnet per zone and AZ: five zones across two AZs, each subnet tagged with its zone (NET-01)', () => {
    t.resourceCountIs('AWS::EC2::Subnet', 10);
    const count = new Map<unknown, number>();
    for (const z of subnetZone.values()) count.set(z, (count.get(z) ?? 0) + 1);
    expect(Object.fromEntries(count)).toEqual({ ingress: 2, edge: 2, platform: 2, application: 2, data: 2 });
    expect(net.zones.map((z) => z.name)).toEqual(['ingress', 'edge', 'platform', 'application', 'data']);
  });

  test('no subnet maps public IPs on launch, not even in the ingress zone (NET-03)', () => {
    for (const s of Object.values(subnets)) expect(s.Properties.MapPublicIpOnLaunch).toBe(false);
  });

  test('no NAT gateway and no elastic IP', () => {
    t.resourceCountIs('AWS::EC2::NatGateway', 0);
    t.resourceCountIs('AWS::EC2::EIP', 0);
  });

  test('only route tables of the ingress zone route to the internet gateway (NET-03)', () => {
    const routes = Object.values(resourcesOf(t, 'AWS::EC2::Route')).filter((r) => r.Properties.GatewayId !== undefined);
    expect(routes).toHaveLength(2);
    const assocs = Object.values(resourcesOf(t, 'AWS::EC2::SubnetRouteTableAssociation'));
    for (const r of routes) {
      const table = r.Properties.RouteTableId.Ref;
      const zones = assocs.filter((a) => a.Properties.RouteTableId.Ref === table).map((a) => subnetZone.get(a.Properties.SubnetId.Ref));
      expect(zones).toEqual(['ingress']);
    }
  });

  test('one security group per zone plus the endpoints group, none allowing all outbound, each tagged with its zone', () => {
    const groups = Object.values(resourcesOf(t, 'AWS::EC2::SecurityGroup'));
    expect(groups.map(zoneOf).sort()).toEqual(['application', 'data', 'edge', 'ingress', 'platform', 'platform']);
    for (const g of groups) {
      expect(g.Properties.SecurityGroupIngress).toBeUndefined();
      for (const e of g.Properties.SecurityGroupEgress ?? []) expect(e.IpProtocol).not.toBe('-1');
    }
    expect(stack.resolve(net.securityGroup('data').securityGroupId)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^NetZonesdataSecurityGroup/), 'GroupId'] });
  });

  test('each conduit is an ingress rule on the target zone group from the source zone group, and the matching egress rule', () => {
    const data = stack.resolve(net.securityGroup('data').securityGroupId);
    const platform = stack.resolve(net.securityGroup('platform').securityGroupId);
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: data, SourceSecurityGroupId: platform, IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432 });
    t.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { GroupId: platform, DestinationSecurityGroupId: data, IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432 });
    // 6 conduits + 3 zones reaching the endpoints (platform, application, edge), nothing else.
    t.resourceCountIs('AWS::EC2::SecurityGroupIngress', 9);
    t.resourceCountIs('AWS::EC2::SecurityGroupEgress', 9);
  });

  test('the data zone starts no connection and admits only platform on 5432 and 6379', () => {
    const data = stack.resolve(net.securityGroup('data').securityGroupId);
    const rules = Object.values(resourcesOf(t, 'AWS::EC2::SecurityGroupIngress')).filter((r) => JSON.stringify(r.Properties.GroupId) === JSON.stringify(data));
    expect(rules.map((r) => r.Properties.FromPort).sort()).toEqual([5432, 6379]);
    const egress = Object.values(resourcesOf(t, 'AWS::EC2::SecurityGroupEgress')).filter((r) => JSON.stringify(r.Properties.GroupId) === JSON.stringify(data));
    expect(egress).toEqual([]);
  });

  test('one network ACL per zone, associated with its subnets and tagged with its zone', () => {
    const acls = resourcesOf(t, 'AWS::EC2::NetworkAcl');
    expect(Object.values(acls).map(zoneOf).sort()).toEqual(['application', 'data', 'edge', 'ingress', 'platform']);
    const assocs = Object.values(resourcesOf(t, 'AWS::EC2::SubnetNetworkAclAssociation'));
    expect(assocs).toHaveLength(10);
    for (const a of assocs) expect(zoneOf(acls[a.Properties.NetworkAclId.Ref])).toBe(subnetZone.get(a.Properties.SubnetId.Ref));
  });

  test('network ACL entries: conduit ports from the source subnets, replies on 1024-65535, nothing else from the VPC', () => {
    const acl = stack.resolve(net.networkAcl('platform').networkAclId);
    const entries = Object.values(resourcesOf(t, 'AWS::EC2::NetworkAclEntry')).filter((e) => JSON.stringify(e.Properties.NetworkAclId) === JSON.stringify(acl));
    const inbound = entries.filter((e) => !e.Properties.Egress).map((e) => e.Properties).sort((a, b) => a.RuleNumber - b.RuleNumber);
    const view = inbound.map((e) => `${e.RuleNumber} ${e.RuleAction} ${e.CidrBlock} ${e.Protocol} ${e.PortRange ? `${e.PortRange.From}-${e.PortRange.To}` : 'all'}`);
    expect(view).toEqual([
      '100 allow 10.0.6.0/24 6 443-443', // application → platform 443
      '110 allow 10.0.7.0/24 6 443-443',
      '120 allow 10.0.2.0/24 6 8883-8883', // edge → platform 8883
      '130 allow 10.0.3.0/24 6 8883-8883',
      '140 allow 10.0.2.0/24 6 443-443', // edge → platform 443
      '150 allow 10.0.3.0/24 6 443-443',
      '160 allow 10.0.4.0/24 -1 all', // within the zone
      '170 allow 10.0.5.0/24 -1 all',
      '180 allow 10.0.8.0/24 6 1024-65535', // replies of platform → data
      '190 allow 10.0.9.0/24 6 1024-65535',
      '200 deny 10.0.0.0/16 -1 all', // nothing else from the VPC
      '210 allow 0.0.0.0/0 6 1024-65535', // replies of AWS services behind the gateway endpoints
    ]);
    const dataAcl = stack.resolve(net.networkAcl('data').networkAclId);
    const dataIn = entries.length && Object.values(resourcesOf(t, 'AWS::EC2::NetworkAclEntry')).filter((e) => JSON.stringify(e.Properties.NetworkAclId) === JSON.stringify(dataAcl) && !e.Properties.Egress);
    expect((dataIn as Array<{ Properties: any }>).every((e) => e.Properties.CidrBlock !== '0.0.0.0/0')).toBe(true);
  });

  test('the ingress zone admits HTTPS from the internet at the network ACL only; its security group stays closed', () => {
    t.hasResourceProperties('AWS::EC2::NetworkAclEntry', {
      NetworkAclId: stack.resolve(net.networkAcl('ingress').networkAclId),
      Egress: false,
      RuleAction: 'allow',
      CidrBlock: '0.0.0.0/0',
      PortRange: { From: 443, To: 443 },
    });
    const ingressSg = Object.values(resourcesOf(t, 'AWS::EC2::SecurityGroupIngress')).filter(
      (r) => JSON.stringify(r.Properties.GroupId) === JSON.stringify(stack.resolve(net.securityGroup('ingress').securityGroupId)),
    );
    expect(ingressSg).toEqual([]);
  });

  test('flow logs record ALL traffic of the VPC into the log group (NET-05)', () => {
    t.resourceCountIs('AWS::EC2::FlowLog', 1);
    t.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      ResourceId: stack.resolve(net.vpc.vpcId),
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: stack.resolve(net.flowLogGroup.logGroupName),
    });
  });

  test('the flow-log group keeps 365 days and is encrypted with the customer-managed key (OPS-02, SYS-01)', () => {
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365, KmsKeyId: stack.resolve((net.logKey as kms.Key).keyArn) });
    t.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
  });

  test('the log key rotates, waits 30 days before deletion, and lets CloudWatch Logs use it for this log group only', () => {
    t.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      PendingWindowInDays: 30,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'logs.eu-central-1.amazonaws.com' },
            Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
          }),
        ]),
      },
    });
    t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
  });

  test('the flow-log delivery role is trusted only by this account\'s flow logs and holds a managed policy, no inline policy', () => {
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'vpc-flow-logs.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' }, ArnLike: Match.anyValue() } })],
      },
    });
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: stack.resolve(net.flowLogGroup.logGroupArn) })] },
    });
    const inline = Object.keys(t.findResources('AWS::IAM::Policy')).filter((id) => id.startsWith('Net'));
    expect(inline).toEqual([]);
  });

  test('gateway endpoints for S3 and DynamoDB, routed from the zones that reach AWS services (NET-04)', () => {
    const gw = Object.values(resourcesOf(t, 'AWS::EC2::VPCEndpoint')).filter((e) => e.Properties.VpcEndpointType === 'Gateway');
    expect(gw.map((e) => e.Properties.ServiceName['Fn::Join'][1][2]).sort()).toEqual(['.dynamodb', '.s3']);
    for (const e of gw) expect(e.Properties.RouteTableIds).toHaveLength(6);
  });

  test('interface endpoints for every service NET-04 may require, in the platform subnets, behind the endpoint group', () => {
    const ifs = Object.values(resourcesOf(t, 'AWS::EC2::VPCEndpoint')).filter((e) => e.Properties.VpcEndpointType === 'Interface');
    const services = ifs.map((e) => String(e.Properties.ServiceName).replace('com.amazonaws.eu-central-1.', '')).sort();
    expect(services).toEqual(['ecr.api', 'ecr.dkr', 'iot.data', 'kinesis-firehose', 'kinesis-streams', 'kms', 'logs', 'secretsmanager', 'sns', 'sqs', 'ssm', 'ssmmessages', 'sts']);
    const platformSubnets = [...subnetZone].filter(([, z]) => z === 'platform').map(([id]) => ({ Ref: id }));
    for (const e of ifs) {
      expect(e.Properties.SubnetIds).toEqual(platformSubnets);
      expect(e.Properties.SecurityGroupIds).toEqual([stack.resolve(net.endpointSecurityGroup!.securityGroupId)]);
      expect(zoneOf(e)).toBe('platform');
    }
    expect(stack.resolve(net.interfaceEndpoint('kms').vpcEndpointId)).toEqual({ Ref: expect.stringMatching(/^NetEndpointsKms/) });
    expect(stack.resolve(net.gatewayEndpoint('s3').vpcEndpointId)).toEqual({ Ref: expect.stringMatching(/^NetS3/) });
  });

  test('the IoT Core data endpoint has no private DNS (AWS IoT Core does not support it)', () => {
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: 'com.amazonaws.eu-central-1.iot.data', PrivateDnsEnabled: false });
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: 'com.amazonaws.eu-central-1.kms', PrivateDnsEnabled: true });
  });

  test('the endpoint group admits HTTPS only from the zones with a conduit into the endpoint zone', () => {
    const ep = JSON.stringify(stack.resolve(net.endpointSecurityGroup!.securityGroupId));
    const sources = Object.values(resourcesOf(t, 'AWS::EC2::SecurityGroupIngress'))
      .filter((r) => JSON.stringify(r.Properties.GroupId) === ep)
      .map((r) => r.Properties.SourceSecurityGroupId['Fn::GetAtt'][0].replace(/^NetZones([a-z]+)SecurityGroup.*$/, '$1'))
      .sort();
    expect(sources).toEqual(['application', 'edge', 'platform']);
  });

  test('the default security group is restricted (NET-08)', () => {
    t.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
    t.hasResourceProperties('Custom::VpcRestrictDefaultSG', { DefaultSecurityGroupId: { 'Fn::GetAtt': [stack.resolve(net.vpc.vpcId).Ref, 'DefaultSecurityGroup'] } });
  });

  test('the zone model is written into the template metadata', () => {
    const meta = t.toJSON().Metadata['srm-iip'].zoneModel;
    expect(meta.zones).toEqual([
      { name: 'ingress', domain: 'application', internetFacing: true },
      { name: 'edge', domain: 'edge', internetFacing: false },
      { name: 'platform', domain: 'platform', internetFacing: false },
      { name: 'application', domain: 'application', internetFacing: false },
      { name: 'data', domain: 'platform', internetFacing: false },
    ]);
    expect(meta.conduits.map((c: kit.Conduit) => `${c.from}>${c.to} ${c.protocol} ${c.fromPort}-${c.toPort}`)).toEqual([
      'ingress>application tcp 443-443',
      'application>platform tcp 443-443',
      'edge>platform tcp 8883-8883',
      'edge>platform tcp 443-443',
      'platform>data tcp 5432-5432',
      'platform>data tcp 6379-6379',
    ]);
    expect(meta.conduits.every((c: kit.Conduit) => typeof c.description === 'string')).toBe(true);
  });

  test('the CDK default-security-group provider carries the kit tags', () => {
    const role = Object.entries(resourcesOf(t, 'AWS::IAM::Role')).find(([id]) => id.startsWith('CustomVpcRestrictDefaultSG'))![1];
    expect(zoneOf(role)).toBe('cloud-infrastructure');
  });

  test('accessors: subnets(zone), securityGroup(zone), networkAcl(zone); an unknown zone fails', () => {
    expect(net.subnets('edge')).toEqual({ subnetGroupName: 'edge' });
    expect(net.vpc.selectSubnets(net.subnets('edge')).subnets).toHaveLength(2);
    expectSrmIipError(() => net.securityGroup('plant'), "[S/Net] the network has no zone 'plant'; it has ingress, edge, platform, application, data");
  });
});

describe('IipNetwork: packs', () => {
  test('alone in a stack with default props, it passes SrmIipChecks, AwsSolutions and NIST 800-53 R5', () => {
    const { app } = make();
    const r = expectCleanUnderAllPacks(app);
    // Reply entries of the stateless network ACLs are covered by their reverse conduit, not acknowledged.
    expect(r.acknowledgements.map((a) => a.id)).toContain('AwsSolutions-IAM4');
    expect(r.acknowledgements.filter((a) => a.id === 'SRM-IIP-NET-06')).toEqual([]);
  });

  test('with NAT gateways and a custom UDP conduit it still passes the three packs', () => {
    const { app } = make({
      natGateways: 2,
      conduits: [
        ...kit.defaultNetworkConduits(),
        { from: 'edge', to: 'platform', protocol: kit.ConduitProtocol.UDP, fromPort: 4840, toPort: 4841, description: 'OPC UA discovery' },
      ],
    });
    expectCleanUnderAllPacks(app);
  });
});

describe('IipNetwork: bad props', () => {
  test('maxAzs below 2', () => expectError({ maxAzs: 1 }, '[S/Net] maxAzs must be a whole number 2..6, got 1'));
  test('vpcCidr that is not a CIDR', () => expectError({ vpcCidr: '10.0.0.1/16' }, "[S/Net] vpcCidr must be an IPv4 CIDR block with its host bits zero (e.g. 10.0.0.0/16), got '10.0.0.1/16'"));
  test('vpcCidr outside /16../24', () => expectError({ vpcCidr: '10.0.0.0/25' }, "[S/Net] vpcCidr must have a prefix length /16../24, got '10.0.0.0/25'"));
  test('zones that do not fit the VPC range', () =>
    expectError(
      { vpcCidr: '10.0.0.0/22' },
      "[S/Net] the zones do not fit in vpcCidr '10.0.0.0/22' (1024 addresses): 5 zones × 2 AZs need 2560 addresses (ingress 2×/24, edge 2×/24, platform 2×/24, application 2×/24, data 2×/24); use a larger vpcCidr or smaller subnets (a larger cidrMask)",
    ));
  test('a token vpcCidr', () => {
    const { stack } = appWithStack(false);
    const cidr = new CfnParameter(stack, 'Cidr').valueAsString;
    expect(() => new kit.IipNetwork(stack, 'Net', { vpcCidr: cidr })).toThrow(
      new kit.SrmIipError("vpcCidr must be a literal value, got a token: the zones' subnets and network-ACL entries are computed from it at synthesis", 'S/Net'),
    );
  });
  test('an empty zone list', () => expectError({ zones: [] }, '[S/Net] zones must declare at least one zone, got []'));
  test('duplicate zone names', () =>
    expectError(
      { zones: [...kit.defaultNetworkZones(), { name: 'edge', domain: kit.SecurityDomain.EDGE }] },
      "[S/Net] zones: zone name 'edge' is declared twice; zone names must be unique",
    ));
  test('a bad zone name', () =>
    expectError({ zones: [{ name: 'Edge Zone', domain: kit.SecurityDomain.EDGE }] }, "[S/Net] zones[0].name must be lowercase letters, digits and hyphens, starting with a letter (at most 31 characters), got 'Edge Zone'"));
  test('a zone domain that is not a security domain', () =>
    expectError({ zones: [{ name: 'edge', domain: 'ot' as kit.SecurityDomain }], conduits: [] }, "[S/Net] zones[0] (edge): domain must be one of edge, cloud-infrastructure, platform, application, got 'ot'"));
  test('a zone cidrMask outside 16..28', () =>
    expectError({ zones: [{ name: 'edge', domain: kit.SecurityDomain.EDGE, cidrMask: 29 }], conduits: [] }, '[S/Net] zones[0].cidrMask must be a whole number 16..28, got 29'));
  test('a conduit to an undeclared zone', () =>
    expectError(
      { conduits: [{ from: 'edge', to: 'plant', fromPort: 443 }] },
      "[S/Net] conduits[0] (edge → plant) names to zone 'plant', which is not a declared zone; declared zones: ingress, edge, platform, application, data",
    ));
  test('a conduit from an undeclared zone', () =>
    expectError(
      { conduits: [{ from: 'scada', to: 'edge', fromPort: 502 }] },
      "[S/Net] conduits[0] (scada → edge) names from zone 'scada', which is not a declared zone; declared zones: ingress, edge, platform, application, data",
    ));
  test('a conduit port out of range', () =>
    expectError({ conduits: [{ from: 'edge', to: 'platform', fromPort: 443, toPort: 70000 }] }, '[S/Net] conduits[0] (edge → platform): toPort must be a port 0..65535, got 70000'));
  test('a negative conduit port', () => expectError({ conduits: [{ from: 'edge', to: 'platform', fromPort: -1 }] }, '[S/Net] conduits[0] (edge → platform): fromPort must be a port 0..65535, got -1'));
  test('fromPort above toPort', () =>
    expectError(
      { conduits: [{ from: 'edge', to: 'platform', fromPort: 9000, toPort: 8000 }] },
      '[S/Net] conduits[0] (edge → platform): fromPort 9000 is greater than toPort 8000; a port range runs from fromPort up to toPort',
    ));
  test('a conduit over every port', () =>
    expectError(
      { conduits: [{ from: 'edge', to: 'platform', fromPort: 0, toPort: 65535 }] },
      '[S/Net] conduits[0] (edge → platform) opens every TCP port (0-65535); a conduit names only the ports its traffic needs (SRM-IIP-NET-02)',
    ));
  test('a protocol that is not TCP or UDP', () =>
    expectError({ conduits: [{ from: 'edge', to: 'platform', protocol: 'icmp' as kit.ConduitProtocol, fromPort: 8 }] }, "[S/Net] conduits[0] (edge → platform): protocol must be one of tcp, udp, got 'icmp'"));
  test('a conduit within one zone', () =>
    expectError(
      { conduits: [{ from: 'edge', to: 'edge', fromPort: 443 }] },
      "[S/Net] conduits[0] (edge → edge) connects zone 'edge' with itself; a conduit joins two different zones (traffic within a zone needs none)",
    ));
  test('a repeated conduit', () =>
    expectError(
      { conduits: [{ from: 'edge', to: 'platform', fromPort: 443 }, { from: 'edge', to: 'platform', fromPort: 443, toPort: 443 }] },
      '[S/Net] conduits[1] (edge → platform) repeats conduits[0] (edge→platform tcp 443)',
    ));
  test('flowLogRetentionDays below the floor', () =>
    expectError({ flowLogRetentionDays: 90 }, '[S/Net] flowLogRetentionDays must be at least 365 (the SRM-IIP-OPS-02 floor; set allowShortFlowLogRetention: true to go below it on purpose), got 90'));
  test('flowLogRetentionDays that CloudWatch Logs does not offer', () =>
    expectError(
      { flowLogRetentionDays: 366 },
      '[S/Net] flowLogRetentionDays must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653), got 366',
    ));
  test('NAT gateways without an internet-facing zone', () =>
    expectError(
      { natGateways: 1, zones: kit.defaultNetworkZones().filter((z) => !z.internetFacing), conduits: [] },
      '[S/Net] natGateways 1 needs an internet-facing zone to hold the NAT gateways; declared zones: edge, platform, application, data',
    ));
  test('more NAT gateways than AZs', () => expectError({ natGateways: 3 }, '[S/Net] natGateways must be a whole number 0..2, got 3'));
  test('an endpoint zone that is not declared', () =>
    expectError({ endpointZone: 'services' }, "[S/Net] endpointZone 'services' is not a declared zone; declared zones: ingress, edge, platform, application, data (or give no interface and gateway endpoints)"));
  test('an internet-facing endpoint zone', () => expectError({ endpointZone: 'ingress' }, "[S/Net] endpointZone 'ingress' is internet-facing; VPC endpoints belong in a private zone"));
  test('an endpoint service listed twice', () =>
    expectError({ interfaceEndpoints: [ec2.InterfaceVpcEndpointAwsService.KMS, ec2.InterfaceVpcEndpointAwsService.KMS] }, "[S/Net] interfaceEndpoints lists endpoint service 'kms' twice"));
  test('a zone needing more network-ACL entries than a network ACL holds', () =>
    expectError(
      { conduits: [...kit.defaultNetworkConduits(), ...extraConduits(20)] },
      "[S/Net] zone 'edge' needs 48 outbound network-ACL entries (its conduits × AZs), more than the 40 a network ACL can hold; use fewer AZs, merge port ranges or fewer conduits into the zone",
    ));
  test('a second network in the stack that declares a zone differently', () => {
    const { stack } = make({}, false);
    expect(() =>
      new kit.IipNetwork(stack, 'Net2', {
        vpcCidr: '10.1.0.0/16',
        zones: [{ name: 'edge', domain: kit.SecurityDomain.PLATFORM }],
        conduits: [],
        interfaceEndpoints: [],
        gatewayEndpoints: [],
      }),
    ).toThrow(
      new kit.SrmIipError(
        "zone 'edge' is declared as domain platform here but as domain edge in the stack's zone model; zone names are shared by the whole stack, so give the zone another name",
        'S/Net2',
      ),
    );
  });
});

describe('IipNetwork: tokens pass validation', () => {
  test('a CfnParameter retention and a Lazy conduit port', () => {
    const { stack } = appWithStack(false);
    const days = Token.asNumber(new CfnParameter(stack, 'Days', { type: 'Number' }).valueAsNumber);
    const port = Lazy.number({ produce: () => 8443 });
    const net = new kit.IipNetwork(stack, 'Net', { flowLogRetentionDays: days, conduits: [...kit.defaultNetworkConduits(), { from: 'edge', to: 'platform', fromPort: port }] });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: { Ref: 'Days' } });
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 8443, ToPort: 8443 });
    expect(net.conduits).toHaveLength(7);
  });
});

describe('IipNetwork: weakenings are reported', () => {
  test('NAT gateways warn SRM-IIP-NET-03 and route the non-isolated zones through them', () => {
    const { stack } = make({ natGateways: 1 }, false);
    Annotations.fromStack(stack).hasWarning('/S/Net', Match.stringLikeRegexp('SRM-IIP-NET-03'));
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::EC2::NatGateway', 1);
    const meta = t.toJSON().Metadata['srm-iip'].zoneModel;
    expect(meta.conduits.filter((c: kit.Conduit) => c.to === 'ingress').map((c: kit.Conduit) => c.from)).toEqual(['edge', 'platform', 'application']);
  });

  test('a short flow-log retention, when allowed, warns SRM-IIP-OPS-02', () => {
    const { stack } = make({ flowLogRetentionDays: 90, allowShortFlowLogRetention: true }, false);
    Annotations.fromStack(stack).hasWarning('/S/Net', Match.stringLikeRegexp('SRM-IIP-OPS-02'));
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  test('leaving out the baseline endpoints warns SRM-IIP-NET-04', () => {
    const { stack } = make({ interfaceEndpoints: [], gatewayEndpoints: [ec2.GatewayVpcEndpointAwsService.S3] }, false);
    Annotations.fromStack(stack).hasWarning('/S/Net', Match.stringLikeRegexp('SRM-IIP-NET-04.*kms, logs'));
  });

  test('a zone needing more network-ACL entries than the default quota warns', () => {
    const { stack } = make({ maxAzs: 3, conduits: [...kit.defaultNetworkConduits(), ...extraConduits(4)] });
    // platform inbound: (3 + 4 conduits) × 3 AZs + 3 own subnets + 3 reply entries + deny + AWS services = 29
    Annotations.fromStack(stack).hasWarning('/S/Net', Match.stringLikeRegexp("zone 'platform' needs 29 inbound network-ACL entries, more than the default quota of 20"));
  });

  test('the default network warns nothing', () => {
    const { stack } = make({}, false);
    Annotations.fromStack(stack).hasNoWarning('/S/Net', Match.stringLikeRegexp('SRM-IIP'));
  });
});

describe('IipNetwork: shared dependencies and several networks', () => {
  test('a given log key is used and gets the CloudWatch Logs statement', () => {
    const stack = envStack();
    const ring = new kit.IipKeyRing(stack, 'Keys');
    const key = ring.key(kit.KeyPurpose.LOGS);
    const net = new kit.IipNetwork(stack, 'Net', { logKey: key });
    expect(net.logKey).toBe(key);
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::KMS::Key', 5);
    t.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: stack.resolve((key as kms.Key).keyArn) });
    t.hasResourceProperties('AWS::KMS::Key', {
      Description: Match.stringLikeRegexp('logs key'),
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'logs.eu-central-1.amazonaws.com' } })]) },
    });
  });

  test('two networks in one stack share one merged zone model', () => {
    const { stack } = make({}, false);
    new kit.IipNetwork(stack, 'Net2', {
      vpcCidr: '10.1.0.0/16',
      zones: [...kit.defaultNetworkZones(), { name: 'lab', domain: kit.SecurityDomain.EDGE }],
      conduits: [...kit.defaultNetworkConduits(), { from: 'lab', to: 'edge', fromPort: 8883 }],
    });
    const meta = Template.fromStack(stack).toJSON().Metadata['srm-iip'].zoneModel;
    expect(meta.zones.map((z: { name: string }) => z.name)).toEqual(['ingress', 'edge', 'platform', 'application', 'data', 'lab']);
    expect(meta.conduits).toHaveLength(7);
  });

  test('other srm-iip metadata of the stack is kept', () => {
    const { stack } = appWithStack(false);
    stack.addMetadata('srm-iip', { note: 'kept' });
    new kit.IipNetwork(stack, 'Net');
    const meta = Template.fromStack(stack).toJSON().Metadata['srm-iip'];
    expect(meta.note).toBe('kept');
    expect(meta.zoneModel.zones).toHaveLength(5);
  });
});

describe('IipNetwork: turning a secure default off is caught by the kit pack', () => {
  function mutated(mutate: (net: kit.IipNetwork, stack: Stack) => void): string[] {
    const { app, stack, net } = make();
    mutate(net, stack);
    return kitFindings(app);
  }
  const baseline = (() => {
    const { app } = make();
    return kitFindings(app);
  })();

  test('the unmutated network reports none of the controls below', () => {
    for (const id of ['SRM-IIP-NET-01', 'SRM-IIP-NET-02', 'SRM-IIP-NET-03', 'SRM-IIP-NET-04', 'SRM-IIP-NET-05', 'SRM-IIP-NET-06', 'SRM-IIP-NET-08', 'SRM-IIP-OPS-02', 'SRM-IIP-OPS-06', 'SRM-IIP-SYS-01', 'SRM-IIP-SYS-02', 'SRM-IIP-MGT-02']) {
      expect(baseline).not.toContain(id);
    }
  });

  test('flow log recording only REJECT traffic → SRM-IIP-NET-05', () => {
    expect(mutated((net) => (net.flowLog.node.defaultChild as ec2.CfnFlowLog).addPropertyOverride('TrafficType', 'REJECT'))).toContain('SRM-IIP-NET-05');
  });

  test('a platform subnet mapping public IPs → SRM-IIP-NET-03', () => {
    expect(
      mutated((net) => (net.vpc.selectSubnets(net.subnets('platform')).subnets[0].node.defaultChild as ec2.CfnSubnet).addPropertyOverride('MapPublicIpOnLaunch', true)),
    ).toContain('SRM-IIP-NET-03');
  });

  test('a route to the internet gateway from a data route table → SRM-IIP-NET-03', () => {
    expect(
      mutated((net, stack) => {
        const s = net.vpc.selectSubnets(net.subnets('data')).subnets[0] as ec2.Subnet;
        new ec2.CfnRoute(stack, 'Leak', { routeTableId: s.routeTable.routeTableId, destinationCidrBlock: '0.0.0.0/0', gatewayId: net.vpc.internetGatewayId });
      }),
    ).toContain('SRM-IIP-NET-03');
  });

  test('SSH from anywhere on a zone security group → SRM-IIP-NET-02 and SRM-IIP-OPS-06', () => {
    const ids = mutated((net) => net.securityGroup('application').addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22), 'ssh'));
    expect(ids).toContain('SRM-IIP-NET-02');
    expect(ids).toContain('SRM-IIP-OPS-06');
  });

  test('edge reaching data on 5432 without a conduit (security group) → SRM-IIP-NET-06', () => {
    expect(mutated((net) => net.securityGroup('data').addIngressRule(net.securityGroup('edge'), ec2.Port.tcp(5432), 'shortcut'))).toContain('SRM-IIP-NET-06');
  });

  test('edge reaching data on 5432 without a conduit (network ACL) → SRM-IIP-NET-06', () => {
    expect(
      mutated((net) =>
        net.networkAcl('data').addEntry('Shortcut', {
          ruleNumber: 5000,
          cidr: ec2.AclCidr.ipv4('10.0.2.0/24'),
          traffic: ec2.AclTraffic.tcpPort(5432),
          direction: ec2.TrafficDirection.INGRESS,
        }),
      ),
    ).toContain('SRM-IIP-NET-06');
  });

  test('a subnet without its zone tag → SRM-IIP-NET-01 and SRM-IIP-MGT-02', () => {
    const ids = mutated((net) => (net.vpc.selectSubnets(net.subnets('edge')).subnets[0].node.defaultChild as ec2.CfnSubnet).addPropertyDeletionOverride('Tags'));
    expect(ids).toContain('SRM-IIP-NET-01');
    expect(ids).toContain('SRM-IIP-MGT-02');
  });

  test('a default security group that is not restricted → SRM-IIP-NET-08', () => {
    expect(
      mutated((net) => {
        const cr = net.vpc.node.findAll().find((c) => c instanceof CfnResource && c.cfnResourceType === 'Custom::VpcRestrictDefaultSG') as CfnResource;
        cr.addPropertyOverride('DefaultSecurityGroupId', 'sg-0123456789abcdef0');
      }),
    ).toContain('SRM-IIP-NET-08');
  });

  test('no KMS endpoint → SRM-IIP-NET-04', () => {
    expect(mutated((net) => (net.interfaceEndpoint('kms').node.defaultChild as ec2.CfnVPCEndpoint).addPropertyOverride('ServiceName', 'com.example.vendor'))).toContain('SRM-IIP-NET-04');
  });

  test('an unencrypted flow-log group → SRM-IIP-SYS-01 and SRM-IIP-OPS-02', () => {
    const ids = mutated((net) => (net.flowLogGroup.node.defaultChild as CfnResource).addPropertyDeletionOverride('KmsKeyId'));
    expect(ids).toContain('SRM-IIP-SYS-01');
    expect(ids).toContain('SRM-IIP-OPS-02');
  });

  test('a flow-log retention of 30 days → SRM-IIP-OPS-02', () => {
    expect(mutated((net) => (net.flowLogGroup.node.defaultChild as CfnResource).addPropertyOverride('RetentionInDays', 30))).toContain('SRM-IIP-OPS-02');
  });

  test('a log key without rotation → SRM-IIP-SYS-02', () => {
    expect(mutated((net) => ((net.logKey as kms.Key).node.defaultChild as kms.CfnKey).addPropertyOverride('EnableKeyRotation', false))).toContain('SRM-IIP-SYS-02');
  });
});
