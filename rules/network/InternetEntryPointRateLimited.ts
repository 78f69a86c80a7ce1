import type { AppModel, ResourceHandle, StackModel } from '../engine/model';
import { RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, isPlainObject, numberOf, stringOf, textOf } from '../engine/values';
import { collectResourceRefs, FoundResourceRef } from './VpcDefaultSecurityGroupRestricted';
import { perApp } from '../engine/cache';

/** ELBv2 `Scheme`: absent means internet-facing (the service default). */
export function isInternetFacingScheme(scheme: string | undefined): boolean {
  return scheme === undefined || scheme === 'internet-facing';
}

/** ELBv2 `Type`: only Application Load Balancers (the default type) can take a WAFv2 web ACL. */
export function isWafCapableLoadBalancerType(type: string | undefined): boolean {
  return type === undefined || type === 'application';
}

/** WAFv2 rule actions that stop a flood: Block, Challenge and CAPTCHA (Count and Allow only observe). */
export function isStoppingRuleAction(actionKeys: readonly string[]): boolean {
  return actionKeys.some((k) => k === 'Block' || k === 'Challenge' || k === 'Captcha');
}

/** API Gateway endpoint types of a REST API that make it unreachable from the internet. */
export function isPrivateEndpointTypes(types: readonly string[]): boolean {
  return types.length > 0 && types.every((t) => t === 'PRIVATE');
}

type Verdict = { verdict: 'pass' } | { verdict: 'fail' | 'unknown'; reason: string };
const PASS: Verdict = { verdict: 'pass' };
const fail = (reason: string): Verdict => ({ verdict: 'fail', reason });
const unsure = (reason: string): Verdict => ({ verdict: 'unknown', reason });

/** All must pass: the first failure, else the first unknown, else pass. */
function every(vs: readonly Verdict[]): Verdict {
  return vs.find((v) => v.verdict === 'fail') ?? vs.find((v) => v.verdict === 'unknown') ?? PASS;
}
/** One must pass: pass, else the first unknown, else the first failure. */
function some(vs: readonly Verdict[], none: string): Verdict {
  if (vs.some((v) => v.verdict === 'pass')) return PASS;
  return vs.find((v) => v.verdict === 'unknown') ?? vs.find((v) => v.verdict === 'fail') ?? fail(none);
}

const key = (stack: string, logicalId: string) => `${stack}\u0000${logicalId}`;
const where = (r: { logicalId: string; stack: { name: string } }) => `${r.logicalId} in stack ${r.stack.name}`;

interface Attachment {
  readonly resource: ResourceHandle;
  readonly refs: readonly FoundResourceRef[];
  readonly arnAlts: readonly Alt[];
}

interface Index {
  /** WAFv2 web ACL associations by every resource their ResourceArn references. */
  readonly associations: Map<string, Attachment[]>;
  /** Associations whose ResourceArn references no resource and is not a literal: they may attach anywhere. */
  readonly unresolvedAssociations: Attachment[];
  /** Shield Advanced protections by referenced resource. */
  readonly protections: Map<string, Attachment[]>;
  readonly webAclVerdicts: Map<string, Verdict>;
}

function attachments(app: AppModel, type: string, unresolved?: Attachment[]): Map<string, Attachment[]> {
  const byTarget = new Map<string, Attachment[]>();
  for (const r of app.resourcesOfType(type)) {
    if (r.stack.resolver.exists(r) === 'never') continue;
    const refs = collectResourceRefs(r.stack, r.properties.ResourceArn);
    const a: Attachment = { resource: r, refs, arnAlts: r.stack.resolver.get(r, 'ResourceArn') };
    for (const k of new Set(refs.map((f) => key(f.ref.stack, f.ref.logicalId)))) {
      const l = byTarget.get(k) ?? [];
      l.push(a);
      byTarget.set(k, l);
    }
    if (refs.length === 0 && a.arnAlts.some((x) => x.kind === 'unknown')) unresolved?.push(a);
  }
  return byTarget;
}

const index = perApp((app: AppModel): Index => {
  const unresolvedAssociations: Attachment[] = [];
  const idx: Index = {
    associations: attachments(app, 'AWS::WAFv2::WebACLAssociation', unresolvedAssociations),
    unresolvedAssociations,
    protections: attachments(app, 'AWS::Shield::Protection'),
    webAclVerdicts: new Map(),
  };
  return idx;
});

function actionKeys(a: Alt): string[] | undefined {
  return a.kind === 'value' && isPlainObject(a.value) ? Object.keys(a.value) : undefined;
}

