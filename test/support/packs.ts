/**
 * Run the three packs every construct and blueprint must pass: the kit's
 * SrmIipChecks, cdk-nag AwsSolutionsChecks and NIST80053R5Checks.
 */
import { App, PolicyViolation, Stage, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { recordedAcknowledgements, SrmIipChecks, SrmIipChecksProps } from '../../rules/packs';

export interface PackResults {
  readonly srmIip: PolicyViolation[];
  readonly awsSolutions: PolicyViolation[];
  readonly nist: PolicyViolation[];
  /** Every acknowledgement in the tree, with its reason and scope. */
  readonly acknowledgements: Array<{ id: string; reason: string; scope: string }>;
  readonly pack: SrmIipChecks;
}

/** Synthesize first, as `cdk synth` does: aspects (the kit's tags among them) apply at synthesis. */
function synthesize(scope: IConstruct): void {
  const root = scope.node.root;
  if (Stage.isStage(root)) root.synth({ force: true });
}

export function runAllPacks(app: App, options: SrmIipChecksProps = {}): PackResults {
  synthesize(app);
  const pack = new SrmIipChecks(app, options);
  // The kit's own warnings do not fail synthesis; cdk-nag v3 fails a report on warnings too, so peers count in full.
  const errorsOnly = (v: PolicyViolation[]) => v.filter((x) => x.severity === 'error');
  const acknowledgements = [...recordedAcknowledgements(app).values()].flat().map((a) => ({ id: a.key.replace(/^annotation::/i, ''), reason: a.reason, scope: a.scope }));
  return {
    srmIip: errorsOnly(pack.validateScope(app).violations),
    awsSolutions: new AwsSolutionsChecks(app).validateScope(app).violations,
    nist: new NIST80053R5Checks(app).validateScope(app).violations,
    acknowledgements,
    pack,
  };
}

/** `rule construct/path` lines, for readable assertion failures. */
export function describeViolations(vs: readonly PolicyViolation[]): string[] {
  return vs.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath ?? r.resourceLogicalId ?? ''}: ${v.description.slice(0, 160)}`));
}

/** Reasons too vague to accept: an acknowledgement must say why, for this resource. */
export function vagueReasons(acks: ReadonlyArray<{ id: string; reason: string }>): string[] {
  const generic = /^(n\/?a|not needed|not required|ok|false positive|suppressed?|ignore|test)\.?$/i;
  return acks.filter((a) => a.reason.trim().length < 25 || generic.test(a.reason.trim())).map((a) => `${a.id}: '${a.reason}'`);
}

/** Findings of the kit's pack for a scope, as control IDs (for mutation tests). */
export function kitControlIds(scope: IConstruct, options: SrmIipChecksProps = {}): string[] {
  synthesize(scope);
  const pack = new SrmIipChecks(undefined, options);
  pack.validateScope(scope);
  return [...new Set(pack.lastResult!.findings.filter((f) => !f.acknowledgement).map((f) => f.controlId))].sort();
}

/**
 * App-level controls and the kit construct that satisfies each. A test app
 * that holds one construct alone acknowledges the others at the app, naming
 * the construct that provides them in a real platform.
 */
export const APP_LEVEL_PROVIDERS: Readonly<Record<string, string>> = {
  'SRM-IIP-OPS-01': 'IipAuditTrail (multi-region CloudTrail)',
  'SRM-IIP-OPS-03': 'IipSecurityMonitoring (GuardDuty, Security Hub, Config, Device Defender)',
  'SRM-IIP-OPS-04': 'IipSecurityMonitoring (EventBridge rules to an encrypted SNS topic)',
  'SRM-IIP-OPS-05': 'IipBackupPlan (AWS Backup plan, selection and locked vault)',
};

/** Acknowledge the app-level controls a single-construct test app does not provide. */
export function acknowledgeAppLevelControls(app: App, provided: readonly string[] = []): void {
  for (const [id, provider] of Object.entries(APP_LEVEL_PROVIDERS)) {
    if (provided.includes(id)) continue;
    Validations.of(app).acknowledge({ id, reason: `${id} is provided by ${provider} in a full platform; this test app holds one construct alone` });
  }
}
