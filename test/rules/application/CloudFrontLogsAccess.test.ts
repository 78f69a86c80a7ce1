import { App, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'CloudFrontLogsAccess';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

function dist(config: Record<string, unknown>, extra: Record<string, unknown> = COND, more: Record<string, unknown> = {}) {
  return template(
    {
      D: { Type: 'AWS::CloudFront::Distribution', Properties: { DistributionConfig: { Enabled: true, DefaultCacheBehavior: { TargetOriginId: 'o', ViewerProtocolPolicy: 'https-only' }, ...config } } },
      ...(more as object),
    } as never,
    extra,
  );
}

const SOURCE = { Type: 'AWS::Logs::DeliverySource', Properties: { Name: 'cdn', LogType: 'ACCESS_LOGS', ResourceArn: { 'Fn::Sub': 'arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${D}' } } };

describe('SRM-IIP-APP-05: CloudFront distributions keep access logs', () => {
  it('is exported from the package root, with its judgement', () => {
    expect(kit.CloudFrontLogsAccess.controlId).toBe('SRM-IIP-APP-05');
    expect(kit.APPLICATION_RULES).toContain(kit.CloudFrontLogsAccess);
    expect(kit.distributionFromArnText('arn:aws:cloudfront::${AWS::AccountId}:distribution/${D}')).toBe('${D}');
    expect(kit.distributionFromArnText('arn:aws:s3:::b')).toBeUndefined();
  });

  describe('Noncompliance', () => {
    it('1: an L2 distribution without logging', () => {
      const stack = new Stack(new App(), 'S');
      new cloudfront.Distribution(stack, 'Cdn', { defaultBehavior: { origin: new origins.HttpOrigin('example.com') } });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ controlId: 'SRM-IIP-APP-05', ruleId: RULE, kind: 'violation', location: 'DistributionConfig.Logging', message: expect.stringContaining('keeps no access log') }]);
    });

    it('2: logging in one Fn::If branch only', () => {
      expect(findings(dist({ Logging: { 'Fn::If': ['Prod', { Bucket: 'logs.s3.amazonaws.com' }, { Ref: 'AWS::NoValue' }] } }), RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('in at least one Fn::If branch') }]);
    });

    it('3: a delivery source for another distribution does not count', () => {
      const other = { ...SOURCE, Properties: { ...SOURCE.Properties, ResourceArn: 'arn:aws:cloudfront::111122223333:distribution/E2OTHER' } };
      expect(findings(dist({}, COND, { Src: other }), RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 distribution with enableLogging', () => {
      const stack = new Stack(new App(), 'S');
      const bucket = new s3.Bucket(stack, 'Logs', { objectOwnership: s3.ObjectOwnership.OBJECT_WRITER });
      new cloudfront.Distribution(stack, 'Cdn', { defaultBehavior: { origin: new origins.HttpOrigin('example.com') }, enableLogging: true, logBucket: bucket });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('standard logging v2 (a delivery source), real-time logs, and logging in every Fn::If branch', () => {
      expect(findings(dist({}, COND, { Src: SOURCE }), RULE)).toEqual([]);
      expect(findings(dist({ DefaultCacheBehavior: { TargetOriginId: 'o', ViewerProtocolPolicy: 'https-only', RealtimeLogConfigArn: 'arn:aws:cloudfront::111122223333:realtime-log-config/rt' } }), RULE)).toEqual([]);
      expect(findings(dist({ Logging: { Bucket: { 'Fn::If': ['Prod', 'a.s3.amazonaws.com', 'b.s3.amazonaws.com'] } } }), RULE)).toEqual([]);
    });

    it('a delivery source in another stack', () => {
      const cdn = dist({}, { Outputs: { A: { Value: { 'Fn::Sub': 'arn:aws:cloudfront::${AWS::AccountId}:distribution/${D}' }, Export: { Name: 'Cdn-Arn' } } } });
      const logsStack = template({ Src: { ...SOURCE, Properties: { ...SOURCE.Properties, ResourceArn: { 'Fn::ImportValue': 'Cdn-Arn' } } } });
      expect(runOnTemplates([cdn, logsStack], RULE).findings).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a log bucket from a parameter is unverifiable', () => {
      expect(findings(dist({ Logging: { Bucket: { Ref: 'LogBucket' } } }, { Parameters: { LogBucket: { Type: 'String' } } }), RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter LogBucket') }]);
    });
  });
});
