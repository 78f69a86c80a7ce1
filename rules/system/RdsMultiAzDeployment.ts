import type { AppModel, ResourceHandle } from '../engine/model';
import { judgeAlts, RuleIssue, SrmIipRule } from '../engine/rule';
import { describe, expectBool, stringOf } from '../engine/values';
import { where } from './support';
import { perApp } from '../engine/cache';

/** Whether an Aurora cluster with this many DB instances keeps serving when one zone fails. */
export function survivesZoneLoss(instanceCount: number): boolean {
  return instanceCount >= 2;
}

interface Members {
  /** Instances that always exist and always belong to the cluster. */
  always: number;
  /** Instances that may belong to it (a Condition or an Fn::If decides). */
  maybe: number;
}

/** Members of each DB cluster of the app: DB instances whose DBClusterIdentifier points at it (by reference or by name). */
const clusterMembers = perApp((app: AppModel): Map<ResourceHandle, Members> => {
  const idx: Map<ResourceHandle, Members> = new Map();
  const byName = new Map<string, ResourceHandle>();
  for (const c of app.resourcesOfType('AWS::RDS::DBCluster')) {
    idx.set(c, { always: 0, maybe: 0 });
    for (const n of c.stack.resolver.get(c, 'DBClusterIdentifier')) {
      const s = stringOf(n);
      if (s !== undefined) byName.set(s.toLowerCase(), c);
    }
  }
  for (const i of app.resourcesOfType('AWS::RDS::DBInstance')) {
    const exists = i.stack.resolver.exists(i);
    if (exists === 'never') continue;
    const alts = i.stack.resolver.get(i, 'DBClusterIdentifier');
    const clusters = new Set<ResourceHandle>();
    for (const a of alts) {
      const c = a.kind === 'ref' ? app.resource(a.stack, a.logicalId) : stringOf(a) !== undefined ? byName.get(stringOf(a)!.toLowerCase()) : undefined;
      if (c?.type === 'AWS::RDS::DBCluster') clusters.add(c);
    }
    const certain = exists === 'always' && alts.length === 1 && clusters.size === 1;
    for (const c of clusters) {
      const m = idx.get(c)!;
      if (certain) m.always++;
      else m.maybe++;
    }
  }
  return idx;
});

/**
 * SRM-IIP-SYS-07 for databases: an RDS DB instance is Multi-AZ
 * (`MultiAZ: true`; absent means single-AZ). An instance that belongs to a
 * DB cluster is judged through its cluster: an Aurora cluster needs at
 * least two DB instances in the app (a writer and a replica in another
 * zone to fail over to); a Multi-AZ DB cluster (`DBClusterInstanceClass`)
 * spans three zones by design.
 */
export const RdsMultiAzDeployment: SrmIipRule = {
  id: 'RdsMultiAzDeployment',
  controlId: 'SRM-IIP-SYS-07',
  summary: 'RDS DB instances are Multi-AZ, and Aurora clusters have at least two DB instances',
  resourceTypes: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
  check(r) {
    const resolver = r.stack.resolver;
    if (r.type === 'AWS::RDS::DBInstance') {
      if (resolver.get(r, 'DBClusterIdentifier').every((a) => a.kind !== 'absent')) return [];
      return judgeAlts(
        r,
        resolver.get(r, 'MultiAZ'),
        'MultiAZ',
        (a) => expectBool(a, true, false),
        (a) => (a.kind === 'absent' ? 'MultiAZ is not set: RDS runs the instance in a single availability zone' : `MultiAZ is ${describe(a)}: the instance runs in a single availability zone`),
      );
    }
    if (resolver.get(r, 'DBClusterInstanceClass').every((a) => a.kind !== 'absent')) return [];
    const m = clusterMembers(r.stack.app).get(r) ?? { always: 0, maybe: 0 };
    if (survivesZoneLoss(m.always)) return [];
    const serverless = resolver.get(r, 'EngineMode').some((a) => stringOf(a) === 'serverless');
    const issues: RuleIssue[] = [];
    if (survivesZoneLoss(m.always + m.maybe)) {
      issues.push({
        resource: r,
        kind: 'unverifiable',
        message: `cannot verify that the cluster survives the loss of a zone: ${m.always} DB instance(s) always belong to it and ${m.maybe} more only under a condition`,
      });
    } else {
      issues.push({
        resource: r,
        kind: 'violation',
        message: serverless
          ? 'the cluster is Aurora Serverless v1 (EngineMode serverless): its single compute node runs in one zone and is only recreated elsewhere after a failure; use provisioned or Serverless v2 instances in two zones'
          : `the cluster ${where(r)} has ${m.always + m.maybe} DB instance(s) in the app: it needs at least two (a writer and a replica in another zone) to survive the loss of a zone`,
      });
    }
    return issues;
  },
};
