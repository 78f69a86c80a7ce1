import type { ResourceHandle } from '../engine/model';
import { checkProperty, RuleIssue, SrmIipRule } from '../engine/rule';
import { describe, expectBool, stringOf, Verdict } from '../engine/values';

/** ElastiCache transit-encryption mode that refuses plaintext clients (`preferred` accepts both during a migration). */
export function isRequiredTransitEncryptionMode(mode: string): boolean {
  return mode.toLowerCase() === 'required';
}

/**
 * SRM-IIP-COM-04: ElastiCache replication groups and cache clusters, and
 * MemoryDB clusters, encrypt client and replication traffic. ElastiCache
 * Serverless always uses TLS and is not applicable. A standalone Redis
 * `AWS::ElastiCache::CacheCluster` cannot enable transit encryption at all;
 * it is reported with that reason.
 */
export const CachesEncryptInTransit: SrmIipRule = {
  id: 'CachesEncryptInTransit',
  controlId: 'SRM-IIP-COM-04',
  summary: 'ElastiCache replication groups and cache clusters enable transit encryption in required mode; MemoryDB keeps TLS on',
  resourceTypes: ['AWS::ElastiCache::ReplicationGroup', 'AWS::ElastiCache::CacheCluster', 'AWS::MemoryDB::Cluster'],
  check(r) {
    if (r.type === 'AWS::MemoryDB::Cluster') {
      return checkProperty(r, ['TLSEnabled'], (a) => expectBool(a, true, true), (a) => `TLSEnabled is ${describe(a)}: clients reach the cluster in plaintext; remove it or set true`);
    }
    const issues: RuleIssue[] = checkProperty(r, ['TransitEncryptionEnabled'], (a) => expectBool(a, true, false), (a) => transitMessage(r, a.kind === 'absent' ? 'not set (ElastiCache defaults to off)' : describe(a)));
    if (r.type === 'AWS::ElastiCache::ReplicationGroup') {
      issues.push(
        ...checkProperty(
          r,
          ['TransitEncryptionMode'],
          (a): Verdict => {
            if (a.kind === 'absent') return 'pass'; // with encryption on, the mode defaults to required
            if (a.kind !== 'value') return 'unknown';
            const s = stringOf(a);
            return s !== undefined && isRequiredTransitEncryptionMode(s) ? 'pass' : 'fail';
          },
          (a) => `TransitEncryptionMode is ${describe(a)}: the cache still accepts plaintext connections; set required once clients use TLS`,
        ),
      );
    }
    return issues;
  },
};

function transitMessage(r: ResourceHandle, what: string): string {
  if (r.type === 'AWS::ElastiCache::CacheCluster') {
    const engines = r.stack.resolver.get(r, 'Engine').map((e) => (stringOf(e) ?? '').toLowerCase());
    if (engines.some((e) => e === 'redis' || e === 'valkey')) {
      return `TransitEncryptionEnabled is ${what}: a standalone ${engines.join('/')} cache cluster carries traffic in plaintext and cannot enable transit encryption; use an AWS::ElastiCache::ReplicationGroup with TransitEncryptionEnabled true`;
    }
  }
  return `TransitEncryptionEnabled is ${what}: clients and replicas exchange data in plaintext; set true`;
}
