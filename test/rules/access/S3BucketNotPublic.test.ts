import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, summarize, template } from '../../support/harness';

const RULE = 'S3BucketNotPublic';
const ALL_ON = { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true };
const bucket = (Properties: Record<string, unknown>) =>
  template({ B: { Type: 'AWS::S3::Bucket', Properties } }, { Parameters: { Env: { Type: 'String' }, Flag: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } });

describe('SRM-IIP-ACC-06: S3 buckets keep all four Block Public Access settings on and use no public ACL', () => {
  it('is exported from the package root with its judgements', () => {
    expect(kit.S3BucketNotPublic.controlId).toBe('SRM-IIP-ACC-06');
    expect(kit.isPublicCannedAcl('publicread')).toBe(true);
    expect(kit.isPublicCannedAcl('LogDeliveryWrite')).toBe(false);
    expect(kit.S3_BLOCK_PUBLIC_ACCESS_FLAGS).toHaveLength(4);
  });

  describe('Noncompliance', () => {
    it('1: an L2 bucket that switches off blocking of public policies', () => {
      const stack = new Stack(new App(), 'Data');
      new s3.Bucket(stack, 'Site', { blockPublicAccess: new s3.BlockPublicAccess({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false }) });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-ACC-06', ruleId: RULE, kind: 'violation', resourceType: 'AWS::S3::Bucket', location: 'PublicAccessBlockConfiguration' });
      expect(fs[0].message).toBe('Block Public Access is not fully on: BlockPublicPolicy (false), RestrictPublicBuckets (false)');
    });

    it('2: a written configuration that leaves flags out (they are false)', () => {
      expect(summarize(findings(bucket({ PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: 'true' } }), RULE))).toEqual([
        'violation B: Block Public Access is not fully on: BlockPublicPolicy (not set, so false), RestrictPublicBuckets (not set, so false)',
      ]);
    });

    it('3: a public canned ACL (L2 and L1)', () => {
      const stack = new Stack(new App(), 'Data');
      new s3.Bucket(stack, 'Site', { accessControl: s3.BucketAccessControl.PUBLIC_READ, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', location: 'AccessControl', message: "bucket has the public canned ACL 'PublicRead'" }]);
      expect(findings(bucket({ AccessControl: 'AuthenticatedRead' }), RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('AuthenticatedRead') }]);
    });

    it('4: one branch of Fn::If turns a flag off, or picks a public ACL', () => {
      const fs = findings(
        bucket({ PublicAccessBlockConfiguration: { ...ALL_ON, BlockPublicPolicy: { 'Fn::If': ['Prod', true, false] } }, AccessControl: { 'Fn::If': ['Prod', 'Private', 'PublicReadWrite'] } }),
        RULE,
      );
      expect(summarize(fs)).toEqual([
        'violation B: Block Public Access is not fully on: BlockPublicPolicy (false)',
        "violation B: bucket has the public canned ACL 'PublicReadWrite' (in one branch of Fn::If)",
      ]);
    });

    it('5: a partial L2 setting without @aws-cdk/aws-s3:publicAccessBlockedByDefault leaves the other flags false', () => {
      const plain = new Stack(new App(), 'Data');
      new s3.Bucket(plain, 'Raw', { blockPublicAccess: new s3.BlockPublicAccess({ blockPublicPolicy: true }) });
      expect(findingsForApp(plain, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('BlockPublicAcls (not set, so false)') }]);
    });
  });

  describe('Compliance', () => {
    it('a default L2 bucket: S3 blocks public access on new buckets when the configuration is left out', () => {
      const stack = new Stack(new App(), 'Data');
      new s3.Bucket(stack, 'Raw');
      new s3.Bucket(stack, 'Blocked', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('a partial L2 setting passes only with @aws-cdk/aws-s3:publicAccessBlockedByDefault, which fills in the other flags', () => {
      const partial = () => new s3.BlockPublicAccess({ blockPublicPolicy: true });
      const flagged = new App({ context: { '@aws-cdk/aws-s3:publicAccessBlockedByDefault': true } });
      new s3.Bucket(new Stack(flagged, 'Data'), 'Raw', { blockPublicAccess: partial() });
      const resources = flagged.synth().getStackByName('Data').template.Resources;
      expect(Object.values<{ Properties?: Record<string, unknown> }>(resources)[0].Properties?.PublicAccessBlockConfiguration).toEqual(ALL_ON);
      expect(findingsForApp(flagged, RULE)).toEqual([]);
    });

    it('every branch of Fn::If keeps all flags on and the ACL private', () => {
      const fs = findings(bucket({ PublicAccessBlockConfiguration: { 'Fn::If': ['Prod', ALL_ON, { ...ALL_ON, BlockPublicAcls: 'true' }] }, AccessControl: { 'Fn::If': ['Prod', 'Private', 'LogDeliveryWrite'] } }), RULE);
      expect(fs).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a flag from a parameter is unverifiable', () => {
      const fs = findings(bucket({ PublicAccessBlockConfiguration: { ...ALL_ON, RestrictPublicBuckets: { Ref: 'Flag' } } }), RULE);
      expect(fs).toMatchObject([{ kind: 'unverifiable', location: 'PublicAccessBlockConfiguration.RestrictPublicBuckets', message: expect.stringContaining('parameter Flag') }]);
    });

    it('an ACL from a parameter is unverifiable', () => {
      expect(findings(bucket({ AccessControl: { Ref: 'Flag' } }), RULE)).toMatchObject([{ kind: 'unverifiable', location: 'AccessControl' }]);
    });
  });
});
