import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IConstruct } from 'constructs';
import { isBlocking } from '../rules/engine/run';
import { writeFilesAtomically } from './write';
import { recordedAcknowledgements, stacksIn } from '../rules/packs/cdk-source';
import { SrmIipChecks } from '../rules/packs/SrmIipChecks';
import { AcknowledgementAuditOptions, auditAcknowledgements, packOfRuleId } from './ack-audit';
import { loadAttestations } from './attestations';
import { AcknowledgementRecord, AttestationRecord, buildReportModel, MAPPING_NOTE } from './model';

/** Name of the report file, written beside the templates in the cloud assembly. */
export const SRM_IIP_REPORT_FILE = 'srm-iip-report.json';


/** A pack that ran, as the report names it. */
export interface ReportedPack {
  readonly name: string;
  readonly version?: string;
}

interface CdkViolation {
  ruleName: string;
  description?: string;
  severity?: string;
  reason?: string;
  acknowledgedAt?: string;
  violatingConstructs?: Array<{ constructPath?: string; cloudFormationResource?: { templatePath?: string; logicalId?: string } }>;
}
interface CdkPluginReport {
  pluginName: string;
  conclusion?: string;
  violations?: CdkViolation[];
  suppressedViolations?: CdkViolation[];
}

/** Attestations and the acknowledgement audit of the main job's report. */
export interface SrmIipReportOptions {
  /**
   * Path of the attestations file (`srm-iip.attestations.yaml` at the repository root).
   * A bad file throws AttestationError naming the entry.
   * @default - no file: manual, inherited and the runtime part of partial controls are unattested
   */
  readonly attestationsPath?: string;
  /** Attestations already loaded; used instead of `attestationsPath`. */
  readonly attestations?: readonly AttestationRecord[];
  /** The date attestations are judged against. @default - now */
  readonly now?: Date;
  /** Minimum reason length and severity of the acknowledgement audit. */
  readonly acknowledgementAudit?: AcknowledgementAuditOptions;
}

/**
 * Build the report of a synthesized app: the packs that ran, every finding
 * and acknowledgement (reason and scope), and the status of every catalog
 * control (from the report model: manual, inherited and the runtime part of
 * partial controls are attested, unattested or attestation-expired, never
 * passed), the attestations and the acknowledgement audit. Reads CDK's validation report for the peer packs and the kit
 * pack's own result for SRM-IIP.
 */
