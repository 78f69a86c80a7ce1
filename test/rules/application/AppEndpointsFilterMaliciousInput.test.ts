import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'AppEndpointsFilterMaliciousInput';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const VIS = { CloudWatchMetricsEnabled: true, MetricName: 'm', SampledRequestsEnabled: true };

function managed(name: string, override: Record<string, unknown> = { None: {} }, priority = 1) {
  return { Name: name, Priority: priority, OverrideAction: override, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: name } }, VisibilityConfig: VIS };
}
const GOOD_RULES = [managed('AWSManagedRulesCommonRuleSet'), managed('AWSManagedRulesKnownBadInputsRuleSet', { None: {} }, 2)];

function cdkAcl(stack: Stack, id: string, scope: string, groups: string[] = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'], count = false) {
  return new wafv2.CfnWebACL(stack, id, {
    scope,
    defaultAction: { allow: {} },
    visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: id, sampledRequestsEnabled: true },
    rules: groups.map((name, i) => ({
      name,
      priority: i,
      overrideAction: count ? { count: {} } : { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
    })),
  });
}

function endpoints(stack: Stack) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
  const api = new apigw.RestApi(stack, 'Api');
  api.root.addMethod('GET');
  return { alb, api };
}

function aclTemplate(rules: unknown, assocExtra: Record<string, unknown> = {}, extra: Record<string, unknown> = COND) {
  return template(
    {
      Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Subnets: ['subnet-1', 'subnet-2'] } },
      Acl: { Type: 'AWS::WAFv2::WebACL', Properties: { Scope: 'REGIONAL', DefaultAction: { Allow: {} }, VisibilityConfig: VIS, Rules: rules } },
      Assoc: { Type: 'AWS::WAFv2::WebACLAssociation', Properties: { ResourceArn: { Ref: 'Lb' }, WebACLArn: { 'Fn::GetAtt': ['Acl', 'Arn'] }, ...assocExtra } },
    },
    extra,
  );
}

