import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'InternetEntryPointRateLimited';

const visibility = { CloudWatchMetricsEnabled: true, MetricName: 'm', SampledRequestsEnabled: true };
const rateRule = (action: Record<string, unknown> = { Block: {} }, name = 'rate') => ({ Name: name, Priority: 0, Action: action, Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP' } }, VisibilityConfig: visibility });
const managedRule = { Name: 'common', Priority: 1, OverrideAction: { None: {} }, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } }, VisibilityConfig: visibility };
const webAcl = (rules: unknown, scope = 'REGIONAL') => ({ Type: 'AWS::WAFv2::WebACL', Properties: { Scope: scope, DefaultAction: { Allow: {} }, VisibilityConfig: visibility, Rules: rules } });
const association = (resourceArn: unknown, webAclArn: unknown = { 'Fn::GetAtt': ['Acl', 'Arn'] }, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::WAFv2::WebACLAssociation',
  ...extra,
  Properties: { ResourceArn: resourceArn, WebACLArn: webAclArn },
});
const ALB = { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Subnets: ['subnet-1', 'subnet-2'] } };
const envCondition = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

/** A regional web ACL with a blocking rate-based rule, as CDK users write it. */
function cdkAcl(scope: Construct, id: string, withRateRule = true, aclScope = 'REGIONAL'): wafv2.CfnWebACL {
  const vis = { cloudWatchMetricsEnabled: true, metricName: id, sampledRequestsEnabled: true };
  return new wafv2.CfnWebACL(scope, id, {
    scope: aclScope,
    defaultAction: { allow: {} },
    visibilityConfig: vis,
    rules: withRateRule
      ? [{ name: 'rate', priority: 0, action: { block: {} }, statement: { rateBasedStatement: { limit: 1000, aggregateKeyType: 'IP' } }, visibilityConfig: vis }]
      : [{ name: 'common', priority: 0, overrideAction: { none: {} }, statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' } }, visibilityConfig: vis }],
  });
}

function cdkAlb(stack: Stack, internetFacing = true): elbv2.ApplicationLoadBalancer {
  return new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 }), internetFacing });
}

function cdkRestApi(stack: Stack, props: apigw.RestApiProps = {}): apigw.RestApi {
  const api = new apigw.RestApi(stack, 'Api', props);
  api.root.addMethod('GET');
  return api;
}

