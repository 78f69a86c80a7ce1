import type { ResourceHandle } from '../engine/model';
import { RuleIssue, SrmIipRule, unverifiable } from '../engine/rule';
import { Alt, describe, judgeAll, stringOf, Verdict } from '../engine/values';

/**
 * An API Gateway security policy whose minimum protocol is TLS 1.2: the
 * legacy `TLS_1_2`, or an enhanced `SecurityPolicy_TLS12_*` /
 * `SecurityPolicy_TLS13_*` policy (all of them start at TLS 1.2 or 1.3).
 * `TLS_1_0` accepts TLS 1.0 and 1.1.
 */
export function isModernApiGatewaySecurityPolicy(name: string): boolean {
  return name.toUpperCase() === 'TLS_1_2' || /^SecurityPolicy_TLS1[23]_/.test(name);
}

const ABSENT_REASON =
  'so the minimum TLS version is left to the service default, which has changed over time (TLS_1_0 for older domain names); set TLS_1_2 or an enhanced SecurityPolicy_TLS13_* policy explicitly';

/** Judge a SecurityPolicy property; `where` names it in messages. */
export function judgeApiGatewaySecurityPolicy(r: ResourceHandle, alts: readonly Alt[], location: string, absentMessage: string): RuleIssue[] {
  const { verdict, culprit } = judgeAll(alts, (a): Verdict => {
    if (a.kind === 'absent') return 'fail';
    if (a.kind !== 'value') return 'unknown';
    const s = stringOf(a);
    return s !== undefined && isModernApiGatewaySecurityPolicy(s) ? 'pass' : 'fail';
  });
  if (verdict === 'pass') return [];
  if (verdict === 'unknown') return [unverifiable(r, location, culprit!)];
  return [
    {
      resource: r,
      kind: 'violation',
      location,
      message: culprit!.kind === 'absent' ? absentMessage : `${location} is ${describe(culprit!)}, which accepts TLS 1.0; use TLS_1_2 or an enhanced SecurityPolicy_TLS13_* policy`,
    },
  ];
}

/**
 * SRM-IIP-COM-02: API Gateway custom domain names (REST, private and
 * HTTP/WebSocket) set a TLS 1.2+ security policy.
 */
export const ApiGatewayDomainsUseModernTls: SrmIipRule = {
  id: 'ApiGatewayDomainsUseModernTls',
  controlId: 'SRM-IIP-COM-02',
  summary: 'API Gateway custom domain names set a TLS 1.2+ security policy (TLS_1_2 or an enhanced SecurityPolicy_TLS13_* policy)',
  resourceTypes: ['AWS::ApiGateway::DomainName', 'AWS::ApiGateway::DomainNameV2', 'AWS::ApiGatewayV2::DomainName'],
  check(r) {
    const resolver = r.stack.resolver;
    if (r.type !== 'AWS::ApiGatewayV2::DomainName') {
      return judgeApiGatewaySecurityPolicy(r, resolver.get(r, 'SecurityPolicy'), 'SecurityPolicy', `custom domain name sets no SecurityPolicy, ${ABSENT_REASON}`);
    }
    const configs = resolver.get(r, 'DomainNameConfigurations');
    const issues: RuleIssue[] = [];
    const items = resolver.items(r.stack, configs);
    for (const c of configs) {
      if (c.kind === 'absent' || (c.kind === 'value' && Array.isArray(c.value) && items.length === 0)) {
        issues.push({ resource: r, kind: 'violation', location: 'DomainNameConfigurations', message: `domain name has no DomainNameConfigurations with a SecurityPolicy, ${ABSENT_REASON}` });
      }
    }
    for (const item of items) {
      issues.push(
        ...judgeApiGatewaySecurityPolicy(r, resolver.path(r.stack, [item], ['SecurityPolicy']), 'DomainNameConfigurations.SecurityPolicy', `a domain name configuration sets no SecurityPolicy, ${ABSENT_REASON}`),
      );
    }
    const seen = new Set<string>();
    return issues.filter((i) => (seen.has(i.message) ? false : (seen.add(i.message), true)));
  },
};