describe('SRM-IIP-APP-02: application endpoints sit behind a web ACL with the managed common and known-bad-inputs rules', () => {
  it('is exported from the package root, with its judgement', () => {
    expect(kit.AppEndpointsFilterMaliciousInput.controlId).toBe('SRM-IIP-APP-02');
    expect(kit.APPLICATION_RULES).toContain(kit.AppEndpointsFilterMaliciousInput);
    expect(kit.managedGroupEffect('AWS', 'AWSManagedRulesCommonRuleSet', ['None'], 'AWSManagedRulesCommonRuleSet')).toBe('filters');
    expect(kit.managedGroupEffect('AWS', 'AWSManagedRulesCommonRuleSet', ['Count'], 'AWSManagedRulesCommonRuleSet')).toBe('count');
    expect(kit.managedGroupEffect('Other', 'AWSManagedRulesCommonRuleSet', [], 'AWSManagedRulesCommonRuleSet')).toBe('none');
  });

  describe('Noncompliance', () => {
    it('1: an L2 internet-facing ALB and a REST API stage without a web ACL', () => {
      const stack = new Stack(new App(), 'S');
      endpoints(stack);
      const fs = findingsForApp(stack, RULE);
      expect(fs.map((f) => f.resourceType).sort()).toEqual(['AWS::ApiGateway::Stage', 'AWS::ElasticLoadBalancingV2::LoadBalancer']);
      for (const f of fs) expect(f).toMatchObject({ controlId: 'SRM-IIP-APP-02', ruleId: RULE, kind: 'violation', message: expect.stringContaining('has no AWS::WAFv2::WebACLAssociation') });
    });

    it('2: a web ACL on the ALB and the stage that lacks the known-bad-inputs group', () => {
      const stack = new Stack(new App(), 'S');
      const { alb, api } = endpoints(stack);
      const acl = cdkAcl(stack, 'Acl', 'REGIONAL', ['AWSManagedRulesCommonRuleSet']);
      new wafv2.CfnWebACLAssociation(stack, 'AlbAcl', { resourceArn: alb.loadBalancerArn, webAclArn: acl.attrArn });
      new wafv2.CfnWebACLAssociation(stack, 'ApiAcl', { resourceArn: api.deploymentStage.stageArn, webAclArn: acl.attrArn });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toMatchObject([{ kind: 'violation', logicalId: 'Acl', resourceType: 'AWS::WAFv2::WebACL', message: expect.stringContaining('does not run the AWS managed rule group AWSManagedRulesKnownBadInputsRuleSet') }]);
      expect(fs[0].message).toContain('stage prod');
      expect(fs[0].message).toContain('LoadBalancer');
    });

    it('3: the managed groups in Count mode only count', () => {
      const fs = findings(aclTemplate([managed('AWSManagedRulesCommonRuleSet', { Count: {} }), managed('AWSManagedRulesKnownBadInputsRuleSet', { None: {} }, 2)]), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', logicalId: 'Acl', message: expect.stringContaining('AWSManagedRulesCommonRuleSet with OverrideAction Count') }]);
    });

    it('4: an L2 CloudFront distribution without a web ACL', () => {
      const stack = new Stack(new App(), 'S');
      new cloudfront.Distribution(stack, 'Cdn', { defaultBehavior: { origin: new origins.HttpOrigin('example.com') } });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', resourceType: 'AWS::CloudFront::Distribution', location: 'DistributionConfig.WebACLId' }]);
    });

    it('5: one Fn::If branch of the rule list drops a group', () => {
      const fs = findings(aclTemplate({ 'Fn::If': ['Prod', GOOD_RULES, [GOOD_RULES[0]]] }), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining('AWSManagedRulesKnownBadInputsRuleSet in at least one Fn::If branch') }]);
    });
  });

  describe('Compliance', () => {
    it('L2 ALB, REST stage and CloudFront behind web ACLs with both groups', () => {
      const stack = new Stack(new App(), 'S', { env: { region: 'us-east-1', account: '111122223333' } });
      const { alb, api } = endpoints(stack);
      const regional = cdkAcl(stack, 'Regional', 'REGIONAL');
      new wafv2.CfnWebACLAssociation(stack, 'AlbAcl', { resourceArn: alb.loadBalancerArn, webAclArn: regional.attrArn });
      new wafv2.CfnWebACLAssociation(stack, 'ApiAcl', { resourceArn: api.deploymentStage.stageArn, webAclArn: regional.attrArn });
      const edge = cdkAcl(stack, 'Edge', 'CLOUDFRONT');
      new cloudfront.Distribution(stack, 'Cdn', {
        defaultBehavior: { origin: new origins.HttpOrigin('example.com') },
        webAclId: edge.attrArn,
        certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111122223333:certificate/abc'),
        domainNames: ['www.example.com'],
      });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('internal ALBs and private REST APIs need no web ACL; every Fn::If branch holds both groups', () => {
      const t = template(
        {
          Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Scheme: 'internal' } },
          Nlb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: 'network' } },
          Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'p', EndpointConfiguration: { Types: ['PRIVATE'] } } },
          St: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'v1', DeploymentId: 'd' } },
        },
        COND,
      );
      expect(findings(t, RULE)).toEqual([]);
      expect(findings(aclTemplate({ 'Fn::If': ['Prod', GOOD_RULES, [...GOOD_RULES].reverse()] }), RULE)).toEqual([]);
    });

    it('a web ACL in a shared stack, associated from the application stack', () => {
      const shared = template(
        { Acl: { Type: 'AWS::WAFv2::WebACL', Properties: { Scope: 'REGIONAL', DefaultAction: { Allow: {} }, VisibilityConfig: VIS, Rules: GOOD_RULES } } },
        { Outputs: { A: { Value: { 'Fn::GetAtt': ['Acl', 'Arn'] }, Export: { Name: 'Shared-AclArn' } } } },
      );
      const app = (rules?: unknown) =>
        template({
          Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: {} },
          Assoc: { Type: 'AWS::WAFv2::WebACLAssociation', Properties: { ResourceArn: { Ref: 'Lb' }, WebACLArn: rules ?? { 'Fn::ImportValue': 'Shared-AclArn' } } },
        });
      expect(runOnTemplates([shared, app()], RULE).findings).toEqual([]);
      const weak = template(
        { Acl: { Type: 'AWS::WAFv2::WebACL', Properties: { Scope: 'REGIONAL', DefaultAction: { Allow: {} }, VisibilityConfig: VIS, Rules: [GOOD_RULES[0]] } } },
        { Outputs: { A: { Value: { 'Fn::GetAtt': ['Acl', 'Arn'] }, Export: { Name: 'Shared-AclArn' } } } },
      );
      expect(runOnTemplates([weak, app()], RULE).findings).toMatchObject([{ kind: 'violation', stack: 'Stack0', logicalId: 'Acl' }]);
    });
  });

  describe('Unresolvable values', () => {
    it('a web ACL ARN from a parameter cannot be read', () => {
      const t = template(
        {
          Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: {} },
          Assoc: { Type: 'AWS::WAFv2::WebACLAssociation', Properties: { ResourceArn: { Ref: 'Lb' }, WebACLArn: { Ref: 'AclArn' } } },
        },
        { Parameters: { AclArn: { Type: 'String' } } },
      );
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', logicalId: 'Assoc', message: expect.stringContaining('parameter AclArn') }]);
    });

    it('an association whose target is a parameter leaves the ALB unverifiable', () => {
      const t = aclTemplate(GOOD_RULES, { ResourceArn: { Ref: 'Target' } }, { Parameters: { Target: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', logicalId: 'Lb', message: expect.stringContaining('parameter Target') }]);
    });

    it('an association that exists only under a condition does not prove the ALB is covered', () => {
      const t = aclTemplate(GOOD_RULES);
      (t.Resources as Record<string, Record<string, unknown>>).Assoc.Condition = 'Prod';
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', logicalId: 'Lb', message: expect.stringContaining('only under a condition') }]);
    });
  });
});
