/**
 * CLI inputs beyond raw templates: a synthesized CDK cloud assembly
 * (`--cdk-out`) and a CDK app command synthesized for the check (`--app`).
 * The assembly is read as plain JSON files: this module must not load
 * aws-cdk-lib, so the CLI stays fast and works without CDK installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { StackInput } from '../rules/engine/model';
import type { AcknowledgementLookup, AcknowledgementMatch, Finding } from '../rules/engine/run';
import { acknowledgementCovers } from '../rules/engine/run';
import { isPlainObject } from '../rules/engine/values';
import { packOfRuleId } from '../reports/ack-audit';
import type { AcknowledgementRecord } from '../reports/model';
import { loadTemplateFile } from '../rules/template/load';

/** A cloud assembly or app that cannot be read; the CLI reports it on one line with exit code 2. */
export class AssemblyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssemblyInputError';
  }
}

/** What the check needs from a cloud assembly. */
export interface AssemblyInput {
  /** Every stack template (and nested-stack template) of the assembly. */
  readonly stacks: StackInput[];
  /** Acknowledgements the SRM-IIP validation plugin applied (from validation-report.json). */
  readonly acknowledge: AcknowledgementLookup;
  /** Acknowledgements of every pack recorded in validation-report.json. */
  readonly acknowledgements: AcknowledgementRecord[];
}

interface Artifact {
  type?: string;
  environment?: string;
  displayName?: string;
  properties?: { templateFile?: string; stackName?: string; directoryName?: string };
  metadata?: Record<string, unknown>;
  additionalMetadataFile?: string;
}

