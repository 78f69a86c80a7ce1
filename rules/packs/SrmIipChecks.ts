import { CfnResource, IPolicyValidationContext, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { NagPack, NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import type { Control } from '../catalog/types';
import { AppModel } from '../engine/model';
import type { SrmIipRule } from '../engine/rule';
import { CheckOptions, CheckResult, controlLookup, Finding, isBlocking, resolveSettings, runRules } from '../engine/run';
import { SrmIipError } from '../errors';
import { ALL_RULES } from '../registry';
import { KIT_VERSION } from '../version';
import { readTree, stackInputsFromTree, treeAcknowledgements } from './cdk-source';

/** Props of the SRM-IIP pack: cdk-nag's pack props plus the kit's check options. */
export interface SrmIipChecksProps extends NagPackProps, CheckOptions {}

/** Name of the pack in CDK's validation report; acknowledgements may also be written `SRM-IIP::<control ID>`. */
export const SRM_IIP_PACK_NAME = 'SRM-IIP';

/**
 * The SRM-IIP rule pack for cdk-nag v3:
 * `Validations.of(app).addPlugins(new SrmIipChecks(app, options))`.
 *
 * Unlike per-resource packs it checks the app as a whole, so controls that
 * need several resources (a VPC and its flow logs, a bucket and its policy,
 * the audit trail of the app) hold across stacks. Acknowledge a finding with
 * `Validations.of(construct).acknowledge({ id: 'SRM-IIP-NET-05', reason })`;
 * the acknowledgement and its reason show in cdk.out's validation report.
 */
export class SrmIipChecks extends NagPack {
  public readonly name: string = SRM_IIP_PACK_NAME;
  public readonly version = KIT_VERSION;
  public readonly ruleIds: string[];
  private readonly options: CheckOptions;
  private readonly rules: readonly SrmIipRule[];
  private result?: CheckResult;

  constructor(scope?: IConstruct, props: SrmIipChecksProps = {}, rules: readonly SrmIipRule[] = ALL_RULES) {
    super(scope, props);
    this.packName = SRM_IIP_PACK_NAME;
    resolveSettings(props); // bad options fail here, at construction
    // A rule whose control neither the catalog nor props.controls knows would silently never run.
    const lookup = controlLookup(props);
    const unknown = rules.find((r) => !lookup(r.controlId));
    if (unknown) {
      throw new SrmIipError(`rule ${unknown.id} checks control '${unknown.controlId}', which is neither in the SRM-IIP catalog nor in props.controls; add that control to props.controls`);
    }
    this.options = props;
    this.rules = rules;
    this.ruleIds = [...new Set(rules.map((r) => r.controlId))];
  }

  /** The result of the last run: every finding (acknowledged ones included) and the status of every control. */
  public get lastResult(): CheckResult | undefined {
    return this.result;
  }

  /** Called by CDK during synthesis. */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    return this.run(context.appConstruct, context.templatePaths, true);
  }

  /** Check a construct tree directly (tests, benchmarks, CDK versions without `appConstruct`). */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    return this.run(scope, [], false);
  }

  /** Not used: the kit checks whole apps, see `validateScope`. */
  protected checkResource(_node: CfnResource): void {}

  private run(scope: IConstruct, templatePaths: readonly string[], forCdkReport: boolean): PolicyValidationPluginReport {
    const tree = readTree(scope);
    const app = AppModel.fromTemplates(stackInputsFromTree(scope, templatePaths, tree));
    const acks = treeAcknowledgements(scope, tree.acknowledgements);
    this.result = runRules(app, this.rules, this.options, acks);
    const violations: PolicyViolation[] = [];
    const controlOf = controlLookup(this.options);
    for (const f of this.result.findings) {
      // Acknowledged findings go to CDK under the acknowledged ID, so CDK lists them as suppressed, with the reason.
      if (f.acknowledgement && !forCdkReport) continue;
      violations.push(toViolation(f, controlOf(f.controlId)));
    }
    return {
      success: !this.result.findings.some(isBlocking),
      violations,
      metadata: summary(this.result),
    };
  }
}

function toViolation(f: Finding, control: Control | undefined): PolicyViolation {
  const where = f.logicalId && f.templatePath
    ? { resourceLogicalId: f.logicalId, templatePath: f.templatePath, locations: f.location ? [`Properties.${f.location}`] : ['Properties'] }
    : { constructPath: f.constructPath ?? f.stack ?? '', locations: f.location ? [`Properties.${f.location}`] : [] };
  const ruleMetadata: Record<string, string> = { controlId: f.controlId, ruleId: f.ruleId, kind: f.kind };
  if (f.logicalId) ruleMetadata.logicalId = f.logicalId;
  if (f.stack) ruleMetadata.stack = f.stack;
  return {
    ruleName: f.acknowledgement?.key ?? f.controlId,
    description: `${f.controlId} ${control?.title ?? ''} [${f.ruleId}]: ${f.message}`,
    severity: f.severity,
    fix: control?.check,
    ruleMetadata,
    violatingResources: [where],
  };
}

function summary(r: CheckResult): Record<string, string> {
  const count = (s: string) => String(r.controls.filter((c) => c.status === s).length);
  return {
    resources: String(r.resourceCount),
    findings: String(r.findings.length),
    acknowledged: String(r.findings.filter((f) => f.acknowledgement).length),
    controlsPassed: count('passed'),
    controlsFailed: count('failed'),
    controlsAcknowledged: count('acknowledged'),
    controlsNotApplicable: count('not-applicable'),
    controlsManual: count('manual'),
    mapping: 'Controls are mapped to clause titles of ISO/IEC 24392:2023; this is not a conformance claim.',
  };
}
