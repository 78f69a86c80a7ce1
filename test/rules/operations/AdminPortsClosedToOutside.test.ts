import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template, type Resources } from '../../support/harness';

const RULE = 'AdminPortsClosedToOutside';
const VPC: Resources = { Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } } };
const sg = (ingress: unknown[], vpcId: unknown = { Ref: 'Vpc' }): Resources => ({ Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'd', VpcId: vpcId, SecurityGroupIngress: ingress } } });
const tcp = (from: number, to: number, cidr: unknown) => ({ IpProtocol: 'tcp', FromPort: from, ToPort: to, CidrIp: cidr });
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

describe('SRM-IIP-OPS-06: no ingress opens SSH or RDP to sources outside the VPC', () => {
  it('is exported from the package root', () => {
    expect(kit.AdminPortsClosedToOutside.controlId).toBe('SRM-IIP-OPS-06');
    expect(kit.openedAdminPorts('-1', undefined, undefined)).toEqual(['SSH port 22', 'RDP port 3389']);
    expect(kit.openedAdminPorts('udp', 3389, 3389)).toEqual(['RDP port 3389']);
    expect(kit.openedAdminPorts('6', 80, 443)).toEqual([]);
    expect(kit.isCidrInsideBlock('10.0.3.0/24', '10.0.0.0/16')).toBe(true);
    expect(kit.isCidrInsideBlock('10.1.0.0/24', '10.0.0.0/16')).toBe(false);
    expect(kit.isCidrInsideBlock('2001:db8:1::/64', '2001:db8::/32')).toBe(true);
  });

  describe('Noncompliance', () => {
    it('1: an L2 security group that opens SSH to the internet', () => {
      const stack = new Stack(new App(), 'S');
      const group = new ec2.SecurityGroup(stack, 'Sg', { vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 }) });
      group.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
      const fs = findingsForApp(stack, RULE);
      expect(fs).toMatchObject([{ controlId: 'SRM-IIP-OPS-06', ruleId: RULE, kind: 'violation', resourceType: 'AWS::EC2::SecurityGroup', location: 'SecurityGroupIngress' }]);
      expect(fs[0].message).toMatch(/opens SSH port 22 to '0.0.0.0\/0', outside VPC Vpc\w+/);
    });

    it('2: a range covering RDP from an on-premises block outside the VPC CIDR', () => {
      const fs = findings(template({ ...VPC, ...sg([tcp(3000, 4000, '192.168.0.0/16')]) }), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining("RDP port 3389 to '192.168.0.0/16'") }]);
    });

    it('3: all protocols from ::/0', () => {
      const fs = findings(template({ ...VPC, ...sg([{ IpProtocol: '-1', CidrIpv6: '::/0' }]) }), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining('SSH port 22 and RDP port 3389') }]);
    });

    it('4: cross-stack: a standalone ingress rule in another stack opens SSH on an imported group', () => {
      const net = template({ ...VPC, ...sg([]) }, { Outputs: { G: { Value: { 'Fn::GetAtt': ['Sg', 'GroupId'] }, Export: { Name: 'SgId' } } } });
      const ops = template({ In: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { 'Fn::ImportValue': 'SgId' }, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '10.1.0.0/24' } } });
      const r = runOnTemplates([net, ops], RULE);
      expect(r.findings).toMatchObject([{ kind: 'violation', stack: 'Stack1', logicalId: 'In', message: expect.stringContaining('outside VPC Vpc') }]);
    });

    it('5: one branch of Fn::If opens SSH to the internet', () => {
      const t = template({ ...VPC, ...sg([tcp(22, 22, { 'Fn::If': ['Prod', '10.0.1.0/24', '0.0.0.0/0'] })]) }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 group opening SSH only to the VPC CIDR, and HTTPS to the world', () => {
      const stack = new Stack(new App(), 'S');
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
      const group = new ec2.SecurityGroup(stack, 'Sg', { vpc });
      group.addIngressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(22));
      group.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('a subnet block inside a secondary VPC CIDR; a source security group', () => {
      const t = template({
        ...VPC,
        Extra: { Type: 'AWS::EC2::VPCCidrBlock', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '100.64.0.0/16' } },
        ...sg([tcp(22, 22, '100.64.8.0/24'), { IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, SourceSecurityGroupId: 'sg-123' }]),
      });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('every branch of Fn::If stays inside the VPC', () => {
      const t = template({ ...VPC, ...sg([tcp(22, 22, { 'Fn::If': ['Prod', '10.0.1.0/24', '10.0.2.0/24'] })]) }, COND);
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a source CIDR parameter on port 22 is unverifiable', () => {
      const t = template({ ...VPC, ...sg([tcp(22, 22, { Ref: 'Admin' })]) }, { Parameters: { Admin: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Admin') }]);
    });

    it('a private CIDR for a group whose VPC is not in the app is unverifiable', () => {
      const t = template(sg([tcp(22, 22, '10.0.0.0/8')], 'vpc-0123'));
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining("VPC 'vpc-0123' is not defined in the app") }]);
    });

    it('a port parameter with a world-open source is unverifiable', () => {
      const t = template({ ...VPC, ...sg([{ IpProtocol: 'tcp', FromPort: { Ref: 'Port' }, ToPort: { Ref: 'Port' }, CidrIp: '0.0.0.0/0' }]) }, { Parameters: { Port: { Type: 'Number' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Port') }]);
    });
  });
});