describe('SRM-IIP-NET-07: internet entry points have a WAFv2 web ACL with a rate-based rule', () => {
  it('is exported from the package root, with its judgement functions', () => {
    expect(kit.InternetEntryPointRateLimited.controlId).toBe('SRM-IIP-NET-07');
    expect(kit.isInternetFacingScheme(undefined)).toBe(true);
    expect(kit.isInternetFacingScheme('internal')).toBe(false);
    expect(kit.isWafCapableLoadBalancerType('network')).toBe(false);
    expect(kit.isStoppingRuleAction(['Count'])).toBe(false);
    expect(kit.isStoppingRuleAction(['Challenge'])).toBe(true);
  });

  describe('Noncompliance', () => {
    it('1: an L2 internet-facing ALB without a web ACL', () => {
      const stack = new Stack(new App(), 'Edge');
      cdkAlb(stack);
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-NET-07', ruleId: RULE, kind: 'violation', resourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer' });
      expect(fs[0].message).toMatch(
        /^Application Load Balancer Alb\w+ in stack Edge \(internet-facing\) is not protected against flooding: no AWS::WAFv2::WebACLAssociation attaches a web ACL to it$/,
      );
    });

    it('2: an L2 ALB whose web ACL has managed rules but no rate-based rule', () => {
      const stack = new Stack(new App(), 'Edge');
      new wafv2.CfnWebACLAssociation(stack, 'Assoc', { resourceArn: cdkAlb(stack).loadBalancerArn, webAclArn: cdkAcl(stack, 'Acl', false).attrArn });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('web ACL Acl in stack Edge has no rate-based rule that stops traffic: rule common is not rate-based') }]);
    });

    it('3: a rate-based rule that only counts', () => {
      const t = template({ Alb: ALB, Acl: webAcl([rateRule({ Count: {} })]), Assoc: association({ Ref: 'Alb' }) });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', logicalId: 'Alb', message: expect.stringContaining('rate-based rule rate only counts') }]);
    });

    it('4: an L2 REST API stage without a web ACL', () => {
      const stack = new Stack(new App(), 'Api');
      cdkRestApi(stack);
      expect(findingsForApp(stack, RULE)).toMatchObject([
        { kind: 'violation', resourceType: 'AWS::ApiGateway::Stage', message: expect.stringMatching(/^API Gateway stage 'prod' \(AWS::ApiGateway::Stage ApiDeploymentStageprod\w+ in stack Api\) is not protected/) },
      ]);
    });

    it('5: an L1 ALB without Scheme is internet-facing by default', () => {
      expect(findings(template({ Alb: ALB }), RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('(Scheme not set, so internet-facing)') }]);
    });

    it('6: an internet-facing NLB cannot take WAF and has no Shield Advanced protection', () => {
      const stack = new Stack(new App(), 'Edge');
      new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 }), internetFacing: true });
      expect(findingsForApp(stack, RULE)).toMatchObject([
        { kind: 'violation', message: expect.stringContaining('a Network Load Balancer cannot take a WAFv2 web ACL, and no AWS::Shield::Protection (Shield Advanced) covers it') },
      ]);
    });

    it('7: an L2 HTTP API default stage without throttling', () => {
      const stack = new Stack(new App(), 'Api');
      new apigwv2.HttpApi(stack, 'Http');
      expect(findingsForApp(stack, RULE)).toMatchObject([
        { kind: 'violation', resourceType: 'AWS::ApiGatewayV2::Stage', location: 'DefaultRouteSettings', message: expect.stringContaining('DefaultRouteSettings.ThrottlingRateLimit is not set') },
      ]);
    });

    it('8: an L2 CloudFront distribution without a web ACL', () => {
      const stack = new Stack(new App(), 'Cdn');
      new cloudfront.Distribution(stack, 'Dist', { defaultBehavior: { origin: new origins.HttpOrigin('example.com') } });
      expect(findingsForApp(stack, RULE)).toMatchObject([
        { kind: 'violation', location: 'DistributionConfig.WebACLId', message: expect.stringMatching(/^CloudFront distribution Dist\w+ in stack Cdn is not protected against flooding: DistributionConfig.WebACLId is not set$/) },
      ]);
    });

    it('9: a WebACLId set in only one branch of Fn::If', () => {
      const t = template(
        { Acl: webAcl([rateRule()], 'CLOUDFRONT'), Dist: { Type: 'AWS::CloudFront::Distribution', Properties: { DistributionConfig: { Enabled: true, WebACLId: { 'Fn::If': ['Prod', { 'Fn::GetAtt': ['Acl', 'Arn'] }, { Ref: 'AWS::NoValue' }] } } } } },
        envCondition,
      );
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('WebACLId is not set') }]);
    });

    it('10: one branch of Fn::If drops the rate-based rule from the web ACL', () => {
      const t = template({ Alb: ALB, Acl: webAcl({ 'Fn::If': ['Prod', [rateRule(), managedRule], [managedRule]] }), Assoc: association({ Ref: 'Alb' }) }, envCondition);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('rule common is not rate-based') }]);
    });

    it('11: cross-stack: the association in another stack attaches a web ACL without a rate-based rule', () => {
      const app = new App();
      const alb = cdkAlb(new Stack(app, 'Edge'));
      const waf = new Stack(app, 'Waf');
      new wafv2.CfnWebACLAssociation(waf, 'Assoc', { resourceArn: alb.loadBalancerArn, webAclArn: cdkAcl(waf, 'Acl', false).attrArn });
      expect(findingsForApp(app, RULE)).toMatchObject([{ kind: 'violation', stack: 'Edge', message: expect.stringContaining('web ACL Acl in stack Waf has no rate-based rule') }]);
    });

    it('12: a rule group whose rate-based rule the web ACL overrides to count', () => {
      const t = template({
        Alb: ALB,
        Group: { Type: 'AWS::WAFv2::RuleGroup', Properties: { Scope: 'REGIONAL', Capacity: 10, VisibilityConfig: visibility, Rules: [rateRule()] } },
        Acl: webAcl([{ Name: 'grp', Priority: 0, OverrideAction: { Count: {} }, Statement: { RuleGroupReferenceStatement: { Arn: { 'Fn::GetAtt': ['Group', 'Arn'] } } }, VisibilityConfig: visibility }]),
        Assoc: association({ Ref: 'Alb' }),
      });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('rule group reference grp overrides its rules to count only') }]);
    });

    it('13: an association that selects the ALB in only one branch of Fn::If', () => {
      const t = template({ Alb: ALB, Other: ALB, Acl: webAcl([rateRule()]), Assoc: association({ 'Fn::If': ['Prod', { Ref: 'Alb' }, { Ref: 'Other' }] }) }, envCondition);
      const fs = findings(t, RULE);
      expect(fs.map((f) => [f.kind, f.logicalId])).toEqual([
        ['violation', 'Alb'],
        ['violation', 'Other'],
      ]);
      expect(fs[0].message).toContain('association Assoc in stack Stack0 selects it only in one branch of Fn::If');
    });

    it('14: a Deployment with StageName creates a stage that needs a web ACL too', () => {
      const t = template({
        Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'api' } },
        Deploy: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'v1' } },
      });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', logicalId: 'Deploy', message: expect.stringContaining("API Gateway stage 'v1' (AWS::ApiGateway::Deployment Deploy") }]);
    });

    it('15: an association for another stage of the same REST API does not count', () => {
      const t = template({
        Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'api' } },
        Prod: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'prod', DeploymentId: 'd' } },
        Acl: webAcl([rateRule()]),
        Assoc: association({ 'Fn::Sub': 'arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${Api}/stages/test' }),
      });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', logicalId: 'Prod', message: expect.stringContaining('no AWS::WAFv2::WebACLAssociation attaches a web ACL to it') }]);
    });
  });

  describe('Compliance', () => {
    it('cross-stack L2: an ALB and a REST API stage protected by a rate-limiting web ACL in another stack', () => {
      const app = new App();
      const edge = new Stack(app, 'Edge');
      const alb = cdkAlb(edge);
      const api = cdkRestApi(edge);
      const waf = new Stack(app, 'Waf');
      const acl = cdkAcl(waf, 'Acl');
      new wafv2.CfnWebACLAssociation(waf, 'AlbAssoc', { resourceArn: alb.loadBalancerArn, webAclArn: acl.attrArn });
      new wafv2.CfnWebACLAssociation(waf, 'ApiAssoc', { resourceArn: api.deploymentStage.stageArn, webAclArn: acl.attrArn });
      expect(findingsForApp(app, RULE)).toEqual([]);
    });

    it('an internal ALB is not an internet entry point', () => {
      const stack = new Stack(new App(), 'Edge');
      cdkAlb(stack, false);
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('a PRIVATE REST API is not an internet entry point', () => {
      const stack = new Stack(new App(), 'Api');
      cdkRestApi(stack, { endpointTypes: [apigw.EndpointType.PRIVATE] });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('an L2 CloudFront distribution with a CLOUDFRONT-scope web ACL', () => {
      const stack = new Stack(new App(), 'Cdn', { env: { region: 'us-east-1' } });
      const acl = cdkAcl(stack, 'Acl', true, 'CLOUDFRONT');
      new cloudfront.Distribution(stack, 'Dist', { defaultBehavior: { origin: new origins.HttpOrigin('example.com') }, webAclId: acl.attrArn });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('an L2 HTTP API stage with throttling', () => {
      const stack = new Stack(new App(), 'Api');
      new apigwv2.HttpApi(stack, 'Http', { createDefaultStage: false }).addStage('live', { autoDeploy: true, throttle: { rateLimit: 100, burstLimit: 200 } });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('a challenging rate-based rule inside a referenced rule group', () => {
      const t = template({
        Alb: ALB,
        Group: { Type: 'AWS::WAFv2::RuleGroup', Properties: { Scope: 'REGIONAL', Capacity: 10, VisibilityConfig: visibility, Rules: [rateRule({ Challenge: {} })] } },
        Acl: webAcl([managedRule, { Name: 'grp', Priority: 2, OverrideAction: { None: {} }, Statement: { RuleGroupReferenceStatement: { Arn: { 'Fn::GetAtt': ['Group', 'Arn'] } } }, VisibilityConfig: visibility }]),
        Assoc: association({ 'Fn::GetAtt': ['Alb', 'LoadBalancerArn'] }),
      });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('an internet-facing NLB with a Shield Advanced protection', () => {
      const t = template({
        Nlb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: 'network', Scheme: 'internet-facing' } },
        Shield: { Type: 'AWS::Shield::Protection', Properties: { Name: 'nlb', ResourceArn: { Ref: 'Nlb' } } },
      });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('every branch of Fn::If keeps a rate-based rule', () => {
      const t = template({ Alb: ALB, Acl: webAcl({ 'Fn::If': ['Prod', [rateRule(), managedRule], [rateRule({ Captcha: {} })]] }), Assoc: association({ Ref: 'Alb' }) }, envCondition);
      expect(findings(t, RULE)).toEqual([]);
    });

    it('an association ARN that names the REST API and the literal stage name', () => {
      const t = template({
        Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'api' } },
        Prod: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'prod', DeploymentId: 'd' } },
        Acl: webAcl([rateRule()]),
        Assoc: association({ 'Fn::Sub': 'arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${Api}/stages/prod' }),
      });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('cross-stack raw templates with Export/ImportValue', () => {
      const a = template({ Alb: ALB }, { Outputs: { AlbArn: { Value: { Ref: 'Alb' }, Export: { Name: 'edge-alb' } } } });
      const b = template({ Acl: webAcl([rateRule()]), Assoc: association({ 'Fn::ImportValue': 'edge-alb' }) });
      expect(runOnTemplates([a, b], RULE).findings).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a web ACL outside the app (a literal ARN) is unverifiable', () => {
      const stack = new Stack(new App(), 'Cdn');
      new cloudfront.Distribution(stack, 'Dist', { defaultBehavior: { origin: new origins.HttpOrigin('example.com') }, webAclId: 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/x/1' });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('a web ACL not declared in the app, so its rules cannot be read') }]);
    });

    it('a WebACLArn parameter is unverifiable, never passed', () => {
      const t = template({ Alb: ALB, Assoc: association({ Ref: 'Alb' }, { Ref: 'AclArn' }) }, { Parameters: { AclArn: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', logicalId: 'Alb', message: expect.stringContaining('parameter AclArn') }]);
    });

    it('an association guarded by an unknown condition does not prove protection', () => {
      const t = template({ Alb: ALB, Acl: webAcl([rateRule()]), Assoc: association({ Ref: 'Alb' }, undefined, { Condition: 'Prod' }) }, envCondition);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('association Assoc in stack Stack0 only exists when condition Prod holds') }]);
    });

    it('an association whose ResourceArn is a parameter may attach to the ALB', () => {
      const t = template({ Alb: ALB, Acl: webAcl([rateRule()]), Assoc: association({ Ref: 'Target' }) }, { Parameters: { Target: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('has a ResourceArn that cannot be resolved') }]);
    });

    it('a Scheme parameter without a web ACL is unverifiable', () => {
      const t = template({ Alb: { ...ALB, Properties: { Scheme: { Ref: 'Scheme' } } } }, { Parameters: { Scheme: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('may be internet-facing') }]);
    });

    it('a throttling parameter on an HTTP API stage is unverifiable', () => {
      const t = template(
        { Stage: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: 'a', StageName: '$default', DefaultRouteSettings: { ThrottlingRateLimit: { Ref: 'Rate' }, ThrottlingBurstLimit: 10 } } } },
        { Parameters: { Rate: { Type: 'Number' } } },
      );
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Rate') }]);
    });

    it('never throws on odd shapes', () => {
      const t = template({
        Alb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Scheme: ['x'], Type: { Bad: 1 } } },
        Acl: { Type: 'AWS::WAFv2::WebACL', Properties: { Rules: [null, 'rule', { Statement: 'x', Action: [] }, { Statement: { RuleGroupReferenceStatement: { Arn: 7, RuleActionOverrides: 'x' } } }] } },
        Assoc: { Type: 'AWS::WAFv2::WebACLAssociation', Properties: { ResourceArn: { Ref: 'Alb' }, WebACLArn: { 'Fn::GetAtt': ['Acl', 'Arn'] } } },
        Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: [1], StageName: { 'Fn::If': 'x' } } },
        V2: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { DefaultRouteSettings: 'fast' } },
        Dist: { Type: 'AWS::CloudFront::Distribution', Properties: { DistributionConfig: [] } },
      });
      const fs = findings(t, RULE);
      expect(fs.length).toBeGreaterThan(0);
      expect(fs.map((f) => f.message).join()).not.toContain('could not read');
    });
  });
});
