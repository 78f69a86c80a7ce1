import type { AppModel, ResourceHandle } from '../engine/model';
import type { RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, expectBool, isPlainObject, judgeAll, stringOf, Verdict } from '../engine/values';
import { existenceDoubt, existing, nameList, shown, stacksPhrase, where } from './common';

/** One resource that may switch a monitoring service on, judged. */
interface ProviderJudgement {
  readonly resource: ResourceHandle;
  readonly verdict: Verdict;
  /** Why it fails or cannot be judged, for the message. */
  readonly why?: string;
}

/**
 * "Some resource must switch the service on": pass when one provider passes
 * and surely exists; unverifiable when the best one cannot be judged or may
 * not exist; a violation naming the service (and what each provider lacks)
 * otherwise.
 */
function requireProvider(app: AppModel, service: string, types: readonly string[], providers: readonly ProviderJudgement[]): RuleIssue[] {
  if (providers.some((p) => p.verdict === 'pass' && existenceDoubt(p.resource) === undefined)) return [];
  const doubtful = providers.filter((p) => p.verdict !== 'fail');
  if (doubtful.length > 0) {
    const reasons = doubtful.map((p) => (p.verdict === 'pass' ? existenceDoubt(p.resource)! : `${where(p.resource)}: ${p.why}`));
    return [{ kind: 'unverifiable', message: `cannot verify that ${service} is enabled: ${nameList(reasons, 4)}` }];
  }
  if (providers.length > 0) {
    return [{ kind: 'violation', message: `${service} is not enabled: ${nameList(providers.map((p) => `${where(p.resource)} ${p.why}`), 4)}` }];
  }
  return [{ kind: 'violation', message: `${service} is not enabled: no ${types.join(' or ')} in ${stacksPhrase(app)}` }];
}

/** AWS Config record-all strategies: every supported type (optionally minus exclusions the owner chose). */
export function recordsAllResourceTypes(useOnly: string | undefined, allSupported: boolean | undefined): boolean {
  if (useOnly !== undefined) return useOnly === 'ALL_SUPPORTED_RESOURCE_TYPES' || useOnly === 'EXCLUSION_BY_RESOURCE_TYPES';
  return allSupported === true;
}

function judgeDetector(r: ResourceHandle): ProviderJudgement {
  const { verdict, culprit } = judgeAll(r.stack.resolver.get(r, 'Enable'), (a) => expectBool(a, true));
  return { resource: r, verdict, why: culprit ? `has Enable ${shown(culprit)}` : undefined };
}

function judgeRecorder(r: ResourceHandle): ProviderJudgement {
  const res = r.stack.resolver;
  const { verdict, culprit } = judgeAll(res.get(r, 'RecordingGroup'), (g: Alt): Verdict => {
    if (g.kind === 'absent') return 'pass'; // AWS Config records all supported types when no recording group is given
    if (g.kind !== 'value' || !isPlainObject(g.value)) return g.kind === 'value' ? 'fail' : 'unknown';
    const useOnly = res.path(r.stack, [g], ['RecordingStrategy', 'UseOnly']);
    const all = res.path(r.stack, [g], ['AllSupported']);
    let v: Verdict = 'pass';
    for (const u of useOnly) {
      if (u.kind === 'absent') {
        for (const s of all) {
          const sv = s.kind === 'absent' ? 'fail' : s.kind === 'value' ? (recordsAllResourceTypes(undefined, expectBool(s, true) === 'pass') ? 'pass' : 'fail') : 'unknown';
          if (sv === 'fail') return 'fail';
          if (sv === 'unknown') v = 'unknown';
        }
      } else if (u.kind === 'value') {
        if (!recordsAllResourceTypes(stringOf(u), undefined)) return 'fail';
      } else {
        v = 'unknown';
      }
    }
    return v;
  });
  return {
    resource: r,
    verdict,
    why: culprit ? `records only selected resource types (RecordingGroup is ${describe(culprit)}; needs AllSupported true or RecordingStrategy ALL_SUPPORTED_RESOURCE_TYPES)` : undefined,
  };
}

