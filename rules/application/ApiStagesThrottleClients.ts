import type { AppModel, ResourceHandle } from '../engine/model';
import { RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, isPlainObject, numberOf, stringOf, Verdict } from '../engine/values';
import { existsWhenever } from '../communication/resource-match';
import { refTarget, restStageOf, restStages, RestStage, stageSettingsPath } from './api-stages';

/** A throttle that limits clients: both rate and burst set to a number of at least 0 (-1 means "no limit"). */
export function isThrottleLimit(rate: number | undefined, burst: number | undefined): boolean {
  return rate !== undefined && burst !== undefined && rate >= 0 && burst >= 0;
}

/** The MethodSettings entry that applies to every method of a stage: ResourcePath `/*`, HttpMethod `*`. */
export function isAllMethodsSetting(resourcePath: string, httpMethod: string): boolean {
  return resourcePath === '/*' && httpMethod === '*';
}

interface UsagePlanCover {
  readonly plan: ResourceHandle;
  readonly certain: boolean;
  readonly throttled: Verdict;
}

const PLANS = new WeakMap<AppModel, Map<ResourceHandle, UsagePlanCover[]>>();

/**
 * SRM-IIP-APP-03: REST API stages throttle every method (a `/*` `*`
 * MethodSettings entry with rate and burst limits, the stage-wide throttle of
 * a deployment's StageDescription, or a usage plan with a throttle covering
 * the stage); HTTP and WebSocket API stages set DefaultRouteSettings rate and
 * burst limits.
 */
export const ApiStagesThrottleClients: SrmIipRule = {
  id: 'ApiStagesThrottleClients',
  controlId: 'SRM-IIP-APP-03',
  summary: 'API Gateway stages set rate and burst throttling for all methods/routes (stage settings or a usage plan)',
  resourceTypes: ['AWS::ApiGateway::Stage', 'AWS::ApiGateway::Deployment', 'AWS::ApiGatewayV2::Stage'],
  check(r, ctx) {
    if (r.type === 'AWS::ApiGatewayV2::Stage') return checkV2(r);
    const stage = restStageOf(ctx.app, r);
    if (!stage) return []; // a deployment that creates no stage
    return checkRest(stage, ctx.app);
  },
};

function limitVerdict(rate: readonly Alt[], burst: readonly Alt[]): { verdict: Verdict; culprit?: Alt } {
  let unknownAlt: Alt | undefined;
  for (const r of rate) {
    for (const b of burst) {
      if ((r.kind !== 'value' && r.kind !== 'absent') || (b.kind !== 'value' && b.kind !== 'absent')) {
        unknownAlt ??= r.kind !== 'value' && r.kind !== 'absent' ? r : b;
        continue;
      }
      if (!isThrottleLimit(numberOf(r), numberOf(b))) return { verdict: 'fail', culprit: numberOf(r) === undefined || (numberOf(r) ?? 0) < 0 ? r : b };
    }
  }
  return unknownAlt ? { verdict: 'unknown', culprit: unknownAlt } : { verdict: 'pass' };
}

function checkV2(r: ResourceHandle): RuleIssue[] {
  const resolver = r.stack.resolver;
  const { verdict, culprit } = limitVerdict(resolver.get(r, 'DefaultRouteSettings', 'ThrottlingRateLimit'), resolver.get(r, 'DefaultRouteSettings', 'ThrottlingBurstLimit'));
  if (verdict === 'pass') return [];
  if (verdict === 'unknown') return [{ resource: r, kind: 'unverifiable', location: 'DefaultRouteSettings', message: `cannot verify stage throttling: a limit is ${describe(culprit!)}` }];
  return [
    {
      resource: r,
      kind: 'violation',
      location: 'DefaultRouteSettings',
      message: `stage does not throttle clients: DefaultRouteSettings ThrottlingRateLimit and ThrottlingBurstLimit must both be set to limits (got ${describe(culprit!)}); only the shared account-level limit applies otherwise`,
    },
  ];
}

/** Some MethodSettings entry (in every branch) throttles all methods. */
function methodSettingsVerdict(stage: RestStage): { verdict: Verdict; why?: string } {
  const r = stage.handle;
  const resolver = r.stack.resolver;
  const verdicts: Verdict[] = [];
  let why: string | undefined;
  for (const b of resolver.branches(r.stack, resolver.get(r, ...stageSettingsPath(stage, 'MethodSettings')))) {
    if (b.kind === 'other') {
      if (b.alt.kind !== 'absent') why ??= `MethodSettings is ${describe(b.alt)}`;
      verdicts.push(b.alt.kind === 'absent' || b.alt.kind === 'value' ? 'fail' : 'unknown');
      continue;
    }
    let best: Verdict = 'fail';
    for (const el of b.elements) {
      const v = el.every((a) => entryThrottlesAll(r, a) === 'pass') ? 'pass' : el.some((a) => entryThrottlesAll(r, a) === 'unknown') ? 'unknown' : 'fail';
      if (v === 'pass') {
        best = 'pass';
        break;
      }
      if (v === 'unknown') {
        best = 'unknown';
        why ??= 'a MethodSettings entry holds values that cannot be resolved';
      }
    }
    verdicts.push(best);
  }
  const verdict: Verdict = verdicts.length === 0 || verdicts.includes('fail') ? 'fail' : verdicts.includes('unknown') ? 'unknown' : 'pass';
  return { verdict, why };
}

