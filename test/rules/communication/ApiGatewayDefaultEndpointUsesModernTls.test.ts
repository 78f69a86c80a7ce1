import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';

const RULE = 'ApiGatewayDefaultEndpointUsesModernTls';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

function api(props: Record<string, unknown>) {
  return template({ A: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'a', ...props } } }, COND);
}

describe('SRM-IIP-COM-02: the default execute-api endpoint of a REST API is off or requires TLS 1.2', () => {
  it('is exported from the package root', () => {
    expect(kit.ApiGatewayDefaultEndpointUsesModernTls.controlId).toBe('SRM-IIP-COM-02');
    expect(kit.COMMUNICATION_RULES).toContain(kit.ApiGatewayDefaultEndpointUsesModernTls);
    expect(kit.isPrivateOnlyEndpoint(['PRIVATE'])).toBe(true);
    expect(kit.isPrivateOnlyEndpoint(['REGIONAL', 'PRIVATE'])).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 RestApi keeps the default endpoint with the TLS_1_0 default', () => {
      const stack = new Stack(new App(), 'S');
      new apigw.RestApi(stack, 'Api').root.addMethod('GET');
      expect(findingsForApp(stack, RULE)).toMatchObject([
        { controlId: 'SRM-IIP-COM-02', ruleId: RULE, kind: 'violation', resourceType: 'AWS::ApiGateway::RestApi', message: expect.stringContaining('DisableExecuteApiEndpoint') },
      ]);
    });

    it('2: an L1 API with SecurityPolicy TLS_1_0', () => {
      expect(findings(api({ SecurityPolicy: 'TLS_1_0' }), RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining("'TLS_1_0'") }]);
    });

    it('3: the endpoint is disabled in one Fn::If branch only', () => {
      expect(findings(api({ DisableExecuteApiEndpoint: { 'Fn::If': ['Prod', true, false] } }), RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 RestApi with the default endpoint disabled', () => {
      const stack = new Stack(new App(), 'S');
      new apigw.RestApi(stack, 'Api', { disableExecuteApiEndpoint: true }).root.addMethod('GET');
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('an L1 API with TLS_1_2, with an enhanced policy in both Fn::If branches, and a private API (TLS_1_2 default)', () => {
      expect(findings(api({ SecurityPolicy: 'TLS_1_2' }), RULE)).toEqual([]);
      expect(findings(api({ SecurityPolicy: { 'Fn::If': ['Prod', 'SecurityPolicy_TLS13_1_3_2025_09', 'TLS_1_2'] } }), RULE)).toEqual([]);
      expect(findings(api({ EndpointConfiguration: { Types: ['PRIVATE'] } }), RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a DisableExecuteApiEndpoint parameter is unverifiable', () => {
      const t = template({ A: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'a', DisableExecuteApiEndpoint: { Ref: 'Off' } } } }, { Parameters: { Off: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', location: 'DisableExecuteApiEndpoint', message: expect.stringContaining('parameter Off') }]);
    });

    it('an endpoint type from a parameter leaves the default policy unknown', () => {
      const t = template({ A: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'a', EndpointConfiguration: { Types: { Ref: 'Types' } } } } }, { Parameters: { Types: { Type: 'CommaDelimitedList' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', location: 'EndpointConfiguration.Types' }]);
    });
  });
});
