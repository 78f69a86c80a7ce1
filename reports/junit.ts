/**
 * JUnit XML rendering of a report model, for CI test-result views.
 *
 * - One `<testsuite>` per stack checked, plus `(app)` for findings tied to no
 *   stack (or when no stack is known).
 * - One `<testcase>` per catalog control per suite (classname = the stack,
 *   name = `<control ID> <title>`).
 * - A test case fails (`<failure type="error">`) only when the control has an
 *   unacknowledged error finding in that suite. Warnings do not fail a test
 *   case: they are listed in `<system-out>`, with acknowledged findings and
 *   their reasons. So the file has failures exactly when the run fails
 *   (`summary.passed` is false).
 * - Controls that are not-applicable, excluded, unattested or whose attestation
 *   expired are `<skipped>` with the status as message; attested controls pass
 *   with the attestation in `<system-out>`.
 */
import type { Finding } from '../rules/engine/run';
import type { ReportControl, ReportModel } from './model';

/** The suite of findings that belong to no stack. */
export const JUNIT_APP_SUITE = '(app)';

const SKIPPED: ReadonlySet<string> = new Set(['not-applicable', 'excluded', 'unattested', 'attestation-expired']);

/** Escape text for XML content and attribute values, dropping characters XML 1.0 does not allow. */
export function xmlEscape(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attrs(a: Record<string, string | number>): string {
  return Object.entries(a)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');
}

function describe(f: Finding): string {
  const where = f.logicalId ? `${f.logicalId}${f.resourceType ? ` (${f.resourceType})` : ''}${f.location ? ` ${f.location}` : ''}` : f.stack ? `stack ${f.stack}` : 'app';
  const tag = f.kind === 'unverifiable' ? ' [cannot verify]' : '';
  return `${f.severity.toUpperCase()} ${where}: ${f.message}${tag} (${f.ruleId})`;
}

interface Case {
  xml: string;
  failed: boolean;
  skipped: boolean;
}

function testcase(suite: string, rc: ReportControl, findings: readonly Finding[]): Case {
  const head = `    <testcase${attrs({ classname: suite, name: `${rc.control.id} ${rc.control.title}`.trim(), time: 0 })}`;
  if (SKIPPED.has(rc.status)) {
    const why = rc.status === 'attestation-expired' && rc.attestation ? `attestation-expired (expired ${rc.attestation.expires})` : rc.status;
    return { xml: `${head}>\n      <skipped${attrs({ message: why })}/>\n    </testcase>`, failed: false, skipped: true };
  }
  const errors = findings.filter((f) => !f.acknowledgement && f.severity === 'error');
  const warnings = findings.filter((f) => !f.acknowledgement && f.severity === 'warning');
  const acked = findings.filter((f) => f.acknowledgement);
  const body: string[] = [];
  if (errors.length > 0) {
    const message = `${errors.length} error(s): ${errors[0].message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`;
    body.push(`      <failure${attrs({ message, type: 'error' })}>${xmlEscape(errors.map(describe).join('\n'))}</failure>`);
  }
  const out: string[] = [
    ...warnings.map(describe),
    ...acked.map((f) => `ACKNOWLEDGED ${describe(f)} — at ${f.acknowledgement!.scope}: ${f.acknowledgement!.reason}`),
  ];
  if (rc.status === 'attested' && rc.attestation) {
    out.push(`ATTESTED by ${rc.attestation.owner} on ${rc.attestation.date} (expires ${rc.attestation.expires}): ${rc.attestation.evidence}`);
  }
  if (out.length > 0) body.push(`      <system-out>${xmlEscape(out.join('\n'))}</system-out>`);
  const xml = body.length === 0 ? `${head}/>` : `${head}>\n${body.join('\n')}\n    </testcase>`;
  return { xml, failed: errors.length > 0, skipped: false };
}

/** Render a report model as JUnit XML. */
export function renderJunit(model: ReportModel): string {
  const byStack = new Map<string, Finding[]>();
  for (const f of model.findings) {
    const key = f.stack ?? JUNIT_APP_SUITE;
    let l = byStack.get(key);
    if (!l) byStack.set(key, (l = []));
    l.push(f);
  }
  // Every stack checked gets its suite, passing or not; findings of a stack the model does not list still get one.
  const stacks = [...new Set([...model.stacks, ...byStack.keys()])].filter((s) => s !== JUNIT_APP_SUITE).sort();
  if (byStack.has(JUNIT_APP_SUITE) || stacks.length === 0) stacks.push(JUNIT_APP_SUITE);

  const timestamp = model.generatedAt.replace(/\.\d+Z$|Z$/, '');
  const props = `    <properties>\n${[
    ['tool', `${model.tool.name} ${model.tool.version}`],
    ['mapping', model.mapping],
    ['source', `${model.source.kind}: ${model.source.paths.join(', ')}`],
  ]
    .map(([name, value]) => `      <property${attrs({ name, value })}/>`)
    .join('\n')}\n    </properties>`;

  let tests = 0;
  let failures = 0;
  let skipped = 0;
  const suites = stacks.map((stack) => {
    const findings = byStack.get(stack) ?? [];
    const cases = model.controls.map((rc) => testcase(stack, rc, findings.filter((f) => f.controlId === rc.control.id)));
    // Findings of controls outside the catalog (options.controls) get a case of their own.
    const extra = [...new Set(findings.filter((f) => !model.controls.some((rc) => rc.control.id === f.controlId)).map((f) => f.controlId))];
    for (const id of extra) {
      const own = findings.filter((f) => f.controlId === id);
      const pseudo = { control: { id, title: '' }, status: own.some((f) => !f.acknowledgement) ? 'failed' : 'acknowledged', findings: own } as unknown as ReportControl;
      cases.push(testcase(stack, pseudo, own));
    }
    const f = cases.filter((c) => c.failed).length;
    const s = cases.filter((c) => c.skipped).length;
    tests += cases.length;
    failures += f;
    skipped += s;
    return `  <testsuite${attrs({ name: stack, tests: cases.length, failures: f, errors: 0, skipped: s, time: 0, timestamp })}>\n${props}\n${cases.map((c) => c.xml).join('\n')}\n  </testsuite>`;
  });

  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attrs({ name: 'SRM-IIP controls', tests, failures, errors: 0, skipped, time: 0 })}>\n${suites.join('\n')}\n</testsuites>\n`;
}
