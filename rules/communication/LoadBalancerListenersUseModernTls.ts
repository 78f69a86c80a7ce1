import type { ResourceHandle } from '../engine/model';
import { RuleIssue, SrmIipRule, unverifiable } from '../engine/rule';
import { Alt, describe, isPlainObject, judgeAll, stringOf, Verdict } from '../engine/values';

/** The policy ELBv2 applies when a template sets no `SslPolicy` (CLI, CloudFormation and CDK; the console differs). It accepts TLS 1.0. */
export const ELB_DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-2016-08';

/**
 * An ELBv2 security policy whose minimum protocol is TLS 1.2: the
 * `ELBSecurityPolicy-TLS13-1-2-*` and `-TLS13-1-3-*` families (including
 * Res, Ext, FIPS and PQ variants), `ELBSecurityPolicy-TLS-1-2-*` and
 * `ELBSecurityPolicy-FS-1-2-*`. Not a blanket `TLS13-*`: the
 * `ELBSecurityPolicy-TLS13-1-0-*` and `-TLS13-1-1-*` policies add TLS 1.3 but
 * still accept TLS 1.0 and 1.1.
 */
export function isModernElbSslPolicy(name: string): boolean {
  return /^ELBSecurityPolicy-TLS13-1-[23]-/.test(name) || /^ELBSecurityPolicy-TLS-1-2-/.test(name) || /^ELBSecurityPolicy-FS-1-2-/.test(name);
}

/** A listener action that sends the client to HTTPS without serving the request: `redirect` with protocol HTTPS. */
export function isHttpsRedirect(type: string, redirectProtocol: string | undefined): boolean {
  return type.toLowerCase() === 'redirect' && redirectProtocol !== undefined && redirectProtocol.toUpperCase() === 'HTTPS';
}

/**
 * SRM-IIP-COM-02: ELBv2 listeners terminate TLS with a TLS 1.2+ policy; HTTP
 * listeners (and the listener rules on them) only redirect to HTTPS. Plain
 * TCP/UDP listeners carry no TLS at the load balancer and are reported; where
 * targets terminate TLS themselves, acknowledge the finding with that reason.
 */
export const LoadBalancerListenersUseModernTls: SrmIipRule = {
  id: 'LoadBalancerListenersUseModernTls',
  controlId: 'SRM-IIP-COM-02',
  summary: 'ELBv2 listeners use HTTPS/TLS with a TLS 1.2+ security policy; HTTP listeners only redirect to HTTPS',
  resourceTypes: ['AWS::ElasticLoadBalancingV2::Listener', 'AWS::ElasticLoadBalancingV2::ListenerRule'],
  check(r) {
    return r.type === 'AWS::ElasticLoadBalancingV2::Listener' ? checkListener(r) : checkListenerRule(r);
  },
};

function checkListener(r: ResourceHandle): RuleIssue[] {
  const resolver = r.stack.resolver;
  const issues: RuleIssue[] = [];
  for (const p of resolver.get(r, 'Protocol')) {
    if (p.kind === 'absent') continue; // Gateway Load Balancer listeners take no protocol (GENEVE pass-through).
    const proto = p.kind === 'value' ? stringOf(p)?.toUpperCase() : undefined;
    if (proto === undefined) {
      issues.push(unverifiable(r, 'Protocol', p));
    } else if (proto === 'HTTPS' || proto === 'TLS') {
      issues.push(...checkSslPolicy(r, proto));
    } else if (proto === 'HTTP') {
      issues.push(...checkRedirectOnly(r, resolver.get(r, 'DefaultActions'), 'DefaultActions', 'HTTP listener'));
    } else if (proto === 'GENEVE') {
      continue;
    } else {
      issues.push({
        resource: r,
        kind: 'violation',
        location: 'Protocol',
        message: `listener protocol is ${proto}: the load balancer passes traffic without terminating TLS; use Protocol TLS with a TLS 1.2+ SslPolicy, or acknowledge with the reason if the targets terminate TLS themselves`,
      });
    }
  }
  return dedupeIssues(issues);
}

