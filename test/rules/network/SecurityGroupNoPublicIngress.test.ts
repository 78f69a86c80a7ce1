import { App, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';
import { PROD_CONDITION, securityGroup, VPC, ZONE } from './network-fixtures';

const RULE = 'SecurityGroupNoPublicIngress';

function sgWith(zone: string | undefined, ...rules: Array<[ec2.IPeer, ec2.Port]>): Stack {
  const stack = new Stack(new App(), 'S');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc });
  if (zone) Tags.of(sg).add(ZONE, zone);
  for (const [peer, port] of rules) sg.addIngressRule(peer, port);
  return stack;
}

const ingress = (rule: Record<string, unknown>) => securityGroup('ingress', { SecurityGroupIngress: [rule] });

describe('SRM-IIP-NET-02: internet ingress only on TCP 443/8883 into an internet-facing zone', () => {
  it('is exported from the package root', () => {
    expect(kit.SecurityGroupNoPublicIngress.controlId).toBe('SRM-IIP-NET-02');
    expect(kit.isPublicIngressPort('tcp', 443, 443)).toBe(true);
    expect(kit.isPublicIngressPort('6', 8883, 8883)).toBe(true);
    expect(kit.isPublicIngressPort('udp', 443, 443)).toBe(false);
    expect(kit.isPublicIngressPort('tcp', 443, 8883)).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 security group open to the internet on SSH', () => {
      const fs = findingsForApp(sgWith('ingress', [ec2.Peer.anyIpv4(), ec2.Port.tcp(22)]), RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-NET-02', ruleId: RULE, kind: 'violation', resourceType: 'AWS::EC2::SecurityGroup', location: 'SecurityGroupIngress.0' });
      expect(fs[0].message).toContain('0.0.0.0/0 (CidrIp) allows tcp 22 from the internet');
    });

    it('2: HTTPS from the internet into a platform-zone security group', () => {
      const fs = findingsForApp(sgWith('platform', [ec2.Peer.anyIpv4(), ec2.Port.tcp(443)]), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining("whose zone 'platform' is not internet-facing") }]);
    });

    it('3: HTTPS from the internet into an untagged security group is unclassified', () => {
      const fs = findingsForApp(sgWith(undefined, [ec2.Peer.anyIpv4(), ec2.Port.tcp(443)]), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining('no srm-iip:zone tag (unclassified)') }]);
    });

    it('4: IPv6 ::/0 on MQTT into a data-zone group', () => {
      const t = template({ Vpc: VPC, Sg: securityGroup('data', { SecurityGroupIngress: [{ CidrIpv6: '::/0', IpProtocol: 'tcp', FromPort: 8883, ToPort: 8883 }] }) });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining("::/0 (CidrIpv6) on tcp 8883 opens security group Sg whose zone 'data' is not internet-facing") }]);
    });

    it('5: a port range that spans more than 443', () => {
      const t = template({ Vpc: VPC, Sg: ingress({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 8883 }) });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('tcp 443-8883') }]);
    });

    it('6: cross-stack: a standalone ingress rule on a platform group of another stack', () => {
      const net = template({ Vpc: VPC, Sg: securityGroup('platform') }, { Outputs: { O: { Value: { 'Fn::GetAtt': ['Sg', 'GroupId'] }, Export: { Name: 'sg-id' } } } });
      const work = template({ In: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { 'Fn::ImportValue': 'sg-id' }, CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 } } });
      const fs = runOnTemplates([net, work], RULE).findings;
      expect(fs).toMatchObject([{ kind: 'violation', stack: 'Stack1', logicalId: 'In', resourceType: 'AWS::EC2::SecurityGroupIngress', message: expect.stringContaining('security group Sg (stack Stack0)') }]);
    });

    it('7: one Fn::If branch opens SSH to the internet', () => {
      const t = template({ Vpc: VPC, Sg: ingress({ CidrIp: { 'Fn::If': ['Prod', '10.0.0.0/8', '0.0.0.0/0'] }, IpProtocol: 'tcp', FromPort: 22, ToPort: 22 }) }, PROD_CONDITION);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('tcp 22') }]);
    });

    it('8: all traffic from the internet', () => {
      const t = template({ Vpc: VPC, Sg: ingress({ CidrIp: '0.0.0.0/0', IpProtocol: '-1' }) });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('allows all traffic from the internet') }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 ingress-zone group open on 443 and 8883', () => {
      expect(findingsForApp(sgWith('ingress', [ec2.Peer.anyIpv4(), ec2.Port.tcp(443)], [ec2.Peer.anyIpv6(), ec2.Port.tcp(8883)]), RULE)).toEqual([]);
    });

    it('rules from security groups, prefix lists and private CIDRs are not internet ingress', () => {
      const t = template({
        Vpc: VPC,
        Other: securityGroup('edge'),
        Sg: securityGroup('platform', {
          SecurityGroupIngress: [
            { SourceSecurityGroupId: { 'Fn::GetAtt': ['Other', 'GroupId'] }, IpProtocol: 'tcp', FromPort: 22, ToPort: 22 },
            { SourcePrefixListId: 'pl-123', IpProtocol: 'tcp', FromPort: 22, ToPort: 22 },
            { CidrIp: '10.0.0.0/8', IpProtocol: 'tcp', FromPort: 22, ToPort: 22 },
          ],
        }),
      });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('every Fn::If branch is a private CIDR', () => {
      const t = template({ Vpc: VPC, Sg: ingress({ CidrIp: { 'Fn::If': ['Prod', '10.0.0.0/8', '192.168.0.0/16'] }, IpProtocol: 'tcp', FromPort: 22, ToPort: 22 }) }, PROD_CONDITION);
      expect(findings(t, RULE)).toEqual([]);
    });

    it('cross-stack: a standalone 443 rule on an ingress-zone group of another stack', () => {
      const app = new App();
      const net = new Stack(app, 'Net');
      const vpc = new ec2.Vpc(net, 'Vpc', { maxAzs: 1, natGateways: 0 });
      const sg = new ec2.SecurityGroup(net, 'Sg', { vpc });
      Tags.of(sg).add(ZONE, 'ingress');
      const work = new Stack(app, 'Work');
      new ec2.CfnSecurityGroupIngress(work, 'In', { groupId: sg.securityGroupId, cidrIp: '0.0.0.0/0', ipProtocol: 'tcp', fromPort: 443, toPort: 443 });
      expect(findingsForApp(app, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a CIDR from a parameter on SSH is unverifiable', () => {
      const t = template({ Vpc: VPC, Sg: ingress({ CidrIp: { Ref: 'Cidr' }, IpProtocol: 'tcp', FromPort: 22, ToPort: 22 }) }, { Parameters: { Cidr: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', location: 'SecurityGroupIngress.0.CidrIp', message: expect.stringContaining('parameter Cidr') }]);
    });

    it('a CIDR from a parameter on 443 into an ingress-zone group passes (allowed even if it is the internet)', () => {
      const t = template({ Vpc: VPC, Sg: ingress({ CidrIp: { Ref: 'Cidr' }, IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }) }, { Parameters: { Cidr: { Type: 'String' } } });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('a port from a parameter on an internet rule is unverifiable', () => {
      const t = template({ Vpc: VPC, Sg: ingress({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: { Ref: 'P' }, ToPort: { Ref: 'P' } }) }, { Parameters: { P: { Type: 'Number' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter P') }]);
    });

    it('a target group outside the app is unverifiable', () => {
      const t = template({ In: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: 'sg-0123', CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', location: 'GroupId', message: expect.stringContaining("'sg-0123' is not defined in the app") }]);
    });
  });
});
