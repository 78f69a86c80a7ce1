import { App, Stack } from 'aws-cdk-lib';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';

const RULE = 'OpenSearchEncryptsInTransit';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const GOOD = {
  NodeToNodeEncryptionOptions: { Enabled: true },
  DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-PFS-2023-10' },
};

function domain(type: string, props: Record<string, unknown>, extra: Record<string, unknown> = COND) {
  return template({ D: { Type: type, Properties: props } }, extra);
}

describe('SRM-IIP-COM-04: search domains encrypt node-to-node traffic and enforce HTTPS with TLS 1.2+', () => {
  it('is exported from the package root, with its judgement', () => {
    expect(kit.OpenSearchEncryptsInTransit.controlId).toBe('SRM-IIP-COM-04');
    expect(kit.COMMUNICATION_RULES).toContain(kit.OpenSearchEncryptsInTransit);
    expect(kit.isModernOpenSearchTlsPolicy('Policy-Min-TLS-1-2-2019-07')).toBe(true);
    expect(kit.isModernOpenSearchTlsPolicy(kit.OPENSEARCH_DEFAULT_TLS_POLICY)).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 domain with the defaults (no node-to-node encryption, HTTP allowed)', () => {
      const stack = new Stack(new App(), 'S');
      new opensearch.Domain(stack, 'Search', { version: opensearch.EngineVersion.OPENSEARCH_2_11 });
      const fs = findingsForApp(stack, RULE);
      expect(fs.map((f) => f.location).sort()).toEqual(expect.arrayContaining(['DomainEndpointOptions.EnforceHTTPS', 'NodeToNodeEncryptionOptions.Enabled']));
      expect(fs.every((f) => f.controlId === 'SRM-IIP-COM-04' && f.ruleId === RULE && f.kind === 'violation')).toBe(true);
    });

    it('2: an L1 Elasticsearch domain without any transit settings', () => {
      const fs = findings(domain('AWS::Elasticsearch::Domain', {}), RULE);
      expect(fs.map((f) => f.location).sort()).toEqual(['DomainEndpointOptions.EnforceHTTPS', 'DomainEndpointOptions.TLSSecurityPolicy', 'NodeToNodeEncryptionOptions.Enabled']);
      expect(fs.find((f) => f.location === 'DomainEndpointOptions.TLSSecurityPolicy')!.message).toContain('Policy-Min-TLS-1-0-2019-07');
    });

    it('3: one Fn::If branch turns node-to-node encryption off', () => {
      const t = domain('AWS::OpenSearchService::Domain', { ...GOOD, NodeToNodeEncryptionOptions: { Enabled: { 'Fn::If': ['Prod', true, false] } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', location: 'NodeToNodeEncryptionOptions.Enabled' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 domain with node-to-node encryption, HTTPS enforced and TLS 1.2', () => {
      const stack = new Stack(new App(), 'S');
      new opensearch.Domain(stack, 'Search', {
        version: opensearch.EngineVersion.OPENSEARCH_2_11,
        nodeToNodeEncryption: true,
        enforceHttps: true,
        tlsSecurityPolicy: opensearch.TLSSecurityPolicy.TLS_1_2,
        encryptionAtRest: { enabled: true },
      });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('every Fn::If branch passes', () => {
      const t = domain('AWS::OpenSearchService::Domain', { ...GOOD, DomainEndpointOptions: { EnforceHTTPS: { 'Fn::If': ['Prod', true, 'true'] }, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-2019-07' } });
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('an EnforceHTTPS parameter is unverifiable', () => {
      const t = domain('AWS::OpenSearchService::Domain', { ...GOOD, DomainEndpointOptions: { EnforceHTTPS: { Ref: 'Https' }, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-2019-07' } }, { Parameters: { Https: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Https') }]);
    });
  });
});
