import { App, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';

const RULE = 'CloudFrontViewersUseModernTls';
const CERT = 'arn:aws:acm:us-east-1:111122223333:certificate/abc';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

function dist(config: Record<string, unknown>, extra: Record<string, unknown> = COND) {
  return template(
    {
      D: {
        Type: 'AWS::CloudFront::Distribution',
        Properties: {
          DistributionConfig: {
            Enabled: true,
            Origins: [{ Id: 'o', DomainName: 'example.com', CustomOriginConfig: { OriginProtocolPolicy: 'https-only' } }],
            DefaultCacheBehavior: { TargetOriginId: 'o', ViewerProtocolPolicy: 'redirect-to-https' },
            ViewerCertificate: { AcmCertificateArn: CERT, SslSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' },
            ...config,
          },
        },
      },
    },
    extra,
  );
}

describe('SRM-IIP-COM-02: CloudFront requires TLSv1.2_2021+ from viewers and never plain HTTP', () => {
  it('is exported from the package root, with its judgements', () => {
    expect(kit.CloudFrontViewersUseModernTls.controlId).toBe('SRM-IIP-COM-02');
    expect(kit.COMMUNICATION_RULES).toContain(kit.CloudFrontViewersUseModernTls);
    for (const ok of ['TLSv1.2_2021', 'TLSv1.2_2025', 'TLSv1.3_2025']) expect(kit.isModernCloudFrontProtocolVersion(ok), ok).toBe(true);
    for (const bad of ['TLSv1.2_2019', 'TLSv1.2_2018', 'TLSv1.1_2016', 'TLSv1_2016', 'TLSv1', 'SSLv3']) expect(kit.isModernCloudFrontProtocolVersion(bad), bad).toBe(false);
    expect(kit.isSecureViewerProtocolPolicy('allow-all')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 distribution on the default certificate that allows HTTP', () => {
      const stack = new Stack(new App(), 'S');
      new cloudfront.Distribution(stack, 'Dist', { defaultBehavior: { origin: new origins.HttpOrigin('example.com') } });
      const fs = findingsForApp(stack, RULE);
      expect(fs.map((f) => f.location).sort()).toEqual(['DistributionConfig.DefaultCacheBehavior.ViewerProtocolPolicy', 'DistributionConfig.ViewerCertificate']);
      expect(fs.every((f) => f.kind === 'violation' && f.controlId === 'SRM-IIP-COM-02' && f.ruleId === RULE)).toBe(true);
      expect(fs.find((f) => f.location === 'DistributionConfig.ViewerCertificate')!.message).toContain('default *.cloudfront.net certificate');
    });

    it('2: an L2 distribution with a custom certificate but TLSv1.2_2019', () => {
      const stack = new Stack(new App(), 'S');
      new cloudfront.Distribution(stack, 'Dist', {
        defaultBehavior: { origin: new origins.HttpOrigin('example.com'), viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY },
        certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT),
        domainNames: ['www.example.com'],
        minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2019,
      });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining("'TLSv1.2_2019'") }]);
    });

    it('3: CloudFrontDefaultCertificate true, and a custom certificate without MinimumProtocolVersion', () => {
      expect(findings(dist({ ViewerCertificate: { CloudFrontDefaultCertificate: true } }), RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('CloudFrontDefaultCertificate is true') }]);
      expect(findings(dist({ ViewerCertificate: { AcmCertificateArn: CERT, SslSupportMethod: 'sni-only' } }), RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('defaults to TLSv1') }]);
    });

    it('4: an extra cache behavior allows plain HTTP', () => {
      const t = dist({ CacheBehaviors: [{ PathPattern: '/img/*', TargetOriginId: 'o', ViewerProtocolPolicy: 'allow-all' }] });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('path /img/*') }]);
    });

    it('5: one Fn::If branch lowers the minimum protocol', () => {
      const t = dist({ ViewerCertificate: { AcmCertificateArn: CERT, SslSupportMethod: 'sni-only', MinimumProtocolVersion: { 'Fn::If': ['Prod', 'TLSv1.2_2021', 'TLSv1'] } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining("'TLSv1'") }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 distribution with an ACM certificate, TLSv1.2_2021 and redirect-to-https', () => {
      const stack = new Stack(new App(), 'S');
      new cloudfront.Distribution(stack, 'Dist', {
        defaultBehavior: { origin: new origins.HttpOrigin('example.com'), viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS },
        certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT),
        domainNames: ['www.example.com'],
        minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('every Fn::If branch is modern', () => {
      const t = dist({
        ViewerCertificate: { AcmCertificateArn: CERT, SslSupportMethod: 'sni-only', MinimumProtocolVersion: { 'Fn::If': ['Prod', 'TLSv1.3_2025', 'TLSv1.2_2021'] } },
        CacheBehaviors: [{ PathPattern: '/api/*', TargetOriginId: 'o', ViewerProtocolPolicy: { 'Fn::If': ['Prod', 'https-only', 'redirect-to-https'] } }],
      });
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a MinimumProtocolVersion parameter is unverifiable', () => {
      const t = dist({ ViewerCertificate: { AcmCertificateArn: CERT, SslSupportMethod: 'sni-only', MinimumProtocolVersion: { Ref: 'Min' } } }, { Parameters: { Min: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Min') }]);
    });
  });
});
