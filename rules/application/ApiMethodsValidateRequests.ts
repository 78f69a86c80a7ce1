import type { ResourceHandle } from '../engine/model';
import { RuleIssue, SrmIipRule } from '../engine/rule';
import { describe, expectBool, judgeAll, stringOf } from '../engine/values';

/** HTTP methods that carry a request body (ANY includes them). */
export function methodTakesBody(httpMethod: string): boolean {
  return ['POST', 'PUT', 'PATCH', 'ANY'].includes(httpMethod.toUpperCase());
}

/**
 * SRM-IIP-APP-03: REST API methods that accept a body (POST, PUT, PATCH,
 * ANY) reference a request validator that validates the body, so malformed
 * input is rejected before it reaches the integration.
 */
export const ApiMethodsValidateRequests: SrmIipRule = {
  id: 'ApiMethodsValidateRequests',
  controlId: 'SRM-IIP-APP-03',
  summary: 'REST API methods with a request body (POST, PUT, PATCH, ANY) use a request validator with ValidateRequestBody true',
  resourceTypes: ['AWS::ApiGateway::Method'],
  check(r) {
    const resolver = r.stack.resolver;
    const methods = resolver.get(r, 'HttpMethod');
    const bodyMethods = methods.filter((m) => m.kind !== 'value' || methodTakesBody(stringOf(m) ?? ''));
    if (bodyMethods.length === 0) return [];
    const definite = bodyMethods.some((m) => m.kind === 'value');
    const what = definite ? `method ${bodyMethods.map((m) => stringOf(m) ?? describe(m)).join('|')}` : `method ${describe(bodyMethods[0])} (possibly one with a body)`;
    const issues: RuleIssue[] = [];
    for (const v of resolver.get(r, 'RequestValidatorId')) {
      if (v.kind === 'absent') {
        issues.push(
          definite
            ? { resource: r, kind: 'violation', location: 'RequestValidatorId', message: `${what} accepts a request body without validation: RequestValidatorId is not set; add an AWS::ApiGateway::RequestValidator with ValidateRequestBody true and a request model` }
            : { resource: r, kind: 'unverifiable', location: 'HttpMethod', message: `cannot verify request validation: the method is ${describe(bodyMethods[0])} and RequestValidatorId is not set` },
        );
        continue;
      }
      const validator = v.kind === 'ref' ? r.stack.app.resource(v.stack, v.logicalId) : undefined;
      if (!validator || validator.type !== 'AWS::ApiGateway::RequestValidator') {
        issues.push({ resource: r, kind: 'unverifiable', location: 'RequestValidatorId', message: `cannot verify request validation: RequestValidatorId is ${describe(v)}, not a RequestValidator of the app, so whether it validates the body cannot be read` });
        continue;
      }
      issues.push(...judgeValidator(r, validator, what));
    }
    const seen = new Set<string>();
    return issues.filter((i) => (seen.has(i.message) ? false : (seen.add(i.message), true)));
  },
};

function judgeValidator(r: ResourceHandle, validator: ResourceHandle, what: string): RuleIssue[] {
  const { verdict, culprit } = judgeAll(validator.stack.resolver.get(validator, 'ValidateRequestBody'), (a) => expectBool(a, true, false));
  if (verdict === 'pass') return [];
  if (verdict === 'unknown') {
    return [{ resource: r, kind: 'unverifiable', location: 'RequestValidatorId', message: `cannot verify request validation: ValidateRequestBody of validator ${validator.logicalId} in stack ${validator.stack.name} is ${describe(culprit!)}` }];
  }
  return [
    {
      resource: r,
      kind: 'violation',
      location: 'RequestValidatorId',
      message: `${what} does not validate its body: validator ${validator.logicalId} in stack ${validator.stack.name} has ValidateRequestBody ${culprit!.kind === 'absent' ? 'not set (false)' : describe(culprit!)}`,
    },
  ];
}
