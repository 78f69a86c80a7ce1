import { App, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, summarize, template } from '../../support/harness';

const RULE = 'CognitoUserPoolStrongAuth';
const pool = (Properties: Record<string, unknown>) => template({ Pool: { Type: 'AWS::Cognito::UserPool', Properties } }, { Parameters: { Env: { Type: 'String' }, Mfa: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } });
const strongPolicy = { PasswordPolicy: { MinimumLength: 14 } };

describe('SRM-IIP-ACC-05: Cognito user pools enforce MFA and passwords of at least 12 characters', () => {
  it('is exported from the package root with its judgements', () => {
    expect(kit.CognitoUserPoolStrongAuth.controlId).toBe('SRM-IIP-ACC-05');
    expect(kit.isMfaEnforced('ON')).toBe(true);
    expect(kit.isMfaEnforced('OPTIONAL')).toBe(false);
    expect(kit.isStrongPasswordLength(12)).toBe(true);
    expect(kit.isStrongPasswordLength(11)).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: a default L2 user pool (MFA off, Cognito default password length 8)', () => {
      const stack = new Stack(new App(), 'Portal');
      new cognito.UserPool(stack, 'Users');
      const fs = findingsForApp(stack, RULE);
      expect(fs.map((f) => [f.controlId, f.ruleId, f.kind, f.resourceType, f.location])).toEqual([
        ['SRM-IIP-ACC-05', RULE, 'violation', 'AWS::Cognito::UserPool', 'MfaConfiguration'],
        ['SRM-IIP-ACC-05', RULE, 'violation', 'AWS::Cognito::UserPool', 'Policies.PasswordPolicy.MinimumLength'],
      ]);
      expect(fs[0].message).toContain('MfaConfiguration is not set; Cognito defaults to OFF');
      expect(fs[1].message).toContain('Cognito defaults to 8');
    });

    it('2: optional MFA and a 10-character minimum (L2)', () => {
      const stack = new Stack(new App(), 'Portal');
      new cognito.UserPool(stack, 'Users', { mfa: cognito.Mfa.OPTIONAL, mfaSecondFactor: { otp: true, sms: false }, passwordPolicy: { minLength: 10 } });
      expect(findingsForApp(stack, RULE).map((f) => f.message)).toEqual([
        "MFA is not enforced (MfaConfiguration is 'OPTIONAL'; it must be ON)",
        'password minimum length is 10; it must be at least 12',
      ]);
    });

    it('3: one branch of Fn::If turns MFA off; a length given as a string', () => {
      const fs = findings(pool({ MfaConfiguration: { 'Fn::If': ['Prod', 'ON', 'OFF'] }, Policies: { PasswordPolicy: { MinimumLength: '8' } } }), RULE);
      expect(summarize(fs)).toEqual([
        "violation Pool: MFA is not enforced (MfaConfiguration is 'OFF'; it must be ON)",
        'violation Pool: password minimum length is 8; it must be at least 12',
      ]);
    });
  });

  describe('Compliance', () => {
    it('an L2 pool with required MFA and a 12-character minimum', () => {
      const stack = new Stack(new App(), 'Portal');
      new cognito.UserPool(stack, 'Users', { mfa: cognito.Mfa.REQUIRED, mfaSecondFactor: { otp: true, sms: false }, passwordPolicy: { minLength: 12 } });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('every branch of Fn::If enforces MFA and a long password', () => {
      const fs = findings(pool({ MfaConfiguration: { 'Fn::If': ['Prod', 'ON', 'on'] }, Policies: { PasswordPolicy: { MinimumLength: { 'Fn::If': ['Prod', 16, '12'] } } } }), RULE);
      expect(fs).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('MFA from a parameter is unverifiable', () => {
      const fs = findings(pool({ MfaConfiguration: { Ref: 'Mfa' }, Policies: strongPolicy }), RULE);
      expect(fs).toMatchObject([{ kind: 'unverifiable', location: 'MfaConfiguration', message: expect.stringContaining('parameter Mfa') }]);
    });
  });
});
