import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';
import { PROD_CONDITION, securityGroup, VPC } from './network-fixtures';

const RULE = 'SecurityGroupNoAllPortsIngress';

const withIngress = (...rules: Array<Record<string, unknown>>) => template({ Vpc: VPC, Sg: securityGroup('platform', { SecurityGroupIngress: rules }) }, PROD_CONDITION);

describe('SRM-IIP-NET-02: no security-group ingress rule opens all protocols or all ports', () => {
  it('is exported from the package root', () => {
    expect(kit.SecurityGroupNoAllPortsIngress.controlId).toBe('SRM-IIP-NET-02');
    expect(kit.isAllPortsRule('-1')).toBe(true);
    expect(kit.isAllPortsRule('all')).toBe(true);
    expect(kit.isAllPortsRule('tcp', 0, 65535)).toBe(true);
    expect(kit.isAllPortsRule('udp', -1, -1)).toBe(true);
    expect(kit.isAllPortsRule('tcp', 1024, 65535)).toBe(false);
    expect(kit.isAllPortsRule('icmp', -1, -1)).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 group allowing all traffic from another group (standalone ingress)', () => {
      const stack = new Stack(new App(), 'S');
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
      const a = new ec2.SecurityGroup(stack, 'A', { vpc });
      const b = new ec2.SecurityGroup(stack, 'B', { vpc });
      b.connections.allowFrom(a, ec2.Port.allTraffic());
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-NET-02', ruleId: RULE, kind: 'violation', resourceType: 'AWS::EC2::SecurityGroupIngress' });
      expect(fs[0].message).toMatch(/ingress rule from security group A\w+ opens all protocols and ports \(IpProtocol -1\)/);
    });

    it('2: an L2 inline rule over every TCP port from a CIDR', () => {
      const stack = new Stack(new App(), 'S');
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
      new ec2.SecurityGroup(stack, 'Sg', { vpc }).addIngressRule(ec2.Peer.ipv4('10.1.0.0/16'), ec2.Port.allTcp());
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', location: 'SecurityGroupIngress.0', message: expect.stringContaining('from 10.1.0.0/16 opens all TCP ports (0-65535)') }]);
    });

    it('3: protocol written as the number -1 and as "all"', () => {
      const fs = findings(withIngress({ CidrIp: '10.0.0.0/8', IpProtocol: -1 }, { SourcePrefixListId: 'pl-1', IpProtocol: 'all' }), RULE);
      expect(fs.map((f) => f.location)).toEqual(['SecurityGroupIngress.0', 'SecurityGroupIngress.1']);
      expect(fs[1].message).toContain('prefix list');
    });

    it('4: one Fn::If branch of a rule is all traffic', () => {
      const fs = findings(withIngress({ CidrIp: '10.0.0.0/8', IpProtocol: { 'Fn::If': ['Prod', 'tcp', '-1'] }, FromPort: 443, ToPort: 443 }), RULE);
      expect(fs).toMatchObject([{ kind: 'violation' }]);
    });

    it('5: cross-stack: a standalone rule in another stack', () => {
      const net = template({ Vpc: VPC, Sg: securityGroup('platform') }, { Outputs: { O: { Value: { 'Fn::GetAtt': ['Sg', 'GroupId'] }, Export: { Name: 'sg' } } } });
      const work = template({ In: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { 'Fn::ImportValue': 'sg' }, SourceSecurityGroupId: { 'Fn::ImportValue': 'sg' }, IpProtocol: 'udp', FromPort: 0, ToPort: 65535 } } });
      expect(runOnTemplates([net, work], RULE).findings).toMatchObject([{ kind: 'violation', logicalId: 'In', message: expect.stringContaining('security group Sg (stack Stack0) opens all UDP ports') }]);
    });
  });

  describe('Compliance', () => {
    it('L2 rules naming ports, and the default allow-all egress', () => {
      const stack = new Stack(new App(), 'S');
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
      const a = new ec2.SecurityGroup(stack, 'A', { vpc, allowAllOutbound: true });
      const b = new ec2.SecurityGroup(stack, 'B', { vpc });
      b.connections.allowFrom(a, ec2.Port.tcp(5432));
      b.addIngressRule(ec2.Peer.ipv4('10.0.0.0/16'), ec2.Port.tcpRange(8000, 8080));
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('every Fn::If branch names ports; ICMP all types is not all ports', () => {
      const fs = findings(
        withIngress({ CidrIp: '10.0.0.0/8', IpProtocol: { 'Fn::If': ['Prod', 'tcp', 'udp'] }, FromPort: 53, ToPort: 53 }, { CidrIp: '10.0.0.0/8', IpProtocol: 'icmp', FromPort: -1, ToPort: -1 }),
        RULE,
      );
      expect(fs).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a protocol from a parameter is unverifiable', () => {
      const t = template({ Vpc: VPC, Sg: securityGroup('platform', { SecurityGroupIngress: [{ CidrIp: '10.0.0.0/8', IpProtocol: { Ref: 'Proto' }, FromPort: 1, ToPort: 2 }] }) }, { Parameters: { Proto: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', location: 'SecurityGroupIngress.0.IpProtocol', message: expect.stringContaining('parameter Proto') }]);
    });

    it('a whole rule list from a parameter is unverifiable', () => {
      const t = template({ Vpc: VPC, Sg: securityGroup('platform', { SecurityGroupIngress: { Ref: 'Rules' } }) }, { Parameters: { Rules: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', location: 'SecurityGroupIngress' }]);
    });
  });
});
