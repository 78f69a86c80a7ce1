import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'ApiMethodsValidateRequests';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

function methodWith(props: Record<string, unknown>, validator?: Record<string, unknown>, extra: Record<string, unknown> = COND) {
  return template(
    {
      M: { Type: 'AWS::ApiGateway::Method', Properties: { RestApiId: 'abc', ResourceId: 'def', HttpMethod: 'POST', AuthorizationType: 'AWS_IAM', ...props } },
      ...(validator ? { V: { Type: 'AWS::ApiGateway::RequestValidator', Properties: { RestApiId: 'abc', ...validator } } } : {}),
    },
    extra,
  );
}

describe('SRM-IIP-APP-03: methods that take a body validate it', () => {
  it('is exported from the package root, with its judgement', () => {
    expect(kit.ApiMethodsValidateRequests.controlId).toBe('SRM-IIP-APP-03');
    expect(kit.APPLICATION_RULES).toContain(kit.ApiMethodsValidateRequests);
    expect(['POST', 'put', 'PATCH', 'ANY', 'GET', 'DELETE'].map(kit.methodTakesBody)).toEqual([true, true, true, true, false, false]);
  });

  describe('Noncompliance', () => {
    it('1: an L2 POST method without a validator', () => {
      const stack = new Stack(new App(), 'S');
      new apigw.RestApi(stack, 'Api').root.addMethod('POST', undefined, { authorizationType: apigw.AuthorizationType.IAM });
      expect(findingsForApp(stack, RULE)).toMatchObject([
        { controlId: 'SRM-IIP-APP-03', ruleId: RULE, kind: 'violation', location: 'RequestValidatorId', message: expect.stringContaining('RequestValidatorId is not set') },
      ]);
    });

    it('2: an L2 PUT method whose validator checks parameters only', () => {
      const stack = new Stack(new App(), 'S');
      new apigw.RestApi(stack, 'Api').root.addMethod('PUT', undefined, { requestValidatorOptions: { validateRequestParameters: true } });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('does not validate its body') }]);
    });

    it('3: ValidateRequestBody false in one Fn::If branch', () => {
      expect(findings(methodWith({ RequestValidatorId: { Ref: 'V' } }, { ValidateRequestBody: { 'Fn::If': ['Prod', true, false] } }), RULE)).toMatchObject([{ kind: 'violation' }]);
    });

    it('4: a method that is POST in one Fn::If branch', () => {
      expect(findings(methodWith({ HttpMethod: { 'Fn::If': ['Prod', 'GET', 'POST'] } }), RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('method POST') }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 POST method with a body validator; GET needs none', () => {
      const stack = new Stack(new App(), 'S');
      const api = new apigw.RestApi(stack, 'Api');
      api.root.addMethod('POST', undefined, { requestValidatorOptions: { validateRequestBody: true } });
      api.root.addMethod('GET');
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('every Fn::If branch validates', () => {
      expect(findings(methodWith({ RequestValidatorId: { Ref: 'V' } }, { ValidateRequestBody: { 'Fn::If': ['Prod', true, 'true'] } }), RULE)).toEqual([]);
    });

    it('a validator shared from another stack', () => {
      const shared = template(
        { V: { Type: 'AWS::ApiGateway::RequestValidator', Properties: { RestApiId: 'abc', ValidateRequestBody: true } } },
        { Outputs: { V: { Value: { Ref: 'V' }, Export: { Name: 'Api-Validator' } } } },
      );
      const m = methodWith({ RequestValidatorId: { 'Fn::ImportValue': 'Api-Validator' } });
      expect(runOnTemplates([shared, m], RULE).findings).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a validator ID given as a parameter is unverifiable', () => {
      const t = methodWith({ RequestValidatorId: { Ref: 'ValidatorId' } }, undefined, { Parameters: { ValidatorId: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter ValidatorId') }]);
    });
  });
});
