import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';

const RULE = 'SecretParametersUseNoEcho';
const BUCKET = { B: { Type: 'AWS::S3::Bucket' } };

describe('SRM-IIP-APP-04: template parameters named like secrets are NoEcho and carry no default', () => {
  it('is exported from the package root, with its judgement', () => {
    expect(kit.SecretParametersUseNoEcho.controlId).toBe('SRM-IIP-APP-04');
    expect(kit.APPLICATION_RULES).toContain(kit.SecretParametersUseNoEcho);
    expect(kit.isReferenceParameterType('AWS::SSM::Parameter::Name')).toBe(true);
    expect(kit.isReferenceParameterType('AWS::SSM::Parameter::Value<String>')).toBe(false);
    expect(kit.isReferenceParameterType('String')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: a CDK CfnParameter for a password without noEcho', () => {
      const stack = new Stack(new App(), 'S');
      new sqs.Queue(stack, 'Queue');
      new CfnParameter(stack, 'DbPassword', { type: 'String' });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ controlId: 'SRM-IIP-APP-04', ruleId: RULE, kind: 'violation', stack: 'S', location: 'Parameters.DbPassword', message: expect.stringContaining('NoEcho is not set') }]);
    });

    it('2: NoEcho "false", and a NoEcho parameter with a Default', () => {
      const t = template(BUCKET, { Parameters: { ApiToken: { Type: 'String', NoEcho: 'false' }, AdminPassword: { Type: 'String', NoEcho: true, Default: 'changeme' } } });
      const fs = findings(t, RULE);
      expect(fs.map((f) => f.location).sort()).toEqual(['Parameters.AdminPassword.Default', 'Parameters.ApiToken']);
      expect(fs.every((f) => f.kind === 'violation')).toBe(true);
    });
  });

  describe('Compliance', () => {
    it('a CDK CfnParameter with noEcho, an SSM parameter name, and unrelated names', () => {
      const stack = new Stack(new App(), 'S');
      new sqs.Queue(stack, 'Queue');
      new CfnParameter(stack, 'DbPassword', { type: 'String', noEcho: true });
      new CfnParameter(stack, 'TokenParam', { type: 'AWS::SSM::Parameter::Name' });
      new CfnParameter(stack, 'Environment', { type: 'String', default: 'prod' });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('NoEcho written as the string "true"', () => {
      expect(findings(template(BUCKET, { Parameters: { ClientSecret: { Type: 'String', NoEcho: 'true' } } }), RULE)).toEqual([]);
    });
  });

  describe('Odd shapes', () => {
    it('parameters that are not objects never throw', () => {
      const fs = findings(template(BUCKET, { Parameters: { Password: 'x', Token: null } }), RULE);
      expect(fs.map((f) => f.kind)).toEqual(['violation', 'violation']);
    });
  });
});
