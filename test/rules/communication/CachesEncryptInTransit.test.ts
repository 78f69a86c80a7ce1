import { App, Stack } from 'aws-cdk-lib';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';

const RULE = 'CachesEncryptInTransit';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

function group(props: Record<string, unknown>, extra: Record<string, unknown> = COND) {
  return template({ G: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { ReplicationGroupDescription: 'g', Engine: 'redis', CacheNodeType: 'cache.t4g.small', ...props } } }, extra);
}

describe('SRM-IIP-COM-04: caches encrypt client and replication traffic', () => {
  it('is exported from the package root, with its judgement', () => {
    expect(kit.CachesEncryptInTransit.controlId).toBe('SRM-IIP-COM-04');
    expect(kit.COMMUNICATION_RULES).toContain(kit.CachesEncryptInTransit);
    expect(kit.isRequiredTransitEncryptionMode('required')).toBe(true);
    expect(kit.isRequiredTransitEncryptionMode('preferred')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: a CDK CfnReplicationGroup without transit encryption (the default is off)', () => {
      const stack = new Stack(new App(), 'S');
      new elasticache.CfnReplicationGroup(stack, 'Cache', { replicationGroupDescription: 'plant cache', engine: 'redis', cacheNodeType: 'cache.t4g.small' });
      expect(findingsForApp(stack, RULE)).toMatchObject([
        { controlId: 'SRM-IIP-COM-04', ruleId: RULE, kind: 'violation', location: 'TransitEncryptionEnabled', message: expect.stringContaining('defaults to off') },
      ]);
    });

    it('2: transit encryption in preferred mode still accepts plaintext', () => {
      expect(findings(group({ TransitEncryptionEnabled: true, TransitEncryptionMode: 'preferred' }), RULE)).toMatchObject([{ kind: 'violation', location: 'TransitEncryptionMode' }]);
    });

    it('3: a standalone Redis cache cluster cannot encrypt in transit; a MemoryDB cluster with TLS off', () => {
      const t = template({
        C: { Type: 'AWS::ElastiCache::CacheCluster', Properties: { Engine: 'redis', CacheNodeType: 'cache.t4g.small', NumCacheNodes: 1 } },
        M: { Type: 'AWS::MemoryDB::Cluster', Properties: { ClusterName: 'm', NodeType: 'db.t4g.small', ACLName: 'open-access', TLSEnabled: false } },
      });
      const fs = findings(t, RULE);
      expect(fs.find((f) => f.logicalId === 'C')!.message).toContain('use an AWS::ElastiCache::ReplicationGroup');
      expect(fs.find((f) => f.logicalId === 'M')).toMatchObject({ kind: 'violation', location: 'TLSEnabled' });
    });

    it('4: one Fn::If branch turns transit encryption off', () => {
      expect(findings(group({ TransitEncryptionEnabled: { 'Fn::If': ['Prod', true, false] } }), RULE)).toMatchObject([{ kind: 'violation', location: 'TransitEncryptionEnabled' }]);
    });
  });

  describe('Compliance', () => {
    it('a CDK CfnReplicationGroup with transit encryption required', () => {
      const stack = new Stack(new App(), 'S');
      new elasticache.CfnReplicationGroup(stack, 'Cache', { replicationGroupDescription: 'plant cache', engine: 'redis', cacheNodeType: 'cache.t4g.small', transitEncryptionEnabled: true, transitEncryptionMode: 'required' });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('every Fn::If branch encrypts; memcached cluster with TLS; MemoryDB default (TLS on)', () => {
      const t = template(
        {
          G: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { ReplicationGroupDescription: 'g', TransitEncryptionEnabled: { 'Fn::If': ['Prod', true, 'true'] } } },
          C: { Type: 'AWS::ElastiCache::CacheCluster', Properties: { Engine: 'memcached', CacheNodeType: 'cache.t4g.small', NumCacheNodes: 1, TransitEncryptionEnabled: true } },
          M: { Type: 'AWS::MemoryDB::Cluster', Properties: { ClusterName: 'm', NodeType: 'db.t4g.small', ACLName: 'acl' } },
        },
        COND,
      );
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a TransitEncryptionEnabled parameter is unverifiable', () => {
      expect(findings(group({ TransitEncryptionEnabled: { Ref: 'Tls' } }, { Parameters: { Tls: { Type: 'String' } } }), RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Tls') }]);
    });
  });
});