/** Does one rule (of a web ACL or a rule group) stop floods with a rate-based statement? */
function judgeRule(stack: StackModel, rule: Alt, nonStopping: ReadonlySet<string>, depth: number): Verdict {
  const resolver = stack.resolver;
  if (rule.kind === 'unknown' || rule.kind === 'ref') return unsure(`a rule is ${describe(rule)}`);
  if (rule.kind !== 'value' || !isPlainObject(rule.value)) return fail('a rule is not an object');
  const name = resolver.path(stack, [rule], ['Name']).map((n) => stringOf(n) ?? '?').join('|');
  return every(
    resolver.path(stack, [rule], ['Statement']).map((st): Verdict => {
      if (st.kind === 'unknown' || st.kind === 'ref') return unsure(`the statement of rule ${name} is ${describe(st)}`);
      if (st.kind !== 'value' || !isPlainObject(st.value)) return fail(`rule ${name} has no statement`);
      if ('RateBasedStatement' in st.value) {
        if (nonStopping.has(name)) return fail(`rate-based rule ${name} is overridden to count only`);
        return every(
          resolver.path(stack, [rule], ['Action']).map((act): Verdict => {
            if (act.kind === 'unknown' || act.kind === 'ref') return unsure(`the action of rate-based rule ${name} is ${describe(act)}`);
            const keys = actionKeys(act);
            if (keys && isStoppingRuleAction(keys)) return PASS;
            return fail(`rate-based rule ${name} only ${keys && keys.length > 0 ? keys.join('/').toLowerCase() + 's' : 'has no action'} (it must block, challenge or show a CAPTCHA)`);
          }),
        );
      }
      if ('RuleGroupReferenceStatement' in st.value) return judgeRuleGroupReference(stack, rule, name, depth);
      return fail(`rule ${name} is not rate-based`);
    }),
  );
}

/** A rule group referenced from a web ACL: its rate-based rules count unless the reference overrides them to Count. */
function judgeRuleGroupReference(stack: StackModel, rule: Alt, name: string, depth: number): Verdict {
  const resolver = stack.resolver;
  if (depth > 1) return fail(`rule ${name} nests rule groups`);
  for (const o of resolver.path(stack, [rule], ['OverrideAction'])) {
    if (o.kind === 'unknown' || o.kind === 'ref') return unsure(`the override action of rule ${name} is ${describe(o)}`);
    if ((actionKeys(o) ?? []).includes('Count')) return fail(`rule group reference ${name} overrides its rules to count only`);
  }
  const ref = resolver.path(stack, [rule], ['Statement', 'RuleGroupReferenceStatement']);
  // Rules excluded (legacy) or overridden to Count or Allow do not stop anything.
  const nonStopping = new Set<string>();
  for (const ex of resolver.items(stack, resolver.path(stack, ref, ['ExcludedRules']))) {
    for (const n of resolver.path(stack, [ex], ['Name'])) if (stringOf(n)) nonStopping.add(stringOf(n)!);
  }
  for (const ov of resolver.items(stack, resolver.path(stack, ref, ['RuleActionOverrides']))) {
    const use = resolver.path(stack, [ov], ['ActionToUse']).map(actionKeys);
    if (use.some((k) => !k || !isStoppingRuleAction(k))) for (const n of resolver.path(stack, [ov], ['Name'])) if (stringOf(n)) nonStopping.add(stringOf(n)!);
  }
  return every(
    resolver.path(stack, ref, ['Arn']).map((arn): Verdict => {
      const group = arn.kind === 'ref' ? stack.app.resource(arn.stack, arn.logicalId) : undefined;
      if (!group || group.type !== 'AWS::WAFv2::RuleGroup') return unsure(`rule group ${describe(arn)} referenced by rule ${name} is not declared in the app, so its rules cannot be read`);
      return judgeRuleList(group, nonStopping, depth + 1, `rule group ${where(group)}`);
    }),
  );
}

/** A list of rules must hold a flood-stopping rate-based rule in every way the template may write it. */
function judgeRuleList(owner: ResourceHandle, nonStopping: ReadonlySet<string>, depth: number, label: string): Verdict {
  const resolver = owner.stack.resolver;
  const none = `${label} has no rate-based rule`;
  return every(
    resolver.branches(owner.stack, resolver.get(owner, 'Rules')).map((b): Verdict => {
      if (b.kind === 'other') {
        if (b.alt.kind === 'absent') return fail(`${label} has no rules`);
        if (b.alt.kind === 'unknown' || b.alt.kind === 'ref') return unsure(`the rules of ${label} are ${describe(b.alt)}`);
        return fail(`the Rules of ${label} are not a list`);
      }
      const v = some(b.elements.map((alts) => every(alts.map((r) => judgeRule(owner.stack, r, nonStopping, depth)))), none);
      return v.verdict === 'fail' && v.reason !== none ? fail(`${none} that stops traffic: ${v.reason}`) : v;
    }),
  );
}

