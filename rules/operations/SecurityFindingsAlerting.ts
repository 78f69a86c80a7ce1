import type { AppModel, ResourceHandle } from '../engine/model';
import type { RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, isPlainObject, judgeAll, stringOf, unknown, value, Verdict } from '../engine/values';
import { existenceDoubt, existing, judgeIsSet, literal, nameList, perApp, pointees, shown, someElementInEveryBranch, stacksPhrase, where } from './common';

/** Event sources whose events are security findings. */
export const FINDING_SOURCES = ['aws.guardduty', 'aws.securityhub'] as const;

/** Whether an event pattern's `source` / `detail-type` values select security findings. */
export function selectsSecurityFindings(sources: readonly string[], detailTypes: readonly string[]): boolean {
  return (
    sources.some((s) => (FINDING_SOURCES as readonly string[]).includes(s)) ||
    detailTypes.some((d) => /^(GuardDuty Finding|Security Hub Findings\b)/i.test(d))
  );
}

type Tri = 'yes' | 'no' | 'maybe';

/** Read the EventPattern of a rule (object or JSON string) and decide whether it selects findings. */
function patternSelectsFindings(r: ResourceHandle): { answer: Tri; why?: string } {
  const res = r.stack.resolver;
  const answers = new Set<Tri>();
  let why: string | undefined;
  for (let p of res.get(r, 'EventPattern')) {
    if (p.kind === 'absent') {
      answers.add('no');
      continue;
    }
    if (p.kind === 'value' && typeof p.value === 'string') {
      try {
        p = value(JSON.parse(p.value));
      } catch {
        p = unknown('an event pattern that is not valid JSON');
      }
    }
    if (p.kind !== 'value' || !isPlainObject(p.value)) {
      answers.add('maybe');
      why ??= `its EventPattern is ${describe(p)}`;
      continue;
    }
    const strings = (key: string): { known: string[]; unknown: boolean } => {
      const known: string[] = [];
      let unk = false;
      for (const a of res.items(r.stack, res.path(r.stack, [p], [key]))) {
        if (a.kind === 'value' && typeof a.value === 'string') known.push(a.value);
        else if (a.kind !== 'value') unk = true; // content filters ({prefix: …}) are objects: not a finding selector we can name
      }
      return { known, unknown: unk };
    };
    const s = strings('source');
    const d = strings('detail-type');
    if (selectsSecurityFindings(s.known, d.known)) answers.add('yes');
    else if (s.unknown || d.unknown) {
      answers.add('maybe');
      why ??= 'its event source cannot be resolved';
    } else answers.add('no');
  }
  if (answers.size === 0 || (answers.size === 1 && answers.has('no'))) return { answer: 'no' };
  if (answers.size === 1 && answers.has('yes')) return { answer: 'yes' };
  return { answer: 'maybe', why: why ?? 'it selects security findings only in some Fn::If branches of its EventPattern' };
}

type TargetKind = { kind: 'encrypted-topic'; topic: ResourceHandle } | { kind: 'plain-topic'; topic: ResourceHandle; culprit: Alt } | { kind: 'unknown'; why: string } | { kind: 'other' };

const topicsByName = perApp((app) => {
  const m = new Map<string, ResourceHandle>();
  for (const t of app.resourcesOfType('AWS::SNS::Topic')) for (const a of t.stack.resolver.get(t, 'TopicName')) if (literal(a)) m.set(literal(a)!, t);
  return m;
});

function judgeTopic(t: ResourceHandle): TargetKind {
  const { verdict, culprit } = judgeAll(t.stack.resolver.get(t, 'KmsMasterKeyId'), judgeIsSet);
  if (verdict === 'pass') return { kind: 'encrypted-topic', topic: t };
  if (verdict === 'fail') return { kind: 'plain-topic', topic: t, culprit: culprit! };
  return { kind: 'unknown', why: `the encryption of ${where(t)} cannot be resolved (KmsMasterKeyId is ${describe(culprit!)})` };
}

function classifyTarget(rule: ResourceHandle, arn: Alt): TargetKind {
  const app = rule.stack.app;
  if (arn.kind === 'value') {
    const s = stringOf(arn) ?? '';
    const m = /^arn:[^:]*:sns:[^:]*:[^:]*:(.+)$/.exec(s);
    if (!m) return { kind: 'other' };
    const t = topicsByName(app).get(m[1]);
    return t ? judgeTopic(t) : { kind: 'unknown', why: `it targets SNS topic ${s}, which is not defined in the app, so its encryption cannot be verified` };
  }
  const pointed = pointees(rule.stack, arn);
  const topic = pointed.find((p) => p.type === 'AWS::SNS::Topic');
  if (topic) return judgeTopic(topic);
  if (pointed.length > 0) return { kind: 'other' };
  const text = arn.kind === 'unknown' ? arn.text ?? '' : '';
  if (arn.kind === 'unknown' && !/:sns:/.test(text) && /^arn:/.test(text)) return { kind: 'other' };
  return { kind: 'unknown', why: `a target ARN is ${describe(arn)}` };
}

