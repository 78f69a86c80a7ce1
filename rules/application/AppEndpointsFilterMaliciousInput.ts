import type { ResourceHandle, StackModel } from '../engine/model';
import type { RuleContext, RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, isPlainObject, stringOf, textOf } from '../engine/values';
import { existsWhenever } from '../communication/resource-match';
import { describeStage, isPrivateRestApi, restStages, stageFromArnText, stagesForArn } from './api-stages';

/** AWS managed rule groups every application web ACL runs. */
export const REQUIRED_MANAGED_RULE_GROUPS = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'] as const;

/**
 * What a web ACL rule does for a required managed rule group: `filters`
 * (it runs the group and acts on matches), `count` (it runs the group with
 * `OverrideAction: Count`, so matches are only counted), or `none`.
 */
export function managedGroupEffect(vendorName: string, name: string, overrideActionKeys: readonly string[], group: string): 'filters' | 'count' | 'none' {
  if (vendorName !== 'AWS' || name !== group) return 'none';
  return overrideActionKeys.some((k) => k.toLowerCase() === 'count') ? 'count' : 'filters';
}

type Status = 'filters' | 'count' | 'none' | 'unknown';

/**
 * SRM-IIP-APP-02: every WAFv2 web ACL in front of an application endpoint
 * (associated with an ALB, API Gateway stage or other resource, or set as a
 * CloudFront distribution's WebACLId) runs the AWS managed common and
 * known-bad-inputs rule groups in blocking mode; internet-facing ALBs, public
 * REST API stages and CloudFront distributions have such a web ACL.
 */
export const AppEndpointsFilterMaliciousInput: SrmIipRule = {
  id: 'AppEndpointsFilterMaliciousInput',
  controlId: 'SRM-IIP-APP-02',
  summary:
    'Internet-facing ALBs, public REST API stages and CloudFront distributions have a WAFv2 web ACL that runs AWSManagedRulesCommonRuleSet and AWSManagedRulesKnownBadInputsRuleSet (not in Count mode)',
  resourceTypes: [
    'AWS::WAFv2::WebACL',
    'AWS::WAFv2::WebACLAssociation',
    'AWS::ElasticLoadBalancingV2::LoadBalancer',
    'AWS::ApiGateway::Stage',
    'AWS::ApiGateway::Deployment',
    'AWS::CloudFront::Distribution',
  ],
  checkApp(ctx) {
    return check(ctx);
  },
};

function key(r: ResourceHandle): string {
  return `${r.stack.name}\u0000${r.logicalId}`;
}

interface Coverage {
  readonly by: ResourceHandle;
  readonly certain: boolean;
}

