import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'ApiStagesLogAccess';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const LOG = 'arn:aws:logs:eu-central-1:111122223333:log-group:api-access';

function restStage(props: Record<string, unknown>, extra: Record<string, unknown> = COND) {
  return template({ St: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: 'abc', DeploymentId: 'd', StageName: 'prod', ...props } } }, extra);
}

describe('SRM-IIP-APP-05: API stages keep access logs', () => {
  it('is exported from the package root, with its judgement', () => {
    expect(kit.ApiStagesLogAccess.controlId).toBe('SRM-IIP-APP-05');
    expect(kit.APPLICATION_RULES).toContain(kit.ApiStagesLogAccess);
    expect(kit.isLogDestination(LOG)).toBe(true);
    expect(kit.isLogDestination(' ')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: L2 REST and HTTP API stages without access logs', () => {
      const stack = new Stack(new App(), 'S');
      new apigw.RestApi(stack, 'Api').root.addMethod('GET');
      new apigwv2.HttpApi(stack, 'Http');
      const fs = findingsForApp(stack, RULE);
      expect(fs.map((f) => f.location).sort()).toEqual(['AccessLogSetting.DestinationArn', 'AccessLogSettings.DestinationArn']);
      for (const f of fs) expect(f).toMatchObject({ controlId: 'SRM-IIP-APP-05', ruleId: RULE, kind: 'violation', message: expect.stringContaining('stage keeps no access log') });
    });

    it('2: a deployment-created stage without StageDescription.AccessLogSetting', () => {
      const t = template({ D: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: 'abc', StageName: 'v1', StageDescription: { MetricsEnabled: true } } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', location: 'StageDescription.AccessLogSetting.DestinationArn' }]);
    });

    it('3: access logs off in one Fn::If branch', () => {
      expect(findings(restStage({ AccessLogSetting: { 'Fn::If': ['Prod', { DestinationArn: LOG }, { Ref: 'AWS::NoValue' }] } }), RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('L2 stages with access log destinations', () => {
      const stack = new Stack(new App(), 'S');
      const group = new logs.LogGroup(stack, 'Access');
      new apigw.RestApi(stack, 'Api', { deployOptions: { accessLogDestination: new apigw.LogGroupLogDestination(group) } }).root.addMethod('GET');
      const http = new apigwv2.HttpApi(stack, 'Http', { createDefaultStage: false });
      const stage = http.addStage('V1', { stageName: 'v1' });
      (stage.node.defaultChild as apigwv2.CfnStage).accessLogSettings = { destinationArn: group.logGroupArn, format: '$context.requestId' };
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('every Fn::If branch logs; a deployment without StageName creates no stage', () => {
      expect(findings(restStage({ AccessLogSetting: { DestinationArn: { 'Fn::If': ['Prod', LOG, `${LOG}-dev`] } } }), RULE)).toEqual([]);
      expect(findings(template({ D: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: 'abc' } } }), RULE)).toEqual([]);
    });

    it('a log group from another stack', () => {
      const logsStack = template({ G: { Type: 'AWS::Logs::LogGroup' } }, { Outputs: { G: { Value: { 'Fn::GetAtt': ['G', 'Arn'] }, Export: { Name: 'Logs-Access' } } } });
      const api = restStage({ AccessLogSetting: { DestinationArn: { 'Fn::ImportValue': 'Logs-Access' } } });
      expect(runOnTemplates([logsStack, api], RULE).findings).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a destination from a parameter is unverifiable', () => {
      expect(findings(restStage({ AccessLogSetting: { DestinationArn: { Ref: 'Dest' } } }, { Parameters: { Dest: { Type: 'String' } } }), RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Dest') }]);
    });
  });
});
