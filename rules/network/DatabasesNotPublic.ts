import type { ResourceHandle } from '../engine/model';
import { judgeAlts, RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, boolOf, describe, stringOf, Verdict } from '../engine/values';
import { combinations } from './network-model';

/** Which DB subnet group a database names: none, the account's `default` group, or a named one. */
export type SubnetGroupChoice = 'none' | 'default' | 'named';

/** Whether an engine name is an Aurora engine (`aurora-mysql`, `aurora-postgresql`, `aurora`). */
export function isAuroraEngine(engine: string): boolean {
  return engine.trim().toLowerCase().startsWith('aurora');
}

/**
 * What RDS does when `PubliclyAccessible` is not set: without a DB subnet
 * group a DB instance is public unless it is Aurora (a Multi-AZ DB cluster
 * is public); with the `default` subnet group it is public; with a named
 * subnet group it is private.
 */
export function rdsPublicByDefault(kind: 'instance' | 'cluster', aurora: boolean, subnetGroup: SubnetGroupChoice): boolean {
  if (subnetGroup === 'default') return true;
  if (subnetGroup === 'named') return false;
  return kind === 'cluster' ? true : !aurora;
}

/** The service default of `PubliclyAccessible` per resource type, where it does not depend on other properties. */
export const PUBLICLY_ACCESSIBLE_DEFAULT: Readonly<Record<string, boolean>> = {
  'AWS::Redshift::Cluster': false,
  'AWS::DMS::ReplicationInstance': true,
};

function subnetGroupChoice(a: Alt): SubnetGroupChoice | undefined {
  if (a.kind === 'absent') return 'none';
  if (a.kind === 'ref') return 'named';
  const s = stringOf(a);
  if (s === undefined) return undefined;
  return s.trim().toLowerCase() === 'default' ? 'default' : 'named';
}

/** Judge an unset PubliclyAccessible of an RDS instance or Multi-AZ cluster from its engine and subnet group. */
function rdsDefault(r: ResourceHandle): { verdict: Verdict; why: string } {
  const kind = r.type === 'AWS::RDS::DBCluster' ? 'cluster' : 'instance';
  const resolver = r.stack.resolver;
  const engines = resolver.get(r, 'Engine');
  // An Aurora cluster has no PubliclyAccessible: its instances carry it.
  if (kind === 'cluster' && engines.every((e) => stringOf(e) !== undefined && isAuroraEngine(stringOf(e)!))) return { verdict: 'pass', why: '' };
  // A DB instance of a cluster is Aurora (or belongs to a Multi-AZ cluster that decides for it).
  const inCluster = kind === 'instance' && resolver.get(r, 'DBClusterIdentifier').some((a) => a.kind !== 'absent');
  let unknownWhy: string | undefined;
  for (const [e, g] of combinations<Alt>([engines, resolver.get(r, 'DBSubnetGroupName')])) {
    const choice = subnetGroupChoice(g);
    const engine = stringOf(e);
    if (choice === undefined) {
      unknownWhy ??= `DBSubnetGroupName is ${describe(g)}`;
      continue;
    }
    if (engine === undefined && choice === 'none' && !inCluster) {
      unknownWhy ??= `Engine is ${describe(e)}`;
      continue;
    }
    const aurora = inCluster || (engine !== undefined && isAuroraEngine(engine));
    if (rdsPublicByDefault(kind, aurora, choice)) {
      const why =
        choice === 'default'
          ? "with the 'default' DB subnet group RDS makes it publicly accessible"
          : kind === 'cluster'
            ? 'without a DB subnet group RDS makes a Multi-AZ DB cluster publicly accessible'
            : `without a DB subnet group RDS makes a non-Aurora DB instance (engine ${engine}) publicly accessible`;
      return { verdict: 'fail', why };
    }
  }
  return unknownWhy ? { verdict: 'unknown', why: unknownWhy } : { verdict: 'pass', why: '' };
}

/**
 * SRM-IIP-NET-03: databases and replication instances are not publicly
 * accessible. RDS DB instances and Multi-AZ DB clusters, Redshift clusters
 * and DMS replication instances must not set `PubliclyAccessible` to true;
 * where it is not set, the service default decides (DMS: public; RDS: see
 * `rdsPublicByDefault`; Redshift: private).
 */
export const DatabasesNotPublic: SrmIipRule = {
  id: 'DatabasesNotPublic',
  controlId: 'SRM-IIP-NET-03',
  summary: 'RDS, Redshift and DMS resources are not publicly accessible',
  resourceTypes: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::Redshift::Cluster', 'AWS::DMS::ReplicationInstance'],
  check(r) {
    const isRds = r.type.startsWith('AWS::RDS::');
    const rds = isRds ? rdsDefault(r) : undefined;
    const alts = r.stack.resolver.get(r, 'PubliclyAccessible');
    const issues: RuleIssue[] = judgeAlts(
      r,
      alts,
      'PubliclyAccessible',
      (a): Verdict => {
        if (a.kind === 'absent') {
          if (rds) return rds.verdict === 'unknown' ? 'pass' : rds.verdict;
          return PUBLICLY_ACCESSIBLE_DEFAULT[r.type] ? 'fail' : 'pass';
        }
        const b = boolOf(a);
        if (b === undefined) return a.kind === 'value' ? 'fail' : 'unknown';
        return b ? 'fail' : 'pass';
      },
      (a) =>
        a.kind === 'absent'
          ? `PubliclyAccessible is not set, and ${rds ? rds.why : 'the service default is publicly accessible'}; set it to false`
          : `the ${r.type.split('::')[1]} resource is publicly accessible (PubliclyAccessible ${describe(a)}); set it to false`,
    );
    // An unset value whose default cannot be decided is reported with what blocked the decision.
    if (issues.length === 0 && rds?.verdict === 'unknown' && alts.some((a) => a.kind === 'absent')) {
      issues.push({
        resource: r,
        kind: 'unverifiable',
        location: 'PubliclyAccessible',
        message: `cannot verify PubliclyAccessible: it is not set, and the RDS default depends on ${rds.why}`,
      });
    }
    return issues;
  },
};