export function buildSrmIipReport(app: IConstruct, outdir: string, kitPack: SrmIipChecks, packs: readonly ReportedPack[], options: SrmIipReportOptions = {}): Record<string, unknown> {
  const result = kitPack.lastResult;
  if (!result) throw new Error('the SRM-IIP pack has not run: synthesize the app with the pack registered first');
  const cdkReportPath = join(outdir, 'validation-report.json');
  const cdkReport = existsSync(cdkReportPath) ? (JSON.parse(readFileSync(cdkReportPath, 'utf8')) as { pluginReports?: CdkPluginReport[] }) : { pluginReports: [] };
  const pluginReports = cdkReport.pluginReports ?? [];

  const acknowledgements = [...recordedAcknowledgements(app).values()].flat().map((a) => {
    const id = a.key.replace(/^annotation::/i, '');
    const covers = result.findings.filter((f) => f.acknowledgement?.key === a.key && f.acknowledgement.scope === (a.scope === '' ? '(app)' : a.scope));
    return {
      pack: packOfRuleId(a.key),
      id,
      reason: a.reason,
      scope: a.scope === '' ? '(app)' : a.scope,
      ...(packOfRuleId(a.key) === 'SRM-IIP' ? { covers: covers.map((f) => ({ ruleId: f.ruleId, logicalId: f.logicalId, stack: f.stack, message: f.message })) } : {}),
    };
  });

  const attestations = options.attestations ?? (options.attestationsPath ? loadAttestations(options.attestationsPath) : []);
  const ackRecords: AcknowledgementRecord[] = acknowledgements.map((a) => ({ pack: a.pack, id: a.id, reason: a.reason, scope: a.scope, covers: a.covers?.length }));
  const audit = auditAcknowledgements(ackRecords, result.findings, options.acknowledgementAudit);
  const model = buildReportModel({ result, source: { kind: 'app', paths: [outdir] }, acknowledgements: ackRecords, attestations, now: options.now });
  const engineStatus = new Map(result.controls.map((c) => [c.controlId, c]));
  const byStatus = (s: string) => model.summary.controls[s] ?? 0;
  const peer = pluginReports
    .filter((p) => p.pluginName !== kitPack.name)
    .map((p) => ({
      pack: p.pluginName,
      conclusion: p.conclusion,
      findings: (p.violations ?? []).flatMap((v) => (v.violatingConstructs ?? [{}]).map((c) => ({ ruleId: v.ruleName, severity: v.severity ?? 'error', constructPath: c.constructPath, logicalId: c.cloudFormationResource?.logicalId, description: v.description }))),
      acknowledged: (p.suppressedViolations ?? []).flatMap((v) => (v.violatingConstructs ?? [{}]).map((c) => ({ ruleId: v.ruleName, reason: v.reason, acknowledgedAt: v.acknowledgedAt, constructPath: c.constructPath }))),
    }));

  return {
    tool: { name: 'srm-iip-kit', version: kitPack.version },
    mapping: MAPPING_NOTE,
    outdir,
    packs: packs.map((p) => ({ name: p.name, version: p.version })),
    summary: {
      resources: result.resourceCount,
      stacks: stacksIn(app).length,
      srmIip: {
        findings: result.findings.length,
        unacknowledgedErrors: result.findings.filter(isBlocking).length,
        acknowledged: result.findings.filter((f) => f.acknowledgement).length,
        controls: {
          passed: byStatus('passed'),
          failed: byStatus('failed'),
          acknowledged: byStatus('acknowledged'),
          notApplicable: byStatus('not-applicable'),
          excluded: byStatus('excluded'),
          attested: byStatus('attested'),
          unattested: byStatus('unattested'),
          attestationExpired: byStatus('attestation-expired'),
        },
      },
      acknowledgementAudit: { findings: audit.length, blocking: audit.filter(isBlocking).length },
      acknowledgementsPerPack: acknowledgements.reduce<Record<string, number>>((acc, a) => ({ ...acc, [a.pack]: (acc[a.pack] ?? 0) + 1 }), {}),
      passed: !result.findings.some(isBlocking) && !audit.some(isBlocking) && pluginReports.every((p) => p.conclusion !== 'failure'),
    },
    controls: [
      ...model.controls.map((c) => {
        const checked = engineStatus.get(c.control.id);
        return {
          id: c.control.id,
          title: c.control.title,
          clause: c.control.clause,
          verification: c.control.verification,
          status: c.status,
          ...(c.automatedStatus !== undefined ? { automatedStatus: c.automatedStatus } : {}),
          findings: checked?.findings ?? 0,
          acknowledged: checked?.acknowledged ?? 0,
          ...(c.attestation ? { attestation: c.attestation } : {}),
        };
      }),
      // Controls of the pack's own options (`controls`), not in the catalog: their checked status.
      ...result.controls.filter((c) => !model.controls.some((m) => m.control.id === c.controlId)).map((c) => ({ id: c.controlId, verification: c.verification, status: c.status, findings: c.findings, acknowledged: c.acknowledged })),
    ],
    findings: result.findings.map((f) => ({
      pack: 'SRM-IIP',
      controlId: f.controlId,
      ruleId: f.ruleId,
      severity: f.severity,
      kind: f.kind,
      stack: f.stack,
      logicalId: f.logicalId,
      resourceType: f.resourceType,
      constructPath: f.constructPath,
      message: f.message,
      acknowledged: f.acknowledgement ? { id: f.acknowledgement.id, reason: f.acknowledgement.reason, scope: f.acknowledgement.scope } : undefined,
    })),
    peerPacks: peer,
    acknowledgements,
    attestations,
    acknowledgementAudit: audit.map((f) => ({ controlId: f.controlId, ruleId: f.ruleId, severity: f.severity, kind: f.kind, message: f.message })),
  };
}

/** Write the report into the cloud assembly, atomically (a temporary file renamed into place). */
export function writeSrmIipReport(app: IConstruct, outdir: string, kitPack: SrmIipChecks, packs: readonly ReportedPack[], options: SrmIipReportOptions = {}): string {
  const path = join(outdir, SRM_IIP_REPORT_FILE);
  writeFilesAtomically([{ path, text: `${JSON.stringify(buildSrmIipReport(app, outdir, kitPack, packs, options), undefined, 2)}\n` }]);
  return path;
}
