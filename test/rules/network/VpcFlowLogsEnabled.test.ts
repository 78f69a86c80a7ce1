import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'VpcFlowLogsEnabled';
const VPC = { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } };
const flowLog = (props: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::EC2::FlowLog',
  ...extra,
  Properties: { ResourceId: { Ref: 'Vpc' }, ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::logs', ...props },
});
const envCondition = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

describe('SRM-IIP-NET-05: every VPC has a VPC-level flow log recording ALL traffic', () => {
  it('is exported from the package root', () => {
    expect(kit.VpcFlowLogsEnabled.controlId).toBe('SRM-IIP-NET-05');
    expect(kit.isAllTrafficType('ALL')).toBe(true);
    expect(kit.isAllTrafficType('REJECT')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 VPC without flow logs', () => {
      const stack = new Stack(new App(), 'Network');
      new ec2.Vpc(stack, 'Vpc', { maxAzs: 1 });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-NET-05', ruleId: RULE, kind: 'violation', resourceType: 'AWS::EC2::VPC', stack: 'Network' });
      expect(fs[0].message).toMatch(/^VPC Vpc\w+ in stack Network has no AWS::EC2::FlowLog with ResourceType VPC and TrafficType ALL$/);
    });

    it('2: an L2 flow log that records only rejected traffic', () => {
      const stack = new Stack(new App(), 'Network');
      new ec2.Vpc(stack, 'Vpc', { maxAzs: 1 }).addFlowLog('Rejects', { trafficType: ec2.FlowLogTrafficType.REJECT });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining("records only 'REJECT' traffic") }]);
    });

    it('3: flow logs on the subnets only do not count', () => {
      const stack = new Stack(new App(), 'Network');
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1 });
      vpc.privateSubnets.concat(vpc.publicSubnets).forEach((s, i) => new ec2.FlowLog(stack, `SubnetLog${i}`, { resourceType: ec2.FlowLogResourceType.fromSubnet(s) }));
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('has no AWS::EC2::FlowLog') }]);
    });

    it('4: an L1 flow log without TrafficType', () => {
      const t = template({ Vpc: VPC, Log: flowLog({ TrafficType: undefined }) });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', logicalId: 'Vpc', message: expect.stringContaining('flow log Log in stack Stack0: its TrafficType is not set') }]);
    });

    it('5: one branch of Fn::If records only accepted traffic', () => {
      const t = template({ Vpc: VPC, Log: flowLog({ TrafficType: { 'Fn::If': ['Prod', 'ALL', 'ACCEPT'] } }) }, envCondition);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining("records only 'ACCEPT' traffic") }]);
    });

    it('6: a ResourceId that picks one of two VPCs with Fn::If covers neither in every case', () => {
      const t = template({ Vpc: VPC, Other: VPC, Log: flowLog({ ResourceId: { 'Fn::If': ['Prod', { Ref: 'Vpc' }, { Ref: 'Other' }] } }) }, envCondition);
      const fs = findings(t, RULE);
      expect(fs.map((f) => [f.kind, f.logicalId])).toEqual([
        ['violation', 'Vpc'],
        ['violation', 'Other'],
      ]);
      expect(fs[0].message).toContain('its ResourceId is Other in another branch of Fn::If');
    });

    it('7: a flow log whose ResourceType is not VPC', () => {
      const t = template({ Vpc: VPC, Log: flowLog({ ResourceType: 'NetworkInterface' }) });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining("its ResourceType is 'NetworkInterface', not 'VPC'") }]);
    });

    it('8: a flow log whose Condition is statically false does not exist', () => {
      const t = template({ Vpc: VPC, Log: flowLog({}, { Condition: 'Never' }) }, { Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('has no AWS::EC2::FlowLog') }]);
    });

    it('9: cross-stack: a flow log in another stack records only rejected traffic', () => {
      const a = template({ Vpc: VPC }, { Outputs: { VpcId: { Value: { Ref: 'Vpc' }, Export: { Name: 'net-vpc' } } } });
      const b = template({ Log: flowLog({ ResourceId: { 'Fn::ImportValue': 'net-vpc' }, TrafficType: 'REJECT' }) });
      expect(runOnTemplates([a, b], RULE).findings).toMatchObject([{ kind: 'violation', stack: 'Stack0', logicalId: 'Vpc', message: expect.stringContaining('flow log Log in stack Stack1') }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 VPC with the flowLogs prop (CDK defaults to ALL traffic)', () => {
      const stack = new Stack(new App(), 'Network');
      new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, flowLogs: { all: {} } });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('an L1 flow log with GetAtt VpcId', () => {
      expect(findings(template({ Vpc: VPC, Log: flowLog({ ResourceId: { 'Fn::GetAtt': ['Vpc', 'VpcId'] } }) }), RULE)).toEqual([]);
    });

    it('every branch of Fn::If references the VPC with ALL traffic', () => {
      const t = template(
        { Vpc: VPC, Log: flowLog({ ResourceId: { 'Fn::If': ['Prod', { Ref: 'Vpc' }, { 'Fn::GetAtt': ['Vpc', 'VpcId'] }] }, TrafficType: { 'Fn::If': ['Prod', 'ALL', 'ALL'] } }) },
        envCondition,
      );
      expect(findings(t, RULE)).toEqual([]);
    });

    it('a statically true condition selects the ALL branch', () => {
      const t = template({ Vpc: VPC, Log: flowLog({ TrafficType: { 'Fn::If': ['Always', 'ALL', 'REJECT'] } }) }, { Conditions: { Always: { 'Fn::Equals': ['a', 'a'] } } });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('one good flow log is enough next to a REJECT-only one', () => {
      const t = template({ Vpc: VPC, Rejects: flowLog({ TrafficType: 'REJECT' }), All: flowLog({}) });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('cross-stack L2: the VPC in one stack, its flow log in another', () => {
      const app = new App();
      const vpc = new ec2.Vpc(new Stack(app, 'Network'), 'Vpc', { maxAzs: 1 });
      new ec2.FlowLog(new Stack(app, 'Audit'), 'VpcLog', { resourceType: ec2.FlowLogResourceType.fromVpc(vpc) });
      expect(findingsForApp(app, RULE)).toEqual([]);
    });

    it('cross-stack raw templates with Export/ImportValue', () => {
      const a = template({ Vpc: VPC }, { Outputs: { VpcId: { Value: { Ref: 'Vpc' }, Export: { Name: 'net-vpc' } } } });
      const b = template({ Log: flowLog({ ResourceId: { 'Fn::ImportValue': 'net-vpc' } }) });
      expect(runOnTemplates([a, b], RULE).findings).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a TrafficType parameter is unverifiable, never passed', () => {
      const t = template({ Vpc: VPC, Log: flowLog({ TrafficType: { Ref: 'Traffic' } }) }, { Parameters: { Traffic: { Type: 'String', Default: 'ALL' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', logicalId: 'Vpc', message: expect.stringContaining('parameter Traffic') }]);
    });

    it('a flow log guarded by an unknown condition does not prove the flow log exists', () => {
      const t = template({ Vpc: VPC, Log: flowLog({}, { Condition: 'Prod' }) }, envCondition);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('it only exists when condition Prod holds') }]);
    });

    it('a flow log whose ResourceId is a parameter may cover the VPC', () => {
      const t = template({ Vpc: VPC, Log: flowLog({ ResourceId: { Ref: 'VpcIdParam' } }) }, { Parameters: { VpcIdParam: { Type: 'AWS::EC2::VPC::Id' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('flow log Log in stack Stack0 (its ResourceId is') }]);
    });

    it('an import whose export is not in the app is unverifiable', () => {
      const t = template({ Vpc: VPC, Log: flowLog({ ResourceId: { 'Fn::ImportValue': 'elsewhere' } }) });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('export elsewhere') }]);
    });

    it('never throws on odd shapes', () => {
      const t = template({
        Vpc: VPC,
        A: { Type: 'AWS::EC2::FlowLog', Properties: { ResourceId: null, ResourceType: ['VPC'], TrafficType: { Bad: 1 } } },
        B: { Type: 'AWS::EC2::FlowLog', Properties: { ResourceId: { Ref: 'Vpc' }, ResourceType: 42, TrafficType: true } },
        C: { Type: 'AWS::EC2::FlowLog', Properties: 'oops' as unknown as Record<string, unknown> },
      });
      const fs = findings(t, RULE);
      expect(fs).toMatchObject([{ kind: 'violation', logicalId: 'Vpc' }]);
      expect(fs[0].message).not.toContain('could not read');
    });
  });
});
