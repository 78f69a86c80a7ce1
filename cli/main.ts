import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CONTROLS } from '../rules/catalog/controls';
import { SrmIipError } from '../rules/errors';
import type { StackInput } from '../rules/engine/model';
import { TemplateShapeError } from '../rules/engine/model';
import { AcknowledgementLookup, CheckOptions, CheckResult, isBlocking } from '../rules/engine/run';
import { checkTemplates } from '../rules/template/check';
import { loadTemplateFile, TemplateInputError } from '../rules/template/load';
import { KIT_VERSION } from '../rules/version';
import { AcknowledgementRecord, AttestationRecord, buildReportModel, ReportModel, ReportSource } from '../reports/model';
import { auditAcknowledgements, listAcknowledgements, templateAcknowledgementRecords } from '../reports/ack-audit';
import { ATTESTATIONS_FILE, loadAttestations } from '../reports/attestations';
import { renderHtml } from '../reports/html';
import { renderJunit } from '../reports/junit';
import { renderMarkdown } from '../reports/markdown';
import { renderSarif } from '../reports/sarif';
import { writeFilesAtomically } from '../reports/write';
import { AssemblyInputError, readCloudAssembly, synthesizeApp } from './assembly';
import { formatFindingsJson, formatFindingsText, formatControlsText } from './format';

export const VERSION = KIT_VERSION;

const USAGE = `Usage:
  srm-iip controls [--format text|json]
  srm-iip check --template <file.json|file.yaml> [--template <file> ...] [options]
  srm-iip check --cdk-out <dir> [options]
  srm-iip check --app "<command>" [options]

Inputs (exactly one kind):
  --template <file>               a CloudFormation template (JSON or YAML); repeatable
  --cdk-out <dir>                 a synthesized cloud assembly (cdk.out): every stack template,
                                  its region and account, and the acknowledgements recorded in
                                  validation-report.json and in the templates
  --app "<command>"               a CDK app command, run with CDK_OUTDIR set to a temporary
                                  directory (as cdk synth does); its assembly is then checked

Check options:
  --format f1,f2                  text, json, sarif, junit, markdown, html (default: text);
                                  several need --output-dir
  --output-dir <dir>              write srm-iip.<ext> files there instead of printing
  --fail-on error|warning|none    exit 1 on an unacknowledged finding at or above this level
                                  (default: error)
  --attestations <file>           attestations of manual controls (default:
                                  ./srm-iip.attestations.yaml when it exists)
  --min-reason-length <n>         acknowledgement reasons shorter than this are findings
                                  of their own (default: 20)
  --allowed-regions r1,r2         regions data may live in (SRM-IIP-MGT-03)
  --region <region>               region the template(s) deploy to
  --log-retention-days <n>        minimum log retention (SRM-IIP-OPS-02, default 365)
  --classification-levels <n>     number of classification levels (SRM-IIP-SYS-06, PHY-03)
  --domains d1,d2                 only controls of these security domains
  --stages s1,s2                  only controls of these life-cycle stages
  --scenarios s1,s2               only controls of these business scenarios
  --severity ID=level,...         override severities (level: error, warning, off)

Several --template files are checked as one app: exports and imports resolve between them.
Exit codes: 0 passed, 1 an unacknowledged finding at or above --fail-on, 2 bad input.`;

/** A user's mistake: reported on one line, exit code 2. */
class UsageError extends Error {}

interface Io {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
}

const STD_IO: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

/** Run the CLI; resolves to the exit code. Never throws. */
export async function main(argv: readonly string[], io: Io = STD_IO): Promise<number> {
  try {
    return run(argv, io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof SrmIipError || e instanceof TemplateInputError || e instanceof TemplateShapeError || e instanceof AssemblyInputError) {
      io.err(`srm-iip: ${oneLine(e.message)}\n`);
      return 2;
    }
    io.err(`srm-iip: internal error: ${oneLine(e instanceof Error ? e.message : String(e))} (please report this)\n`);
    return 3;
  }
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

function run(argv: readonly string[], io: Io): number {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.out(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    io.out(`${VERSION}\n`);
    return 0;
  }
  if (command === 'controls') return controls(rest, io);
  if (command === 'check') return check(rest, io);
  throw new UsageError(`unknown command '${command}'; expected 'check' or 'controls' (see srm-iip --help)`);
}

function parse(args: readonly string[], options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values as Record<string, string | string[] | boolean | undefined>;
  } catch (e) {
    throw new UsageError(oneLine((e as Error).message).replace(/\. To specify a positional argument.*$/, ''));
  }
}

function format(value: unknown): 'text' | 'json' {
  const f = (value as string | undefined) ?? 'text';
  if (f !== 'text' && f !== 'json') throw new UsageError(`--format must be text or json, got '${f}'`);
  return f;
}

