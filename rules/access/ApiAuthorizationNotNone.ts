import type { ResourceHandle } from '../engine/model';
import type { RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, stringOf } from '../engine/values';

/** Whether an AuthorizationType value means "no authentication". */
export function isNoneAuthorizationType(authorizationType: string): boolean {
  return authorizationType.trim().toUpperCase() === 'NONE';
}

/** Whether an HTTP method is a CORS preflight (`OPTIONS`), which browsers send without credentials. */
export function isCorsPreflightMethod(httpMethod: string): boolean {
  return httpMethod.trim().toUpperCase() === 'OPTIONS';
}

/**
 * How an API Gateway V2 route key is authorized: `http` routes
 * (`GET /items`, `ANY /{proxy+}`), the WebSocket `$connect` route (the only
 * WebSocket route that takes an authorizer), `websocket-other` routes (which
 * cannot take one), or `ambiguous` (`$default` exists in both protocols).
 */
export function apiRouteKeyKind(routeKey: string): 'http' | 'options' | 'websocket-connect' | 'websocket-other' | 'ambiguous' {
  const k = routeKey.trim();
  if (/^OPTIONS\s/i.test(k)) return 'options';
  if (/^(GET|POST|PUT|PATCH|DELETE|HEAD|ANY)\s/i.test(k)) return 'http';
  if (k === '$connect') return 'websocket-connect';
  if (k === '$default') return 'ambiguous';
  return 'websocket-other';
}

/**
 * SRM-IIP-ACC-05 (API part): no API Gateway method or route is explicitly
 * `NONE`-authorized, except CORS `OPTIONS` preflights, WebSocket routes other
 * than `$connect` (they cannot carry an authorizer) and HTTP API `OPTIONS`
 * routes. Only an explicit `NONE` is flagged here: that every method and
 * route has an authorizer (including a route whose AuthorizationType is left
 * out, which API Gateway treats as NONE) is SRM-IIP-APP-01's check, and
 * checking it twice would report one gap under two controls.
 */
export const ApiAuthorizationNotNone: SrmIipRule = {
  id: 'ApiAuthorizationNotNone',
  controlId: 'SRM-IIP-ACC-05',
  summary: 'No API Gateway method or route is explicitly NONE-authorized (except CORS OPTIONS)',
  resourceTypes: ['AWS::ApiGateway::Method', 'AWS::ApiGatewayV2::Route'],
  check(r) {
    const res = r.stack.resolver;
    const auth = res.get(r, 'AuthorizationType');
    const none = auth.filter((a) => a.kind === 'value' && stringOf(a) !== undefined && isNoneAuthorizationType(stringOf(a)!));
    const unknownAuth = auth.find((a) => a.kind === 'unknown' || a.kind === 'ref' || (a.kind === 'value' && stringOf(a) === undefined));
    if (none.length === 0) {
      return unknownAuth ? [{ resource: r, kind: 'unverifiable', location: 'AuthorizationType', message: `cannot verify AuthorizationType: its value is ${describe(unknownAuth)}` }] : [];
    }
    const branch = auth.length > 1 ? ' (in one branch of Fn::If)' : '';
    return r.type === 'AWS::ApiGateway::Method' ? checkMethod(r, branch) : checkRoute(r, branch);
  },
};

function checkMethod(r: ResourceHandle, branch: string): RuleIssue[] {
  const methods = r.stack.resolver.get(r, 'HttpMethod');
  const bad = methods.find((m) => m.kind === 'value' && stringOf(m) !== undefined && !isCorsPreflightMethod(stringOf(m)!));
  if (bad) {
    return [{ resource: r, kind: 'violation', location: 'AuthorizationType', message: `method ${stringOf(bad)} is callable without authentication (AuthorizationType is 'NONE'${branch})` }];
  }
  const unresolved = methods.find((m) => !(m.kind === 'value' && stringOf(m) !== undefined));
  return unresolved
    ? [{ resource: r, kind: 'unverifiable', location: 'HttpMethod', message: `cannot verify HttpMethod of a NONE-authorized method: its value is ${describe(unresolved)} and it may not be OPTIONS` }]
    : [];
}

function checkRoute(r: ResourceHandle, branch: string): RuleIssue[] {
  const res = r.stack.resolver;
  const protocols = new Set<string>();
  let apiUnknown: Alt | undefined;
  for (const { alt, target } of res.targets(res.get(r, 'ApiId'))) {
    if (target && target.type === 'AWS::ApiGatewayV2::Api') {
      for (const p of res.get(target, 'ProtocolType')) {
        const s = p.kind === 'value' ? stringOf(p)?.toUpperCase() : undefined;
        if (s === 'HTTP' || s === 'WEBSOCKET') protocols.add(s);
        else apiUnknown ??= p;
      }
    } else {
      apiUnknown ??= alt;
    }
  }
  const issues: RuleIssue[] = [];
  for (const k of res.get(r, 'RouteKey')) {
    const key = k.kind === 'value' ? stringOf(k) : undefined;
    if (key === undefined) {
      issues.push({ resource: r, kind: 'unverifiable', location: 'RouteKey', message: `cannot verify RouteKey of a NONE-authorized route: its value is ${describe(k)}` });
      continue;
    }
    let kind = apiRouteKeyKind(key);
    if (kind === 'options') continue;
    if (protocols.size === 1 && !apiUnknown) {
      // The API's protocol decides what $default and custom keys are.
      if (protocols.has('HTTP')) kind = 'http';
      else if (kind !== 'websocket-connect') kind = 'websocket-other';
    }
    if (kind === 'websocket-other') continue;
    if (kind === 'ambiguous') {
      issues.push({ resource: r, kind: 'unverifiable', location: 'ApiId', message: `cannot verify route '${key}': it is NONE-authorized and its API (${describe(apiUnknown ?? { kind: 'absent' })}) cannot be resolved to an HTTP or WebSocket API` });
      continue;
    }
    issues.push({
      resource: r,
      kind: 'violation',
      location: 'AuthorizationType',
      message: `route '${key}' is callable without authentication (AuthorizationType is 'NONE'${branch})`,
    });
  }
  return issues;
}
