import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';

const RULE = 'LambdaRuntimeSupported';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const fn = (p: Record<string, unknown>) => ({ Type: 'AWS::Lambda::Function', Properties: { Code: { ZipFile: 'x' }, Handler: 'i.h', Role: 'arn:aws:iam::111122223333:role/r', ...p } });

describe('SRM-IIP-SYS-03: Lambda functions run on runtimes AWS has not deprecated', () => {
  it('is exported from the package root with its dated schedule', () => {
    expect(kit.LambdaRuntimeSupported.controlId).toBe('SRM-IIP-SYS-03');
    expect(kit.LAMBDA_RUNTIME_SCHEDULE_DATE).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const rt of ['nodejs', 'nodejs18.x', 'python2.7', 'python3.9', 'ruby2.7', 'java8', 'dotnetcore3.1', 'dotnet6', 'go1.x', 'provided']) {
      expect(kit.isDeprecatedLambdaRuntime(rt), rt).toBe(true);
    }
    for (const rt of ['nodejs22.x', 'nodejs24.x', 'python3.13', 'java21', 'provided.al2023', 'ruby3.4']) expect(kit.isDeprecatedLambdaRuntime(rt), rt).toBe(false);
    // A projected date counts only once reached.
    expect(kit.isDeprecatedLambdaRuntime('nodejs22.x', '2027-05-01')).toBe(true);
    expect(kit.isDeprecatedLambdaRuntime('toString')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 function on nodejs18.x', () => {
      const stack = new Stack(new App(), 'S');
      new lambda.Function(stack, 'F', { runtime: lambda.Runtime.NODEJS_18_X, handler: 'i.h', code: lambda.Code.fromInline('x') });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toMatchObject([{ controlId: 'SRM-IIP-SYS-03', ruleId: RULE, kind: 'violation', location: 'Runtime' }]);
      expect(fs[0].message).toContain("'nodejs18.x' was deprecated by AWS on 2025-09-01");
    });

    it('2: an L1 function on python2.7', () => {
      expect(findings(template({ F: fn({ Runtime: 'python2.7' }) }), RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('python2.7') }]);
    });

    it('3: one branch of Fn::If uses go1.x', () => {
      expect(findings(template({ F: fn({ Runtime: { 'Fn::If': ['Prod', 'provided.al2023', 'go1.x'] } }) }, COND), RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 function on a current runtime', () => {
      const stack = new Stack(new App(), 'S');
      new lambda.Function(stack, 'F', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'i.h', code: lambda.Code.fromInline('x') });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('a container-image function brings its runtime in the image', () => {
      expect(findings(template({ F: { Type: 'AWS::Lambda::Function', Properties: { PackageType: 'Image', Code: { ImageUri: 'x' } } } }), RULE)).toEqual([]);
    });

    it('every Fn::If branch is current', () => {
      expect(findings(template({ F: fn({ Runtime: { 'Fn::If': ['Prod', 'python3.13', 'nodejs22.x'] } }) }, COND), RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a runtime from a parameter is unverifiable; one pinned by AllowedValues is resolved', () => {
      expect(findings(template({ F: fn({ Runtime: { Ref: 'Rt' } }) }, { Parameters: { Rt: { Type: 'String' } } }), RULE)).toMatchObject([{ kind: 'unverifiable' }]);
      expect(findings(template({ F: fn({ Runtime: { Ref: 'Rt' } }) }, { Parameters: { Rt: { Type: 'String', AllowedValues: ['python3.12', 'python3.8'] } } }), RULE)).toMatchObject([
        { kind: 'violation', message: expect.stringContaining('python3.8') },
      ]);
    });
  });
});
