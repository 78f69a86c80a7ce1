import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';

const RULE = 'ApiGatewayDomainsUseModernTls';
const CERT = 'arn:aws:acm:eu-central-1:111122223333:certificate/abc';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

function stackWithCert() {
  const stack = new Stack(new App(), 'S');
  return { stack, cert: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT) };
}

describe('SRM-IIP-COM-02: API Gateway custom domains require TLS 1.2 or newer', () => {
  it('is exported from the package root, with its judgement', () => {
    expect(kit.ApiGatewayDomainsUseModernTls.controlId).toBe('SRM-IIP-COM-02');
    expect(kit.COMMUNICATION_RULES).toContain(kit.ApiGatewayDomainsUseModernTls);
    for (const ok of ['TLS_1_2', 'SecurityPolicy_TLS13_1_3_2025_09', 'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09', 'SecurityPolicy_TLS12_2018_EDGE']) expect(kit.isModernApiGatewaySecurityPolicy(ok), ok).toBe(true);
    for (const bad of ['TLS_1_0', 'tls-1-2', '']) expect(kit.isModernApiGatewaySecurityPolicy(bad), bad).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 REST domain name with TLS_1_0', () => {
      const { stack, cert } = stackWithCert();
      new apigw.DomainName(stack, 'Domain', { domainName: 'api.example.com', certificate: cert, securityPolicy: apigw.SecurityPolicy.TLS_1_0 });
      expect(findingsForApp(stack, RULE)).toMatchObject([
        { controlId: 'SRM-IIP-COM-02', ruleId: RULE, kind: 'violation', resourceType: 'AWS::ApiGateway::DomainName', location: 'SecurityPolicy', message: expect.stringContaining("'TLS_1_0'") },
      ]);
    });

    it('2: an L2 domain name that leaves the policy to the service default', () => {
      const { stack, cert } = stackWithCert();
      new apigw.DomainName(stack, 'Domain', { domainName: 'api.example.com', certificate: cert });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('sets no SecurityPolicy') }]);
    });

    it('3: an L2 HTTP API domain name without an explicit policy', () => {
      const { stack, cert } = stackWithCert();
      new apigwv2.DomainName(stack, 'Domain', { domainName: 'api.example.com', certificate: cert });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', resourceType: 'AWS::ApiGatewayV2::DomainName', location: 'DomainNameConfigurations.SecurityPolicy' }]);
    });

    it('4: an L1 v2 domain name without configurations, and a private DomainNameV2 with TLS_1_0', () => {
      const t = template({
        D: { Type: 'AWS::ApiGatewayV2::DomainName', Properties: { DomainName: 'a.example.com' } },
        P: { Type: 'AWS::ApiGateway::DomainNameV2', Properties: { DomainName: 'p.example.com', SecurityPolicy: 'TLS_1_0' } },
      });
      expect(findings(t, RULE).map((f) => `${f.logicalId} ${f.kind}`).sort()).toEqual(['D violation', 'P violation']);
    });

    it('5: one Fn::If branch uses TLS_1_0', () => {
      const t = template({ D: { Type: 'AWS::ApiGateway::DomainName', Properties: { DomainName: 'a.example.com', SecurityPolicy: { 'Fn::If': ['Prod', 'TLS_1_2', 'TLS_1_0'] } } } }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining("'TLS_1_0'") }]);
    });
  });

  describe('Compliance', () => {
    it('L2 REST and HTTP API domain names with TLS_1_2', () => {
      const { stack, cert } = stackWithCert();
      new apigw.DomainName(stack, 'Domain', { domainName: 'api.example.com', certificate: cert, securityPolicy: apigw.SecurityPolicy.TLS_1_2 });
      new apigwv2.DomainName(stack, 'Domain2', { domainName: 'api2.example.com', certificate: cert, securityPolicy: apigwv2.SecurityPolicy.TLS_1_2 });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('an enhanced TLS 1.3 policy, and every Fn::If branch modern', () => {
      const t = template(
        {
          D: { Type: 'AWS::ApiGateway::DomainName', Properties: { DomainName: 'a.example.com', SecurityPolicy: 'SecurityPolicy_TLS13_1_3_2025_09', EndpointAccessMode: 'STRICT' } },
          V: {
            Type: 'AWS::ApiGatewayV2::DomainName',
            Properties: { DomainName: 'b.example.com', DomainNameConfigurations: [{ 'Fn::If': ['Prod', { SecurityPolicy: 'TLS_1_2' }, { SecurityPolicy: 'TLS_1_2', EndpointType: 'REGIONAL' }] }] },
          },
        },
        COND,
      );
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a SecurityPolicy parameter is unverifiable', () => {
      const t = template({ D: { Type: 'AWS::ApiGateway::DomainName', Properties: { DomainName: 'a.example.com', SecurityPolicy: { Ref: 'Tls' } } } }, { Parameters: { Tls: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Tls') }]);
    });

    it('a parameter pinned by AllowedValues is resolved', () => {
      const t = template({ D: { Type: 'AWS::ApiGateway::DomainName', Properties: { DomainName: 'a.example.com', SecurityPolicy: { Ref: 'Tls' } } } }, { Parameters: { Tls: { Type: 'String', AllowedValues: ['TLS_1_2', 'TLS_1_0'] } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });
});