/** CloudWatch alarms on the metrics of an EventBridge rule (namespace AWS/Events, dimension RuleName) that have actions. */
const alarmedRules = perApp((app: AppModel) => {
  const out = new Set<ResourceHandle>();
  for (const alarm of app.resourcesOfType('AWS::CloudWatch::Alarm')) {
    const res = alarm.stack.resolver;
    if (!res.get(alarm, 'Namespace').some((a) => literal(a) === 'AWS/Events')) continue;
    if (res.get(alarm, 'ActionsEnabled').some((a) => a.kind === 'value' && String(a.value).toLowerCase() === 'false')) continue;
    if (!res.items(alarm.stack, res.get(alarm, 'AlarmActions')).length) continue;
    for (const dim of res.items(alarm.stack, res.get(alarm, 'Dimensions'))) {
      if (!res.path(alarm.stack, [dim], ['Name']).some((a) => literal(a) === 'RuleName')) continue;
      for (const v of res.path(alarm.stack, [dim], ['Value'])) for (const p of pointees(alarm.stack, v)) if (p.type === 'AWS::Events::Rule') out.add(p);
    }
  }
  return out;
});

/**
 * SRM-IIP-OPS-04: some EventBridge rule selects GuardDuty or Security Hub
 * findings and sends them to an SNS topic encrypted with a KMS key
 * (KmsMasterKeyId), or is watched by a CloudWatch alarm with actions. A
 * finding rule that sends to an unencrypted topic is a violation on its own.
 */
export const SecurityFindingsAlerting: SrmIipRule = {
  id: 'SecurityFindingsAlerting',
  controlId: 'SRM-IIP-OPS-04',
  summary: 'An EventBridge rule routes GuardDuty or Security Hub findings to an encrypted SNS topic or an alarm',
  resourceTypes: ['AWS::Events::Rule', 'AWS::SNS::Topic', 'AWS::CloudWatch::Alarm'],
  checkApp(ctx) {
    const issues: RuleIssue[] = [];
    let routed = false;
    const doubts: string[] = [];
    const failures: string[] = [];
    for (const rule of existing(ctx.app, 'AWS::Events::Rule')) {
      const res = rule.stack.resolver;
      const selects = patternSelectsFindings(rule);
      if (selects.answer === 'no') continue;
      const name = where(rule);
      const state: Verdict = judgeAll(res.get(rule, 'State'), (a) => (a.kind === 'absent' ? 'pass' : a.kind === 'value' ? (stringOf(a) === 'DISABLED' ? 'fail' : 'pass') : 'unknown')).verdict;
      const why: string[] = [];
      const targets = res.get(rule, 'Targets');
      const classify = (target: Alt) => res.path(rule.stack, [target], ['Arn']).map((arn) => classifyTarget(rule, arn));
      // Any target, in any branch, that sends findings to an unencrypted topic is a violation of its own.
      const plainSeen = new Set<ResourceHandle>();
      for (const target of res.items(rule.stack, targets)) {
        for (const k of classify(target)) {
          if (k.kind === 'plain-topic' && !plainSeen.has(k.topic)) {
            plainSeen.add(k.topic);
            issues.push({
              resource: rule,
              kind: 'violation',
              location: 'Targets',
              message: `security findings go to SNS topic ${k.topic.logicalId} (stack ${k.topic.stack.name}), which is not encrypted (KmsMasterKeyId is ${shown(k.culprit)})`,
            });
          }
          if (k.kind === 'unknown') why.push(k.why);
        }
      }
      // Delivery needs an encrypted-topic target in every Fn::If branch of Targets.
      const reach = someElementInEveryBranch(rule.stack, targets, (target) => {
        const kinds = classify(target);
        if (kinds.length > 0 && kinds.every((k) => k.kind === 'encrypted-topic')) return 'yes';
        return kinds.some((k) => k.kind === 'unknown') ? 'maybe' : 'no';
      });
      let delivers: Verdict = reach === 'yes' ? 'pass' : reach === 'maybe' ? 'unknown' : 'fail';
      if (alarmedRules(ctx.app).has(rule)) delivers = 'pass';
      const doubt = existenceDoubt(rule);
      if (state === 'fail') {
        failures.push(`${name} is disabled (State DISABLED)`);
      } else if (selects.answer === 'yes' && state === 'pass' && delivers === 'pass' && !doubt) {
        routed = true;
      } else if (delivers === 'fail') {
        failures.push(`${name} has no encrypted SNS topic target and no alarm`);
      } else {
        doubts.push(`${name}: ${[selects.why, state === 'unknown' ? 'its State cannot be resolved' : undefined, ...why, doubt].filter(Boolean).join('; ') || 'it may not route findings'}`);
      }
    }
    if (routed) return issues;
    if (doubts.length > 0) {
      issues.push({ kind: 'unverifiable', message: `cannot verify that security findings raise alerts: ${nameList(doubts, 4)}` });
    } else {
      const detail = failures.length > 0 ? `; ${nameList(failures, 4)}` : ` in ${stacksPhrase(ctx.app)}`;
      issues.push({
        kind: 'violation',
        message: `no EventBridge rule routes GuardDuty or Security Hub findings to an encrypted SNS topic or an alarm${detail}`,
      });
    }
    return issues;
  },
};
