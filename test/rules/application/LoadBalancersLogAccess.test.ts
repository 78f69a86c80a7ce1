import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';

const RULE = 'LoadBalancersLogAccess';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const ON = [{ Key: 'access_logs.s3.enabled', Value: 'true' }, { Key: 'access_logs.s3.bucket', Value: 'logs' }];

function lb(props: Record<string, unknown>, extra: Record<string, unknown> = COND) {
  return template({ Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Subnets: ['subnet-1', 'subnet-2'], ...props } } }, extra);
}

function alb(stack: Stack) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  return new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
}

describe('SRM-IIP-APP-05: Application Load Balancers keep access logs', () => {
  it('is exported from the package root, with its judgement', () => {
    expect(kit.LoadBalancersLogAccess.controlId).toBe('SRM-IIP-APP-05');
    expect(kit.APPLICATION_RULES).toContain(kit.LoadBalancersLogAccess);
    expect(kit.isAccessLogAttribute('access_logs.s3.enabled', 'TRUE')).toBe(true);
    expect(kit.isAccessLogAttribute('access_logs.s3.enabled', 'false')).toBe(false);
    expect(kit.isAccessLogAttribute('connection_logs.s3.enabled', 'true')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 ALB without access logs', () => {
      const stack = new Stack(new App(), 'S');
      alb(stack);
      expect(findingsForApp(stack, RULE)).toMatchObject([{ controlId: 'SRM-IIP-APP-05', ruleId: RULE, kind: 'violation', location: 'LoadBalancerAttributes', message: expect.stringContaining('access_logs.s3.enabled') }]);
    });

    it('2: access logs explicitly false; no attributes at all', () => {
      expect(findings(lb({ LoadBalancerAttributes: [{ Key: 'access_logs.s3.enabled', Value: 'false' }] }), RULE)).toMatchObject([{ kind: 'violation' }]);
      expect(findings(lb({}), RULE)).toMatchObject([{ kind: 'violation' }]);
    });

    it('3: access logs on in one Fn::If branch only', () => {
      expect(findings(lb({ LoadBalancerAttributes: { 'Fn::If': ['Prod', ON, []] } }), RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 ALB with logAccessLogs', () => {
      const stack = new Stack(new App(), 'S', { env: { region: 'eu-central-1', account: '111122223333' } });
      alb(stack).logAccessLogs(new s3.Bucket(stack, 'Logs', { enforceSSL: true }));
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('network load balancers are not application endpoints; every Fn::If branch logs', () => {
      expect(findings(lb({ Type: 'network' }), RULE)).toEqual([]);
      expect(findings(lb({ LoadBalancerAttributes: [{ 'Fn::If': ['Prod', ON[0], { Key: 'access_logs.s3.enabled', Value: true }] }] }), RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('an attribute value from a parameter is unverifiable', () => {
      const t = lb({ LoadBalancerAttributes: [{ Key: 'access_logs.s3.enabled', Value: { Ref: 'Logs' } }] }, { Parameters: { Logs: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Logs') }]);
    });
  });
});