function judgeAuditConfiguration(r: ResourceHandle): ProviderJudgement {
  const res = r.stack.resolver;
  const { verdict, culprit } = judgeAll(res.get(r, 'AuditCheckConfigurations'), (c): Verdict => {
    if (c.kind === 'absent') return 'fail';
    if (c.kind !== 'value') return 'unknown';
    if (!isPlainObject(c.value)) return 'fail';
    let v: Verdict = 'fail';
    for (const check of Object.keys(c.value)) {
      const { verdict: e } = judgeAll(res.path(r.stack, [c], [check, 'Enabled']), (a) => expectBool(a, true, false));
      if (e === 'pass') return 'pass';
      if (e === 'unknown') v = 'unknown';
    }
    return v;
  });
  return { resource: r, verdict, why: culprit ? `enables no audit check (AuditCheckConfigurations is ${describe(culprit)})` : undefined };
}

/** Whether the app uses AWS IoT Core (any AWS::IoT::* resource that may exist). */
export function usesIot(app: AppModel): boolean {
  for (const t of app.resourceTypes) if (t.startsWith('AWS::IoT::') && existing(app, t).length > 0) return true;
  return false;
}

/**
 * SRM-IIP-OPS-03: the app switches on GuardDuty, Security Hub, AWS Config
 * recording (recorder for all resource types and a delivery channel) and,
 * where AWS IoT is used, IoT Device Defender audit. One issue per missing
 * service. The services may sit in any stack of the app.
 */
export const SecurityMonitoringEnabled: SrmIipRule = {
  id: 'SecurityMonitoringEnabled',
  controlId: 'SRM-IIP-OPS-03',
  summary: 'The app enables GuardDuty, Security Hub, AWS Config recording and, where IoT is used, IoT Device Defender audit',
  resourceTypes: [
    'AWS::GuardDuty::Detector',
    'AWS::SecurityHub::Hub',
    'AWS::SecurityHub::HubV2',
    'AWS::Config::ConfigurationRecorder',
    'AWS::Config::DeliveryChannel',
    'AWS::IoT::AccountAuditConfiguration',
    'AWS::IoT::ScheduledAudit',
  ],
  checkApp(ctx) {
    const app = ctx.app;
    const issues: RuleIssue[] = [];
    const detectors = ['AWS::GuardDuty::Detector'];
    issues.push(...requireProvider(app, 'GuardDuty', detectors, existing(app, ...detectors).map(judgeDetector)));
    const hubs = ['AWS::SecurityHub::Hub', 'AWS::SecurityHub::HubV2'];
    issues.push(...requireProvider(app, 'Security Hub', hubs, existing(app, ...hubs).map((r) => ({ resource: r, verdict: 'pass' as const }))));
    const recorders = ['AWS::Config::ConfigurationRecorder'];
    issues.push(...requireProvider(app, 'AWS Config recording', recorders, existing(app, ...recorders).map(judgeRecorder)));
    const channels = ['AWS::Config::DeliveryChannel'];
    issues.push(...requireProvider(app, 'AWS Config delivery (a delivery channel for the recorder)', channels, existing(app, ...channels).map((r) => ({ resource: r, verdict: 'pass' as const }))));
    if (usesIot(app)) {
      const audits = ['AWS::IoT::AccountAuditConfiguration', 'AWS::IoT::ScheduledAudit'];
      const providers = [
        ...existing(app, 'AWS::IoT::AccountAuditConfiguration').map(judgeAuditConfiguration),
        ...existing(app, 'AWS::IoT::ScheduledAudit').map((r) => ({ resource: r, verdict: 'pass' as const })),
      ];
      issues.push(...requireProvider(app, 'IoT Device Defender audit (the app uses AWS IoT)', audits, providers));
    }
    return issues;
  },
};
