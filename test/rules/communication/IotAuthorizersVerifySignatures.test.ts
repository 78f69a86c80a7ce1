import { App, Stack } from 'aws-cdk-lib';
import * as iot from 'aws-cdk-lib/aws-iot';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';

const RULE = 'IotAuthorizersVerifySignatures';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const FN = 'arn:aws:lambda:eu-central-1:111122223333:function:auth';

function authorizer(props: Record<string, unknown>, extra: Record<string, unknown> = COND) {
  return template({ A: { Type: 'AWS::IoT::Authorizer', Properties: { AuthorizerFunctionArn: FN, ...props } } }, extra);
}

describe('SRM-IIP-COM-03: IoT custom authorizers verify token signatures', () => {
  it('is exported from the package root', () => {
    expect(kit.IotAuthorizersVerifySignatures.controlId).toBe('SRM-IIP-COM-03');
    expect(kit.COMMUNICATION_RULES).toContain(kit.IotAuthorizersVerifySignatures);
  });

  describe('Noncompliance', () => {
    it('1: an L1 construct with signing disabled', () => {
      const stack = new Stack(new App(), 'S');
      new iot.CfnAuthorizer(stack, 'Auth', { authorizerFunctionArn: FN, signingDisabled: true });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ controlId: 'SRM-IIP-COM-03', ruleId: RULE, kind: 'violation', location: 'SigningDisabled', message: expect.stringContaining('unsigned tokens') }]);
    });

    it('2: SigningDisabled "true" as a string, and in one Fn::If branch', () => {
      expect(findings(authorizer({ SigningDisabled: 'true' }), RULE)).toMatchObject([{ kind: 'violation' }]);
      expect(findings(authorizer({ SigningDisabled: { 'Fn::If': ['Prod', false, true] } }), RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('an L1 construct that keeps signing (default and explicit false)', () => {
      const stack = new Stack(new App(), 'S');
      new iot.CfnAuthorizer(stack, 'Auth', { authorizerFunctionArn: FN, tokenKeyName: 'token', tokenSigningPublicKeys: { k: 'pem' } });
      new iot.CfnAuthorizer(stack, 'Auth2', { authorizerFunctionArn: FN, signingDisabled: false, tokenKeyName: 'token', tokenSigningPublicKeys: { k: 'pem' } });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('every Fn::If branch keeps signing', () => {
      expect(findings(authorizer({ SigningDisabled: { 'Fn::If': ['Prod', false, 'false'] } }), RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a parameter is unverifiable', () => {
      expect(findings(authorizer({ SigningDisabled: { Ref: 'Off' } }, { Parameters: { Off: { Type: 'String' } } }), RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Off') }]);
    });
  });
});
