import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IConstruct } from 'constructs';
import { CONTROLS } from '../rules/catalog/controls';
import type { ControlStatusValue } from '../rules/engine/run';
import { isBlocking } from '../rules/engine/run';
import { recordedAcknowledgements, stacksIn } from '../rules/packs/cdk-source';
import { SrmIipChecks } from '../rules/packs/SrmIipChecks';

/** Name of the report file, written beside the templates in the cloud assembly. */
export const SRM_IIP_REPORT_FILE = 'srm-iip-report.json';

const MAPPING_NOTE = "Controls are the kit's own, mapped to clause titles of ISO/IEC 24392:2023 and cross-walked to IEC 62443-3-3; this is not a conformance claim.";

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

/** Which pack an acknowledged ID belongs to, by its prefix. */
export function packOfRuleId(id: string): string {
  const bare = id.replace(/^[A-Za-z-]+::/, '');
  if (bare.startsWith('SRM-IIP-')) return 'SRM-IIP';
  if (bare.startsWith('AwsSolutions-')) return 'AwsSolutions';
  if (bare.startsWith('NIST.800.53.R5-')) return 'NIST.800.53.R5';
  if (id.includes('::') && !/^annotation::/i.test(id)) return id.slice(0, id.indexOf('::'));
  return 'other';
}

/**
 * Build the report of a synthesized app: the packs that ran, every finding
 * and acknowledgement (reason and scope), and the status of every catalog
 * control. Reads CDK's validation report for the peer packs and the kit
 * pack's own result for SRM-IIP.
 */
export function buildSrmIipReport(app: IConstruct, outdir: string, kitPack: SrmIipChecks, packs: readonly ReportedPack[]): Record<string, unknown> {
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

  const byStatus = (s: ControlStatusValue) => result.controls.filter((c) => c.status === s).length;
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
        controls: { passed: byStatus('passed'), failed: byStatus('failed'), acknowledged: byStatus('acknowledged'), notApplicable: byStatus('not-applicable'), manual: byStatus('manual'), excluded: byStatus('excluded') },
      },
      acknowledgementsPerPack: acknowledgements.reduce<Record<string, number>>((acc, a) => ({ ...acc, [a.pack]: (acc[a.pack] ?? 0) + 1 }), {}),
      passed: !result.findings.some(isBlocking) && pluginReports.every((p) => p.conclusion !== 'failure'),
    },
    controls: result.controls.map((c) => {
      const control = CONTROLS.find((x) => x.id === c.controlId)!;
      return { id: c.controlId, title: control.title, clause: control.clause, verification: c.verification, status: c.status, findings: c.findings, acknowledged: c.acknowledged };
    }),
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
  };
}

/** Write the report into the cloud assembly, atomically (a temporary file renamed into place). */
export function writeSrmIipReport(app: IConstruct, outdir: string, kitPack: SrmIipChecks, packs: readonly ReportedPack[]): string {
  const path = join(outdir, SRM_IIP_REPORT_FILE);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(buildSrmIipReport(app, outdir, kitPack, packs), undefined, 2)}\n`);
  renameSync(tmp, path);
  return path;
}
