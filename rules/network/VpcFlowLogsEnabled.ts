import type { AppModel, ResourceHandle } from '../engine/model';
import { RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, stringOf } from '../engine/values';
import { perApp } from '../engine/cache';

/** The only traffic type that records both accepted and rejected flows. */
export function isAllTrafficType(trafficType: string | undefined): boolean {
  return trafficType === 'ALL';
}

/** Flow log `ResourceType` that covers a whole VPC (subnet or ENI flow logs do not count). */
export function isVpcFlowLogResourceType(resourceType: string | undefined): boolean {
  return resourceType === 'VPC';
}

type Verdict = { verdict: 'pass' } | { verdict: 'fail' | 'unknown'; reason: string };

interface FlowLogIndex {
  /** Flow logs whose ResourceId may point at the VPC, by VPC key. */
  readonly byVpc: Map<string, ResourceHandle[]>;
  /** Flow logs whose ResourceId cannot be resolved, with the reason: they may point at any VPC. */
  readonly unresolved: Array<{ flowLog: ResourceHandle; reason: string }>;
}

const key = (stack: string, logicalId: string) => `${stack}\u0000${logicalId}`;
const where = (r: ResourceHandle) => `${r.logicalId} in stack ${r.stack.name}`;

/** A Ref or `Fn::GetAtt VpcId` to a VPC of the app: the forms a flow log's ResourceId takes. */
function vpcKeyOf(app: AppModel, a: Alt): string | undefined {
  if (a.kind !== 'ref' || (a.attribute !== undefined && a.attribute !== 'VpcId')) return undefined;
  return app.resource(a.stack, a.logicalId)?.type === 'AWS::EC2::VPC' ? key(a.stack, a.logicalId) : undefined;
}

const index = perApp((app: AppModel): FlowLogIndex => {
  const idx: FlowLogIndex = { byVpc: new Map(), unresolved: [] };
  for (const fl of app.resourcesOfType('AWS::EC2::FlowLog')) {
    const resolver = fl.stack.resolver;
    if (resolver.exists(fl) === 'never') continue;
    const ids = resolver.get(fl, 'ResourceId');
    const hits = new Set<string>();
    let unresolved: Alt | undefined;
    for (const a of ids) {
      const k = vpcKeyOf(app, a);
      if (k) hits.add(k);
      else if (a.kind === 'unknown') unresolved ??= a;
    }
    for (const k of hits) {
      const list = idx.byVpc.get(k) ?? [];
      list.push(fl);
      idx.byVpc.set(k, list);
    }
    // A subnet/ENI/transit-gateway flow log is irrelevant; an unknown ResourceId of a flow log that may be VPC-level is not.
    const types = resolver.get(fl, 'ResourceType');
    const mayBeVpcLevel = types.some((t) => t.kind !== 'value' || isVpcFlowLogResourceType(stringOf(t)));
    if (unresolved && mayBeVpcLevel) idx.unresolved.push({ flowLog: fl, reason: `its ResourceId is ${describe(unresolved)}` });
  }
  return idx;
});

/** Does this flow log record ALL traffic of this VPC in every branch of the template? */
function judgeFlowLog(app: AppModel, fl: ResourceHandle, vpcKey: string): Verdict {
  const resolver = fl.stack.resolver;
  const failures: string[] = [];
  let unknownReason: string | undefined;

  for (const a of resolver.get(fl, 'ResourceId')) {
    if (vpcKeyOf(app, a) === vpcKey) continue;
    if (a.kind === 'unknown') unknownReason ??= `its ResourceId may be ${describe(a)}`;
    else failures.push(`its ResourceId is ${describe(a)} in another branch of Fn::If`);
  }
  for (const a of resolver.get(fl, 'ResourceType')) {
    if (a.kind === 'unknown' || a.kind === 'ref') unknownReason ??= `its ResourceType is ${describe(a)}`;
    else if (!isVpcFlowLogResourceType(stringOf(a))) failures.push(`its ResourceType is ${describe(a)}, not 'VPC'`);
  }
  for (const a of resolver.get(fl, 'TrafficType')) {
    if (a.kind === 'unknown' || a.kind === 'ref') unknownReason ??= `its TrafficType is ${describe(a)}`;
    else if (a.kind === 'absent') failures.push('its TrafficType is not set (CloudFormation requires it for VPC flow logs)');
    else if (!isAllTrafficType(stringOf(a))) failures.push(`it records only ${describe(a)} traffic (TrafficType must be 'ALL')`);
  }
  if (failures.length > 0) return { verdict: 'fail', reason: [...new Set(failures)].join('; ') };
  if (resolver.exists(fl) === 'maybe') return { verdict: 'unknown', reason: `it only exists when condition ${fl.condition} holds` };
  if (unknownReason) return { verdict: 'unknown', reason: unknownReason };
  return { verdict: 'pass' };
}

/**
 * SRM-IIP-NET-05: each VPC is referenced by a VPC-level `AWS::EC2::FlowLog`
 * with `TrafficType: ALL`. Subnet-level flow logs do not count, even on every
 * subnet: a subnet added later would go unrecorded. The flow log may live in
 * another stack of the app (cross-stack references are followed).
 */
export const VpcFlowLogsEnabled: SrmIipRule = {
  id: 'VpcFlowLogsEnabled',
  controlId: 'SRM-IIP-NET-05',
  summary: 'Every VPC is referenced by a VPC-level flow log that records ALL traffic',
  resourceTypes: ['AWS::EC2::VPC'],
  check(vpc, ctx): RuleIssue[] {
    const idx = index(ctx.app);
    const vpcKey = key(vpc.stack.name, vpc.logicalId);
    const fails: string[] = [];
    const unknowns: string[] = [];
    for (const fl of idx.byVpc.get(vpcKey) ?? []) {
      const v = judgeFlowLog(ctx.app, fl, vpcKey);
      if (v.verdict === 'pass') return [];
      (v.verdict === 'fail' ? fails : unknowns).push(`flow log ${where(fl)}: ${v.reason}`);
    }
    const head = `VPC ${where(vpc)} has no AWS::EC2::FlowLog with ResourceType VPC and TrafficType ALL`;
    if (unknowns.length > 0) {
      return [{ resource: vpc, kind: 'unverifiable', message: `cannot verify that VPC ${where(vpc)} has a flow log recording ALL traffic: ${unknowns.join('; ')}` }];
    }
    if (fails.length > 0) return [{ resource: vpc, kind: 'violation', message: `${head} in every case: ${fails.join('; ')}` }];
    if (idx.unresolved.length > 0) {
      const u = idx.unresolved.slice(0, 3).map((x) => `flow log ${where(x.flowLog)} (${x.reason})`);
      return [{ resource: vpc, kind: 'unverifiable', message: `cannot verify that VPC ${where(vpc)} has a flow log: no flow log references it, but ${u.join('; ')} may` }];
    }
    return [{ resource: vpc, kind: 'violation', message: head }];
  },
};
