import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'ApiRoutesRequireAuthorization';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

function method(props: Record<string, unknown>, extra: Record<string, unknown> = COND) {
  return template({ M: { Type: 'AWS::ApiGateway::Method', Properties: { RestApiId: 'abc', ResourceId: 'def', HttpMethod: 'GET', ...props } } }, extra);
}

function httpApi(routes: Record<string, Record<string, unknown>>, protocol = 'HTTP') {
  const resources: Record<string, { Type: string; Properties: Record<string, unknown> }> = { Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'a', ProtocolType: protocol } } };
  for (const [id, p] of Object.entries(routes)) resources[id] = { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: 'Api' }, ...p } };
  return template(resources);
}

describe('SRM-IIP-APP-01: every API route requires authorization', () => {
  it('is exported from the package root, with its judgements', () => {
    expect(kit.ApiRoutesRequireAuthorization.controlId).toBe('SRM-IIP-APP-01');
    expect(kit.APPLICATION_RULES).toContain(kit.ApiRoutesRequireAuthorization);
    expect(kit.isAuthorizingType('NONE', kit.REST_AUTHORIZATION_TYPES)).toBe(false);
    expect(kit.isAuthorizingType('cognito_user_pools', kit.REST_AUTHORIZATION_TYPES)).toBe(true);
    expect(kit.isAuthorizingType('JWT', kit.REST_AUTHORIZATION_TYPES)).toBe(false);
    expect(kit.isCorsPreflight('OPTIONS /items')).toBe(true);
    expect(kit.isCorsPreflight('GET /options')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 REST API method without an authorizer', () => {
      const stack = new Stack(new App(), 'S');
      new apigw.RestApi(stack, 'Api').root.addResource('orders').addMethod('POST');
      expect(findingsForApp(stack, RULE)).toMatchObject([
        { controlId: 'SRM-IIP-APP-01', ruleId: RULE, kind: 'violation', resourceType: 'AWS::ApiGateway::Method', location: 'AuthorizationType', message: expect.stringContaining("method POST can be called without authorization: AuthorizationType is 'NONE'") },
      ]);
    });

    it('2: an L2 HTTP API route without an authorizer', () => {
      const stack = new Stack(new App(), 'S');
      const api = new apigwv2.HttpApi(stack, 'Api');
      api.addRoutes({ path: '/orders', methods: [apigwv2.HttpMethod.GET], integration: new integrations.HttpUrlIntegration('Url', 'https://example.com') });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', resourceType: 'AWS::ApiGatewayV2::Route', message: expect.stringContaining('route GET /orders') }]);
    });

    it('3: an L1 method with AuthorizationType omitted (default NONE)', () => {
      expect(findings(method({}), RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('not set (the default is NONE)') }]);
    });

    it('4: a WebSocket $connect route without authorization; a quick-created HTTP API', () => {
      expect(findings(httpApi({ C: { RouteKey: '$connect', AuthorizationType: 'NONE' }, D: { RouteKey: '$default' } }, 'WEBSOCKET'), RULE)).toMatchObject([{ kind: 'violation', logicalId: 'C' }]);
      const quick = template({ Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'q', ProtocolType: 'HTTP', Target: 'arn:aws:lambda:eu-central-1:111122223333:function:f' } } });
      expect(findings(quick, RULE)).toMatchObject([{ kind: 'violation', location: 'Target', message: expect.stringContaining('$default route without authorization') }]);
    });

    it('5: one Fn::If branch drops the authorizer', () => {
      expect(findings(method({ AuthorizationType: { 'Fn::If': ['Prod', 'AWS_IAM', 'NONE'] } }), RULE)).toMatchObject([{ kind: 'violation' }]);
    });

    it('6: a route of an HTTP API defined in another stack', () => {
      const apiStack = template({ Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'a', ProtocolType: 'HTTP' } } }, { Outputs: { A: { Value: { Ref: 'Api' }, Export: { Name: 'Api-Id' } } } });
      const routes = template({ R: { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { 'Fn::ImportValue': 'Api-Id' }, RouteKey: '$default' } } });
      expect(runOnTemplates([apiStack, routes], RULE).findings).toMatchObject([{ kind: 'violation', stack: 'Stack1', logicalId: 'R' }]);
    });
  });

  describe('Compliance', () => {
    it('L2 APIs with IAM authorization; CORS preflight methods are exempt', () => {
      const stack = new Stack(new App(), 'S');
      const rest = new apigw.RestApi(stack, 'Rest', { defaultCorsPreflightOptions: { allowOrigins: ['https://example.com'] } });
      rest.root.addMethod('GET', undefined, { authorizationType: apigw.AuthorizationType.IAM });
      const http = new apigwv2.HttpApi(stack, 'Http');
      http.addRoutes({ path: '/x', methods: [apigwv2.HttpMethod.GET], integration: new integrations.HttpUrlIntegration('Url', 'https://example.com'), authorizer: new authorizers.HttpIamAuthorizer() });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('every Fn::If branch authorizes; WebSocket routes other than $connect need no authorizer', () => {
      expect(findings(method({ AuthorizationType: { 'Fn::If': ['Prod', 'AWS_IAM', 'COGNITO_USER_POOLS'] }, AuthorizerId: 'x' }), RULE)).toEqual([]);
      expect(findings(httpApi({ C: { RouteKey: '$connect', AuthorizationType: 'CUSTOM' }, M: { RouteKey: 'sendMessage' } }, 'WEBSOCKET'), RULE)).toEqual([]);
      expect(findings(httpApi({ J: { RouteKey: 'GET /x', AuthorizationType: 'JWT' }, O: { RouteKey: 'OPTIONS /x' } }), RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('an AuthorizationType parameter is unverifiable', () => {
      expect(findings(method({ AuthorizationType: { Ref: 'Auth' } }, { Parameters: { Auth: { Type: 'String' } } }), RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Auth') }]);
    });

    it('routes in an OpenAPI body cannot be checked and are reported', () => {
      const t = template({ A: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'a', Body: { openapi: '3.0.1', paths: {} } } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', location: 'Body' }]);
    });
  });
});
