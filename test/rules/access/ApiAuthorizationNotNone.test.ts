import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integ from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, summarize, template } from '../../support/harness';

const RULE = 'ApiAuthorizationNotNone';
const api = (ProtocolType: string) => ({ Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'a', ProtocolType } });
const route = (RouteKey: unknown, AuthorizationType: unknown = 'NONE', ApiId: unknown = { Ref: 'Api' }) => ({ Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId, RouteKey, AuthorizationType } });
const method = (HttpMethod: unknown, AuthorizationType: unknown) => ({ Type: 'AWS::ApiGateway::Method', Properties: { RestApiId: 'x', ResourceId: 'y', HttpMethod, AuthorizationType } });
const params = { Parameters: { Env: { Type: 'String' }, Auth: { Type: 'String' }, Verb: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

describe('SRM-IIP-ACC-05: no API method or route is explicitly NONE-authorized (CORS OPTIONS excepted)', () => {
  it('is exported from the package root with its judgements', () => {
    expect(kit.ApiAuthorizationNotNone.controlId).toBe('SRM-IIP-ACC-05');
    expect(kit.isNoneAuthorizationType('none')).toBe(true);
    expect(kit.isCorsPreflightMethod('OPTIONS')).toBe(true);
    expect(kit.apiRouteKeyKind('GET /items')).toBe('http');
    expect(kit.apiRouteKeyKind('OPTIONS /items')).toBe('options');
    expect(kit.apiRouteKeyKind('$connect')).toBe('websocket-connect');
    expect(kit.apiRouteKeyKind('sendMessage')).toBe('websocket-other');
    expect(kit.apiRouteKeyKind('$default')).toBe('ambiguous');
  });

  describe('Noncompliance', () => {
    it('1: an L2 REST API method without an authorizer (CORS preflight excepted)', () => {
      const stack = new Stack(new App(), 'Portal');
      const rest = new apigw.RestApi(stack, 'Api', { defaultCorsPreflightOptions: { allowOrigins: ['https://example.com'] } });
      rest.root.addResource('orders').addMethod('GET');
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-ACC-05', ruleId: RULE, kind: 'violation', resourceType: 'AWS::ApiGateway::Method', location: 'AuthorizationType' });
      expect(fs[0].message).toBe("method GET is callable without authentication (AuthorizationType is 'NONE')");
    });

    it('2: an L2 HTTP API route without an authorizer', () => {
      const stack = new Stack(new App(), 'Portal');
      const http = new apigwv2.HttpApi(stack, 'Http');
      http.addRoutes({ path: '/items', methods: [apigwv2.HttpMethod.GET], integration: new integ.HttpUrlIntegration('Backend', 'https://example.com') });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', resourceType: 'AWS::ApiGatewayV2::Route', message: "route 'GET /items' is callable without authentication (AuthorizationType is 'NONE')" }]);
    });

    it('3: a WebSocket $connect route with NONE (other WebSocket routes cannot take an authorizer)', () => {
      const t = template({ Api: api('WEBSOCKET'), Connect: route('$connect'), Send: route('sendMessage'), Dflt: route('$default') });
      expect(summarize(findings(t, RULE))).toEqual(["violation Connect: route '$connect' is callable without authentication (AuthorizationType is 'NONE')"]);
    });

    it('4: one branch of Fn::If sets NONE; $default on an HTTP API', () => {
      const t = template({ Api: api('HTTP'), M: method('POST', { 'Fn::If': ['Prod', 'AWS_IAM', 'NONE'] }), D: route('$default') }, params);
      expect(summarize(findings(t, RULE))).toEqual([
        "violation M: method POST is callable without authentication (AuthorizationType is 'NONE' (in one branch of Fn::If))",
        "violation D: route '$default' is callable without authentication (AuthorizationType is 'NONE')",
      ]);
    });

    it('5: a route in another stack than its HTTP API (Fn::ImportValue)', () => {
      const apis = template({ Api: api('HTTP') }, { Outputs: { A: { Value: { Ref: 'Api' }, Export: { Name: 'http-api' } } } });
      const routes = template({ R: route('$default', 'NONE', { 'Fn::ImportValue': 'http-api' }) });
      expect(runOnTemplates([apis, routes], RULE).findings).toMatchObject([{ stack: 'Stack1', logicalId: 'R', kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('IAM, Cognito and JWT authorization; OPTIONS routes and methods', () => {
      const stack = new Stack(new App(), 'Portal');
      const rest = new apigw.RestApi(stack, 'Api');
      rest.root.addMethod('GET', undefined, { authorizationType: apigw.AuthorizationType.IAM });
      const t = template({ Api: api('HTTP'), R1: route('GET /items', 'JWT'), R2: route('OPTIONS /items'), M: method('OPTIONS', 'NONE') });
      expect(findingsForApp(stack, RULE)).toEqual([]);
      expect(findings(t, RULE)).toEqual([]);
    });

    it('a route with AuthorizationType left out is APP-01\'s to report, not this rule\'s', () => {
      const t = template({ Api: api('HTTP'), R: { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: 'Api' }, RouteKey: 'GET /x' } } });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('every branch of Fn::If is authorized', () => {
      const t = template({ M: method('GET', { 'Fn::If': ['Prod', 'AWS_IAM', 'COGNITO_USER_POOLS'] }) }, params);
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('an AuthorizationType from a parameter is unverifiable', () => {
      const t = template({ M: method('GET', { Ref: 'Auth' }) }, params);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', location: 'AuthorizationType', message: expect.stringContaining('parameter Auth') }]);
    });

    it('a NONE method whose HttpMethod is a parameter, and $default on an API that cannot be resolved', () => {
      const t = template({ M: method({ Ref: 'Verb' }, 'NONE'), R: route('$default', 'NONE', 'abc123') }, params);
      expect(findings(t, RULE)).toMatchObject([
        { kind: 'unverifiable', location: 'HttpMethod', message: expect.stringContaining('parameter Verb') },
        { kind: 'unverifiable', location: 'ApiId', message: expect.stringContaining("cannot verify route '$default'") },
      ]);
    });
  });
});
