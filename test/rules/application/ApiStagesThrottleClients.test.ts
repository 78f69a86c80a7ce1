import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'ApiStagesThrottleClients';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const ALL = { ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 100, ThrottlingBurstLimit: 50 };

function stage(props: Record<string, unknown>, more: Record<string, { Type: string; Properties: Record<string, unknown>; Condition?: string }> = {}, extra: Record<string, unknown> = COND) {
  return template(
    {
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'a' } },
      St: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, DeploymentId: 'd', StageName: 'prod', ...props } },
      ...more,
    },
    extra,
  );
}

describe('SRM-IIP-APP-03: API stages throttle clients', () => {
  it('is exported from the package root, with its judgements', () => {
    expect(kit.ApiStagesThrottleClients.controlId).toBe('SRM-IIP-APP-03');
    expect(kit.APPLICATION_RULES).toContain(kit.ApiStagesThrottleClients);
    expect(kit.isThrottleLimit(10, 5)).toBe(true);
    expect(kit.isThrottleLimit(-1, 5)).toBe(false);
    expect(kit.isThrottleLimit(undefined, 5)).toBe(false);
    expect(kit.isAllMethodsSetting('/*', '*')).toBe(true);
    expect(kit.isAllMethodsSetting('/orders', 'GET')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: L2 REST and HTTP API stages without throttling', () => {
      const stack = new Stack(new App(), 'S');
      new apigw.RestApi(stack, 'Api').root.addMethod('GET');
      new apigwv2.HttpApi(stack, 'Http');
      const fs = findingsForApp(stack, RULE);
      expect(fs.map((f) => f.resourceType).sort()).toEqual(['AWS::ApiGateway::Stage', 'AWS::ApiGatewayV2::Stage']);
      for (const f of fs) expect(f).toMatchObject({ controlId: 'SRM-IIP-APP-03', ruleId: RULE, kind: 'violation', message: expect.stringContaining('does not throttle clients') });
    });

    it('2: throttling for one method only, and a rate limit of -1 (unlimited)', () => {
      expect(findings(stage({ MethodSettings: [{ ...ALL, ResourcePath: '/~1orders', HttpMethod: 'POST' }] }), RULE)).toMatchObject([{ kind: 'violation' }]);
      expect(findings(stage({ MethodSettings: [{ ...ALL, ThrottlingRateLimit: -1 }] }), RULE)).toMatchObject([{ kind: 'violation' }]);
    });

    it('3: a usage plan without a Throttle does not count', () => {
      const plan = { Plan: { Type: 'AWS::ApiGateway::UsagePlan', Properties: { ApiStages: [{ ApiId: { Ref: 'Api' }, Stage: { Ref: 'St' } }] } } };
      expect(findings(stage({}, plan), RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('usage plan Plan covers it without a Throttle') }]);
    });

    it('4: one Fn::If branch of MethodSettings drops the throttle', () => {
      expect(findings(stage({ MethodSettings: { 'Fn::If': ['Prod', [ALL], [{ ...ALL, ThrottlingBurstLimit: { Ref: 'AWS::NoValue' } }]] } }), RULE)).toMatchObject([{ kind: 'violation' }]);
    });

    it('5: an HTTP API stage with a rate limit but no burst limit', () => {
      const t = template({ S: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: 'a', StageName: '$default', DefaultRouteSettings: { ThrottlingRateLimit: 10 } } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', location: 'DefaultRouteSettings' }]);
    });
  });

  describe('Compliance', () => {
    it('L2 stages with deployOptions throttling and HTTP API stage throttle', () => {
      const stack = new Stack(new App(), 'S');
      new apigw.RestApi(stack, 'Api', { deployOptions: { throttlingRateLimit: 100, throttlingBurstLimit: 50 } }).root.addMethod('GET');
      new apigwv2.HttpApi(stack, 'Http', { createDefaultStage: false }).addStage('Stage', { stageName: 'v1', throttle: { rateLimit: 100, burstLimit: 50 } });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('an L2 usage plan with a throttle covering the stage', () => {
      const stack = new Stack(new App(), 'S');
      const api = new apigw.RestApi(stack, 'Api');
      api.root.addMethod('GET', undefined, { apiKeyRequired: true });
      api.addUsagePlan('Plan', { throttle: { rateLimit: 10, burstLimit: 5 }, apiStages: [{ api, stage: api.deploymentStage }] });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('every Fn::If branch throttles; a deployment-created stage with StageDescription limits', () => {
      expect(findings(stage({ MethodSettings: { 'Fn::If': ['Prod', [ALL], [{ ...ALL, ThrottlingRateLimit: 5 }]] } }), RULE)).toEqual([]);
      const dep = template({ D: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: 'abc', StageName: 'v1', StageDescription: { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 5 } } } });
      expect(findings(dep, RULE)).toEqual([]);
    });

    it('a usage plan in another stack covering the stage by name', () => {
      const apiStack = stage({}, {}, { Outputs: { A: { Value: { Ref: 'Api' }, Export: { Name: 'Api-Id' } } } });
      const planStack = template({ P: { Type: 'AWS::ApiGateway::UsagePlan', Properties: { ApiStages: [{ ApiId: { 'Fn::ImportValue': 'Api-Id' }, Stage: 'prod' }], Throttle: { RateLimit: 10, BurstLimit: 5 } } } });
      expect(runOnTemplates([apiStack, planStack], RULE).findings).toEqual([]);
      expect(runOnTemplates([apiStack], RULE).findings).toMatchObject([{ kind: 'violation', logicalId: 'St' }]);
    });
  });

  describe('Unresolvable values', () => {
    it('a throttle limit from a parameter is unverifiable', () => {
      const t = stage({ MethodSettings: [{ ...ALL, ThrottlingRateLimit: { Ref: 'Rate' } }] }, {}, { Parameters: { Rate: { Type: 'Number' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('cannot be resolved') }]);
    });

    it('a usage plan that exists only under a condition does not prove throttling', () => {
      const plan = { Plan: { Type: 'AWS::ApiGateway::UsagePlan', Condition: 'Prod', Properties: { ApiStages: [{ ApiId: { Ref: 'Api' }, Stage: { Ref: 'St' } }], Throttle: { RateLimit: 1, BurstLimit: 1 } } } };
      expect(findings(stage({}, plan), RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('only under a condition') }]);
    });
  });
});
