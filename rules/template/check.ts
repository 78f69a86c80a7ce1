import { AppModel, StackInput } from '../engine/model';
import type { SrmIipRule } from '../engine/rule';
import { AcknowledgementLookup, CheckOptions, CheckResult, runRules } from '../engine/run';
import { ALL_RULES } from '../registry';

/** Options for checking raw templates. */
export interface TemplateCheckOptions extends CheckOptions {
  /** Region the template will be deployed to (SRM-IIP-MGT-03). @default - unknown: MGT-03 reports it cannot verify the stack region */
  readonly region?: string;
  /** Account the template will be deployed to. @default - unknown */
  readonly account?: string;
  /** Name of the template in findings. @default 'Template' */
  readonly name?: string;
  /** File the template was read from, for reports. @default - none */
  readonly templatePath?: string;
}

/**
 * Check one CloudFormation template (already parsed) against the SRM-IIP
 * rules, with no CDK source. Throws TemplateShapeError when the document is
 * not a template, SrmIipError on bad options; never on template content.
 */
export function checkTemplate(template: unknown, options: TemplateCheckOptions = {}): CheckResult {
  return checkTemplates(
    [{ name: options.name ?? 'Template', template, templatePath: options.templatePath, region: options.region, account: options.account }],
    options,
  );
}

/** Check several templates as one app: cross-stack references (exports and imports) resolve between them. */
export function checkTemplates(
  stacks: readonly StackInput[],
  options: CheckOptions = {},
  rules: readonly SrmIipRule[] = ALL_RULES,
  acknowledge?: AcknowledgementLookup,
): CheckResult {
  return runRules(AppModel.fromTemplates(stacks), rules, options, acknowledge);
}