function check(ctx: RuleContext): RuleIssue[] {
  const { app, resolver } = ctx;
  const issues: RuleIssue[] = [];
  const live = (r: ResourceHandle) => resolver.exists(r) !== 'never';

  // Web ACLs in use, and what they protect (for messages).
  const aclUse = new Map<string, { acl: ResourceHandle; uses: string[] }>();
  const useAcl = (alt: Alt, what: string, from: ResourceHandle, location: string): boolean => {
    const acl = alt.kind === 'ref' ? app.resource(alt.stack, alt.logicalId) : undefined;
    if (acl && acl.type === 'AWS::WAFv2::WebACL') {
      const entry = aclUse.get(key(acl)) ?? { acl, uses: [] };
      entry.uses.push(what);
      aclUse.set(key(acl), entry);
      return true;
    }
    issues.push({
      resource: from,
      kind: 'unverifiable',
      location,
      message: `cannot verify the web ACL rules for ${what}: the web ACL is ${describe(alt)}, not a AWS::WAFv2::WebACL of the app, so its rule groups cannot be read`,
    });
    return false;
  };

  // Stages by API and stage reference, to match association ARNs.
  const stages = restStages(app).filter((s) => live(s.handle));
  const coverage = new Map<string, Coverage[]>();
  const cover = (target: ResourceHandle, by: ResourceHandle, certain: boolean) => coverage.set(key(target), [...(coverage.get(key(target)) ?? []), { by, certain }]);
  const unresolvedAssociations: Array<{ assoc: ResourceHandle; alt: Alt }> = [];

  for (const assoc of app.resourcesOfType('AWS::WAFv2::WebACLAssociation')) {
    const exists = resolver.exists(assoc);
    if (exists === 'never') continue;
    const resAlts = resolver.get(assoc, 'ResourceArn');
    const single = resAlts.length === 1;
    const names: string[] = [];
    for (const alt of resAlts) {
      const target = alt.kind === 'ref' ? app.resource(alt.stack, alt.logicalId) : undefined;
      if (target) {
        cover(target, assoc, single && existsWhenever(assoc, target));
        names.push(`${target.type.split('::').pop()} ${target.logicalId}`);
        continue;
      }
      const text = textOf(alt);
      const ref = text !== undefined ? stageFromArnText(text) : undefined;
      const hits = ref ? stagesForArn(app, ref).filter((s) => live(s.handle)) : [];
      for (const s of hits) {
        cover(s.handle, assoc, single && hits.length === 1 && existsWhenever(assoc, s.handle));
        names.push(describeStage(s));
      }
      if (hits.length === 0) {
        // A literal ARN names a resource outside the app; anything else cannot be placed.
        if (alt.kind !== 'value') unresolvedAssociations.push({ assoc, alt });
        names.push(text ?? describe(alt));
      }
    }
    for (const aclAlt of resolver.get(assoc, 'WebACLArn')) useAcl(aclAlt, names.join(', ') || `association ${assoc.logicalId}`, assoc, 'WebACLArn');
  }

  // CloudFront: the web ACL is a property of the distribution.
  const distributions = app.resourcesOfType('AWS::CloudFront::Distribution').filter(live);
  for (const d of distributions) {
    const alts = resolver.get(d, 'DistributionConfig', 'WebACLId');
    const what = `CloudFront distribution ${d.logicalId} in stack ${d.stack.name}`;
    if (alts.some((a) => a.kind === 'absent')) {
      issues.push({
        resource: d,
        kind: 'violation',
        location: 'DistributionConfig.WebACLId',
        message: `${what} has no WAFv2 web ACL${alts.length > 1 ? ' in at least one Fn::If branch' : ''}, so requests reach the application unfiltered; set WebACLId to a web ACL running ${REQUIRED_MANAGED_RULE_GROUPS.join(' and ')}`,
      });
    }
    for (const a of alts) if (a.kind !== 'absent') useAcl(a, what, d, 'DistributionConfig.WebACLId');
  }

  // Endpoints that must have a web ACL.
  const needing: Array<{ r: ResourceHandle; what: string; sure: boolean; why?: string }> = [];
  for (const lb of app.resourcesOfType('AWS::ElasticLoadBalancingV2::LoadBalancer').filter(live)) {
    const exposure = albExposure(lb);
    if (exposure.kind === 'no') continue;
    const what =
      exposure.kind === 'yes'
        ? `internet-facing Application Load Balancer ${lb.logicalId} in stack ${lb.stack.name}`
        : `load balancer ${lb.logicalId} in stack ${lb.stack.name} (an internet-facing ALB unless its Type or Scheme says otherwise)`;
    needing.push({ r: lb, what, sure: exposure.kind === 'yes', why: exposure.why });
  }
  for (const s of stages) {
    const priv = s.api ? isPrivateRestApi(s.api) : false;
    if (priv === true) continue;
    needing.push({ r: s.handle, what: describeStage(s), sure: priv === false, why: priv === undefined ? 'its endpoint type cannot be resolved' : undefined });
  }

  for (const n of needing) {
    const cov = coverage.get(key(n.r)) ?? [];
    if (cov.some((c) => c.certain)) continue;
    if (cov.length > 0 || unresolvedAssociations.length > 0 || !n.sure) {
      const reasons = [
        ...cov.map((c) => `association ${c.by.logicalId} in stack ${c.by.stack.name} applies only under a condition`),
        ...unresolvedAssociations.slice(0, 3).map((u) => `association ${u.assoc.logicalId} in stack ${u.assoc.stack.name} targets ${describe(u.alt)}`),
        ...(n.why ? [`whether it is internet-facing cannot be told: ${n.why}`] : []),
      ];
      issues.push({ resource: n.r, kind: 'unverifiable', message: `cannot verify that ${n.what} has a WAFv2 web ACL: ${reasons.join('; ')}` });
      continue;
    }
    issues.push({
      resource: n.r,
      kind: 'violation',
      message: `${n.what} has no AWS::WAFv2::WebACLAssociation, so requests reach the application unfiltered; associate a web ACL running ${REQUIRED_MANAGED_RULE_GROUPS.join(' and ')}`,
    });
  }

  for (const { acl, uses } of aclUse.values()) issues.push(...judgeAcl(acl, [...new Set(uses)]));
  return issues;
}

