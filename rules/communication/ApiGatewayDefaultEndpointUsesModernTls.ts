import { SrmIipRule } from '../engine/rule';
import { describe, expectBool, judgeAll, stringOf } from '../engine/values';
import { judgeApiGatewaySecurityPolicy } from './ApiGatewayDomainsUseModernTls';

/** Whether an endpoint-types list is private only: private REST APIs default to TLS_1_2. */
export function isPrivateOnlyEndpoint(types: readonly string[]): boolean {
  return types.length > 0 && types.every((t) => t.toUpperCase() === 'PRIVATE');
}

/**
 * SRM-IIP-COM-02: the default `execute-api` endpoint of a REST API is an
 * entry point too. Regional and edge-optimized REST APIs accept TLS 1.0 there
 * unless the API sets a TLS 1.2+ `SecurityPolicy` or switches the endpoint
 * off (`DisableExecuteApiEndpoint`, the usual choice when a custom domain
 * with TLS_1_2 fronts the API).
 */
export const ApiGatewayDefaultEndpointUsesModernTls: SrmIipRule = {
  id: 'ApiGatewayDefaultEndpointUsesModernTls',
  controlId: 'SRM-IIP-COM-02',
  summary: 'REST APIs either disable the default execute-api endpoint or set a TLS 1.2+ security policy on it',
  resourceTypes: ['AWS::ApiGateway::RestApi'],
  check(r) {
    const resolver = r.stack.resolver;
    const types = resolver.get(r, 'EndpointConfiguration', 'Types');
    const typeLists = types.map((t) => (t.kind === 'value' ? resolver.items(r.stack, [t]).map((x) => (x.kind === 'value' ? stringOf(x) ?? '' : '?')) : undefined));
    const privateOnly = typeLists.length > 0 && typeLists.every((l) => l !== undefined && isPrivateOnlyEndpoint(l));
    const typesUnknown = types.find((t) => t.kind === 'unknown' || t.kind === 'ref');
    const policy = resolver.get(r, 'SecurityPolicy');
    const policyAbsent = policy.every((p) => p.kind === 'absent');
    if (privateOnly && policyAbsent) return [];
    let issues = judgeApiGatewaySecurityPolicy(
      r,
      policy,
      'SecurityPolicy',
      'the default execute-api endpoint accepts TLS 1.0: SecurityPolicy is not set (regional and edge-optimized REST APIs default to TLS_1_0); set DisableExecuteApiEndpoint: true and serve the API through a custom domain with TLS_1_2, or set SecurityPolicy to TLS_1_2',
    );
    if (issues.length === 0) return [];
    if (policyAbsent && typesUnknown) {
      // A private-only API would default to TLS_1_2: the endpoint type decides.
      issues = [{ resource: r, kind: 'unverifiable', location: 'EndpointConfiguration.Types', message: `cannot verify the TLS policy of the default endpoint: SecurityPolicy is not set and the endpoint type is ${describe(typesUnknown)} (only private APIs default to TLS_1_2)` }];
    }
    const disabled = judgeAll(resolver.get(r, 'DisableExecuteApiEndpoint'), (a) => expectBool(a, true, false));
    if (disabled.verdict === 'pass') return [];
    if (disabled.verdict === 'unknown') {
      return [{ resource: r, kind: 'unverifiable', location: 'DisableExecuteApiEndpoint', message: `cannot verify DisableExecuteApiEndpoint: its value is ${describe(disabled.culprit!)}, and the default endpoint would otherwise accept TLS 1.0` }];
    }
    return issues;
  },
};
