import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, summarize, template } from '../../support/harness';

const RULE = 'KmsKeyPolicyNotPublic';
const extra = { Parameters: { Env: { Type: 'String' }, Who: { Type: 'String' }, Cond: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const key = (...Statement: unknown[]) => template({ K: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Version: '2012-10-17', Statement } } } }, extra);
const decryptByAnyone = { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' };

describe('SRM-IIP-ACC-07: KMS key policies grant nothing to an unconditioned `*` principal', () => {
  it('is exported from the package root', () => {
    expect(kit.KmsKeyPolicyNotPublic.controlId).toBe('SRM-IIP-ACC-07');
  });

  describe('Noncompliance', () => {
    it('1: an L2 key that lets anyone decrypt', () => {
      const stack = new Stack(new App(), 'Keys');
      const k = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      k.addToResourcePolicy(new iam.PolicyStatement({ sid: 'Anyone', principals: [new iam.AnyPrincipal()], actions: ['kms:Decrypt'], resources: ['*'] }));
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-ACC-07', ruleId: RULE, kind: 'violation', resourceType: 'AWS::KMS::Key', location: 'KeyPolicy' });
      expect(fs[0].message).toBe("KeyPolicy statement 'Anyone' allows a public principal ('*') with no Condition");
    });

    it('2: Allow with NotPrincipal, on a replica key', () => {
      const t = template({ R: { Type: 'AWS::KMS::ReplicaKey', Properties: { PrimaryKeyArn: 'arn', KeyPolicy: { Statement: [{ Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:role/x' }, Action: 'kms:*', Resource: '*' }] } } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', resourceType: 'AWS::KMS::ReplicaKey', message: expect.stringContaining('NotPrincipal') }]);
    });

    it('3: the condition exists in only one branch of Fn::If', () => {
      const fs = findings(key({ ...decryptByAnyone, Condition: { 'Fn::If': ['Prod', { StringEquals: { 'kms:CallerAccount': '111122223333' } }, { Ref: 'AWS::NoValue' }] } }), RULE);
      expect(summarize(fs)).toEqual(["violation K: KeyPolicy statement #1 allows a public principal ('*') with no Condition (in one branch of Fn::If)"]);
    });
  });

  describe('Compliance', () => {
    it('a default L2 key (the account root holds kms:*)', () => {
      const stack = new Stack(new App(), 'Keys');
      new kms.Key(stack, 'Key');
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('a conditioned `*` passes here; whether the condition scopes it is ACC-06\'s check', () => {
      const t = key({ ...decryptByAnyone, Condition: { Bool: { 'aws:SecureTransport': 'true' } } });
      expect(findings(t, RULE)).toEqual([]);
      expect(findings(t, 'ResourcePolicyNotPublic')).toMatchObject([{ controlId: 'SRM-IIP-ACC-06', kind: 'violation' }]);
    });

    it('every branch of Fn::If has a condition, even with different keys', () => {
      const fs = findings(key({ ...decryptByAnyone, Condition: { 'Fn::If': ['Prod', { StringEquals: { 'kms:CallerAccount': '111122223333' } }, { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def45' } }] } }), RULE);
      expect(fs).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a principal from a parameter with no condition is unverifiable', () => {
      expect(findings(key({ ...decryptByAnyone, Principal: { AWS: { Ref: 'Who' } } }), RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('Principal cannot be resolved') }]);
    });

    it('a Condition from a parameter on a `*` principal is unverifiable', () => {
      expect(findings(key({ ...decryptByAnyone, Condition: { Ref: 'Cond' } }), RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('Condition cannot be resolved') }]);
    });
  });
});