function checkSslPolicy(r: ResourceHandle, proto: string): RuleIssue[] {
  const { verdict, culprit } = judgeAll(r.stack.resolver.get(r, 'SslPolicy'), (a): Verdict => {
    if (a.kind === 'absent') return 'fail';
    if (a.kind !== 'value') return 'unknown';
    const s = stringOf(a);
    return s !== undefined && isModernElbSslPolicy(s) ? 'pass' : 'fail';
  });
  if (verdict === 'pass') return [];
  if (verdict === 'unknown') return [unverifiable(r, 'SslPolicy', culprit!)];
  const message =
    culprit!.kind === 'absent'
      ? `${proto} listener sets no SslPolicy, so ELB applies its default ${ELB_DEFAULT_SSL_POLICY}, which accepts TLS 1.0 and 1.1; set a TLS 1.2+ policy such as ELBSecurityPolicy-TLS13-1-2-2021-06`
      : `${proto} listener SslPolicy ${describe(culprit!)} accepts protocols older than TLS 1.2; use a TLS 1.2+ policy such as ELBSecurityPolicy-TLS13-1-2-2021-06`;
  return [{ resource: r, kind: 'violation', location: 'SslPolicy', message }];
}

/** Every action (in every branch) must redirect to HTTPS. */
function checkRedirectOnly(r: ResourceHandle, alts: readonly Alt[], location: string, what: string): RuleIssue[] {
  const resolver = r.stack.resolver;
  const items = resolver.items(r.stack, alts);
  if (items.length === 0) {
    const odd = alts.find((a) => a.kind !== 'absent' && !(a.kind === 'value' && Array.isArray(a.value)));
    if (odd && odd.kind !== 'value') return [unverifiable(r, location, odd)];
    return [{ resource: r, kind: 'violation', location, message: `${what} has no ${location}, so it does not redirect to HTTPS` }];
  }
  const { verdict, culprit } = judgeAll(items, (a): Verdict => {
    if (a.kind !== 'value') return 'unknown';
    if (!isPlainObject(a.value)) return 'fail';
    return judgeAll(resolver.path(r.stack, [a], ['Type']), (t): Verdict => {
      if (t.kind !== 'value') return t.kind === 'absent' ? 'fail' : 'unknown';
      const type = stringOf(t) ?? '';
      if (type.toLowerCase() !== 'redirect') return 'fail';
      return judgeAll(resolver.path(r.stack, [a], ['RedirectConfig', 'Protocol']), (pr): Verdict => {
        if (pr.kind === 'absent') return 'fail'; // the default `#{protocol}` keeps HTTP
        if (pr.kind !== 'value') return 'unknown';
        return isHttpsRedirect(type, stringOf(pr)) ? 'pass' : 'fail';
      }).verdict;
    }).verdict;
  });
  if (verdict === 'pass') return [];
  if (verdict === 'unknown') return [unverifiable(r, location, culprit!)];
  return [
    {
      resource: r,
      kind: 'violation',
      location,
      message: `${what} serves traffic in plaintext: action ${describe(culprit!)} is not a redirect to HTTPS; an HTTP listener may only redirect (RedirectConfig.Protocol HTTPS)`,
    },
  ];
}

/** A rule on an HTTP listener forwards plaintext unless it redirects to HTTPS too. */
function checkListenerRule(r: ResourceHandle): RuleIssue[] {
  const resolver = r.stack.resolver;
  const actions = resolver.get(r, 'Actions');
  if (checkRedirectOnly(r, actions, 'Actions', 'listener rule').length === 0) return [];
  let sawHttp = false;
  let unknownAlt: Alt | undefined;
  for (const alt of resolver.get(r, 'ListenerArn')) {
    const target = alt.kind === 'ref' ? r.stack.app.resource(alt.stack, alt.logicalId) : undefined;
    if (!target || target.type !== 'AWS::ElasticLoadBalancingV2::Listener') {
      unknownAlt ??= alt;
      continue;
    }
    for (const p of resolver.get(target, 'Protocol')) {
      const proto = p.kind === 'value' ? stringOf(p)?.toUpperCase() : undefined;
      if (proto === 'HTTP') sawHttp = true;
      else if (proto === undefined && p.kind !== 'absent') unknownAlt ??= p;
    }
  }
  if (sawHttp) return checkRedirectOnly(r, actions, 'Actions', 'listener rule on an HTTP listener');
  if (unknownAlt) {
    return [
      {
        resource: r,
        kind: 'unverifiable',
        location: 'ListenerArn',
        message: `cannot verify that this listener rule's actions travel over TLS: its listener is ${describe(unknownAlt)}, so whether it is an HTTP listener cannot be told`,
      },
    ];
  }
  return [];
}

function dedupeIssues(issues: RuleIssue[]): RuleIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.kind}|${i.location}|${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