function controls(args: readonly string[], io: Io): number {
  const v = parse(args, { format: { type: 'string' } });
  io.out(format(v.format) === 'json' ? `${JSON.stringify({ controls: CONTROLS }, undefined, 2)}\n` : formatControlsText());
  return 0;
}

function list(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  return String(value).split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function integer(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(String(value)) || !Number.isSafeInteger(n)) throw new UsageError(`--${name} must be a whole number, got '${String(value)}'`);
  return n;
}

function severities(value: unknown): Record<string, string> | undefined {
  const entries = list(value);
  if (!entries) return undefined;
  const out: Record<string, string> = {};
  for (const e of entries) {
    const [id, level, extra] = e.split('=');
    if (!id || !level || extra !== undefined) throw new UsageError(`--severity entries must be ID=level (level: error, warning, off), got '${e}'`);
    out[id] = level;
  }
  return out;
}

type ReportFormat = 'text' | 'json' | 'sarif' | 'junit' | 'markdown' | 'html';

/** Every --format: its file extension under --output-dir and its renderer. */
const FORMATS: Record<ReportFormat, { readonly ext: string; readonly render?: (c: RenderContext) => string }> = {
  text: { ext: 'txt', render: (c) => formatFindingsText(c.result, c.labels, c.model) },
  json: { ext: 'json', render: (c) => formatFindingsJson(c.result, c.labels, c.model) },
  sarif: { ext: 'sarif', render: (c) => renderSarif(c.model) },
  junit: { ext: 'junit.xml', render: (c) => renderJunit(c.model) },
  markdown: { ext: 'md', render: (c) => renderMarkdown(c.model) },
  html: { ext: 'html', render: (c) => renderHtml(c.model) },
};

interface RenderContext {
  readonly result: CheckResult;
  readonly model: ReportModel;
  /** Template files, or stack names of an assembly. */
  readonly labels: readonly string[];
}

function formats(value: unknown): ReportFormat[] {
  const known = (Object.keys(FORMATS) as ReportFormat[]).filter((f) => FORMATS[f].render);
  const wanted = list(value) ?? ['text'];
  if (wanted.length === 0) throw new UsageError(`--format needs a value: ${known.join(', ')}`);
  const out: ReportFormat[] = [];
  for (const f of wanted) {
    if (!known.includes(f as ReportFormat)) throw new UsageError(`--format must be ${known.slice(0, -1).join(', ')} or ${known[known.length - 1]}, got '${f}'`);
    if (!out.includes(f as ReportFormat)) out.push(f as ReportFormat);
  }
  return out;
}

const FAIL_ON = ['error', 'warning', 'none'] as const;

function failOn(value: unknown): (typeof FAIL_ON)[number] {
  const v = (value as string | undefined) ?? 'error';
  if (!(FAIL_ON as readonly string[]).includes(v)) throw new UsageError(`--fail-on must be error, warning or none, got '${v}'`);
  return v as (typeof FAIL_ON)[number];
}

/** Write the reports atomically; a failure is the user's to fix (a path), so it is a one-line exit 2. */
function writeAtomically(files: ReadonlyArray<{ path: string; text: string }>): void {
  try {
    writeFilesAtomically(files);
  } catch (e) {
    throw new UsageError(`cannot write the reports: ${(e as Error).message}`);
  }
}

