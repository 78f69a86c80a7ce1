import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';

const RULE = 'LogGroupRetainedAndEncrypted';
const KEY = 'arn:aws:kms:eu-central-1:111111111111:key/abc';
const group = (props: Record<string, unknown>) => template({ G: { Type: 'AWS::Logs::LogGroup', Properties: props } });
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

describe('SRM-IIP-OPS-02: log groups keep events long enough and are KMS-encrypted', () => {
  it('is exported from the package root', () => {
    expect(kit.LogGroupRetainedAndEncrypted.controlId).toBe('SRM-IIP-OPS-02');
    expect(kit.isRetainedLongEnough(undefined, 365)).toBe(true);
    expect(kit.isRetainedLongEnough(30, 365)).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 log group with CDK default retention (2 years) but no key', () => {
      const stack = new Stack(new App(), 'S');
      new logs.LogGroup(stack, 'Logs');
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-OPS-02', ruleId: RULE, kind: 'violation', location: 'KmsKeyId', resourceType: 'AWS::Logs::LogGroup' });
      expect(fs[0].message).toContain('KmsKeyId is not set');
    });

    it('2: an L2 log group kept one month', () => {
      const stack = new Stack(new App(), 'S');
      new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.ONE_MONTH, encryptionKey: new kms.Key(stack, 'K') });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', location: 'RetentionInDays', message: expect.stringContaining('30 days, less than the required 365 days') }]);
    });

    it('3: the floor follows logRetentionDays', () => {
      const fs = findings(group({ RetentionInDays: 400, KmsKeyId: KEY }), RULE, { logRetentionDays: 731 });
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining('required 731 days') }]);
    });

    it('4: one branch of Fn::If keeps events only a week', () => {
      const fs = findings(group({ RetentionInDays: { 'Fn::If': ['Prod', 3653, 7] }, KmsKeyId: KEY }), RULE, {});
      expect(fs).toMatchObject([{ kind: 'violation', location: 'RetentionInDays' }]);
    });

    it('5: a retention that is not a number, and an empty key', () => {
      const fs = findings(group({ RetentionInDays: 'forever', KmsKeyId: '' }), RULE);
      expect(fs.map((f) => f.location).sort()).toEqual(['KmsKeyId', 'RetentionInDays']);
    });
  });

  describe('Compliance', () => {
    it('an L2 log group that never expires, with a key', () => {
      const stack = new Stack(new App(), 'S');
      new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.INFINITE, encryptionKey: new kms.Key(stack, 'K') });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('retention given as a string of days at the floor', () => {
      expect(findings(group({ RetentionInDays: '365', KmsKeyId: KEY }), RULE)).toEqual([]);
    });

    it('every branch of Fn::If is long enough', () => {
      expect(findings(template({ G: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: { 'Fn::If': ['Prod', 3653, 400] }, KmsKeyId: KEY } } }, COND), RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a retention parameter is unverifiable', () => {
      const t = template({ G: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: { Ref: 'Days' }, KmsKeyId: KEY } } }, { Parameters: { Days: { Type: 'Number', Default: 400 } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', location: 'RetentionInDays', message: expect.stringContaining('parameter Days') }]);
    });

    it('a retention parameter pinned by AllowedValues is resolved', () => {
      const t = template({ G: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: { Ref: 'Days' }, KmsKeyId: KEY } } }, { Parameters: { Days: { Type: 'Number', AllowedValues: [400, 30] } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('30 days') }]);
    });
  });
});
