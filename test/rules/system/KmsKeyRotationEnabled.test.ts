import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';

const RULE = 'KmsKeyRotationEnabled';

describe('SRM-IIP-SYS-02: symmetric KMS keys rotate automatically', () => {
  it('is exported from the package root', () => {
    expect(kit.KmsKeyRotationEnabled.controlId).toBe('SRM-IIP-SYS-02');
  });

  describe('Noncompliance', () => {
    it('1: an L2 key without rotation', () => {
      const stack = new Stack(new App(), 'S');
      new kms.Key(stack, 'Key', { enableKeyRotation: false });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-SYS-02', ruleId: RULE, kind: 'violation', resourceType: 'AWS::KMS::Key' });
    });

    it('2: an L1 key with EnableKeyRotation omitted', () => {
      const fs = findings(template({ K: { Type: 'AWS::KMS::Key', Properties: {} } }), RULE);
      expect(fs.map((f) => f.message)).toEqual([expect.stringContaining('EnableKeyRotation is not set')]);
    });

    it('3: a rotation period outside 90..365 days', () => {
      const fs = findings(template({ K: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true, RotationPeriodInDays: 730 } } }), RULE);
      expect(fs.map((f) => f.message)).toEqual([expect.stringContaining('got 730')]);
    });

    it('4: one branch of Fn::If turns rotation off', () => {
      const t = template(
        { K: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: { 'Fn::If': ['Prod', true, false] } } } },
        { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } },
      );
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 key with rotation on', () => {
      const stack = new Stack(new App(), 'S');
      new kms.Key(stack, 'Key', { enableKeyRotation: true });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('an asymmetric key (cannot rotate) is not applicable', () => {
      const t = template({ K: { Type: 'AWS::KMS::Key', Properties: { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' } } });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('every branch of Fn::If rotates', () => {
      const t = template(
        { K: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: { 'Fn::If': ['Prod', true, 'true'] } } } },
        { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } },
      );
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a parameter is reported as unverifiable, never passed', () => {
      const t = template({ K: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: { Ref: 'Rotate' } } } }, { Parameters: { Rotate: { Type: 'String', Default: 'true' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Rotate') }]);
    });

    it('a parameter pinned by AllowedValues is resolved', () => {
      const t = template({ K: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: { Ref: 'Rotate' } } } }, { Parameters: { Rotate: { Type: 'String', AllowedValues: ['true'] } } });
      expect(findings(t, RULE)).toEqual([]);
    });
  });
});
