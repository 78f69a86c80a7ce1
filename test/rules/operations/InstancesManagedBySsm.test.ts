import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template, type Resources } from '../../support/harness';

const RULE = 'InstancesManagedBySsm';
const TRUST = { Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
const instance: Resources = { I: { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-1', IamInstanceProfile: { Ref: 'Profile' } } } };
const profile: Resources = { Profile: { Type: 'AWS::IAM::InstanceProfile', Properties: { Roles: [{ Ref: 'Role' }] } } };
const role = (props: Record<string, unknown>): Resources => ({ Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: TRUST, ...props } } });
const CORE = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSSMManagedInstanceCore']] };
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

function l2Instance(stack: Stack, props: Partial<ec2.InstanceProps> = {}) {
  return new ec2.Instance(stack, 'Host', {
    vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 }),
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    instanceType: new ec2.InstanceType('t3.micro'),
    machineImage: ec2.MachineImage.genericLinux({ 'eu-central-1': 'ami-1' }),
    ...props,
  });
}

describe('SRM-IIP-OPS-06: instances are reachable through Systems Manager', () => {
  it('is exported from the package root', () => {
    expect(kit.InstancesManagedBySsm.controlId).toBe('SRM-IIP-OPS-06');
    expect(kit.isSsmCorePolicyArn('arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore')).toBe(true);
    expect(kit.missingSsmActions(['ssm:UpdateInstanceInformation', 'ssmmessages:*'])).toEqual([]);
    expect(kit.missingSsmActions(['ssm:*'])).toHaveLength(4);
  });

  describe('Noncompliance', () => {
    it('1: an L2 instance with CDK defaults (a role without SSM permissions)', () => {
      const stack = new Stack(new App(), 'S', { env: { region: 'eu-central-1' } });
      l2Instance(stack);
      const fs = findingsForApp(stack, RULE);
      expect(fs).toMatchObject([{ controlId: 'SRM-IIP-OPS-06', ruleId: RULE, kind: 'violation', resourceType: 'AWS::EC2::Instance', location: 'IamInstanceProfile' }]);
      expect(fs[0].message).toMatch(/not reachable through Systems Manager: role HostInstanceRole\w+ .* has neither AmazonSSMManagedInstanceCore/);
    });

    it('2: an L1 instance without an instance profile', () => {
      const fs = findings(template({ I: { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-1' } } }), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining('has no instance profile') }]);
    });

    it('3: an inline policy granting only part of the agent actions', () => {
      const t = template({ ...instance, ...profile, ...role({ Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['ssm:UpdateInstanceInformation'], Resource: '*' }] } }] }) });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('missing ssmmessages:CreateControlChannel') }]);
    });

    it('4: one branch of Fn::If drops the instance profile', () => {
      const t = template({ I: { Type: 'AWS::EC2::Instance', Properties: { IamInstanceProfile: { 'Fn::If': ['Prod', { Ref: 'Profile' }, { Ref: 'AWS::NoValue' }] } } }, ...profile, ...role({ ManagedPolicyArns: [CORE] }) }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('has no instance profile') }]);
    });

    it('5: an unconditional Deny of ssmmessages removes the session channel', () => {
      const t = template({ ...instance, ...profile, ...role({ ManagedPolicyArns: [], Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['ssm:UpdateInstanceInformation', 'ssmmessages:*'], Resource: '*' }, { Effect: 'Deny', Action: 'ssmmessages:Open*', Resource: '*' }] } }] }) });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('ssmmessages:OpenControlChannel, ssmmessages:OpenDataChannel') }]);
    });

    it('6: the agent statement exists in one branch of Fn::If only', () => {
      const stmt = { Effect: 'Allow', Action: ['ssm:UpdateInstanceInformation', 'ssmmessages:*'], Resource: '*' };
      const t = template({ ...instance, ...profile, ...role({ Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: [{ 'Fn::If': ['Prod', stmt, { Ref: 'AWS::NoValue' }] }] } }] }) }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('missing ssm:UpdateInstanceInformation') }]);
    });

    it('7: AmazonSSMManagedInstanceCore is attached in one branch of Fn::If only', () => {
      const t = template({ ...instance, ...profile, ...role({ ManagedPolicyArns: [{ 'Fn::If': ['Prod', CORE, { Ref: 'AWS::NoValue' }] }] }) }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 instance with ssmSessionPermissions', () => {
      const stack = new Stack(new App(), 'S', { env: { region: 'eu-central-1' } });
      l2Instance(stack, { ssmSessionPermissions: true });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('cross-stack: the role is in another stack and gets the agent actions from an AWS::IAM::Policy there', () => {
      const app = new App();
      const idStack = new Stack(app, 'Identity', { env: { region: 'eu-central-1' } });
      const r = new iam.Role(idStack, 'HostRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
      r.addToPolicy(new iam.PolicyStatement({ actions: ['ssm:UpdateInstanceInformation', 'ssmmessages:*'], resources: ['*'] }));
      const hosts = new Stack(app, 'Hosts', { env: { region: 'eu-central-1' } });
      l2Instance(hosts, { role: r });
      expect(findingsForApp(app, RULE)).toEqual([]);
    });

    it('raw templates: the profile is imported from another stack', () => {
      const idStack = template({ ...profile, ...role({ ManagedPolicyArns: ['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore'] }) }, { Outputs: { P: { Value: { Ref: 'Profile' }, Export: { Name: 'HostProfile' } } } });
      const hosts = template({ I: { Type: 'AWS::EC2::Instance', Properties: { IamInstanceProfile: { 'Fn::ImportValue': 'HostProfile' } } } });
      expect(runOnTemplates([idStack, hosts], RULE).findings).toEqual([]);
    });

    it('every branch of Fn::If uses a managed profile', () => {
      const t = template({ I: { Type: 'AWS::EC2::Instance', Properties: { IamInstanceProfile: { 'Fn::If': ['Prod', { Ref: 'Profile' }, { Ref: 'Profile' }] } } }, ...profile, ...role({ ManagedPolicyArns: [CORE] }) }, COND);
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a profile from a parameter is unverifiable', () => {
      const t = template({ I: { Type: 'AWS::EC2::Instance', Properties: { IamInstanceProfile: { Ref: 'ProfileName' } } } }, { Parameters: { ProfileName: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter ProfileName') }]);
    });

    it('a managed policy ARN from a parameter is unverifiable', () => {
      const t = template({ ...instance, ...profile, ...role({ ManagedPolicyArns: [{ Ref: 'PolicyArn' }] }) }, { Parameters: { PolicyArn: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter PolicyArn') }]);
    });
  });
});
