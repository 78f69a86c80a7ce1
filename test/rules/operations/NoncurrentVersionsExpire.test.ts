import { App, Duration, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';

const RULE = 'NoncurrentVersionsExpire';
const VERSIONED = { VersioningConfiguration: { Status: 'Enabled' } };
const EXPIRE = { Id: 'old', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 30 } };
const bucket = (props: Record<string, unknown>) => template({ B: { Type: 'AWS::S3::Bucket', Properties: props } });
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

describe('SRM-IIP-OPS-07: versioned buckets expire noncurrent object versions', () => {
  it('is exported from the package root', () => {
    expect(kit.NoncurrentVersionsExpire.controlId).toBe('SRM-IIP-OPS-07');
    expect(kit.expiresNoncurrentVersions('Enabled', 30)).toBe(true);
    expect(kit.expiresNoncurrentVersions('Disabled', 30)).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 versioned bucket without lifecycle rules', () => {
      const stack = new Stack(new App(), 'S');
      new s3.Bucket(stack, 'B', { versioned: true });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ controlId: 'SRM-IIP-OPS-07', ruleId: RULE, kind: 'violation', location: 'LifecycleConfiguration.Rules', message: expect.stringContaining('NoncurrentVersionExpiration') }]);
    });

    it('2: an L2 versioned bucket whose lifecycle rule only expires current objects', () => {
      const stack = new Stack(new App(), 'S');
      new s3.Bucket(stack, 'B', { versioned: true, lifecycleRules: [{ expiration: Duration.days(365) }] });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation' }]);
    });

    it('3: the noncurrent rule is disabled', () => {
      expect(findings(bucket({ ...VERSIONED, LifecycleConfiguration: { Rules: [{ ...EXPIRE, Status: 'Disabled' }] } }), RULE)).toMatchObject([{ kind: 'violation' }]);
    });

    it('4: one branch of Fn::If leaves the lifecycle out', () => {
      const t = template({ B: { Type: 'AWS::S3::Bucket', Properties: { ...VERSIONED, LifecycleConfiguration: { 'Fn::If': ['Prod', { Rules: [EXPIRE] }, { Ref: 'AWS::NoValue' }] } } } }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 versioned bucket with noncurrent version expiry', () => {
      const stack = new Stack(new App(), 'S');
      new s3.Bucket(stack, 'B', { versioned: true, lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }] });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('an unversioned bucket is not applicable; the legacy NoncurrentVersionExpirationInDays counts', () => {
      expect(findings(bucket({}), RULE)).toEqual([]);
      expect(findings(bucket({ ...VERSIONED, LifecycleConfiguration: { Rules: [{ Status: 'Enabled', NoncurrentVersionExpirationInDays: '90' }] } }), RULE)).toEqual([]);
    });

    it('every branch of Fn::If has a noncurrent rule', () => {
      const t = template({ B: { Type: 'AWS::S3::Bucket', Properties: { ...VERSIONED, LifecycleConfiguration: { Rules: [{ 'Fn::If': ['Prod', EXPIRE, { ...EXPIRE, NoncurrentVersionExpiration: { NoncurrentDays: 7 } }] }] } } } }, COND);
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a noncurrent-days parameter is unverifiable', () => {
      const t = template({ B: { Type: 'AWS::S3::Bucket', Properties: { ...VERSIONED, LifecycleConfiguration: { Rules: [{ ...EXPIRE, NoncurrentVersionExpiration: { NoncurrentDays: { Ref: 'Days' } } }] } } } }, { Parameters: { Days: { Type: 'Number' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('cannot verify that noncurrent object versions expire') }]);
    });

    it('versioning from a parameter without a noncurrent rule is unverifiable', () => {
      const t = template({ B: { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { Status: { Ref: 'Versioning' } } } } }, { Parameters: { Versioning: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Versioning') }]);
    });
  });
});
