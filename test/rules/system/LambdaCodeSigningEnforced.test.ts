import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as signer from 'aws-cdk-lib/aws-signer';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'LambdaCodeSigningEnforced';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const fn = (p: Record<string, unknown> = {}) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Code: { S3Bucket: 'b', S3Key: 'k.zip' }, Handler: 'i.h', Runtime: 'nodejs22.x', Role: 'arn:aws:iam::111122223333:role/r', ...p },
});
const csc = (policy?: string) => ({
  Type: 'AWS::Lambda::CodeSigningConfig',
  Properties: { AllowedPublishers: { SigningProfileVersionArns: ['arn:aws:signer:eu-central-1:111122223333:/signing-profiles/p/v1'] }, ...(policy ? { CodeSigningPolicies: { UntrustedArtifactOnDeployment: policy } } : {}) },
});
const code = () => lambda.Code.fromInline('exports.h = async () => {}');

function signedFunction(stack: Stack, id: string, enforce: boolean) {
  const profile = new signer.SigningProfile(stack, `${id}Profile`, { platform: signer.Platform.AWS_LAMBDA_SHA384_ECDSA });
  const config = new lambda.CodeSigningConfig(stack, `${id}Csc`, {
    signingProfiles: [profile],
    untrustedArtifactOnDeployment: enforce ? lambda.UntrustedArtifactOnDeployment.ENFORCE : lambda.UntrustedArtifactOnDeployment.WARN,
  });
  return new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.h', code: code(), codeSigningConfig: config });
}

describe('SRM-IIP-SYS-05: Lambda functions deploy only code whose signature is enforced', () => {
  it('is exported from the package root with its judgements', () => {
    expect(kit.LambdaCodeSigningEnforced.controlId).toBe('SRM-IIP-SYS-05');
    expect(kit.isEnforcingSigningPolicy('Enforce')).toBe(true);
    expect(kit.isEnforcingSigningPolicy('Warn')).toBe(false);
    expect(kit.cdkHelperKind('App/Custom::S3AutoDeleteObjectsCustomResourceProvider/Handler', 'X')).toBe('the S3 auto-delete-objects handler');
    expect(kit.cdkHelperKind(undefined, 'LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8aFD4BFC8A')).toBe('the log-retention handler');
    expect(kit.cdkHelperKind('App/Ingest/Handler', 'IngestHandler1234')).toBeUndefined();
  });

  describe('Noncompliance', () => {
    it('1: an L2 function without a code-signing config', () => {
      const stack = new Stack(new App(), 'S');
      new lambda.Function(stack, 'F', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.h', code: code() });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toMatchObject([{ controlId: 'SRM-IIP-SYS-05', ruleId: RULE, kind: 'violation', location: 'CodeSigningConfigArn', resourceType: 'AWS::Lambda::Function' }]);
      expect(fs[0].message).toContain('without checking a signature');
      expect(fs[0].message).not.toContain('CDK-provided');
    });

    it('2: an L2 function whose code-signing config only warns', () => {
      const stack = new Stack(new App(), 'S');
      signedFunction(stack, 'F', false);
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining("UntrustedArtifactOnDeployment to 'Warn'") }]);
    });

    it('3: a CDK-provided custom-resource handler fails and says what it is', () => {
      const stack = new Stack(new App(), 'S');
      new s3.Bucket(stack, 'B', { autoDeleteObjects: true, removalPolicy: RemovalPolicy.DESTROY });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0].message).toContain('the S3 auto-delete-objects handler, a CDK-provided custom-resource handler');
    });

    it('4: an L1 config without CodeSigningPolicies (default Warn)', () => {
      const fs = findings(template({ C: csc(), F: fn({ CodeSigningConfigArn: { Ref: 'C' } }) }), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining('default Warn') }]);
    });

    it('5: one branch of Fn::If drops the config', () => {
      const t = template({ C: csc('Enforce'), F: fn({ CodeSigningConfigArn: { 'Fn::If': ['Prod', { Ref: 'C' }, { Ref: 'AWS::NoValue' }] } }) }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('CodeSigningConfigArn is not set') }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 function with an enforcing code-signing config', () => {
      const stack = new Stack(new App(), 'S');
      signedFunction(stack, 'F', true);
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('a config in another template (cross-stack import), and every Fn::If branch enforcing', () => {
      const a = template({ C: csc('Enforce') }, { Outputs: { Arn: { Value: { 'Fn::GetAtt': ['C', 'CodeSigningConfigArn'] }, Export: { Name: 'csc' } } } });
      const b = template({ C2: csc('Enforce'), F: fn({ CodeSigningConfigArn: { 'Fn::If': ['Prod', { 'Fn::ImportValue': 'csc' }, { 'Fn::GetAtt': ['C2', 'CodeSigningConfigArn'] }] } }) }, COND);
      expect(runOnTemplates([a, b], RULE).findings).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a config ARN outside the app is unverifiable', () => {
      const t = template({ F: fn({ CodeSigningConfigArn: { Ref: 'Csc' } }) }, { Parameters: { Csc: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('outside the app') }]);
    });

    it('a policy from a parameter is unverifiable', () => {
      const t = template({ C: csc(), F: fn({ CodeSigningConfigArn: { Ref: 'C' } }) }, { Parameters: { P: { Type: 'String' } } });
      (t.Resources as Record<string, { Properties: Record<string, unknown> }>).C.Properties.CodeSigningPolicies = { UntrustedArtifactOnDeployment: { Ref: 'P' } };
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter P') }]);
    });

    it('a container-image function needs an attestation of image signing', () => {
      expect(findings(template({ F: { Type: 'AWS::Lambda::Function', Properties: { PackageType: 'Image', Code: { ImageUri: 'x' } } } }), RULE)).toMatchObject([
        { kind: 'unverifiable', location: 'PackageType', message: expect.stringContaining('container-image') },
      ]);
    });
  });
});