function check(args: readonly string[], io: Io): number {
  const v = parse(args, {
    template: { type: 'string', multiple: true },
    'cdk-out': { type: 'string' },
    app: { type: 'string' },
    format: { type: 'string' },
    'output-dir': { type: 'string' },
    'fail-on': { type: 'string' },
    attestations: { type: 'string' },
    'min-reason-length': { type: 'string' },
    'allowed-regions': { type: 'string' },
    region: { type: 'string' },
    'log-retention-days': { type: 'string' },
    'classification-levels': { type: 'string' },
    domains: { type: 'string' },
    stages: { type: 'string' },
    scenarios: { type: 'string' },
    severity: { type: 'string' },
  });
  const fmts = formats(v.format);
  const outputDir = v['output-dir'] as string | undefined;
  if (fmts.length > 1 && outputDir === undefined) throw new UsageError(`several formats (${fmts.join(', ')}) need --output-dir <dir>`);
  const threshold = failOn(v['fail-on']);
  const files = (v.template as string[] | undefined) ?? [];
  const cdkOut = v['cdk-out'] as string | undefined;
  const appCommand = v.app as string | undefined;
  const kinds = [files.length > 0 ? '--template' : undefined, cdkOut !== undefined ? '--cdk-out' : undefined, appCommand !== undefined ? '--app' : undefined].filter((k) => k !== undefined);
  if (kinds.length === 0) throw new UsageError('check needs --template <file>, --cdk-out <dir> or --app "<command>" (a CloudFormation template in JSON or YAML, a cloud assembly, or a CDK app)');
  if (kinds.length > 1) throw new UsageError(`check takes one input kind, got ${kinds.join(' and ')}: use --template, --cdk-out or --app alone`);
  if (appCommand !== undefined && appCommand.trim() === '') throw new UsageError('--app needs a command, such as --app "npx tsx app.ts"');
  const options: CheckOptions = {
    allowedRegions: list(v['allowed-regions']),
    logRetentionDays: integer('log-retention-days', v['log-retention-days']),
    classificationLevels: integer('classification-levels', v['classification-levels']),
    domains: list(v.domains),
    stages: list(v.stages),
    scenarios: list(v.scenarios),
    severityOverrides: severities(v.severity),
  };
  const attestations = readAttestations(v.attestations as string | undefined);
  const region = v.region as string | undefined;

  let stacks: StackInput[];
  let acknowledge: AcknowledgementLookup | undefined;
  let assemblyAcks: AcknowledgementRecord[] = [];
  let source: ReportSource;
  let labels: string[];
  if (files.length > 0) {
    stacks = files.map((file) => ({ name: file, template: loadTemplateFile(file), templatePath: file, region }));
    source = { kind: 'template', paths: files };
    labels = files;
  } else {
    const fromAssembly = (dir: string) => {
      const a = readCloudAssembly(dir);
      // --region stands in for a stack whose environment is not pinned.
      stacks = a.stacks.map((s) => (s.region === undefined && region !== undefined ? { ...s, region } : s));
      acknowledge = a.acknowledge;
      assemblyAcks = a.acknowledgements;
    };
    if (cdkOut !== undefined) {
      fromAssembly(cdkOut);
      source = { kind: 'cdk-out', paths: [cdkOut] };
      labels = [cdkOut];
    } else {
      const app = synthesizeApp(appCommand!);
      try {
        if (app.exitCode !== 0) io.err(`srm-iip: note: the app command exited ${app.exitCode} but produced a cloud assembly; checking it${app.firstErrorLine ? ` (its stderr began: ${app.firstErrorLine})` : ''}\n`);
        fromAssembly(app.outdir);
      } finally {
        app.cleanup();
      }
      source = { kind: 'app', paths: [appCommand!] };
      labels = [appCommand!];
    }
  }
  const checked: CheckResult = checkTemplates(stacks!, options, undefined, acknowledge);
  const acknowledgements = mergeAcknowledgements(listAcknowledgements(assemblyAcks, checked.findings), templateAcknowledgementRecords(stacks!, checked.findings));
  // Stale acknowledgements and empty or generic reasons are findings of their own (SRM-IIP-MGT-01, warnings).
  const result: CheckResult = { ...checked, findings: [...checked.findings, ...auditAcknowledgements(acknowledgements, checked.findings, { minReasonLength: integer('min-reason-length', v['min-reason-length']) })] };
  const model = buildReportModel({ result, source, acknowledgements, attestations });
  const ctx: RenderContext = { result, model, labels };
  // Render every format before writing any: a failure leaves no report behind.
  const rendered = fmts.map((f) => ({ format: f, text: FORMATS[f].render!(ctx) }));
  if (outputDir === undefined) {
    io.out(rendered[0].text);
  } else {
    try {
      mkdirSync(outputDir, { recursive: true });
    } catch (e) {
      throw new UsageError(`--output-dir ${outputDir}: cannot create the directory (${(e as Error).message})`);
    }
    writeAtomically(rendered.map((r) => ({ path: join(outputDir, `srm-iip.${FORMATS[r.format].ext}`), text: r.text })));
  }
  const open = result.findings.filter((f) => !f.acknowledgement);
  if (threshold === 'none') return 0;
  if (threshold === 'warning') return open.length > 0 ? 1 : 0;
  return result.findings.some(isBlocking) ? 1 : 0;
}

/** Attestations: the --attestations file, or srm-iip.attestations.yaml in the current directory when it exists. */
function readAttestations(path: string | undefined): readonly AttestationRecord[] | undefined {
  if (path === undefined) {
    if (!existsSync(ATTESTATIONS_FILE)) return undefined;
    path = ATTESTATIONS_FILE;
  }
  try {
    return loadAttestations(path);
  } catch (e) {
    // AttestationError names the file and the entry.
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/** One record per pack, ID and scope (the validation report and the templates may both record one). */
function mergeAcknowledgements(...lists: ReadonlyArray<readonly AcknowledgementRecord[]>): AcknowledgementRecord[] {
  const out = new Map<string, AcknowledgementRecord>();
  for (const l of lists) for (const a of l) {
    const k = `${a.pack}\u0000${a.id.replace(/^annotation::/i, '')}\u0000${a.scope}`;
    if (!out.has(k)) out.set(k, a);
  }
  return [...out.values()];
}
