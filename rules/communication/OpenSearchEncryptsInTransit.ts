import { checkProperty, SrmIipRule } from '../engine/rule';
import { describe, expectBool, stringOf, Verdict } from '../engine/values';

/** What OpenSearch applies when a domain sets no TLSSecurityPolicy: it accepts TLS 1.0. */
export const OPENSEARCH_DEFAULT_TLS_POLICY = 'Policy-Min-TLS-1-0-2019-07';

/** An OpenSearch/Elasticsearch endpoint TLS policy with minimum TLS 1.2 (`Policy-Min-TLS-1-2-2019-07`, `Policy-Min-TLS-1-2-PFS-2023-10`). */
export function isModernOpenSearchTlsPolicy(name: string): boolean {
  return /^Policy-Min-TLS-1-[23](-|$)/.test(name);
}

/**
 * SRM-IIP-COM-04: OpenSearch and Elasticsearch domains encrypt traffic
 * between nodes and accept HTTPS only, with TLS 1.2 or newer.
 */
export const OpenSearchEncryptsInTransit: SrmIipRule = {
  id: 'OpenSearchEncryptsInTransit',
  controlId: 'SRM-IIP-COM-04',
  summary: 'OpenSearch/Elasticsearch domains enable node-to-node encryption and enforce HTTPS with a TLS 1.2+ policy',
  resourceTypes: ['AWS::OpenSearchService::Domain', 'AWS::Elasticsearch::Domain'],
  check(r) {
    return [
      ...checkProperty(
        r,
        ['NodeToNodeEncryptionOptions', 'Enabled'],
        (a) => expectBool(a, true, false),
        (a) => `node-to-node encryption is off (NodeToNodeEncryptionOptions.Enabled is ${a.kind === 'absent' ? 'not set; the default is off' : describe(a)}): nodes exchange data in plaintext`,
      ),
      ...checkProperty(
        r,
        ['DomainEndpointOptions', 'EnforceHTTPS'],
        (a) => expectBool(a, true, false),
        (a) => `HTTPS is not enforced (DomainEndpointOptions.EnforceHTTPS is ${a.kind === 'absent' ? 'not set; the default is false' : describe(a)}): clients may send requests over plain HTTP`,
      ),
      ...checkProperty(
        r,
        ['DomainEndpointOptions', 'TLSSecurityPolicy'],
        (a): Verdict => {
          if (a.kind === 'absent') return 'fail';
          if (a.kind !== 'value') return 'unknown';
          const s = stringOf(a);
          return s !== undefined && isModernOpenSearchTlsPolicy(s) ? 'pass' : 'fail';
        },
        (a) =>
          a.kind === 'absent'
            ? `DomainEndpointOptions.TLSSecurityPolicy is not set, so the domain uses ${OPENSEARCH_DEFAULT_TLS_POLICY}, which accepts TLS 1.0; set Policy-Min-TLS-1-2-PFS-2023-10`
            : `DomainEndpointOptions.TLSSecurityPolicy is ${describe(a)}, which accepts TLS older than 1.2; set Policy-Min-TLS-1-2-PFS-2023-10`,
      ),
    ];
  },
};