function judgeWebAcl(app: AppModel, acl: ResourceHandle): Verdict {
  const idx = index(app);
  const k = key(acl.stack.name, acl.logicalId);
  let v = idx.webAclVerdicts.get(k);
  if (!v) {
    v = judgeRuleList(acl, new Set(), 0, `web ACL ${where(acl)}`);
    if (v.verdict === 'pass' && acl.stack.resolver.exists(acl) === 'maybe') v = unsure(`web ACL ${where(acl)} only exists when condition ${acl.condition} holds`);
    idx.webAclVerdicts.set(k, v);
  }
  return v;
}

/** Judge a web ACL given as alternatives (a WebACLArn or a WebACLId). */
function judgeWebAclAlts(app: AppModel, alts: readonly Alt[], property: string): Verdict {
  return every(
    alts.map((a): Verdict => {
      if (a.kind === 'absent') return fail(`${property} is not set`);
      if (a.kind === 'ref') {
        const target = app.resource(a.stack, a.logicalId);
        if (target?.type === 'AWS::WAFv2::WebACL') return judgeWebAcl(app, target);
        if (target?.type === 'AWS::WAF::WebACL') return fail(`${property} names WAF Classic web ACL ${where(target)}; rate-based rules need WAFv2 (AWS::WAFv2::WebACL)`);
        return fail(`${property} is ${describe(a)}, a ${target?.type ?? 'resource'} rather than a WAFv2 web ACL`);
      }
      if (a.kind === 'value') return unsure(`${property} is ${describe(a)}, a web ACL not declared in the app, so its rules cannot be read`);
      return unsure(`the web ACL cannot be resolved: ${property} is ${describe(a)}`);
    }),
  );
}

function judgeAssociation(app: AppModel, a: Attachment, covers: 'all' | 'partial'): Verdict {
  const r = a.resource;
  if (covers === 'partial') return fail(`association ${where(r)} selects it only in one branch of Fn::If`);
  const acl = judgeWebAclAlts(app, r.stack.resolver.get(r, 'WebACLArn'), `WebACLArn of association ${where(r)}`);
  if (acl.verdict !== 'pass') return acl;
  if (r.stack.resolver.exists(r) === 'maybe') return unsure(`association ${where(r)} only exists when condition ${r.condition} holds`);
  return PASS;
}

/** The entry point is protected when some association in every case attaches a web ACL with a stopping rate-based rule. */
function judgeAssociations(app: AppModel, found: ReadonlyArray<{ a: Attachment; covers: 'all' | 'partial' }>, what: string): Verdict {
  const idx = index(app);
  const vs = found.map(({ a, covers }) => judgeAssociation(app, a, covers));
  if (vs.some((v) => v.verdict === 'pass')) return PASS;
  if (idx.unresolvedAssociations.length > 0 && !vs.some((v) => v.verdict === 'unknown')) {
    const u = idx.unresolvedAssociations[0];
    vs.push(unsure(`association ${where(u.resource)} has a ResourceArn that cannot be resolved (${describe(u.arnAlts.find((x) => x.kind === 'unknown')!)}) and may attach to it`));
  }
  return some(vs, `no AWS::WAFv2::WebACLAssociation attaches a web ACL to ${what}`);
}

function issue(r: ResourceHandle, v: Verdict, subject: string, location?: string): RuleIssue[] {
  if (v.verdict === 'pass') return [];
  if (v.verdict === 'fail') return [{ resource: r, kind: 'violation', location, message: `${subject} is not protected against flooding: ${v.reason}` }];
  return [{ resource: r, kind: 'unverifiable', location, message: `cannot verify that ${subject} is protected against flooding: ${v.reason}` }];
}

