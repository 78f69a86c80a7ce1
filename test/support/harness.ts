/**
 * Test harness for rules: run one rule (or all) over a raw template or a CDK
 * app and get its findings. Templates are synthesized the way `cdk synth`
 * writes them, so fixtures from L2 constructs test what users deploy.
 */
import { App, Stack } from 'aws-cdk-lib';
import type { StackInput } from '../../rules/engine/model';
import type { SrmIipRule } from '../../rules/engine/rule';
import type { CheckOptions, CheckResult, Finding } from '../../rules/engine/run';
import { ALL_RULES, ruleById } from '../../rules/registry';
import { checkTemplates } from '../../rules/template/check';

export type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; Condition?: string; Metadata?: Record<string, unknown> }>;

/** A template from resources, with optional other sections. */
export function template(resources: Resources, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { AWSTemplateFormatVersion: '2010-09-09', ...extra, Resources: resources };
}

function rulesFor(ruleId?: string): readonly SrmIipRule[] {
  if (!ruleId) return ALL_RULES;
  const rule = ruleById(ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  return [rule];
}

/** Run one rule (or every rule) over raw templates; each entry is one stack. */
export function runOnTemplates(templates: Array<Record<string, unknown> | StackInput>, ruleId?: string, options: CheckOptions = {}): CheckResult {
  const inputs = templates.map((t, i) => ('template' in t && 'name' in t ? (t as StackInput) : { name: `Stack${i}`, template: t }));
  return checkTemplates(inputs, options, rulesFor(ruleId));
}

/** Findings of one rule on one raw template. */
export function findings(t: Record<string, unknown>, ruleId: string, options: CheckOptions = {}): Finding[] {
  return runOnTemplates([t], ruleId, options).findings;
}

/** Synthesize a CDK app (or the app of a stack) and return its stacks as rule inputs. */
export function synthInputs(scope: App | Stack): StackInput[] {
  const app = (Stack.isStack(scope) ? scope.node.root : scope) as App;
  const assembly = app.synth();
  return assembly.stacks.map((s) => ({
    name: s.hierarchicalId,
    template: { Resources: {}, ...s.template },
    templatePath: s.templateFullPath,
    region: s.environment.region === 'unknown-region' ? undefined : s.environment.region,
    account: s.environment.account === 'unknown-account' ? undefined : s.environment.account,
  }));
}

/** Findings of one rule (or every rule) on a synthesized CDK app. */
export function findingsForApp(scope: App | Stack, ruleId?: string, options: CheckOptions = {}): Finding[] {
  return checkTemplates(synthInputs(scope), options, rulesFor(ruleId)).findings;
}

/** Compact view for assertions: `kind logicalId: message`. */
export function summarize(fs: readonly Finding[]): string[] {
  return fs.map((f) => `${f.kind} ${f.logicalId ?? f.stack ?? '(app)'}: ${f.message}`);
}