interface PluginViolation {
  ruleName?: string;
  reason?: string;
  acknowledgedId?: string;
  acknowledgedAt?: string;
  ruleMetadata?: { controlId?: string; ruleId?: string; logicalId?: string; stack?: string };
  violatingConstructs?: Array<{ constructPath?: string; cloudFormationResource?: { templatePath?: string; logicalId?: string } }>;
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new AssemblyInputError(`${path}: cannot read the ${what} (${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new AssemblyInputError(`${path}: the ${what} is not valid JSON (${(e as Error).message})`);
  }
}

/** `aws://account/region` → parts; `unknown-account` / `unknown-region` → undefined. */
function environmentOf(env: string | undefined): { account?: string; region?: string } {
  const m = /^aws:\/\/([^/]*)\/([^/]*)$/.exec(env ?? '');
  if (!m) return {};
  const known = (v: string) => (v === '' || v.startsWith('unknown-') ? undefined : v);
  return { account: known(m[1]), region: known(m[2]) };
}

/** Construct path per logical ID, from the artifact's `aws:cdk:logicalId` metadata. */
function constructPathsOf(dir: string, a: Artifact): Map<string, string> {
  const out = new Map<string, string>();
  let meta: unknown = a.metadata;
  if (a.additionalMetadataFile && existsSync(join(dir, a.additionalMetadataFile))) {
    try {
      meta = { ...(isPlainObject(meta) ? meta : {}), ...(JSON.parse(readFileSync(join(dir, a.additionalMetadataFile), 'utf8')) as object) };
    } catch {
      // Construct paths are a convenience; the templates' own aws:cdk:path metadata still applies.
    }
  }
  if (!isPlainObject(meta)) return out;
  for (const [path, entries] of Object.entries(meta)) {
    if (!Array.isArray(entries)) continue;
    for (const e of entries) {
      if (isPlainObject(e) && e.type === 'aws:cdk:logicalId' && typeof e.data === 'string') out.set(e.data, path.replace(/^\//, ''));
    }
  }
  return out;
}

/** The stacks of an assembly directory, nested assemblies (stages) and nested stacks included. */
function stacksOf(dir: string, seen: Set<string>): StackInput[] {
  const manifestPath = join(dir, 'manifest.json');
  const manifest = readJson(manifestPath, 'cloud assembly manifest');
  if (!isPlainObject(manifest) || !isPlainObject(manifest.artifacts)) return [];
  const out: StackInput[] = [];
  for (const [id, raw] of Object.entries(manifest.artifacts)) {
    if (!isPlainObject(raw)) continue;
    const a = raw as Artifact;
    if (a.type === 'cdk:cloud-assembly' && typeof a.properties?.directoryName === 'string') {
      const sub = resolve(dir, a.properties.directoryName);
      if (!seen.has(sub) && existsSync(join(sub, 'manifest.json'))) {
        seen.add(sub);
        out.push(...stacksOf(sub, seen));
      }
      continue;
    }
    if (a.type !== 'aws:cloudformation:stack' || typeof a.properties?.templateFile !== 'string') continue;
    const templatePath = join(dir, a.properties.templateFile);
    const template = loadTemplateFile(templatePath);
    const env = environmentOf(a.environment);
    const name = a.displayName ?? id;
    out.push({ name, template, templatePath, region: env.region, account: env.account, constructPath: a.displayName, constructPaths: constructPathsOf(dir, a) });
    out.push(...nestedStacksOf(dir, name, template, env));
  }
  return out;
}

/** Nested-stack templates the assembly holds as file assets (`aws:asset:path` on an AWS::CloudFormation::Stack). */
function nestedStacksOf(dir: string, parent: string, template: unknown, env: { account?: string; region?: string }): StackInput[] {
  if (!isPlainObject(template) || !isPlainObject(template.Resources)) return [];
  const out: StackInput[] = [];
  for (const [logicalId, r] of Object.entries(template.Resources)) {
    if (!isPlainObject(r) || r.Type !== 'AWS::CloudFormation::Stack' || !isPlainObject(r.Metadata)) continue;
    const asset = r.Metadata['aws:asset:path'];
    if (typeof asset !== 'string' || !asset.endsWith('.json')) continue;
    const path = join(dir, asset);
    if (!existsSync(path)) continue;
    const nested = loadTemplateFile(path);
    const name = `${parent}/${logicalId}`;
    out.push({ name, template: nested, templatePath: path, region: env.region, account: env.account });
    out.push(...nestedStacksOf(dir, name, nested, env));
  }
  return out;
}

/**
 * Read a synthesized cloud assembly: every stack template with its region,
 * account and construct paths, and the acknowledgements CDK's validation
 * report records.
 */
export function readCloudAssembly(dirArg: string): AssemblyInput {
  const dir = resolve(dirArg);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new AssemblyInputError(`--cdk-out ${dirArg}: no such directory`);
  }
  if (!isDir) throw new AssemblyInputError(`--cdk-out ${dirArg}: not a directory (expected a cloud assembly such as cdk.out)`);
  if (!existsSync(join(dir, 'manifest.json'))) throw new AssemblyInputError(`--cdk-out ${dirArg}: not a cloud assembly: it has no manifest.json (run cdk synth first)`);
  const stacks = stacksOf(dir, new Set([dir]));
  if (stacks.length === 0) throw new AssemblyInputError(`--cdk-out ${dirArg}: the cloud assembly has no CloudFormation stack templates`);
  const { acknowledge, acknowledgements } = validationReportAcknowledgements(join(dir, 'validation-report.json'));
  return { stacks, acknowledge, acknowledgements };
}

interface PluginAck {
  readonly controlId?: string;
  readonly ruleId?: string;
  readonly key: string;
  readonly reason: string;
  readonly scope: string;
  readonly stack?: string;
  readonly templates: ReadonlyArray<{ templateFile?: string; logicalId?: string; constructPath?: string }>;
}

/** Acknowledgements in CDK's validation-report.json: the SRM-IIP plugin's suppressed violations, and every pack's. */
function validationReportAcknowledgements(path: string): { acknowledge: AcknowledgementLookup; acknowledgements: AcknowledgementRecord[] } {
  if (!existsSync(path)) return { acknowledge: () => undefined, acknowledgements: [] };
  const report = readJson(path, 'validation report');
  const plugins = isPlainObject(report) && Array.isArray(report.pluginReports) ? report.pluginReports : [];
  const records = new Map<string, AcknowledgementRecord>();
  const kitAcks: PluginAck[] = [];
  for (const p of plugins) {
    if (!isPlainObject(p) || !Array.isArray(p.suppressedViolations)) continue;
    for (const raw of p.suppressedViolations) {
      if (!isPlainObject(raw)) continue;
      const v = raw as PluginViolation;
      const key = v.acknowledgedId ?? v.ruleName;
      if (typeof key !== 'string' || typeof v.reason !== 'string') continue;
      const id = key.replace(/^annotation::/i, '');
      const pack = p.pluginName === 'SRM-IIP' ? 'SRM-IIP' : packOfRuleId(key);
      const scope = v.acknowledgedAt === '' ? '(app)' : (v.acknowledgedAt ?? v.ruleMetadata?.stack ?? '(app)');
      const rk = `${pack}\u0000${id}\u0000${scope}`;
      if (!records.has(rk)) records.set(rk, { pack, id, reason: v.reason, scope });
      if (pack === 'SRM-IIP') {
        kitAcks.push({
          controlId: v.ruleMetadata?.controlId,
          ruleId: v.ruleMetadata?.ruleId,
          key,
          reason: v.reason,
          scope,
          stack: v.ruleMetadata?.stack,
          templates: (v.violatingConstructs ?? []).map((c) => ({ templateFile: c.cloudFormationResource?.templatePath, logicalId: c.cloudFormationResource?.logicalId ?? v.ruleMetadata?.logicalId, constructPath: c.constructPath })),
        });
      }
    }
  }
  const acknowledge: AcknowledgementLookup = (f: Finding): AcknowledgementMatch | undefined => {
    for (const a of kitAcks) {
      if (a.controlId !== undefined ? a.controlId !== f.controlId || (a.ruleId !== undefined && a.ruleId !== f.ruleId) : !acknowledgementCovers(a.key, f)) continue;
      const resourceHit = f.logicalId !== undefined && a.templates.some((t) => t.logicalId === f.logicalId && (t.templateFile === undefined || f.templatePath === undefined || basename(t.templateFile) === basename(f.templatePath)));
      const appHit = f.logicalId === undefined && a.templates.every((t) => t.logicalId === undefined) && (a.stack === undefined || a.stack === f.stack);
      if (resourceHit || appHit) return { id: a.key.replace(/^annotation::/i, ''), reason: a.reason, scope: a.scope, key: a.key };
    }
    return undefined;
  };
  return { acknowledge, acknowledgements: [...records.values()] };
}

/**
 * Run a CDK app command the way `cdk synth` does (CDK_OUTDIR set to a fresh
 * temporary directory) and return that directory. An app that exits non-zero
 * but wrote an assembly (it may fail its own validation) is accepted; the
 * exit code is returned for a note. No assembly at all is an input error.
 */
export function synthesizeApp(command: string): { outdir: string; exitCode: number; firstErrorLine?: string; cleanup: () => void } {
  const outdir = mkdtempSync(join(tmpdir(), 'srm-iip-app-'));
  const cleanup = () => rmSync(outdir, { recursive: true, force: true });
  const r = spawnSync(command, {
    shell: true,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, CDK_OUTDIR: outdir },
  });
  const exitCode = r.status ?? 1;
  const firstErrorLine = (r.error ? r.error.message : (r.stderr ?? '')).split('\n').map((l) => l.trim()).find((l) => l !== '');
  if (!existsSync(join(outdir, 'manifest.json'))) {
    cleanup();
    const first = firstErrorLine ?? '(no output on stderr)';
    if (exitCode === 0) throw new AssemblyInputError(`the app command exited 0 but produced no cloud assembly (does it call app.synth() and honour CDK_OUTDIR?): ${first}`);
    throw new AssemblyInputError(`the app command failed (exit ${r.signal ?? exitCode}) and produced no cloud assembly: ${first}`);
  }
  return { outdir, exitCode, firstErrorLine, cleanup };
}