function checkLoadBalancer(lb: ResourceHandle, app: AppModel): RuleIssue[] {
  const resolver = lb.stack.resolver;
  const classic = lb.type === 'AWS::ElasticLoadBalancing::LoadBalancer';
  const schemes = resolver.get(lb, 'Scheme');
  const exposed = schemes.filter((a) => a.kind === 'absent' || (a.kind === 'value' && isInternetFacingScheme(stringOf(a))));
  const unknownScheme = schemes.find((a) => a.kind === 'unknown' || a.kind === 'ref');
  if (exposed.length === 0 && !unknownScheme) return [];
  const schemeNote = exposed.length > 0 ? (exposed.some((a) => a.kind === 'absent') ? 'Scheme not set, so internet-facing' : 'internet-facing') : `Scheme ${describe(unknownScheme!)}`;

  const types = classic ? [] : resolver.get(lb, 'Type');
  if (!classic && types.every((t) => t.kind === 'value' && stringOf(t) === 'gateway')) return [];
  const idx = index(app);
  const lbKey = key(lb.stack.name, lb.logicalId);
  const issues: RuleIssue[] = [];
  const wafCapable = !classic && types.some((t) => t.kind !== 'value' || isWafCapableLoadBalancerType(stringOf(t)));
  const notWafCapable = classic || types.some((t) => t.kind === 'value' && stringOf(t) === 'network');

  const wrap = (v: Verdict): Verdict => (v.verdict === 'pass' || !unknownScheme || exposed.length > 0 ? v : unsure(`its ${schemeNote} may be internet-facing and ${v.reason}`));
  if (wafCapable) {
    const found = (idx.associations.get(lbKey) ?? []).flatMap((a) => {
      const hits = a.arnAlts.filter((x) => x.kind === 'ref' && key(x.stack, x.logicalId) === lbKey && (x.attribute === undefined || x.attribute === 'LoadBalancerArn'));
      return hits.length === 0 ? [] : [{ a, covers: (hits.length === a.arnAlts.length ? 'all' : 'partial') as 'all' | 'partial' }];
    });
    issues.push(...issue(lb, wrap(judgeAssociations(app, found, 'it')), `Application Load Balancer ${where(lb)} (${schemeNote})`));
  }
  if (notWafCapable) {
    // WAF cannot attach to an NLB or a Classic Load Balancer; Shield Advanced is the flood protection they can get.
    const vs = (idx.protections.get(lbKey) ?? []).map((p): Verdict =>
      p.resource.stack.resolver.exists(p.resource) === 'maybe' ? unsure(`Shield protection ${where(p.resource)} only exists when condition ${p.resource.condition} holds`) : PASS,
    );
    const kind = classic ? 'Classic Load Balancer' : 'Network Load Balancer';
    const v = some(vs, `a ${kind} cannot take a WAFv2 web ACL, and no AWS::Shield::Protection (Shield Advanced) covers it; front it with an ALB, API Gateway or CloudFront that has a rate-based WAF rule, or protect it with Shield Advanced`);
    issues.push(...issue(lb, wrap(v), `${kind} ${where(lb)} (${schemeNote})`));
  }
  return issues;
}

/** REST API stages: an explicit `AWS::ApiGateway::Stage`, or the stage a Deployment with StageName creates. */
function checkRestStage(r: ResourceHandle, app: AppModel): RuleIssue[] {
  const resolver = r.stack.resolver;
  const names = resolver.get(r, 'StageName').map(stringOf);
  if (r.type === 'AWS::ApiGateway::Deployment' && resolver.get(r, 'StageName').every((a) => a.kind === 'absent')) return [];
  const apis = resolver.get(r, 'RestApiId');
  const apiHandles = apis.map((a) => (a.kind === 'ref' ? app.resource(a.stack, a.logicalId) : undefined));
  // A PRIVATE REST API is reachable only through interface endpoints: not an internet entry point.
  const isPrivate = (api: ResourceHandle | undefined) => {
    if (!api || api.type !== 'AWS::ApiGateway::RestApi') return false;
    const ar = api.stack.resolver;
    return ar.branches(api.stack, ar.get(api, 'EndpointConfiguration', 'Types')).every((b) => {
      if (b.kind !== 'list') return false;
      const ts = b.elements.flat();
      return ts.every((t) => t.kind === 'value') && isPrivateEndpointTypes(ts.map((t) => stringOf(t) ?? ''));
    });
  };
  if (apiHandles.length > 0 && apiHandles.every(isPrivate)) return [];

  const idx = index(app);
  const stageKey = key(r.stack.name, r.logicalId);
  const apiKeys = new Set(apis.flatMap((a) => (a.kind === 'ref' ? [key(a.stack, a.logicalId)] : [])));
  const candidates = new Set([...(idx.associations.get(stageKey) ?? []), ...[...apiKeys].flatMap((k) => idx.associations.get(k) ?? [])]);
  const found: Array<{ a: Attachment; covers: 'all' | 'partial' }> = [];
  for (const a of candidates) {
    const stageRefs = a.refs.filter((f) => key(f.ref.stack, f.ref.logicalId) === stageKey);
    const apiRefs = a.refs.filter((f) => apiKeys.has(key(f.ref.stack, f.ref.logicalId)));
    const byName = apiRefs.length > 0 && a.arnAlts.some((x) => names.some((n) => n !== undefined && (textOf(x) ?? '').endsWith(`/stages/${n}`)));
    if (stageRefs.length === 0 && !byName) continue;
    const conditional = [...stageRefs, ...apiRefs].every((f) => f.conditional);
    found.push({ a, covers: conditional ? 'partial' : 'all' });
  }
  const label = `API Gateway stage ${names.every((n) => n !== undefined) ? `'${names.join("'/'")}' ` : ''}(${r.type} ${where(r)})`;
  return issue(r, judgeAssociations(app, found, 'it'), label);
}

