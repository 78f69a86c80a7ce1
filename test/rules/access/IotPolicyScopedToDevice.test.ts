import { App, Stack } from 'aws-cdk-lib';
import * as iot from 'aws-cdk-lib/aws-iot';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, summarize, template } from '../../support/harness';

const RULE = 'IotPolicyScopedToDevice';
const policy = (...Statement: unknown[]) =>
  template({ Alias: { Type: 'AWS::IoT::RoleAlias', Properties: {} }, P: { Type: 'AWS::IoT::Policy', Properties: { PolicyDocument: { Version: '2012-10-17', Statement } } } });
const sub = (suffix: string) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:iot:\${AWS::Region}:\${AWS::AccountId}:${suffix}` });

describe('SRM-IIP-ACC-04: device policies grant no `iot:*` or `Resource: *` and bind MQTT resources to the thing name', () => {
  it('is exported from the package root with its judgements', () => {
    expect(kit.IotPolicyScopedToDevice.controlId).toBe('SRM-IIP-ACC-04');
    expect(kit.isIotWildcardAction('IOT:*')).toBe(true);
    expect(kit.needsThingNameScope('iot:Publish')).toBe(true);
    expect(kit.needsThingNameScope('iot:GetThingShadow')).toBe(false);
    expect(kit.isThingNameScoped('arn:aws:iot:eu-central-1:1:client/${iot:Connection.Thing.ThingName}')).toBe(true);
    expect(kit.isGreengrassCoreActionOnAllResources('greengrass:ResolveComponentCandidates')).toBe(true);
    expect(kit.isGreengrassCoreActionOnAllResources('greengrass:*')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: a CDK CfnPolicy granting iot:* on `*`', () => {
      const stack = new Stack(new App(), 'Edge');
      new iot.CfnPolicy(stack, 'DevicePolicy', { policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }] } });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-ACC-04', ruleId: RULE, kind: 'violation', resourceType: 'AWS::IoT::Policy', location: 'PolicyDocument' });
      expect(fs[0].message).toContain("grants 'iot:*'");
    });

    it('2: publish to a fleet-wide topic', () => {
      const fs = findings(policy({ Sid: 'Pub', Effect: 'Allow', Action: 'iot:Publish', Resource: sub('topic/factory/*') }), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining("statement 'Pub' grants 'iot:Publish' on 'arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}:topic/factory/*', which is not bound to ${iot:Connection.Thing.ThingName}") }]);
    });

    it('3: connect on Resource `*`', () => {
      const fs = findings(policy({ Effect: 'Allow', Action: ['iot:Connect'], Resource: '*' }), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining("grants 'iot:Connect' on Resource '*'") }]);
    });

    it('4: a JSON-string policy whose subscribe resource is not device-scoped', () => {
      const json = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['iot:Subscribe', 'iot:Receive'], Resource: ['arn:aws:iot:eu-central-1:111122223333:topicfilter/cmd/#'] }] });
      const t = template({ P: { Type: 'AWS::IoT::Policy', Properties: { PolicyDocument: json } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining("'iot:Subscribe', 'iot:Receive' on 'arn:aws:iot:eu-central-1:111122223333:topicfilter/cmd/#'") }]);
    });

    it('5: the Greengrass installer default greengrass:* on `*`', () => {
      const fs = findings(policy({ Effect: 'Allow', Action: ['greengrass:*'], Resource: ['*'] }), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining("grants 'greengrass:*' on Resource '*'") }]);
    });

    it('6: one branch of Fn::If is not device-scoped', () => {
      const t = template(
        {
          P: {
            Type: 'AWS::IoT::Policy',
            Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: { 'Fn::If': ['Prod', sub('client/${!iot:Connection.Thing.ThingName}'), sub('client/*')] } }] } },
          },
        },
        { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } },
      );
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('client/*') }]);
    });

    it('7: publish on a fixed resource of the app, not the thing-name variable', () => {
      const t = template({
        Rule: { Type: 'AWS::IoT::TopicRule', Properties: {} },
        P: { Type: 'AWS::IoT::Policy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: { 'Fn::GetAtt': ['Rule', 'Arn'] } }] } } },
      });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining("grants 'iot:Publish' on 'Rule.Arn'") }]);
    });

    it('8: Allow with NotAction', () => {
      const fs = findings(policy({ Effect: 'Allow', NotAction: 'iot:DeleteThingShadow', Resource: sub('thing/${!iot:Connection.Thing.ThingName}') }), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining('NotAction') }]);
    });
  });

  describe('Compliance', () => {
    it('a device-scoped policy written with Fn::Sub escapes, and the Greengrass core actions AWS documents on `*`', () => {
      const fs = findings(
        policy(
          { Effect: 'Allow', Action: 'iot:Connect', Resource: sub('client/${!iot:Connection.Thing.ThingName}') },
          { Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: [sub('topic/$aws/things/${!iot:Connection.Thing.ThingName}/*'), sub('topic/plant/${!iot:Connection.Thing.ThingName}/telemetry')] },
          { Effect: 'Allow', Action: 'iot:Subscribe', Resource: sub('topicfilter/$aws/things/${!iot:Connection.Thing.ThingName}/*') },
          { Effect: 'Allow', Action: ['iot:GetThingShadow', 'iot:UpdateThingShadow'], Resource: sub('thing/${!iot:Connection.Thing.ThingName}') },
          { Effect: 'Allow', Action: ['greengrass:GetComponentVersionArtifact', 'greengrass:ResolveComponentCandidates', 'greengrass:GetDeploymentConfiguration'], Resource: '*' },
          { Effect: 'Allow', Action: 'iot:AssumeRoleWithCertificate', Resource: { 'Fn::GetAtt': ['Alias', 'RoleAliasArn'] } },
          { Effect: 'Deny', Action: 'iot:*', Resource: '*' },
        ),
        RULE,
      );
      expect(fs).toEqual([]);
    });

    it('a CDK policy whose ARNs use stack tokens', () => {
      const stack = new Stack(new App(), 'Edge');
      new iot.CfnPolicy(stack, 'DevicePolicy', {
        policyDocument: {
          Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: `arn:${stack.partition}:iot:${stack.region}:${stack.account}:client/\${iot:Connection.Thing.ThingName}` }],
        },
      });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a Resource from a parameter is unverifiable', () => {
      const t = template(
        { P: { Type: 'AWS::IoT::Policy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: { Ref: 'Topic' } }] } } } },
        { Parameters: { Topic: { Type: 'String' } } },
      );
      expect(summarize(findings(t, RULE))).toEqual([
        "unverifiable P: cannot verify PolicyDocument statement #1: Resource '${Topic}' (depends on parameter Topic) cannot be resolved",
      ]);
    });

    it('a policy document from a parameter is unverifiable', () => {
      const t = template({ P: { Type: 'AWS::IoT::Policy', Properties: { PolicyDocument: { Ref: 'Doc' } } } }, { Parameters: { Doc: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Doc') }]);
    });
  });
});
