import { parseArgs } from 'node:util';
import { CONTROLS } from '../rules/catalog/controls';
import { SrmIipError } from '../rules/errors';
import type { StackInput } from '../rules/engine/model';
import { TemplateShapeError } from '../rules/engine/model';
import { CheckOptions, CheckResult, isBlocking } from '../rules/engine/run';
import { checkTemplates } from '../rules/template/check';
import { loadTemplateFile, TemplateInputError } from '../rules/template/load';
import { KIT_VERSION } from '../rules/version';
import { formatFindingsJson, formatFindingsText, formatControlsText } from './format';

export const VERSION = KIT_VERSION;

const USAGE = `Usage:
  srm-iip controls [--format text|json]
  srm-iip check --template <file.json|file.yaml> [--template <file> ...] [options]

Check options:
  --format text|json              output format (default: text)
  --allowed-regions r1,r2         regions data may live in (SRM-IIP-MGT-03)
  --region <region>               region the template(s) deploy to
  --log-retention-days <n>        minimum log retention (SRM-IIP-OPS-02, default 365)
  --classification-levels <n>     number of classification levels (SRM-IIP-SYS-06, PHY-03)
  --domains d1,d2                 only controls of these security domains
  --stages s1,s2                  only controls of these life-cycle stages
  --scenarios s1,s2               only controls of these business scenarios
  --severity ID=level,...         override severities (level: error, warning, off)

Several --template files are checked as one app: exports and imports resolve between them.
Exit codes: 0 no unacknowledged error, 1 unacknowledged errors, 2 bad input.`;

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
    if (e instanceof UsageError || e instanceof SrmIipError || e instanceof TemplateInputError || e instanceof TemplateShapeError) {
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

function check(args: readonly string[], io: Io): number {
  const v = parse(args, {
    template: { type: 'string', multiple: true },
    format: { type: 'string' },
    'allowed-regions': { type: 'string' },
    region: { type: 'string' },
    'log-retention-days': { type: 'string' },
    'classification-levels': { type: 'string' },
    domains: { type: 'string' },
    stages: { type: 'string' },
    scenarios: { type: 'string' },
    severity: { type: 'string' },
  });
  const fmt = format(v.format);
  const files = (v.template as string[] | undefined) ?? [];
  if (files.length === 0) throw new UsageError('check needs --template <file> (a CloudFormation template in JSON or YAML)');
  const options: CheckOptions = {
    allowedRegions: list(v['allowed-regions']),
    logRetentionDays: integer('log-retention-days', v['log-retention-days']),
    classificationLevels: integer('classification-levels', v['classification-levels']),
    domains: list(v.domains),
    stages: list(v.stages),
    scenarios: list(v.scenarios),
    severityOverrides: severities(v.severity),
  };
  const region = v.region as string | undefined;
  const inputs: StackInput[] = files.map((file) => {
    const template = loadTemplateFile(file);
    return { name: file, template, templatePath: file, region };
  });
  const result: CheckResult = checkTemplates(inputs, options);
  io.out(fmt === 'json' ? formatFindingsJson(result, files) : formatFindingsText(result, files));
  return result.findings.some(isBlocking) ? 1 : 0;
}
