import type { ResourceHandle } from '../engine/model';
import { judgeAlts, RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, stringOf, Verdict } from '../engine/values';

/** REST API (v1) authorization types that authenticate the caller. */
export const REST_AUTHORIZATION_TYPES = ['AWS_IAM', 'COGNITO_USER_POOLS', 'CUSTOM'] as const;
/** HTTP API authorization types that authenticate the caller. */
export const HTTP_AUTHORIZATION_TYPES = ['AWS_IAM', 'JWT', 'CUSTOM'] as const;
/** WebSocket APIs authorize on `$connect` only (no JWT). */
export const WEBSOCKET_AUTHORIZATION_TYPES = ['AWS_IAM', 'CUSTOM'] as const;

/** Whether an authorization type is one of the allowed ones (`NONE` never is). */
export function isAuthorizingType(type: string, allowed: readonly string[]): boolean {
  return allowed.includes(type.toUpperCase());
}

/** A CORS preflight: an `OPTIONS` method or route, which browsers send without credentials. */
export function isCorsPreflight(methodOrRouteKey: string): boolean {
  const s = methodOrRouteKey.trim().toUpperCase();
  return s === 'OPTIONS' || s.startsWith('OPTIONS ');
}

/**
 * SRM-IIP-APP-01: every REST API method (except CORS `OPTIONS`) and every
 * HTTP API route (except `OPTIONS …`) requires IAM, a Cognito/JWT or a
 * custom authorizer; WebSocket APIs authorize their `$connect` route. An HTTP
 * API created with `Target` (quick create) gets an unauthorized `$default`
 * route and is reported too.
 */
export const ApiRoutesRequireAuthorization: SrmIipRule = {
  id: 'ApiRoutesRequireAuthorization',
  controlId: 'SRM-IIP-APP-01',
  summary: 'API Gateway methods and routes (except CORS OPTIONS) require IAM, Cognito/JWT or a custom authorizer',
  resourceTypes: ['AWS::ApiGateway::Method', 'AWS::ApiGatewayV2::Route', 'AWS::ApiGatewayV2::Api', 'AWS::ApiGateway::RestApi'],
  check(r) {
    if (r.type === 'AWS::ApiGateway::Method') return checkMethod(r);
    if (r.type === 'AWS::ApiGatewayV2::Route') return checkRoute(r);
    const issues = checkOpenApiBody(r);
    return r.type === 'AWS::ApiGatewayV2::Api' ? [...issues, ...checkQuickCreate(r)] : issues;
  },
};

function judgeAuth(r: ResourceHandle, allowed: readonly string[], what: string): RuleIssue[] {
  const alts = r.stack.resolver.get(r, 'AuthorizationType');
  return judgeAlts(
    r,
    alts,
    'AuthorizationType',
    (a): Verdict => {
      if (a.kind === 'absent') return 'fail';
      if (a.kind !== 'value') return 'unknown';
      const s = stringOf(a);
      return s !== undefined && isAuthorizingType(s, allowed) ? 'pass' : 'fail';
    },
    (a) =>
      `${what} can be called without authorization: AuthorizationType is ${a.kind === 'absent' ? 'not set (the default is NONE)' : describe(a)}; use ${allowed.join(', ')}`,
  );
}

function allPreflight(alts: readonly Alt[]): boolean {
  return alts.length > 0 && alts.every((a) => a.kind === 'value' && isCorsPreflight(stringOf(a) ?? ''));
}

function checkMethod(r: ResourceHandle): RuleIssue[] {
  const methods = r.stack.resolver.get(r, 'HttpMethod');
  if (allPreflight(methods)) return [];
  const m = methods.map((a) => (a.kind === 'value' ? stringOf(a) : undefined)).filter((s): s is string => s !== undefined);
  return judgeAuth(r, REST_AUTHORIZATION_TYPES, `method ${m.length ? m.join('|') : describe(methods[0])}`);
}

/** The protocol of the API a route or stage belongs to: 'HTTP', 'WEBSOCKET', or undefined when it cannot be told. */
function protocolOf(r: ResourceHandle): string | undefined {
  const resolver = r.stack.resolver;
  const protos = new Set<string | undefined>();
  for (const a of resolver.get(r, 'ApiId')) {
    const api = a.kind === 'ref' ? r.stack.app.resource(a.stack, a.logicalId) : undefined;
    if (!api || api.type !== 'AWS::ApiGatewayV2::Api') return undefined;
    for (const p of resolver.get(api, 'ProtocolType')) protos.add(p.kind === 'value' ? stringOf(p)?.toUpperCase() : undefined);
  }
  return protos.size === 1 ? [...protos][0] : undefined;
}

function checkRoute(r: ResourceHandle): RuleIssue[] {
  const keys = r.stack.resolver.get(r, 'RouteKey');
  if (allPreflight(keys)) return [];
  const key = keys.length === 1 && keys[0].kind === 'value' ? stringOf(keys[0]) : undefined;
  const proto = protocolOf(r);
  const webSocket = proto === 'WEBSOCKET' || (proto === undefined && (key === '$connect' || key === '$disconnect'));
  if (webSocket) {
    // Only $connect takes an authorizer; the other routes run on the authorized connection.
    if (key !== '$connect') {
      if (key !== undefined) return [];
      return judgeAuth(r, WEBSOCKET_AUTHORIZATION_TYPES, `route ${describe(keys[0])}`);
    }
    return judgeAuth(r, WEBSOCKET_AUTHORIZATION_TYPES, 'WebSocket route $connect');
  }
  return judgeAuth(r, HTTP_AUTHORIZATION_TYPES, `route ${key ?? keys.map(describe).join('|')}`);
}

function checkQuickCreate(r: ResourceHandle): RuleIssue[] {
  const resolver = r.stack.resolver;
  const target = resolver.get(r, 'Target');
  if (target.every((a) => a.kind === 'absent')) return [];
  const protos = resolver.get(r, 'ProtocolType').map((p) => (p.kind === 'value' ? stringOf(p)?.toUpperCase() : undefined));
  if (protos.every((p) => p === 'WEBSOCKET')) return [];
  return [
    {
      resource: r,
      kind: 'violation',
      location: 'Target',
      message: 'the API is quick-created with Target, which adds a $default route without authorization; declare routes as AWS::ApiGatewayV2::Route with an authorizer instead',
    },
  ];
}

/** Routes written in an OpenAPI definition are not template resources: their authorization cannot be checked here. */
function checkOpenApiBody(r: ResourceHandle): RuleIssue[] {
  const resolver = r.stack.resolver;
  for (const prop of ['Body', 'BodyS3Location']) {
    if (resolver.get(r, prop).some((a) => a.kind !== 'absent')) {
      return [
        {
          resource: r,
          kind: 'unverifiable',
          location: prop,
          message: `cannot verify route authorization: the API's routes are defined in its OpenAPI definition (${prop}), not as Method/Route resources; declare them as resources or attest that every operation has a security requirement`,
        },
      ];
    }
  }
  return [];
}
