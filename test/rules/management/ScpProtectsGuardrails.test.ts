import { App, Stack } from 'aws-cdk-lib';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template, type Resources } from '../../support/harness';

const RULE = 'ScpProtectsGuardrails';
const FULL_DENY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Trail', Effect: 'Deny', Action: ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail'], Resource: '*' },
    { Sid: 'GuardDuty', Effect: 'Deny', Action: ['guardduty:Delete*', 'guardduty:Disassociate*', 'guardduty:UpdateDetector'], Resource: '*' },
    {
      Sid: 'Config',
      Effect: 'Deny',
      Action: ['config:Stop*', 'config:Delete*'],
      Resource: '*',
      Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/SecurityAdmin' } },
    },
  ],
};
const scp = (content: unknown, id = 'Scp'): Resources => ({ [id]: { Type: 'AWS::Organizations::Policy', Properties: { Name: id, Type: 'SERVICE_CONTROL_POLICY', Content: content } } });
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

describe('SRM-IIP-MGT-04: service control policies deny switching off CloudTrail, GuardDuty and Config', () => {
  it('is exported from the package root', () => {
    expect(kit.ScpProtectsGuardrails.controlId).toBe('SRM-IIP-MGT-04');
    expect(kit.undeniedGuardrailActions(['cloudtrail:*', 'guardduty:*', 'config:*'])).toEqual([]);
    expect(kit.undeniedGuardrailActions([], [['s3:*']])).toEqual([]);
    expect(kit.undeniedGuardrailActions(['cloudtrail:Stop*'])).toHaveLength(8);
  });

  describe('Noncompliance', () => {
    it('1: a CDK SCP that denies only CloudTrail changes names the missing denials', () => {
      const stack = new Stack(new App(), 'Org');
      new organizations.CfnPolicy(stack, 'Scp', { name: 'guardrails', type: 'SERVICE_CONTROL_POLICY', content: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*' }] } });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toMatchObject([{ controlId: 'SRM-IIP-MGT-04', ruleId: RULE, kind: 'violation', resourceType: 'AWS::Organizations::Policy', location: 'Content' }]);
      expect(fs[0].message).toContain('does not deny guardduty:DeleteDetector, guardduty:DisassociateFromMasterAccount, guardduty:UpdateDetector, config:StopConfigurationRecorder, config:DeleteConfigurationRecorder, config:DeleteDeliveryChannel');
    });

    it('2: an Allow statement does not count; the content may be a JSON string', () => {
      const content = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
      expect(findings(template(scp(content)), RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('cloudtrail:StopLogging') }]);
    });

    it('3: two SCPs in two stacks that together miss Config', () => {
      const a = template(scp({ Statement: [FULL_DENY.Statement[0]] }, 'TrailScp'));
      const b = template(scp({ Statement: [FULL_DENY.Statement[1]] }, 'DetectScp'));
      const r = runOnTemplates([a, b], RULE);
      expect(r.findings).toMatchObject([{ kind: 'violation', logicalId: undefined, message: expect.stringMatching(/policies \(TrailScp .* DetectScp .*\) do not deny config:StopConfigurationRecorder/) }]);
    });

    it('4: one branch of Fn::If drops the GuardDuty denial', () => {
      const content = { Statement: [FULL_DENY.Statement[0], FULL_DENY.Statement[2], { 'Fn::If': ['Prod', FULL_DENY.Statement[1], { Ref: 'AWS::NoValue' }] }] };
      expect(findings(template(scp(content), COND), RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('does not deny guardduty:DeleteDetector, guardduty:DisassociateFromMasterAccount, guardduty:UpdateDetector,') }]);
    });
  });

  describe('Compliance', () => {
    it('a full guardrail SCP with a security-role exception', () => {
      expect(findings(template(scp(FULL_DENY)), RULE)).toEqual([]);
    });

    it('a NotAction deny that spares only read actions covers everything', () => {
      expect(findings(template(scp({ Statement: [{ Effect: 'Deny', NotAction: ['s3:Get*', 'ec2:Describe*'], Resource: '*' }] })), RULE)).toEqual([]);
    });

    it('every branch of Fn::If denies (whole content switched by a condition)', () => {
      const other = { Statement: [{ Effect: 'Deny', Action: ['cloudtrail:*', 'guardduty:*', 'config:*'], Resource: '*' }] };
      expect(findings(template(scp({ 'Fn::If': ['Prod', FULL_DENY, other] }), COND), RULE)).toEqual([]);
    });

    it('no SCP in the app: nothing is reported (attested)', () => {
      const t = template({ Tag: { Type: 'AWS::Organizations::Policy', Properties: { Name: 't', Type: 'TAG_POLICY', Content: {} } } });
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a policy whose Type is a parameter and whose content lacks the denials is unverifiable', () => {
      const t = template({ P: { Type: 'AWS::Organizations::Policy', Properties: { Name: 'p', Type: { Ref: 'Kind' }, Content: { Statement: [] } } } }, { Parameters: { Kind: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', logicalId: 'P', message: expect.stringContaining('parameter Kind') }]);
    });

    it('content from a parameter is unverifiable', () => {
      const t = template(scp({ Ref: 'Doc' }), { Parameters: { Doc: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Doc') }]);
    });
  });
});
