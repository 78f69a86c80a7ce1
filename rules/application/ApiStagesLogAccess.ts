import type { ResourceHandle } from '../engine/model';
import { RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, judgeAll, stringOf, Verdict } from '../engine/values';
import { restStageOf, stageSettingsPath } from './api-stages';

/** A log destination value that names something: a non-empty string (an ARN) or a reference. */
export function isLogDestination(arn: string): boolean {
  return arn.trim() !== '';
}

function judgeDestination(a: Alt): Verdict {
  if (a.kind === 'ref') return 'pass';
  if (a.kind === 'absent') return 'fail';
  if (a.kind === 'unknown') return a.text !== undefined && a.text.trim() !== '' && !/^depends on parameter /.test(a.reason) ? 'pass' : 'unknown';
  const s = stringOf(a);
  return s !== undefined && isLogDestination(s) ? 'pass' : 'fail';
}

/**
 * SRM-IIP-APP-05: API Gateway stages write access logs: REST stages (and
 * stages a deployment creates) set AccessLogSetting.DestinationArn, HTTP and
 * WebSocket stages set AccessLogSettings.DestinationArn.
 */
export const ApiStagesLogAccess: SrmIipRule = {
  id: 'ApiStagesLogAccess',
  controlId: 'SRM-IIP-APP-05',
  summary: 'API Gateway stages send access logs to a destination (AccessLogSetting/AccessLogSettings DestinationArn)',
  resourceTypes: ['AWS::ApiGateway::Stage', 'AWS::ApiGateway::Deployment', 'AWS::ApiGatewayV2::Stage'],
  check(r, ctx) {
    let path: string[];
    if (r.type === 'AWS::ApiGatewayV2::Stage') {
      path = ['AccessLogSettings', 'DestinationArn'];
    } else {
      const stage = restStageOf(ctx.app, r);
      if (!stage) return [];
      path = stageSettingsPath(stage, 'AccessLogSetting', 'DestinationArn');
    }
    return judge(r, path);
  },
};

function judge(r: ResourceHandle, path: string[]): RuleIssue[] {
  const location = path.join('.');
  const { verdict, culprit } = judgeAll(r.stack.resolver.get(r, ...path), judgeDestination);
  if (verdict === 'pass') return [];
  if (verdict === 'unknown') return [{ resource: r, kind: 'unverifiable', location, message: `cannot verify access logging: ${location} is ${describe(culprit!)}` }];
  return [
    {
      resource: r,
      kind: 'violation',
      location,
      message: `stage keeps no access log: ${location} is ${describe(culprit!)}; send access logs to a CloudWatch Logs group or Firehose stream (CDK: deployOptions.accessLogDestination / accessLogSettings)`,
    },
  ];
}
