import { CONTROLS } from '../rules/catalog/controls';
import { CheckResult, Finding, isBlocking } from '../rules/engine/run';
import { MAPPING_NOTE, ReportModel } from '../reports/model';

/** The catalog as a table a person can scan. */
export function formatControlsText(): string {
  const lines = CONTROLS.map((c) => `${c.id.padEnd(15)} ${c.clause.padEnd(6)} ${c.verification.padEnd(9)} ${c.severity.padEnd(7)} ${c.title}`);
  return `${'ID'.padEnd(15)} ${'Clause'.padEnd(6)} ${'Check'.padEnd(9)} ${'Level'.padEnd(7)} Title\n${lines.join('\n')}\n\n${CONTROLS.length} controls. ${MAPPING_NOTE}\n`;
}

function where(f: Finding): string {
  if (f.logicalId) return `${f.logicalId} (${f.resourceType})${f.location ? ` ${f.location}` : ''}`;
  return f.stack ? `stack ${f.stack}` : 'app';
}

function counts(r: CheckResult) {
  const open = r.findings.filter((f) => !f.acknowledgement);
  const status = (s: string) => r.controls.filter((c) => c.status === s).length;
  return {
    errors: open.filter((f) => f.severity === 'error').length,
    warnings: open.filter((f) => f.severity === 'warning').length,
    acknowledged: r.findings.length - open.length,
    unverifiable: open.filter((f) => f.kind === 'unverifiable').length,
    controls: {
      passed: status('passed'),
      failed: status('failed'),
      acknowledged: status('acknowledged'),
      notApplicable: status('not-applicable'),
      manual: status('manual'),
      excluded: status('excluded'),
    },
  };
}

/** Findings for a terminal: errors first, grouped by template (or stack, with several). */
export function formatFindingsText(r: CheckResult, files: readonly string[], model?: ReportModel): string {
  const grouped = files.length > 1 || new Set(r.findings.map((f) => f.stack)).size > 1;
  const order = (f: Finding) => (f.acknowledgement ? 2 : f.severity === 'error' ? 0 : 1);
  const sorted = [...r.findings].sort((a, b) => order(a) - order(b) || (a.stack ?? '').localeCompare(b.stack ?? '') || a.controlId.localeCompare(b.controlId));
  const lines: string[] = [`SRM-IIP check of ${files.join(', ')}: ${r.resourceCount} resources, ${r.rules.length} rules`];
  let stack: string | undefined | null = null;
  for (const f of sorted) {
    if (grouped && f.stack !== stack) {
      stack = f.stack;
      lines.push(`\n${stack ?? '(app)'}`);
    }
    const level = f.acknowledgement ? 'ACK' : f.severity.toUpperCase();
    const tag = f.kind === 'unverifiable' ? ' [cannot verify]' : '';
    lines.push(`${level.padEnd(7)} ${f.controlId} ${where(f)}: ${f.message}${tag} (${f.ruleId})`);
    if (f.acknowledgement) lines.push(`        acknowledged at ${f.acknowledgement.scope}: ${f.acknowledgement.reason}`);
  }
  const c = counts(r);
  lines.push(
    '',
    `${c.errors} error(s), ${c.warnings} warning(s), ${c.acknowledged} acknowledged (${c.unverifiable} open finding(s) could not be verified from the template).`,
    `Controls: ${c.controls.passed} passed, ${c.controls.failed} failed, ${c.controls.acknowledged} acknowledged, ${c.controls.notApplicable} not applicable, ${c.controls.manual} need attestation${c.controls.excluded ? `, ${c.controls.excluded} excluded by options` : ''}.`,
    ...(model ? [attestationLine(model)] : []),
    MAPPING_NOTE,
    r.findings.some(isBlocking) ? 'Result: FAILED (unacknowledged errors).' : 'Result: passed (no unacknowledged error).',
  );
  return `${lines.join('\n')}\n`;
}

function attestationLine(m: ReportModel): string {
  const n = (s: string) => m.summary.controls[s] ?? 0;
  return `Attestations: ${n('attested')} attested, ${n('unattested')} unattested, ${n('attestation-expired')} expired.`;
}

/**
 * Machine-readable findings: `{ findings: [...] }` plus controls and a summary;
 * with a report model, also the source, acknowledgements and the report status
 * of every control (attestations included).
 */
export function formatFindingsJson(r: CheckResult, files: readonly string[], model?: ReportModel): string {
  const body = {
    tool: { name: 'srm-iip-kit', mapping: MAPPING_NOTE, ...(model ? { version: model.tool.version } : {}) },
    templates: files,
    summary: { resources: r.resourceCount, rules: r.rules.length, ...counts(r), passed: !r.findings.some(isBlocking) },
    findings: r.findings.map((f) => ({
      controlId: f.controlId,
      ruleId: f.ruleId,
      severity: f.severity,
      kind: f.kind,
      logicalId: f.logicalId ?? null,
      resourceType: f.resourceType ?? null,
      message: f.message,
      stack: f.stack ?? null,
      templatePath: f.templatePath ?? null,
      location: f.location ?? null,
      constructPath: f.constructPath ?? null,
      acknowledged: f.acknowledgement ? { id: f.acknowledgement.id, reason: f.acknowledgement.reason, scope: f.acknowledgement.scope } : null,
    })),
    controls: r.controls,
    ...(model
      ? {
          source: model.source,
          generatedAt: model.generatedAt,
          acknowledgements: model.acknowledgements,
          report: {
            summary: model.summary,
            controls: model.controls.map((c) => ({
              controlId: c.control.id,
              status: c.status,
              verification: c.control.verification,
              ...(c.automatedStatus ? { automatedStatus: c.automatedStatus } : {}),
              findings: c.findings.length,
              ...(c.attestation ? { attestation: c.attestation } : {}),
            })),
          },
        }
      : {}),
  };
  return `${JSON.stringify(body, undefined, 2)}\n`;
}
