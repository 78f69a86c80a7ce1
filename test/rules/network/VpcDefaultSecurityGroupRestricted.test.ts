import { App, CustomResource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'VpcDefaultSecurityGroupRestricted';

const VPC = { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } };
const DEFAULT_SG = { 'Fn::GetAtt': ['Vpc', 'DefaultSecurityGroup'] };
const restrict = (props: Record<string, unknown> = { DefaultSecurityGroupId: DEFAULT_SG }, extra: Record<string, unknown> = {}) => ({
  Type: 'Custom::VpcRestrictDefaultSG',
  ...extra,
  Properties: { ServiceToken: 'arn:aws:lambda:eu-central-1:111111111111:function:restrict', ...props },
});
const ingress = (groupId: unknown) => ({ Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: groupId, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.0.0.0/8' } });
const envCondition = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

describe('SRM-IIP-NET-08: the default security group of every VPC is restricted and gets no rules', () => {
  it('is exported from the package root', () => {
    expect(kit.VpcDefaultSecurityGroupRestricted.controlId).toBe('SRM-IIP-NET-08');
    expect(kit.isCustomResourceType('Custom::VpcRestrictDefaultSG')).toBe(true);
    expect(kit.isCustomResourceType('AWS::Lambda::Function')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 VPC without restrictDefaultSecurityGroup (the feature flag is off by default)', () => {
      const stack = new Stack(new App(), 'Network');
      new ec2.Vpc(stack, 'Vpc', { maxAzs: 1 });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-NET-08', ruleId: RULE, kind: 'violation', resourceType: 'AWS::EC2::VPC' });
      expect(fs[0].message).toMatch(/^VPC Vpc\w+ in stack Network does not restrict its default security group/);
      expect(fs[0].message).toContain('restrictDefaultSecurityGroup: true');
    });

    it('2: an L2 VPC that turns the restriction off', () => {
      const app = new App({ context: { '@aws-cdk/aws-ec2:restrictDefaultSecurityGroup': true } });
      new ec2.Vpc(new Stack(app, 'Network'), 'Vpc', { maxAzs: 1, restrictDefaultSecurityGroup: false });
      expect(findingsForApp(app, RULE)).toMatchObject([{ kind: 'violation', resourceType: 'AWS::EC2::VPC' }]);
    });

    it('3: an L1 ingress rule on the default security group, even with the restriction in place', () => {
      const t = template({ Vpc: VPC, Restrict: restrict(), Open: ingress(DEFAULT_SG) });
      expect(findings(t, RULE)).toMatchObject([
        { kind: 'violation', logicalId: 'Open', location: 'GroupId', message: expect.stringContaining('adds an ingress rule to the default security group of VPC Vpc in stack Stack0') },
      ]);
    });

    it('4: an egress rule on the default security group in one branch of Fn::If', () => {
      const t = template(
        {
          Vpc: VPC,
          Restrict: restrict(),
          Other: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x', VpcId: { Ref: 'Vpc' } } },
          Out: { Type: 'AWS::EC2::SecurityGroupEgress', Properties: { GroupId: { 'Fn::If': ['Prod', { 'Fn::GetAtt': ['Other', 'GroupId'] }, DEFAULT_SG] }, IpProtocol: '-1', CidrIp: '0.0.0.0/0' } },
        },
        envCondition,
      );
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', logicalId: 'Out', message: expect.stringContaining('adds an egress rule to the default security group') }]);
    });

    it("5: an ingress rule on the default VPC's default group by GroupName", () => {
      const t = template({ Open: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupName: 'default', IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', location: 'GroupName', message: expect.stringContaining("GroupName is 'default'") }]);
    });

    it('6: a custom resource that references the default group in only one branch of Fn::If', () => {
      const t = template({ Vpc: VPC, Restrict: restrict({ DefaultSecurityGroupId: { 'Fn::If': ['Prod', DEFAULT_SG, { Ref: 'AWS::NoValue' }] } }) }, envCondition);
      expect(findings(t, RULE)).toMatchObject([
        { kind: 'violation', logicalId: 'Vpc', message: expect.stringContaining('Custom::VpcRestrictDefaultSG Restrict in stack Stack0 references it only in one branch of Fn::If') },
      ]);
    });

    it('7: cross-stack L2: an ingress rule in another stack on the imported default group', () => {
      const app = new App();
      const vpc = new ec2.Vpc(new Stack(app, 'Network'), 'Vpc', { maxAzs: 1, restrictDefaultSecurityGroup: true });
      new ec2.CfnSecurityGroupIngress(new Stack(app, 'Rules'), 'Ssh', { groupId: vpc.vpcDefaultSecurityGroup, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '10.0.0.0/8' });
      const fs = findingsForApp(app, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ kind: 'violation', stack: 'Rules', logicalId: 'Ssh', location: 'GroupId' });
      expect(fs[0].message).toMatch(/default security group of VPC Vpc\w+ in stack Network/);
    });

    it('8: a restricting custom resource whose Condition is statically false', () => {
      const t = template({ Vpc: VPC, Restrict: restrict(undefined, { Condition: 'Never' }) }, { Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', logicalId: 'Vpc' }]);
    });

    it('9: a custom resource for another VPC does not restrict this one', () => {
      const t = template({ Vpc: VPC, Other: VPC, Restrict: restrict({ DefaultSecurityGroupId: { 'Fn::GetAtt': ['Other', 'DefaultSecurityGroup'] } }) });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', logicalId: 'Vpc' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 VPC with restrictDefaultSecurityGroup: true (synthesizes Custom::VpcRestrictDefaultSG)', () => {
      const stack = new Stack(new App(), 'Network');
      new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, restrictDefaultSecurityGroup: true });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('an L2 VPC under the @aws-cdk/aws-ec2:restrictDefaultSecurityGroup feature flag', () => {
      const app = new App({ context: { '@aws-cdk/aws-ec2:restrictDefaultSecurityGroup': true } });
      new ec2.Vpc(new Stack(app, 'Network'), 'Vpc', { maxAzs: 1 });
      expect(findingsForApp(app, RULE)).toEqual([]);
    });

    it('any custom resource that passes the default group, nested in its properties', () => {
      const t = template({
        Vpc: VPC,
        Lockdown: { Type: 'AWS::CloudFormation::CustomResource', Properties: { ServiceToken: 'arn:aws:lambda:eu-central-1:111111111111:function:x', Groups: [{ Id: { 'Fn::Sub': '${Vpc.DefaultSecurityGroup}' } }] } },
      });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('an L2 CustomResource in another stack that receives the imported default group', () => {
      const app = new App();
      const vpc = new ec2.Vpc(new Stack(app, 'Network'), 'Vpc', { maxAzs: 1 });
      new CustomResource(new Stack(app, 'Guard'), 'Lockdown', { serviceToken: 'arn:aws:lambda:eu-central-1:111111111111:function:x', properties: { GroupId: vpc.vpcDefaultSecurityGroup } });
      expect(findingsForApp(app, RULE)).toEqual([]);
    });

    it('cross-stack raw templates with Export/ImportValue', () => {
      const a = template({ Vpc: VPC }, { Outputs: { Sg: { Value: DEFAULT_SG, Export: { Name: 'net-default-sg' } } } });
      const b = template({ Restrict: restrict({ DefaultSecurityGroupId: { 'Fn::ImportValue': 'net-default-sg' } }) });
      expect(runOnTemplates([a, b], RULE).findings).toEqual([]);
    });

    it('every branch of Fn::If references the default group', () => {
      const t = template({ Vpc: VPC, Restrict: restrict({ DefaultSecurityGroupId: { 'Fn::If': ['Prod', DEFAULT_SG, { 'Fn::Sub': '${Vpc.DefaultSecurityGroup}' }] } }) }, envCondition);
      expect(findings(t, RULE)).toEqual([]);
    });

    it('ingress rules on ordinary groups are not this control', () => {
      const t = template({
        Vpc: VPC,
        Restrict: restrict(),
        Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x', VpcId: { Ref: 'Vpc' } } },
        In: ingress({ 'Fn::GetAtt': ['Sg', 'GroupId'] }),
        FromDefault: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { Ref: 'Sg' }, SourceSecurityGroupId: DEFAULT_SG, IpProtocol: 'tcp', FromPort: 1, ToPort: 1 } },
      });
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a restricting custom resource guarded by an unknown condition is unverifiable', () => {
      const t = template({ Vpc: VPC, Restrict: restrict(undefined, { Condition: 'Prod' }) }, envCondition);
      expect(findings(t, RULE)).toMatchObject([
        { kind: 'unverifiable', logicalId: 'Vpc', message: expect.stringContaining('Custom::VpcRestrictDefaultSG Restrict in stack Stack0 only exists when condition Prod holds') },
      ]);
    });

    it('never throws on odd shapes', () => {
      const t = template({
        Vpc: VPC,
        Restrict: restrict({ DefaultSecurityGroupId: { 'Fn::GetAtt': 'Vpc' }, X: { 'Fn::If': 'bad' }, Y: { 'Fn::Sub': 42 }, Z: [null, { 'Fn::ImportValue': { Ref: 'P' } }] }),
        In: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: ['a'], GroupName: { Bad: true } } },
        Eg: { Type: 'AWS::EC2::SecurityGroupEgress', Properties: 'nope' as unknown as Record<string, unknown> },
      });
      const fs = findings(t, RULE);
      expect(fs).toMatchObject([{ kind: 'violation', logicalId: 'Vpc' }]);
      expect(fs[0].message).not.toContain('could not read');
    });
  });
});
