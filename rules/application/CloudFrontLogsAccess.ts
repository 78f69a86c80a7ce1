import type { AppModel, ResourceHandle } from '../engine/model';
import { RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, stringOf, textOf } from '../engine/values';
import { existsWhenever } from '../communication/resource-match';

/** The distribution logical ID or literal ID named by a CloudFront distribution ARN text (`…:distribution/${Dist}`). */
export function distributionFromArnText(text: string): string | undefined {
  const m = /:distribution\/([^/]+)$/.exec(text);
  return m ? m[1] : undefined;
}

const SOURCES = new WeakMap<AppModel, Map<string, Array<{ source: ResourceHandle; certain: boolean }>>>();

/** Standard logging (v2): `AWS::Logs::DeliverySource` resources with LogType ACCESS_LOGS, by the distribution they name. */
function deliverySources(app: AppModel) {
  let idx = SOURCES.get(app);
  if (idx) return idx;
  idx = new Map();
  for (const s of app.resourcesOfType('AWS::Logs::DeliverySource')) {
    const resolver = s.stack.resolver;
    const exists = resolver.exists(s);
    if (exists === 'never') continue;
    const types = resolver.get(s, 'LogType').map((t) => (t.kind === 'value' ? stringOf(t) : undefined));
    if (!types.includes('ACCESS_LOGS')) continue;
    const arns = resolver.get(s, 'ResourceArn');
    for (const a of arns) {
      const text = textOf(a);
      const id = text !== undefined ? distributionFromArnText(text) : undefined;
      if (id === undefined) continue;
      const k = id.replace(/^\$\{([^}.]+)(\.Id)?\}$/, '$1');
      idx.set(k, [...(idx.get(k) ?? []), { source: s, certain: arns.length === 1 && types.every((t) => t === 'ACCESS_LOGS') }]);
    }
  }
  SOURCES.set(app, idx);
  return idx;
}

function isSet(a: Alt): 'yes' | 'no' | 'unknown' {
  if (a.kind === 'absent') return 'no';
  if (a.kind === 'ref') return 'yes';
  if (a.kind === 'value') return (stringOf(a) ?? '').trim() !== '' ? 'yes' : 'no';
  return a.text !== undefined && !/^depends on parameter /.test(a.reason) ? 'yes' : 'unknown';
}

/**
 * SRM-IIP-APP-05: CloudFront distributions log viewer requests: standard
 * logging to S3 (`DistributionConfig.Logging.Bucket`), real-time logs on the
 * default cache behavior, or standard logging v2 (an
 * `AWS::Logs::DeliverySource` with LogType ACCESS_LOGS for the distribution).
 */
export const CloudFrontLogsAccess: SrmIipRule = {
  id: 'CloudFrontLogsAccess',
  controlId: 'SRM-IIP-APP-05',
  summary: 'CloudFront distributions keep access logs (Logging.Bucket, a real-time log config, or a standard logging v2 delivery source)',
  resourceTypes: ['AWS::CloudFront::Distribution'],
  check(r, ctx) {
    const resolver = r.stack.resolver;
    const logging = resolver.get(r, 'DistributionConfig', 'Logging', 'Bucket').map(isSet);
    const realtime = resolver.get(r, 'DistributionConfig', 'DefaultCacheBehavior', 'RealtimeLogConfigArn').map(isSet);
    // Each Fn::If combination is a way the distribution may be written; a way without any log fails.
    if (logging.every((l) => l === 'yes') || realtime.every((l) => l === 'yes')) return [];
    // ARN texts carry the logical ID, not the stack: a source in any stack that names this ID counts.
    const sources = deliverySources(ctx.app).get(r.logicalId) ?? [];
    if (sources.some((s) => s.certain && existsWhenever(s.source, r))) return [];
    const issues: RuleIssue[] = [];
    if (logging.includes('unknown') || realtime.includes('unknown') || sources.length > 0) {
      const why = [
        ...(logging.includes('unknown') ? [`Logging.Bucket is ${describe(resolver.get(r, 'DistributionConfig', 'Logging', 'Bucket').find((a) => isSet(a) === 'unknown')!)}`] : []),
        ...sources.map((s) => `delivery source ${s.source.logicalId} in stack ${s.source.stack.name} applies only under a condition`),
      ];
      issues.push({ resource: r, kind: 'unverifiable', location: 'DistributionConfig.Logging', message: `cannot verify access logging: ${why.join('; ') || 'a logging setting cannot be resolved'}` });
      return issues;
    }
    const partial = logging.includes('yes') || realtime.includes('yes') ? ' in at least one Fn::If branch' : '';
    issues.push({
      resource: r,
      kind: 'violation',
      location: 'DistributionConfig.Logging',
      message: `distribution keeps no access log${partial}: no Logging.Bucket, no real-time log config on the default cache behavior, and no AWS::Logs::DeliverySource (ACCESS_LOGS) for it (CDK: enableLogging: true)`,
    });
    return issues;
  },
};