/** HTTP and WebSocket API stages cannot take a WAF web ACL: stage throttling is the flood protection they have. */
function checkV2Stage(r: ResourceHandle): RuleIssue[] {
  const resolver = r.stack.resolver;
  const vs: Verdict[] = ['ThrottlingRateLimit', 'ThrottlingBurstLimit'].flatMap((p) =>
    resolver.get(r, 'DefaultRouteSettings', p).map((a): Verdict => {
      if (a.kind === 'absent') return fail(`DefaultRouteSettings.${p} is not set, so only the account-level API Gateway quota limits requests (HTTP and WebSocket APIs cannot take a WAFv2 web ACL; stage throttling is their flood protection)`);
      if (a.kind !== 'value') return unsure(`DefaultRouteSettings.${p} is ${describe(a)}`);
      const n = numberOf(a);
      return n !== undefined && n >= 0 ? PASS : fail(`DefaultRouteSettings.${p} is ${describe(a)}, not a number of requests`);
    }),
  );
  return issue(r, every(vs), `API Gateway v2 stage ${where(r)}`, 'DefaultRouteSettings');
}

function checkDistribution(r: ResourceHandle, app: AppModel): RuleIssue[] {
  const alts = r.stack.resolver.get(r, 'DistributionConfig', 'WebACLId');
  return issue(r, judgeWebAclAlts(app, alts, 'DistributionConfig.WebACLId'), `CloudFront distribution ${where(r)}`, 'DistributionConfig.WebACLId');
}

/**
 * SRM-IIP-NET-07: internet entry points stop floods with a WAFv2 web ACL that
 * has a rate-based rule whose action blocks, challenges or shows a CAPTCHA
 * (directly or in a referenced rule group not overridden to Count):
 * - internet-facing Application Load Balancers (Scheme absent = internet-facing)
 *   and REST API stages (`AWS::ApiGateway::Stage`, or a Deployment with
 *   StageName; PRIVATE APIs are not entry points), through
 *   `AWS::WAFv2::WebACLAssociation`; CloudFront distributions through
 *   `DistributionConfig.WebACLId`.
 * - internet-facing Network and Classic Load Balancers cannot take WAF: they
 *   need an `AWS::Shield::Protection` (Shield Advanced), else a violation to fix
 *   or acknowledge.
 * - HTTP/WebSocket API stages (`AWS::ApiGatewayV2::Stage`) cannot take WAF:
 *   they need stage throttling (DefaultRouteSettings rate and burst limits).
 * Zone tags are not consulted: an entry point is in the ingress zone by being
 * reachable from the internet, and a missing tag must not hide it.
 */
export const InternetEntryPointRateLimited: SrmIipRule = {
  id: 'InternetEntryPointRateLimited',
  controlId: 'SRM-IIP-NET-07',
  summary: 'Internet-facing ALBs, API stages and CloudFront distributions have a WAFv2 web ACL with a rate-based rule (NLBs Shield Advanced, HTTP APIs stage throttling)',
  resourceTypes: [
    'AWS::ElasticLoadBalancingV2::LoadBalancer',
    'AWS::ElasticLoadBalancing::LoadBalancer',
    'AWS::ApiGateway::Stage',
    'AWS::ApiGateway::Deployment',
    'AWS::ApiGatewayV2::Stage',
    'AWS::CloudFront::Distribution',
  ],
  check(r, ctx): RuleIssue[] {
    switch (r.type) {
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
      case 'AWS::ElasticLoadBalancing::LoadBalancer':
        return checkLoadBalancer(r, ctx.app);
      case 'AWS::ApiGateway::Stage':
      case 'AWS::ApiGateway::Deployment':
        return checkRestStage(r, ctx.app);
      case 'AWS::ApiGatewayV2::Stage':
        return checkV2Stage(r);
      default:
        return checkDistribution(r, ctx.app);
    }
  },
};