function entryThrottlesAll(r: ResourceHandle, a: Alt): Verdict {
  if (a.kind !== 'value') return a.kind === 'absent' ? 'fail' : 'unknown';
  if (!isPlainObject(a.value)) return 'fail';
  const resolver = r.stack.resolver;
  const get = (k: string) => resolver.path(r.stack, [a], [k]);
  const paths = get('ResourcePath');
  const methods = get('HttpMethod');
  let scope: Verdict = 'pass';
  for (const p of paths) {
    for (const m of methods) {
      if (p.kind === 'value' && m.kind === 'value') {
        if (!isAllMethodsSetting(stringOf(p) ?? '', stringOf(m) ?? '')) return 'fail';
      } else if (p.kind === 'absent' || m.kind === 'absent') {
        return 'fail';
      } else {
        scope = 'unknown';
      }
    }
  }
  const limits = limitVerdict(get('ThrottlingRateLimit'), get('ThrottlingBurstLimit')).verdict;
  return limits === 'fail' ? 'fail' : scope === 'unknown' || limits === 'unknown' ? 'unknown' : 'pass';
}

function usagePlans(app: AppModel): Map<ResourceHandle, UsagePlanCover[]> {
  let idx = PLANS.get(app);
  if (idx) return idx;
  idx = new Map();
  const stages = restStages(app);
  const byApi = new Map<ResourceHandle, RestStage[]>();
  for (const s of stages) if (s.api) byApi.set(s.api, [...(byApi.get(s.api) ?? []), s]);
  for (const plan of app.resourcesOfType('AWS::ApiGateway::UsagePlan')) {
    const resolver = plan.stack.resolver;
    const exists = resolver.exists(plan);
    if (exists === 'never') continue;
    const throttled = limitVerdict(resolver.get(plan, 'Throttle', 'RateLimit'), resolver.get(plan, 'Throttle', 'BurstLimit')).verdict;
    for (const entry of resolver.items(plan.stack, resolver.get(plan, 'ApiStages'))) {
      if (entry.kind !== 'value') continue;
      const api = refTarget(app, resolver.path(plan.stack, [entry], ['ApiId']));
      if (!api) continue;
      const stageAlts = resolver.path(plan.stack, [entry], ['Stage']);
      for (const s of byApi.get(api) ?? []) {
        const hit = stageAlts.filter((a) => (a.kind === 'ref' ? a.logicalId === s.handle.logicalId && a.stack === s.handle.stack.name : a.kind === 'value' && s.names.includes(stringOf(a) ?? '')));
        if (hit.length === 0) continue;
        const certain = existsWhenever(plan, s.handle) && hit.length === stageAlts.length;
        idx.set(s.handle, [...(idx.get(s.handle) ?? []), { plan, certain, throttled }]);
      }
    }
  }
  PLANS.set(app, idx);
  return idx;
}

function checkRest(stage: RestStage, app: AppModel): RuleIssue[] {
  const r = stage.handle;
  const ms = methodSettingsVerdict(stage);
  if (ms.verdict === 'pass') return [];
  if (stage.viaDeployment) {
    const resolver = r.stack.resolver;
    const stageWide = limitVerdict(resolver.get(r, 'StageDescription', 'ThrottlingRateLimit'), resolver.get(r, 'StageDescription', 'ThrottlingBurstLimit'));
    if (stageWide.verdict === 'pass') return [];
  }
  const plans = usagePlans(app).get(r) ?? [];
  if (plans.some((p) => p.certain && p.throttled === 'pass')) return [];
  const maybe = plans.filter((p) => p.throttled !== 'fail');
  if (ms.verdict === 'unknown' || maybe.length > 0) {
    const why = [ms.why, ...maybe.map((p) => `usage plan ${p.plan.logicalId} in stack ${p.plan.stack.name} ${p.throttled === 'unknown' ? 'has a throttle that cannot be resolved' : 'covers the stage only under a condition'}`)].filter(Boolean);
    return [{ resource: r, kind: 'unverifiable', location: stageSettingsPath(stage, 'MethodSettings').join('.'), message: `cannot verify stage throttling: ${why.join('; ')}` }];
  }
  const planNote = plans.length ? `; usage plan ${plans.map((p) => p.plan.logicalId).join(', ')} covers it without a Throttle rate and burst limit` : '';
  return [
    {
      resource: r,
      kind: 'violation',
      location: stageSettingsPath(stage, 'MethodSettings').join('.'),
      message: `stage does not throttle clients: no MethodSettings entry for ResourcePath /* and HttpMethod * sets ThrottlingRateLimit and ThrottlingBurstLimit, and no usage plan with a Throttle covers it${planNote} (CDK: deployOptions throttlingRateLimit/throttlingBurstLimit)`,
    },
  ];
}