function albExposure(lb: ResourceHandle): { kind: 'yes' | 'no' | 'maybe'; why?: string } {
  const resolver = lb.stack.resolver;
  const types = resolver.get(lb, 'Type').map((a) => (a.kind === 'absent' ? 'application' : a.kind === 'value' ? (stringOf(a) ?? '?').toLowerCase() : undefined));
  const schemes = resolver.get(lb, 'Scheme').map((a) => (a.kind === 'absent' ? 'internet-facing' : a.kind === 'value' ? (stringOf(a) ?? '?').toLowerCase() : undefined));
  if (types.every((t) => t !== undefined && t !== 'application') || schemes.every((s) => s !== undefined && s !== 'internet-facing')) return { kind: 'no' };
  if (types.includes(undefined) || schemes.includes(undefined)) return { kind: 'maybe', why: 'its Type or Scheme is not resolvable' };
  return { kind: 'yes' };
}

function judgeAcl(acl: ResourceHandle, uses: string[]): RuleIssue[] {
  const resolver = acl.stack.resolver;
  const issues: RuleIssue[] = [];
  const branches = resolver.branches(acl.stack, resolver.get(acl, 'Rules'));
  const where = `web ACL ${acl.logicalId} in stack ${acl.stack.name} (in front of ${uses.slice(0, 3).join(', ')}${uses.length > 3 ? ', …' : ''})`;
  for (const group of REQUIRED_MANAGED_RULE_GROUPS) {
    let worst: Status = 'filters';
    let unknownAlt: Alt | undefined;
    for (const b of branches) {
      const elements = b.kind === 'list' ? b.elements : b.alt.kind === 'absent' ? [] : [[b.alt]];
      const statuses = elements.map((el) => {
        const s = el.map((a) => ruleStatus(acl.stack, a, group));
        if (s.every((x) => x === 'filters')) return 'filters';
        if (s.includes('unknown')) {
          unknownAlt ??= el.find((_, i) => s[i] === 'unknown');
          return 'unknown';
        }
        return s.includes('count') ? 'count' : 'none';
      });
      const branch: Status = statuses.includes('filters') ? 'filters' : statuses.includes('unknown') ? 'unknown' : statuses.includes('count') ? 'count' : 'none';
      if (rank(branch) > rank(worst)) worst = branch;
    }
    const partial = branches.length > 1 ? ' in at least one Fn::If branch' : '';
    if (worst === 'none') {
      issues.push({ resource: acl, kind: 'violation', location: 'Rules', message: `${where} does not run the AWS managed rule group ${group}${partial}` });
    } else if (worst === 'count') {
      issues.push({
        resource: acl,
        kind: 'violation',
        location: 'Rules',
        message: `${where} runs ${group} with OverrideAction Count${partial}: matching requests are only counted, not blocked; use OverrideAction None`,
      });
    } else if (worst === 'unknown') {
      issues.push({ resource: acl, kind: 'unverifiable', location: 'Rules', message: `cannot verify that ${where} runs ${group}: a rule is ${unknownAlt ? describe(unknownAlt) : 'not resolvable'}` });
    }
  }
  return issues;
}

function rank(s: Status): number {
  return { filters: 0, unknown: 1, count: 2, none: 3 }[s];
}

/** What one rule (one alternative) does for a required group. */
function ruleStatus(stack: StackModel, rule: Alt, group: string): Status {
  if (rule.kind === 'absent') return 'none';
  if (rule.kind !== 'value') return 'unknown';
  if (!isPlainObject(rule.value)) return 'none';
  const resolver = stack.resolver;
  const stmts = resolver.path(stack, [rule], ['Statement', 'ManagedRuleGroupStatement']);
  const out = new Set<Status>();
  for (const st of stmts) {
    if (st.kind === 'absent') {
      out.add('none');
      continue;
    }
    if (st.kind !== 'value' || !isPlainObject(st.value)) {
      out.add('unknown');
      continue;
    }
    for (const vendor of resolver.path(stack, [st], ['VendorName'])) {
      for (const name of resolver.path(stack, [st], ['Name'])) {
        const v = vendor.kind === 'value' ? stringOf(vendor) : undefined;
        const n = name.kind === 'value' ? stringOf(name) : undefined;
        if (v === undefined || n === undefined) {
          out.add(vendor.kind === 'absent' || name.kind === 'absent' ? 'none' : 'unknown');
          continue;
        }
        if (managedGroupEffect(v, n, [], group) === 'none') {
          out.add('none');
          continue;
        }
        for (const o of resolver.path(stack, [rule], ['OverrideAction'])) {
          if (o.kind === 'absent') out.add('filters');
          else if (o.kind !== 'value') out.add('unknown');
          else out.add(managedGroupEffect(v, n, isPlainObject(o.value) ? Object.keys(o.value) : [], group));
        }
      }
    }
  }
  if (out.size === 1) return [...out][0];
  if (out.has('unknown')) return 'unknown';
  return out.has('none') ? 'none' : out.has('count') ? 'count' : 'filters';
}

