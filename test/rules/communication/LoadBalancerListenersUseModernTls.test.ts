import { App, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'LoadBalancerListenersUseModernTls';
const CERT = 'arn:aws:acm:eu-central-1:111122223333:certificate/abc';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

function listener(props: Record<string, unknown>) {
  return { Type: 'AWS::ElasticLoadBalancingV2::Listener', Properties: { LoadBalancerArn: 'arn:aws:elasticloadbalancing:eu-central-1:111122223333:loadbalancer/app/x/1', Port: 443, ...props } };
}

const FORWARD = [{ Type: 'forward', TargetGroupArn: 'arn:aws:elasticloadbalancing:eu-central-1:111122223333:targetgroup/t/1' }];
const REDIRECT = [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }];

function albStack() {
  const stack = new Stack(new App(), 'S');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const lb = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc, internetFacing: true });
  const cert = acm.Certificate.fromCertificateArn(stack, 'Cert', CERT);
  return { stack, lb, cert };
}

describe('SRM-IIP-COM-02: load balancer listeners terminate TLS 1.2+ and HTTP only redirects', () => {
  it('is exported from the package root, with its judgements', () => {
    expect(kit.LoadBalancerListenersUseModernTls.controlId).toBe('SRM-IIP-COM-02');
    expect(kit.COMMUNICATION_RULES).toContain(kit.LoadBalancerListenersUseModernTls);
    for (const ok of ['ELBSecurityPolicy-TLS13-1-2-2021-06', 'ELBSecurityPolicy-TLS13-1-3-2021-06', 'ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09', 'ELBSecurityPolicy-TLS-1-2-Ext-2018-06', 'ELBSecurityPolicy-FS-1-2-Res-2020-10']) {
      expect(kit.isModernElbSslPolicy(ok), ok).toBe(true);
    }
    for (const bad of [kit.ELB_DEFAULT_SSL_POLICY, 'ELBSecurityPolicy-TLS13-1-0-2021-06', 'ELBSecurityPolicy-TLS13-1-1-2021-06', 'ELBSecurityPolicy-TLS-1-1-2017-01', 'ELBSecurityPolicy-FS-1-1-2019-08', 'ELBSecurityPolicy-FS-2018-06']) {
      expect(kit.isModernElbSslPolicy(bad), bad).toBe(false);
    }
    expect(kit.isHttpsRedirect('redirect', 'HTTPS')).toBe(true);
    expect(kit.isHttpsRedirect('redirect', '#{protocol}')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 HTTPS listener without sslPolicy gets the TLS 1.0 default', () => {
      const { stack, lb, cert } = albStack();
      lb.addListener('Https', { port: 443, certificates: [cert], defaultAction: elbv2.ListenerAction.fixedResponse(200) });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toMatchObject([{ controlId: 'SRM-IIP-COM-02', ruleId: RULE, kind: 'violation', location: 'SslPolicy', resourceType: 'AWS::ElasticLoadBalancingV2::Listener' }]);
      expect(fs[0].message).toContain('ELBSecurityPolicy-2016-08');
    });

    it('2: an L1 listener with a TLS13 policy that still accepts TLS 1.0', () => {
      const t = template({ L: listener({ Protocol: 'HTTPS', SslPolicy: 'ELBSecurityPolicy-TLS13-1-0-2021-06', Certificates: [{ CertificateArn: CERT }], DefaultActions: FORWARD }) });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining("'ELBSecurityPolicy-TLS13-1-0-2021-06' accepts protocols older than TLS 1.2") }]);
    });

    it('3: an L2 HTTP listener that serves content', () => {
      const { stack, lb } = albStack();
      lb.addListener('Http', { port: 80, defaultAction: elbv2.ListenerAction.fixedResponse(200) });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', location: 'DefaultActions', message: expect.stringContaining('serves traffic in plaintext') }]);
    });

    it('4: an HTTP redirect that keeps the protocol', () => {
      const t = template({ L: listener({ Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'redirect', RedirectConfig: { Port: '8080', StatusCode: 'HTTP_302' } }] }) });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', location: 'DefaultActions' }]);
    });

    it('5: a network load balancer TCP listener', () => {
      const t = template({ L: listener({ Protocol: 'TCP', DefaultActions: FORWARD }) });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', location: 'Protocol', message: expect.stringContaining('TCP') }]);
    });

    it('6: a listener rule that forwards on an HTTP listener', () => {
      const t = template({
        L: listener({ Protocol: 'HTTP', Port: 80, DefaultActions: REDIRECT }),
        R: { Type: 'AWS::ElasticLoadBalancingV2::ListenerRule', Properties: { ListenerArn: { Ref: 'L' }, Priority: 1, Conditions: [], Actions: FORWARD } },
      });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', logicalId: 'R', message: expect.stringContaining('listener rule on an HTTP listener') }]);
    });

    it('7: one Fn::If branch picks a weak policy', () => {
      const t = template({ L: listener({ Protocol: 'HTTPS', SslPolicy: { 'Fn::If': ['Prod', 'ELBSecurityPolicy-TLS13-1-2-2021-06', 'ELBSecurityPolicy-2016-08'] }, DefaultActions: FORWARD }) }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('ELBSecurityPolicy-2016-08') }]);
    });

    it('8: one Fn::If branch of the protocol is HTTP with a forward', () => {
      const t = template({ L: listener({ Protocol: { 'Fn::If': ['Prod', 'HTTPS', 'HTTP'] }, SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', DefaultActions: FORWARD }) }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', location: 'DefaultActions' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 HTTPS listener with a TLS 1.2+ policy and the HTTP-to-HTTPS redirect', () => {
      const { stack, lb, cert } = albStack();
      lb.addListener('Https', { port: 443, certificates: [cert], sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS, defaultAction: elbv2.ListenerAction.fixedResponse(200) });
      lb.addRedirect();
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('every Fn::If branch is modern; rules on HTTPS listeners may forward; gateway listeners have no protocol', () => {
      const t = template(
        {
          L: listener({ Protocol: 'TLS', SslPolicy: { 'Fn::If': ['Prod', 'ELBSecurityPolicy-TLS13-1-3-2021-06', 'ELBSecurityPolicy-TLS13-1-2-2021-06'] }, DefaultActions: FORWARD }),
          R: { Type: 'AWS::ElasticLoadBalancingV2::ListenerRule', Properties: { ListenerArn: { Ref: 'L' }, Priority: 1, Conditions: [], Actions: FORWARD } },
          G: listener({ DefaultActions: FORWARD }),
        },
        COND,
      );
      expect(findings(t, RULE)).toEqual([]);
    });

    it('a listener rule in another stack is judged by the listener it imports', () => {
      const lbStack = (proto: string) =>
        template(
          { L: listener({ Protocol: proto, Port: 80, SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', DefaultActions: REDIRECT }) },
          { Outputs: { L: { Value: { Ref: 'L' }, Export: { Name: 'Ingress-Listener' } } } },
        );
      const app = template({ R: { Type: 'AWS::ElasticLoadBalancingV2::ListenerRule', Properties: { ListenerArn: { 'Fn::ImportValue': 'Ingress-Listener' }, Priority: 5, Conditions: [], Actions: FORWARD } } });
      expect(runOnTemplates([lbStack('HTTPS'), app], RULE).findings).toEqual([]);
      expect(runOnTemplates([lbStack('HTTP'), app], RULE).findings).toMatchObject([{ kind: 'violation', stack: 'Stack1', logicalId: 'R' }]);
    });
  });

  describe('Unresolvable values', () => {
    it('an SslPolicy parameter is unverifiable', () => {
      const t = template({ L: listener({ Protocol: 'HTTPS', SslPolicy: { Ref: 'Policy' }, DefaultActions: FORWARD }) }, { Parameters: { Policy: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', location: 'SslPolicy', message: expect.stringContaining('parameter Policy') }]);
    });

    it('a forwarding rule on a listener that cannot be resolved is unverifiable', () => {
      const t = template(
        { R: { Type: 'AWS::ElasticLoadBalancingV2::ListenerRule', Properties: { ListenerArn: { Ref: 'ListenerArn' }, Priority: 1, Conditions: [], Actions: FORWARD } } },
        { Parameters: { ListenerArn: { Type: 'String' } } },
      );
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', location: 'ListenerArn' }]);
    });

    it('odd shapes never throw', () => {
      for (const props of [{ Protocol: 7 }, { Protocol: 'HTTP', DefaultActions: 'x' }, { Protocol: 'HTTP', DefaultActions: [null] }, { Protocol: ['HTTPS'] }]) {
        const fs = findings(template({ L: listener(props) }), RULE);
        expect(fs.length, JSON.stringify(props)).toBeGreaterThan(0);
        for (const f of fs) expect(f.message).not.toContain('could not read');
      }
    });
  });
});
