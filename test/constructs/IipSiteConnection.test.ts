import { App, CfnParameter, CfnResource, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import * as kit from '../../index';
import { appWithStack, ENV, envStack, expectCleanUnderAllPacks, expectSrmIipError, kitFindings, kitTags } from '../support/construct-helpers';

type Res = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };

function make(props: kit.IipSiteConnectionProps = {}, env = ENV): { app: App; stack: Stack; site: kit.IipSiteConnection } {
  const { app, stack } = appWithStack(env);
  const site = new kit.IipSiteConnection(stack, 'Site', props);
  return { app, stack, site };
}

function expectError(props: kit.IipSiteConnectionProps, message: string, env = ENV): void {
  expectSrmIipError(() => make(props, env), message);
}

const values = (xs: unknown[]) => xs.map((Value) => ({ Value }));

describe('IipSiteConnection', () => {
  describe('secure defaults', () => {
    const { stack, site } = make();
    const t = Template.fromStack(stack);
    const res = t.toJSON().Resources as Record<string, Res>;
    const vpn = res[stack.getLogicalId(site.vpnConnection)];
    const logGroupId = stack.getLogicalId(site.logGroup.node.defaultChild as logs.CfnLogGroup);
    const keyId = stack.getLogicalId((site.logKey as kms.Key).node.defaultChild as kms.CfnKey);
    const attachmentId = Object.entries(res).find(([, r]) => r.Type === 'AWS::EC2::VPCGatewayAttachment' && r.Properties.VpnGatewayId)![0];

    it('creates an IipNetwork (child Network) and, for the plant (7 resources of its own), a customer gateway, a VPN gateway, its attachment and route propagation, the VPN connection and an encrypted tunnel log group', () => {
      expect(site.network).toBeInstanceOf(kit.IipNetwork);
      expect(site.vpc).toBe(site.network!.vpc);
      for (const type of ['AWS::EC2::CustomerGateway', 'AWS::EC2::VPNGateway', 'AWS::EC2::VPNConnection', 'AWS::EC2::VPNGatewayRoutePropagation']) t.resourceCountIs(type, 1);
      t.resourceCountIs('AWS::EC2::VPCGatewayAttachment', 2); // the network's internet gateway and the VPN gateway
      t.resourceCountIs('AWS::Logs::LogGroup', 2); // flow logs and tunnel logs
      t.resourceCountIs('AWS::EC2::VPNConnectionRoute', 0);
      const own = stack.node.findAll().filter((c) => c instanceof CfnResource && c.node.path.startsWith('S/Site/') && !c.node.path.startsWith('S/Site/Network/'));
      expect(own.map((c) => (c as CfnResource).cfnResourceType).sort()).toEqual([
        'AWS::EC2::CustomerGateway',
        'AWS::EC2::VPCGatewayAttachment',
        'AWS::EC2::VPNConnection',
        'AWS::EC2::VPNGateway',
        'AWS::EC2::VPNGatewayRoutePropagation',
        'AWS::KMS::Key',
        'AWS::Logs::LogGroup',
      ]);
      expect(site.vpnConnection.node.id).toBe('Resource');
    });

    it('both tunnels allow IKEv2 only, AES256-GCM-16 only, SHA-2 integrity and DH groups 19, 20, 21 in both phases (COM-05)', () => {
      const tunnels = vpn.Properties.VpnTunnelOptionsSpecifications as Array<Record<string, unknown>>;
      expect(tunnels).toHaveLength(2);
      for (const tunnel of tunnels) {
        expect(tunnel).toMatchObject({
          IKEVersions: values(['ikev2']),
          Phase1EncryptionAlgorithms: values(['AES256-GCM-16']),
          Phase2EncryptionAlgorithms: values(['AES256-GCM-16']),
          Phase1IntegrityAlgorithms: values(['SHA2-256', 'SHA2-384', 'SHA2-512']),
          Phase2IntegrityAlgorithms: values(['SHA2-256', 'SHA2-384', 'SHA2-512']),
          Phase1DHGroupNumbers: values([19, 20, 21]),
          Phase2DHGroupNumbers: values([19, 20, 21]),
        });
      }
    });

    it('both tunnels log to the tunnel log group as JSON', () => {
      for (const tunnel of vpn.Properties.VpnTunnelOptionsSpecifications) {
        expect(tunnel.LogOptions).toEqual({ CloudwatchLogOptions: { LogEnabled: true, LogGroupArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] }, LogOutputFormat: 'json' } });
      }
    });

    it('no pre-shared key is in the template: AWS generates one per tunnel (APP-04)', () => {
      for (const tunnel of vpn.Properties.VpnTunnelOptionsSpecifications) expect(tunnel.PreSharedKey).toBeUndefined();
      expect(JSON.stringify(t.toJSON())).not.toContain('PreSharedKey');
    });

    it('the tunnel log group is encrypted with a customer-managed key and keeps events 365 days (SYS-01, OPS-02)', () => {
      expect(res[logGroupId].Properties).toMatchObject({ KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] }, RetentionInDays: 365 });
      t.hasResource('AWS::KMS::Key', { Properties: Match.objectLike({ Description: 'SRM-IIP site-to-site VPN tunnel-log key', EnableKeyRotation: true, PendingWindowInDays: 30 }), DeletionPolicy: 'Retain' });
    });

    it('the key lets CloudWatch Logs use it for the tunnel log group only (encryption context)', () => {
      const statements = res[keyId].Properties.KeyPolicy.Statement as Array<Record<string, any>>;
      const logsStatement = statements.find((s) => s.Principal?.Service === 'logs.eu-central-1.amazonaws.com')!;
      expect(logsStatement.Condition).toEqual({
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:logs:eu-central-1:111122223333:log-group:${res[logGroupId].Properties.LogGroupName}`]] },
        },
      });
    });

    it('the plant address is asked for at deployment by a parameter that accepts only IPv4 addresses', () => {
      const paramId = stack.getLogicalId(site.plantPublicIpParameter!);
      t.hasParameter(paramId, { Type: 'String', AllowedPattern: Match.stringLikeRegexp('25\\[0-5\\]') });
      t.hasResourceProperties('AWS::EC2::CustomerGateway', { Type: 'ipsec.1', IpAddress: { Ref: paramId }, BgpAsn: 65000 });
    });

    it('dynamic (BGP) routing with the Amazon-side ASN 64512', () => {
      expect(vpn.Properties.StaticRoutesOnly).toBe(false);
      t.hasResourceProperties('AWS::EC2::VPNGateway', { Type: 'ipsec.1', AmazonSideAsn: 64512 });
    });

    it('plant routes propagate only to the edge zone, after the VPN gateway is attached', () => {
      const propagation = Object.values(res).find((r) => r.Type === 'AWS::EC2::VPNGatewayRoutePropagation')!;
      const edgeTables = site.vpc.selectSubnets(site.network!.subnets('edge')).subnets.map((s) => ({ Ref: stack.resolve(s.routeTable.routeTableId).Ref }));
      expect(propagation.Properties.RouteTableIds).toEqual(edgeTables);
      expect(edgeTables).toHaveLength(2);
      expect(propagation.DependsOn).toEqual([attachmentId]);
      expect(vpn.DependsOn).toEqual([attachmentId]);
    });

    it('the VPN resources carry the kit tags, zone edge (MGT-02)', () => {
      for (const type of ['AWS::EC2::CustomerGateway', 'AWS::EC2::VPNGateway', 'AWS::EC2::VPNConnection', 'AWS::Logs::LogGroup']) {
        t.hasResourceProperties(type, {
          Tags: kitTags('edge'),
        });
      }
    });
  });

  describe('props', () => {
    it('plantPublicIp and bgpAsn go into the customer gateway; no parameter is created', () => {
      const { stack, site } = make({ plantPublicIp: '203.0.113.10', bgpAsn: 64600 });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::CustomerGateway', { IpAddress: '203.0.113.10', BgpAsn: 64600 });
      expect(site.plantPublicIpParameter).toBeUndefined();
      expect(Template.fromStack(stack).toJSON().Parameters).not.toHaveProperty(['SitePlantPublicIp']);
    });

    it('a 4-byte ASN above 2147483647 goes into BgpAsnExtended', () => {
      const t = Template.fromStack(make({ bgpAsn: 4200000001 }).stack);
      t.hasResourceProperties('AWS::EC2::CustomerGateway', { BgpAsnExtended: 4200000001, BgpAsn: Match.absent() });
    });

    it('staticRoutes make the connection static, with one route per plant CIDR', () => {
      const t = Template.fromStack(make({ staticRoutes: ['192.168.10.0/24', '172.20.0.0/16'] }).stack);
      t.hasResourceProperties('AWS::EC2::VPNConnection', { StaticRoutesOnly: true });
      t.resourceCountIs('AWS::EC2::VPNConnectionRoute', 2);
      t.hasResourceProperties('AWS::EC2::VPNConnectionRoute', { DestinationCidrBlock: '172.20.0.0/16' });
    });

    it('dhGroups sets the groups of both phases of both tunnels', () => {
      const t = Template.fromStack(make({ dhGroups: [14, 20] }).stack);
      const vpn = Object.values(t.toJSON().Resources as Record<string, Res>).find((r) => r.Type === 'AWS::EC2::VPNConnection')!;
      for (const tunnel of vpn.Properties.VpnTunnelOptionsSpecifications) {
        expect(tunnel.Phase1DHGroupNumbers).toEqual(values([14, 20]));
        expect(tunnel.Phase2DHGroupNumbers).toEqual(values([14, 20]));
      }
    });

    it('vpc and subnets: the given VPC gets the gateway; only the selected subnets learn the plant routes', () => {
      const stack = envStack();
      const net = new kit.IipNetwork(stack, 'Net', { vpcCidr: '10.20.0.0/16' });
      const site = new kit.IipSiteConnection(stack, 'Site', { vpc: net.vpc, subnets: net.subnets('platform'), staticRoutes: ['10.0.0.0/16'] });
      const t = Template.fromStack(stack);
      expect(site.network).toBeUndefined();
      t.resourceCountIs('AWS::EC2::VPC', 1);
      t.hasResourceProperties('AWS::EC2::VPCGatewayAttachment', { VpcId: { Ref: stack.getLogicalId(net.vpc.node.defaultChild as ec2.CfnVPC) }, VpnGatewayId: Match.anyValue() });
      const tables = net.vpc.selectSubnets(net.subnets('platform')).subnets.map((s) => stack.resolve(s.routeTable.routeTableId));
      t.hasResourceProperties('AWS::EC2::VPNGatewayRoutePropagation', { RouteTableIds: tables });
    });

    it('logKey and logRetentionDays', () => {
      const stack = envStack();
      const key = new kms.Key(stack, 'Shared', { enableKeyRotation: true });
      const site = new kit.IipSiteConnection(stack, 'Site', { logKey: key, logRetentionDays: 731 });
      expect(site.logKey).toBe(key);
      Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: Match.stringLikeRegexp('^/srm-iip/vpn/'), RetentionInDays: 731, KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] } });
    });

    it('allowShortLogRetention accepts a shorter tunnel-log retention and reports it (SRM-IIP-OPS-02)', () => {
      const { stack } = make({ logRetentionDays: 90, allowShortLogRetention: true });
      Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: Match.stringLikeRegexp('^/srm-iip/vpn/'), RetentionInDays: 90 });
      Annotations.fromStack(stack).hasWarning('/S/Site', Match.stringLikeRegexp('SRM-IIP-OPS-02'));
    });

    it('no other prop weakens anything (the tunnel cryptography has no weak choice), so they warn about nothing', () => {
      const { stack } = make({ plantPublicIp: '198.51.100.7', staticRoutes: ['192.168.0.0/16'], dhGroups: [14], bgpAsn: 64700, amazonSideAsn: 65010 });
      expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('SRM-IIP'))).toEqual([]);
    });
  });

  describe('bad props fail at construction with the prop, the value and what is allowed', () => {
    it('a plant address that is not IPv4', () => {
      expectError({ plantPublicIp: 'plant.example.com' }, "[S/Site] plantPublicIp must be an IPv4 address such as 203.0.113.10, got 'plant.example.com'");
      expectError({ plantPublicIp: '256.1.1.1' }, "[S/Site] plantPublicIp must be an IPv4 address such as 203.0.113.10, got '256.1.1.1'");
    });
    it('a private plant address', () => {
      expectError({ plantPublicIp: '10.1.2.3' }, "[S/Site] plantPublicIp must be a public IPv4 address reachable over the internet, got '10.1.2.3' (in 10.0.0.0/8, private (RFC 1918))");
    });
    it('a carrier-grade NAT plant address', () => {
      expectError(
        { plantPublicIp: '100.64.1.1' },
        "[S/Site] plantPublicIp must be a public IPv4 address reachable over the internet, got '100.64.1.1' (in 100.64.0.0/10, carrier-grade NAT shared address space (RFC 6598))",
      );
    });
    it('a BGP ASN out of range', () => {
      expectError({ bgpAsn: 0 }, '[S/Site] bgpAsn must be a whole number 1..4294967294, got 0');
      expectError({ bgpAsn: 4294967295 }, '[S/Site] bgpAsn must be a whole number 1..4294967294, got 4294967295');
    });
    it('the ASN AWS reserves everywhere', () => {
      expectError({ bgpAsn: 7224 }, "[S/Site] bgpAsn 7224 is reserved by AWS in every region; use the plant's own public ASN or a private one (64512..65534)");
    });
    it('an ASN AWS reserves in the stack\'s region (9059 in eu-west-1), which another region accepts', () => {
      expectError({ bgpAsn: 9059 }, "[S/Site] bgpAsn 9059 is reserved by AWS in eu-west-1; use the plant's own public ASN or a private one (64512..65534)", { ...ENV, region: 'eu-west-1' });
      expect(() => make({ bgpAsn: 9059 })).not.toThrow();
    });
    it('a customer ASN equal to the Amazon-side ASN', () => {
      expectError({ bgpAsn: 64512 }, '[S/Site] bgpAsn must differ from amazonSideAsn; BGP needs two autonomous systems, got 64512 for both');
    });
    it('a public Amazon-side ASN', () => {
      expectError({ amazonSideAsn: 16509 }, '[S/Site] amazonSideAsn must be a private ASN, 64512..65534 or 4200000000..4294967294, got 16509');
    });
    it('weak or no DH groups', () => {
      expectError({ dhGroups: [] }, '[S/Site] dhGroups must name at least one Diffie-Hellman group 14..21, got []');
      expectError({ dhGroups: [2, 14] }, '[S/Site] dhGroups must be Diffie-Hellman groups 14..21 (2 and 5 are too small; 22..24 are weak RFC 5114 groups), got 2 in [2, 14]');
      expectError({ dhGroups: [20, 24] }, '[S/Site] dhGroups must be Diffie-Hellman groups 14..21 (2 and 5 are too small; 22..24 are weak RFC 5114 groups), got 24 in [20, 24]');
      expectError({ dhGroups: [20, 20] }, '[S/Site] dhGroups lists group 20 twice');
    });
    it('a log retention below 365 days (without allowShortLogRetention) or not offered by CloudWatch Logs', () => {
      expectError({ logRetentionDays: 90 }, '[S/Site] logRetentionDays must be at least 365 (the SRM-IIP-OPS-02 floor; set allowShortLogRetention: true to go below it on purpose), got 90');
      expectError(
        { logRetentionDays: 366 },
        '[S/Site] logRetentionDays must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653), got 366',
      );
    });
    it('static routes: none, malformed, overlapping the VPC, overlapping each other', () => {
      expectError({ staticRoutes: [] }, '[S/Site] staticRoutes must name at least one plant CIDR, got []; leave it unset for BGP routing');
      expectError({ staticRoutes: ['192.168.10.1/24'] }, "[S/Site] staticRoutes[0] must be an IPv4 CIDR block with its host bits zero (e.g. 192.168.10.0/24), got '192.168.10.1/24'");
      expectError({ staticRoutes: ['192.168.0.0/16', '10.0.128.0/20'] }, "[S/Site] staticRoutes[1] '10.0.128.0/20' overlaps the VPC's CIDR 10.0.0.0/16; plant and VPC addresses must be distinct");
      expectError({ staticRoutes: ['192.168.0.0/16', '192.168.10.0/24'] }, "[S/Site] staticRoutes[1] '192.168.10.0/24' overlaps staticRoutes entry '192.168.0.0/16'");
    });
    it('subnets without vpc, and a selection without subnets', () => {
      expectError({ subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }, '[S/Site] subnets needs vpc: the subnets select route tables of the given VPC; without vpc the plant reaches the edge zone of the created network');
      const stack = envStack();
      const vpc = new ec2.Vpc(stack, 'Vpc');
      expectSrmIipError(() => new kit.IipSiteConnection(stack, 'Site', { vpc, subnets: { subnets: [] } }), '[S/Site] subnets selects no subnet of the VPC, so no route table would learn the plant routes; select the subnets that talk to the plant');
    });
  });

  it('unresolved tokens pass validation (the plant address and the ASN from parameters)', () => {
    const stack = envStack();
    const ip = new CfnParameter(stack, 'PlantIp', { type: 'String' });
    const asn = new CfnParameter(stack, 'PlantAsn', { type: 'Number' });
    new kit.IipSiteConnection(stack, 'Site', { plantPublicIp: ip.valueAsString, bgpAsn: Token.asNumber(asn.valueAsNumber) });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::CustomerGateway', { IpAddress: { Ref: 'PlantIp' }, BgpAsn: { Ref: 'PlantAsn' } });
  });

  it('packs: alone in a stack with default props, SrmIipChecks, AwsSolutionsChecks and NIST80053R5Checks report no unacknowledged error; every acknowledgement has a specific reason', () => {
    const { app } = make();
    expectCleanUnderAllPacks(app);
  });

  describe('mutation: a secure default switched off through an escape hatch is reported', () => {
    function mutated(change: (site: kit.IipSiteConnection) => void): string[] {
      const { app, site } = make();
      change(site);
      return kitFindings(app);
    }
    const baseline = mutated(() => undefined);

    it('the unmutated construct reports none of the controls below', () => {
      for (const id of ['SRM-IIP-COM-05', 'SRM-IIP-SYS-01', 'SRM-IIP-SYS-02', 'SRM-IIP-OPS-02', 'SRM-IIP-MGT-02']) expect(baseline).not.toContain(id);
    });
    it('tunnel 1 allows IKEv1 → SRM-IIP-COM-05', () => {
      expect(mutated((s) => s.vpnConnection.addPropertyOverride('VpnTunnelOptionsSpecifications.0.IKEVersions', values(['ikev1', 'ikev2'])))).toContain('SRM-IIP-COM-05');
    });
    it('tunnel 2 allows AES128 → SRM-IIP-COM-05', () => {
      expect(mutated((s) => s.vpnConnection.addPropertyOverride('VpnTunnelOptionsSpecifications.1.Phase2EncryptionAlgorithms', values(['AES128'])))).toContain('SRM-IIP-COM-05');
    });
    it('tunnel 1 allows DH group 2 → SRM-IIP-COM-05', () => {
      expect(mutated((s) => s.vpnConnection.addPropertyOverride('VpnTunnelOptionsSpecifications.0.Phase1DHGroupNumbers', values([2, 14])))).toContain('SRM-IIP-COM-05');
    });
    it('tunnel options removed (AWS defaults) → SRM-IIP-COM-05', () => {
      expect(mutated((s) => s.vpnConnection.addPropertyDeletionOverride('VpnTunnelOptionsSpecifications'))).toContain('SRM-IIP-COM-05');
    });
    it('tunnel log group without its key → SRM-IIP-SYS-01 and SRM-IIP-OPS-02', () => {
      const ids = mutated((s) => (s.logGroup.node.defaultChild as logs.CfnLogGroup).addPropertyDeletionOverride('KmsKeyId'));
      expect(ids).toContain('SRM-IIP-SYS-01');
      expect(ids).toContain('SRM-IIP-OPS-02');
    });
    it('tunnel logs kept 30 days → SRM-IIP-OPS-02', () => {
      expect(mutated((s) => (s.logGroup.node.defaultChild as logs.CfnLogGroup).addPropertyOverride('RetentionInDays', 30))).toContain('SRM-IIP-OPS-02');
    });
    it('log key rotation off → SRM-IIP-SYS-02', () => {
      expect(mutated((s) => ((s.logKey as kms.Key).node.defaultChild as kms.CfnKey).addPropertyOverride('EnableKeyRotation', false))).toContain('SRM-IIP-SYS-02');
    });
    it('VPN connection tags removed → SRM-IIP-MGT-02', () => {
      expect(mutated((s) => s.vpnConnection.addPropertyDeletionOverride('Tags'))).toContain('SRM-IIP-MGT-02');
    });
  });
});
