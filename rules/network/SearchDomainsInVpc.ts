import { RuleIssue, SrmIipRule } from '../engine/rule';
import { describe } from '../engine/values';

/** A search domain is private only when it is placed in subnets of a VPC; without VPC options it gets a public endpoint. */
export function searchDomainIsPrivate(vpcSubnetCount: number): boolean {
  return vpcSubnetCount > 0;
}

/**
 * SRM-IIP-NET-03: OpenSearch and Elasticsearch domains are not reachable from
 * the internet. A domain without `VPCOptions.SubnetIds` gets a public
 * endpoint (access then depends on its access policy alone).
 */
export const SearchDomainsInVpc: SrmIipRule = {
  id: 'SearchDomainsInVpc',
  controlId: 'SRM-IIP-NET-03',
  summary: 'OpenSearch and Elasticsearch domains are placed in a VPC, without a public endpoint',
  resourceTypes: ['AWS::OpenSearchService::Domain', 'AWS::Elasticsearch::Domain'],
  check(r) {
    const resolver = r.stack.resolver;
    const issues: RuleIssue[] = [];
    for (const opts of resolver.get(r, 'VPCOptions')) {
      if (opts.kind === 'absent') {
        issues.push({ resource: r, kind: 'violation', location: 'VPCOptions', message: 'domain has no VPCOptions, so it gets a public endpoint reachable from the internet; place it in VPC subnets' });
        continue;
      }
      if (opts.kind !== 'value') {
        issues.push({ resource: r, kind: 'unverifiable', location: 'VPCOptions', message: `cannot verify VPCOptions: its value is ${describe(opts)}` });
        continue;
      }
      for (const b of resolver.branches(r.stack, resolver.path(r.stack, [opts], ['SubnetIds']))) {
        if (b.kind === 'list') {
          if (!searchDomainIsPrivate(b.elements.length)) {
            issues.push({ resource: r, kind: 'violation', location: 'VPCOptions.SubnetIds', message: 'domain VPCOptions names no subnets, so the domain gets a public endpoint; list the VPC subnets it lives in' });
          }
        } else if (b.alt.kind === 'absent') {
          issues.push({ resource: r, kind: 'violation', location: 'VPCOptions.SubnetIds', message: 'domain VPCOptions has no SubnetIds, so the domain gets a public endpoint; list the VPC subnets it lives in' });
        } else {
          issues.push({ resource: r, kind: 'unverifiable', location: 'VPCOptions.SubnetIds', message: `cannot verify VPCOptions.SubnetIds: its value is ${describe(b.alt)}` });
        }
      }
    }
    return dedupe(issues);
  },
};

function dedupe(issues: RuleIssue[]): RuleIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => !seen.has(i.message) && (seen.add(i.message), true));
}
