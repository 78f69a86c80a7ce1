import { App, Stack } from 'aws-cdk-lib';
import * as iot from 'aws-cdk-lib/aws-iot';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';

const RULE = 'IotDomainConfigurationsUseModernTls';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

function domain(props: Record<string, unknown>, extra: Record<string, unknown> = COND) {
  return template({ D: { Type: 'AWS::IoT::DomainConfiguration', Properties: { DomainConfigurationName: 'd', ...props } } }, extra);
}

describe('SRM-IIP-COM-03: device endpoints accept TLS 1.2 or newer only', () => {
  it('is exported from the package root, with its judgement', () => {
    expect(kit.IotDomainConfigurationsUseModernTls.controlId).toBe('SRM-IIP-COM-03');
    expect(kit.COMMUNICATION_RULES).toContain(kit.IotDomainConfigurationsUseModernTls);
    for (const ok of ['IoTSecurityPolicy_TLS13_1_3_2022_10', 'IoTSecurityPolicy_TLS13_1_2_2022_10', 'IoTSecurityPolicy_TLS12_1_2_2022_10', kit.IOT_DEFAULT_SECURITY_POLICY]) expect(kit.isModernIotSecurityPolicy(ok), ok).toBe(true);
    for (const bad of ['IoTSecurityPolicy_TLS12_1_0_2016_01', 'IoTSecurityPolicy_TLS12_1_0_2015_01']) expect(kit.isModernIotSecurityPolicy(bad), bad).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L1 construct (CfnDomainConfiguration) with a TLS 1.0 policy', () => {
      const stack = new Stack(new App(), 'S');
      new iot.CfnDomainConfiguration(stack, 'Domain', { domainConfigurationName: 'plant', tlsConfig: { securityPolicy: 'IoTSecurityPolicy_TLS12_1_0_2016_01' } });
      expect(findingsForApp(stack, RULE)).toMatchObject([
        { controlId: 'SRM-IIP-COM-03', ruleId: RULE, kind: 'violation', location: 'TlsConfig.SecurityPolicy', message: expect.stringContaining('IoTSecurityPolicy_TLS12_1_0_2016_01') },
      ]);
    });

    it('2: one Fn::If branch uses the 2015 policy', () => {
      const t = domain({ TlsConfig: { SecurityPolicy: { 'Fn::If': ['Prod', 'IoTSecurityPolicy_TLS13_1_3_2022_10', 'IoTSecurityPolicy_TLS12_1_0_2015_01'] } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('an L1 construct with the TLS 1.3 policy', () => {
      const stack = new Stack(new App(), 'S');
      new iot.CfnDomainConfiguration(stack, 'Domain', { domainConfigurationName: 'plant', tlsConfig: { securityPolicy: 'IoTSecurityPolicy_TLS13_1_3_2022_10' } });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('no TlsConfig: the service default IoTSecurityPolicy_TLS13_1_2_2022_10 applies', () => {
      expect(findings(domain({}), RULE)).toEqual([]);
    });

    it('every Fn::If branch is modern', () => {
      expect(findings(domain({ TlsConfig: { SecurityPolicy: { 'Fn::If': ['Prod', 'IoTSecurityPolicy_TLS13_1_3_2022_10', 'IoTSecurityPolicy_TLS12_1_2_2022_10'] } } }), RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a policy from a parameter is unverifiable', () => {
      const t = domain({ TlsConfig: { SecurityPolicy: { Ref: 'P' } } }, { Parameters: { P: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter P') }]);
    });
  });
});
