import { SrmIipRule, unverifiable } from '../engine/rule';
import type { StackModel } from '../engine/model';
import { Alt, boolOf, isPlainObject, stringOf } from '../engine/values';

/** The load balancer attribute that switches access logs on, and its value. */
export function isAccessLogAttribute(key: string, value: string): boolean {
  return key === 'access_logs.s3.enabled' && value.toLowerCase() === 'true';
}

/**
 * SRM-IIP-APP-05: Application Load Balancers write access logs to S3
 * (`LoadBalancerAttributes` `access_logs.s3.enabled` = `true`). Network and
 * gateway load balancers are not application endpoints and are not checked.
 */
export const LoadBalancersLogAccess: SrmIipRule = {
  id: 'LoadBalancersLogAccess',
  controlId: 'SRM-IIP-APP-05',
  summary: 'Application Load Balancers enable access logs (access_logs.s3.enabled = true)',
  resourceTypes: ['AWS::ElasticLoadBalancingV2::LoadBalancer'],
  check(r) {
    const resolver = r.stack.resolver;
    const types = resolver.get(r, 'Type').map((a) => (a.kind === 'absent' ? 'application' : a.kind === 'value' ? (stringOf(a) ?? '').toLowerCase() : undefined));
    if (types.every((t) => t !== undefined && t !== 'application')) return [];
    const location = 'LoadBalancerAttributes';
    let verdict: 'pass' | 'fail' | 'unknown' = 'pass';
    let culprit: Alt | undefined;
    for (const b of resolver.branches(r.stack, resolver.get(r, location))) {
      if (b.kind === 'other') {
        if (b.alt.kind === 'absent' || b.alt.kind === 'value') verdict = 'fail';
        else if (verdict === 'pass') {
          verdict = 'unknown';
          culprit = b.alt;
        }
        continue;
      }
      let best: 'pass' | 'fail' | 'unknown' = 'fail';
      for (const el of b.elements) {
        const vs = el.map((a) => attributeEnables(r.stack, a));
        if (vs.every((v) => v.verdict === 'pass')) {
          best = 'pass';
          break;
        }
        const unk = vs.find((v) => v.verdict === 'unknown');
        if (unk) {
          best = 'unknown';
          culprit ??= unk.culprit;
        }
      }
      if (best === 'fail') verdict = 'fail';
      else if (best === 'unknown' && verdict === 'pass') verdict = 'unknown';
    }
    if (types.includes(undefined) && verdict !== 'pass') {
      return [{ resource: r, kind: 'unverifiable', location: 'Type', message: 'cannot verify access logging: the load balancer Type cannot be resolved and access logs are not enabled for certain' }];
    }
    if (verdict === 'pass') return [];
    if (verdict === 'unknown') return [unverifiable(r, location, culprit ?? { kind: 'unknown', reason: 'an attribute that cannot be resolved' })];
    return [
      {
        resource: r,
        kind: 'violation',
        location,
        message: 'Application Load Balancer keeps no access log: LoadBalancerAttributes has no access_logs.s3.enabled = true (in every Fn::If branch); enable it with access_logs.s3.bucket (CDK: logAccessLogs)',
      },
    ];
  },
};

function attributeEnables(stack: StackModel, a: Alt): { verdict: 'pass' | 'fail' | 'unknown'; culprit?: Alt } {
  if (a.kind !== 'value') return a.kind === 'absent' ? { verdict: 'fail' } : { verdict: 'unknown', culprit: a };
  if (!isPlainObject(a.value)) return { verdict: 'fail' };
  const resolver = stack.resolver;
  let out: { verdict: 'pass' | 'fail' | 'unknown'; culprit?: Alt } = { verdict: 'pass' };
  for (const k of resolver.path(stack, [a], ['Key'])) {
    for (const v of resolver.path(stack, [a], ['Value'])) {
      const key = k.kind === 'value' ? stringOf(k) : undefined;
      if (key !== undefined && key !== 'access_logs.s3.enabled') return { verdict: 'fail' };
      const val = v.kind === 'value' ? (boolOf(v) !== undefined ? String(boolOf(v)) : stringOf(v)) : undefined;
      if (key === undefined || val === undefined) {
        if (k.kind === 'absent' || v.kind === 'absent') return { verdict: 'fail' };
        out = { verdict: 'unknown', culprit: key === undefined ? k : v };
        continue;
      }
      if (!isAccessLogAttribute(key, val)) return { verdict: 'fail' };
    }
  }
  return out;
}

