/**
 * srm-iip-kit benchmark: `npm run bench`. See bench/README.md.
 * Prints tables and writes .bench/results.json.
 */
process.env.CDK_VALIDATION = 'false';

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join, relative } from 'node:path';
import { ALL_RULES, checkTemplate } from '../rules';
import { BENCH_DIR, CHECKER_LABEL, CHECKER_SHORT, CheckerName, CHECKERS, PreparedApp, prepareApp, runChecker } from './checkers';
import { forceGc } from './memory';
import { NESTED_IF_DEPTH, nestedIfTemplate, singleTemplate } from './templates';

const ROOT = join(__dirname, '..');
/** App sizes; SRM_BENCH_SIZES=300,600 overrides them for a quick check (the tables then are not the benchmark's). */
const SIZES = process.env.SRM_BENCH_SIZES ? process.env.SRM_BENCH_SIZES.split(',').map(Number) : [1000, 5000, 10000];
/** SRM_BENCH_ONLY_APPS=1 skips sections 2 and 3, for a quick check of section 1. */
const ONLY_APPS = process.env.SRM_BENCH_ONLY_APPS === '1';
const RUNS = 3;
const RAW_SIZE = 5000;
const CHILD_TIMEOUT_MS = 5 * 60_000;

// ---------------------------------------------------------------- helpers

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mb = (bytes: number) => `${fmt(bytes / 1024 / 1024, 1)} MB`;

function table(headers: string[], rows: string[][], leftColumns = 1): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const cell = (s: string, i: number) => (i < leftColumns ? s.padEnd(widths[i]) : s.padStart(widths[i]));
  const line = (r: string[]) => `  ${r.map(cell).join('  ')}`;
  return [line(headers), `  ${widths.map((w) => '-'.repeat(w)).join('  ')}`, ...rows.map(line)].join('\n');
}

function heading(s: string): void {
  console.log(`\n${s}\n${'='.repeat(s.length)}`);
}

function sh(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

function pkgVersion(dir: string): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', dir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

const CPU_MARK = '@@srm-iip-bench ';

/**
 * Run `node <args>` to completion; wall-clock ms including Node start-up. With `cpu`, the
 * child preloads bench/cpu-usage.js, which reports its CPU time and peak RSS on exit.
 */
function timeNode(args: string[], okCodes: number[], extraNodeArgs: string[] = [], cpu = false): { ms: number; stdout: string; cpuMs?: number; maxRss?: number } {
  if (cpu) extraNodeArgs = [...extraNodeArgs, '-r', './bench/cpu-usage.js'];
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...extraNodeArgs, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
    timeout: CHILD_TIMEOUT_MS,
    env: { ...process.env, CDK_VALIDATION: 'false' },
  });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  if (r.status === null || !okCodes.includes(r.status)) {
    throw new Error(`node ${args.join(' ')} exited with ${String(r.status ?? r.signal)}:\n${r.stderr.slice(0, 2000)}`);
  }
  const mark = r.stderr.split('\n').find((l) => l.startsWith(CPU_MARK));
  if (!mark) return { ms, stdout: r.stdout };
  const u = JSON.parse(mark.slice(CPU_MARK.length)) as { cpuMs: number; maxRssKb: number };
  return { ms, stdout: r.stdout, cpuMs: u.cpuMs, maxRss: u.maxRssKb * 1024 };
}

/** 1-minute load average, to show whether other processes competed for the CPU. */
const load1 = () => os.loadavg()[0];

/** Least-squares line y = intercept + slope * x. */
function linearFit(points: ReadonlyArray<readonly [number, number]>): { intercept: number; slope: number } {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { intercept: my - slope * mx, slope };
}

// ---------------------------------------------------------------- 1. CDK apps

interface MemoryResult {
  peakHeapDelta: number;
  peakRssDelta: number;
  peakRss: number;
  retainedHeapDelta: number;
  baselineHeap: number;
  baselineRss: number;
  gcs: number;
  ms: number;
}

interface CheckerTiming {
  readonly warmupMs: number;
  readonly runsMs: number[];
  readonly medianMs: number;
  readonly usPerResource: number;
  /** CPU time of the process (all threads) per run: less sensitive than wall time to other load on the machine. */
  readonly cpuRunsMs: number[];
  readonly cpuMedianMs: number;
  readonly cpuUsPerResource: number;
  /** Findings of the warm-up run (SrmIip: findings of the pack; AwsSolutions: violating (rule, resource) pairs). */
  readonly findings: number;
  /** Violations in the validation report (cdk-nag groups them by rule). */
  readonly violations: number;
  memory?: MemoryResult;
}

interface SizeResult {
  readonly target: number;
  readonly resources: number;
  readonly stacks: number;
  readonly maxPerStack: number;
  readonly sites: number;
  readonly resourceTypes: Record<string, number>;
  readonly buildMs: number;
  readonly synthMs: number;
  /** Resources of the unsynthesized twin (counted in the tree; the same app built again). */
  readonly unsynthesizedResources: number;
  readonly order: string[];
  readonly loadAverage: { start: number; end: number };
  readonly srm: CheckerTiming;
  readonly srmRender: CheckerTiming;
  readonly aws: CheckerTiming;
  readonly awsUnsynthesized: CheckerTiming;
  /** SrmIip / AwsSol on the synthesized app, wall and CPU medians. */
  readonly ratio: number;
  readonly cpuRatio: number;
  /** SrmIip-render / AwsSol on the unsynthesized app, wall and CPU medians. */
  readonly renderRatio: number;
  readonly renderCpuRatio: number;
}

function timeOnce(name: CheckerName, p: PreparedApp): { ms: number; cpuMs: number; findings: number; violations: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const { report, findings } = runChecker(name, p.app);
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000, findings, violations: report.violations.length };
}

/**
 * Time the checkers on two identical apps of one size, one after the other so
 * that only one of them is in memory at a time (a larger heap makes every
 * garbage collection dearer): first the synthesized app (its cloud assembly
 * kept on disk while it is measured, deleted afterwards), which SrmIipChecks
 * reads as validate() does during `cdk synth`; then an unsynthesized twin, on
 * which SrmIipChecks renders every stack itself. AwsSolutionsChecks, which
 * reads the construct tree, is timed on both.
 */
function benchSize(target: number): SizeResult {
  const loadStart = load1();
  const order: string[] = [];
  const timings = {} as Record<CheckerName, CheckerTiming>;

  /** One warm-up each, then RUNS rounds in rotated order; medians. */
  const timeGroup = (p: PreparedApp, names: readonly CheckerName[]) => {
    const warm = {} as Record<CheckerName, ReturnType<typeof timeOnce>>;
    for (const name of names) {
      forceGc();
      warm[name] = timeOnce(name, p);
      order.push(`warm-up ${name}`);
    }
    const runs = Object.fromEntries(names.map((n) => [n, { ms: [] as number[], cpu: [] as number[] }])) as Record<CheckerName, { ms: number[]; cpu: number[] }>;
    for (let i = 0; i < RUNS; i++) {
      const round = names.map((_, k) => names[(k + i) % names.length]);
      for (const name of round) {
        forceGc();
        const r = timeOnce(name, p);
        runs[name].ms.push(r.ms);
        runs[name].cpu.push(r.cpuMs);
        order.push(name);
      }
    }
    for (const name of names) {
      const m = median(runs[name].ms);
      const c = median(runs[name].cpu);
      timings[name] = {
        warmupMs: warm[name].ms,
        runsMs: runs[name].ms,
        medianMs: m,
        usPerResource: (m * 1000) / p.resources,
        cpuRunsMs: runs[name].cpu,
        cpuMedianMs: c,
        cpuUsPerResource: (c * 1000) / p.resources,
        findings: warm[name].findings,
        violations: warm[name].violations,
      };
    }
  };

  forceGc();
  process.stdout.write(`  building the ${fmt(target)}-resource app ... `);
  let p: PreparedApp | undefined = prepareApp(target, 'time');
  const synthesized = { resources: p.resources, stacks: p.stacks, maxPerStack: p.maxPerStack, sites: p.sites, resourceTypes: p.resourceTypes, buildMs: p.buildMs, synthMs: p.synthMs };
  console.log(`${fmt(p.resources)} resources in ${p.stacks} stacks, at most ${p.maxPerStack} per stack (build ${fmt(p.buildMs)} ms, synth ${fmt(p.synthMs)} ms)`);
  try {
    if (p.maxPerStack > 500) throw new Error(`a stack has ${p.maxPerStack} resources; CDK allows 500`);
    timeGroup(p, ['srm', 'aws']);
  } finally {
    p.dispose();
  }
  p = undefined; // let the app go before the twin is built
  console.log(`    CPU medians of ${RUNS}: ${CHECKER_SHORT.srm} ${fmt(timings.srm.cpuMedianMs)} ms, ${CHECKER_SHORT.aws} ${fmt(timings.aws.cpuMedianMs)} ms`);

  forceGc();
  process.stdout.write('  building it again, not synthesized ... ');
  const u = prepareApp(target, 'render', { synthesize: false });
  console.log(`${fmt(u.resources)} resources in the tree (build ${fmt(u.buildMs)} ms)`);
  try {
    timeGroup(u, ['srmRender', 'awsUnsynthesized']);
  } finally {
    u.dispose();
  }
  const { srm, srmRender, aws, awsUnsynthesized } = timings;
  if (srm.findings !== srmRender.findings) {
    console.log(`    WARNING: ${CHECKER_LABEL.srm} found ${srm.findings} findings, ${CHECKER_LABEL.srmRender} ${srmRender.findings}`);
  }
  const loadEnd = load1();
  console.log(
    `    CPU medians of ${RUNS}: ${CHECKER_SHORT.srmRender} ${fmt(srmRender.cpuMedianMs)} ms, ${CHECKER_SHORT.awsUnsynthesized} ${fmt(awsUnsynthesized.cpuMedianMs)} ms (load average ${fmt(loadStart, 1)} -> ${fmt(loadEnd, 1)})`,
  );
  return {
    target,
    ...synthesized,
    unsynthesizedResources: u.resources,
    order,
    loadAverage: { start: loadStart, end: loadEnd },
    srm,
    srmRender,
    aws,
    awsUnsynthesized,
    ratio: srm.medianMs / aws.medianMs,
    cpuRatio: srm.cpuMedianMs / aws.cpuMedianMs,
    renderRatio: srmRender.medianMs / awsUnsynthesized.medianMs,
    renderCpuRatio: srmRender.cpuMedianMs / awsUnsynthesized.cpuMedianMs,
  };
}

function memoryChild(target: number, checker: CheckerName): MemoryResult {
  const { stdout } = timeNode(
    [join('bench', 'memory-child.ts'), String(target), checker],
    [0],
    ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx'],
  );
  const m = JSON.parse(stdout.trim().split('\n').pop()!) as Omit<MemoryResult, 'peakRss'>;
  return {
    peakHeapDelta: m.peakHeapDelta,
    peakRssDelta: m.peakRssDelta,
    peakRss: m.baselineRss + m.peakRssDelta,
    retainedHeapDelta: m.retainedHeapDelta,
    baselineHeap: m.baselineHeap,
    baselineRss: m.baselineRss,
    gcs: m.gcs,
    ms: m.ms,
  };
}

// ---------------------------------------------------------------- 2. raw template, whole process

interface ProcessResult {
  readonly command: string;
  readonly runsMs: number[];
  readonly medianMs: number;
  readonly cpuRunsMs: number[];
  readonly cpuMedianMs: number;
  readonly maxRss: number;
  readonly warmupMs: number;
  readonly findings: number;
  readonly detail: Record<string, unknown>;
}

function benchRawTemplate() {
  process.stdout.write(`  writing a single ${fmt(RAW_SIZE)}-resource template ... `);
  const { template, resources } = singleTemplate(RAW_SIZE, BENCH_DIR);
  const file = join(BENCH_DIR, `template-${RAW_SIZE}.json`);
  const text = JSON.stringify(template, undefined, 1);
  writeFileSync(file, text);
  const rel = relative(ROOT, file);
  console.log(`${rel}, ${fmt(resources)} resources, ${mb(Buffer.byteLength(text))}`);
  const loadStart = load1();

  const srmArgs = ['bin/srm-iip.js', 'check', '--template', rel, '--format', 'json'];
  const cfnArgs = ['bench/cfn-validate.js', rel];
  const srmRun = () => timeNode(srmArgs, [0, 1], [], true); // 1 = unacknowledged errors found
  const cfnRun = () => timeNode(cfnArgs, [0], [], true);

  const srmWarm = srmRun(); // also warms the file cache
  const cfnWarm = cfnRun();
  const runs = { srm: [] as ReturnType<typeof srmRun>[], cfn: [] as ReturnType<typeof cfnRun>[] };
  for (let i = 0; i < RUNS; i++) {
    if (i % 2 === 0) {
      runs.srm.push(srmRun());
      runs.cfn.push(cfnRun());
    } else {
      runs.cfn.push(cfnRun());
      runs.srm.push(srmRun());
    }
  }
  const srmOut = JSON.parse(srmWarm.stdout) as { summary?: Record<string, unknown>; findings?: unknown[] };
  const cfnOut = JSON.parse(cfnWarm.stdout.trim()) as { findings: number } & Record<string, unknown>;
  const result = (command: string, rs: typeof runs.srm, warmupMs: number, findings: number, detail: Record<string, unknown>): ProcessResult => ({
    command,
    runsMs: rs.map((r) => r.ms),
    medianMs: median(rs.map((r) => r.ms)),
    cpuRunsMs: rs.map((r) => r.cpuMs ?? NaN),
    cpuMedianMs: median(rs.map((r) => r.cpuMs ?? NaN)),
    maxRss: Math.max(...rs.map((r) => r.maxRss ?? NaN)),
    warmupMs,
    findings,
    detail,
  });
  const srm = result(`node ${srmArgs.join(' ')}`, runs.srm, srmWarm.ms, srmOut.findings?.length ?? -1, { summary: srmOut.summary });
  const cfn = result(`node ${cfnArgs.join(' ')}`, runs.cfn, cfnWarm.ms, cfnOut.findings, cfnOut);
  return {
    file: rel,
    resources,
    bytes: Buffer.byteLength(text),
    loadAverage: { start: loadStart, end: load1() },
    srm,
    cfn,
    ratio: srm.medianMs / cfn.medianMs,
    cpuRatio: srm.cpuMedianMs / cfn.cpuMedianMs,
  };
}

// ---------------------------------------------------------------- 3. nested Fn::If

function benchNestedIf() {
  const template = nestedIfTemplate(NESTED_IF_DEPTH);
  const file = join(BENCH_DIR, 'template-nested-if.json');
  writeFileSync(file, JSON.stringify(template, undefined, 1));
  const t0 = performance.now();
  const first = checkTemplate(template, { name: 'NestedIf' });
  const coldMs = performance.now() - t0;
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    checkTemplate(template, { name: 'NestedIf' });
    runs.push(performance.now() - t);
  }
  const byKind: Record<string, number> = {};
  const byRule: Record<string, number> = {};
  for (const f of first.findings) {
    byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
    byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  }
  return {
    file: relative(ROOT, file),
    depth: NESTED_IF_DEPTH,
    resources: Object.keys(template.Resources as object).length,
    rulesRun: first.rules.length,
    coldMs,
    runsMs: runs,
    medianMs: median(runs),
    findings: first.findings.length,
    byKind,
    byRule,
  };
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const started = performance.now();
  mkdirSync(BENCH_DIR, { recursive: true });
  forceGc(); // fails early without --expose-gc

  const dirty = sh('git', ['status', '--porcelain']) !== '';
  const env = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    availableParallelism: os.availableParallelism(),
    memory: os.totalmem(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    gitCommit: sh('git', ['rev-parse', '--short', 'HEAD']),
    gitDirty: dirty,
    awsCdkLib: pkgVersion('aws-cdk-lib'),
    cdkNag: pkgVersion('cdk-nag'),
    cloudformationValidate: pkgVersion('aws-cdk-lib/node_modules/@aws/cloudformation-validate'),
    srmIipRules: ALL_RULES.length,
    srmIipControls: new Set(ALL_RULES.map((r) => r.controlId)).size,
    loadAverageAtStart: os.loadavg(),
  };

  heading('srm-iip-kit benchmark');
  console.log(
    table(
      ['environment', ''],
      [
        ['node', env.node],
        ['CPU', `${env.cpu}, ${env.cores} cores (available parallelism ${env.availableParallelism}), ${fmt(env.memory / 1024 ** 3, 1)} GiB RAM`],
        ['platform', env.platform],
        ['git commit', `${env.gitCommit}${dirty ? ' + uncommitted changes in the working tree' : ''}`],
        ['aws-cdk-lib / cdk-nag / cfn-validate', `${env.awsCdkLib} / ${env.cdkNag} / ${env.cloudformationValidate}`],
        ['SRM-IIP rules (ALL_RULES at run time)', `${env.srmIipRules} rules covering ${env.srmIipControls} controls`],
        ['load average 1/5/15 min at start', env.loadAverageAtStart.map((l) => fmt(l, 2)).join(' / ')],
      ],
      2,
    ),
  );
  if (env.loadAverageAtStart[0] > env.cores * 0.5) {
    console.log(`  WARNING: the machine is busy (load ${fmt(env.loadAverageAtStart[0], 1)} on ${env.cores} cores); wall times will be inflated and noisy. Compare CPU times.`);
  }

  // 1.
  heading(`1. validateScope on CDK apps (1 warm-up each, then median of ${RUNS}, order alternated)`);
  console.log('  SrmIip        = SrmIipChecks on the synthesized app: reads the templates of its cloud assembly, as validate() does during `cdk synth`');
  console.log('  SrmIip-render = SrmIipChecks on an identical app that was never synthesized: renders every stack (_toCloudFormation) first');
  console.log('  AwsSol        = cdk-nag AwsSolutionsChecks on the synthesized app; AwsSol-unsynth = the same on the unsynthesized twin (it reads the construct tree either way)');
  console.log('  The two apps of a size are built and measured one after the other, so only one is in memory at a time.');
  const sizes: SizeResult[] = [];
  for (const target of SIZES) sizes.push(benchSize(target));
  forceGc();
  console.log('  memory: one run per checker and size, each in a fresh process (app built, synthesized unless SrmIip-render, gc(), then one validateScope) ...');
  for (const s of sizes) {
    for (const name of CHECKERS) s[name].memory = memoryChild(s.target, name);
  }

  const timeTable = (cpu: boolean) => {
    const t = (c: CheckerTiming) => [fmt(cpu ? c.cpuMedianMs : c.medianMs), fmt(cpu ? c.cpuUsPerResource : c.usPerResource, 1)];
    return table(
      ['resources', 'stacks', 'SrmIip ms', 'µs/res', 'AwsSol ms', 'µs/res', 'SrmIip/AwsSol', 'SrmIip-render ms', 'µs/res', 'AwsSol-unsynth ms', 'µs/res', 'SrmIip-render/AwsSol-unsynth'],
      sizes.map((s) => [
        fmt(s.resources),
        String(s.stacks),
        ...t(s.srm),
        ...t(s.aws),
        `${fmt(cpu ? s.cpuRatio : s.ratio, 2)}x`,
        ...t(s.srmRender),
        ...t(s.awsUnsynthesized),
        `${fmt(cpu ? s.renderCpuRatio : s.renderRatio, 2)}x`,
      ]),
    );
  };
  console.log('\n1a. Time per validateScope run: CPU-time median of the process (ms, µs per resource); compare these when the machine is busy');
  console.log('    left: the synthesized app (SrmIip reads the templates); right: the unsynthesized twin (SrmIip renders them)');
  console.log(timeTable(true));
  console.log('\n    Wall-clock median');
  console.log(timeTable(false));
  console.log('\n    Findings (SrmIip: findings of the pack; AwsSol: violating (rule, resource) pairs) and the cost of rendering');
  console.log(
    table(
      ['resources', 'SrmIip findings', 'SrmIip-render findings', 'AwsSol findings', 'render - read, cpu ms', 'render share of SrmIip-render'],
      sizes.map((s) => [
        fmt(s.resources),
        fmt(s.srm.findings),
        fmt(s.srmRender.findings),
        fmt(s.aws.findings),
        fmt(s.srmRender.cpuMedianMs - s.srm.cpuMedianMs),
        `${fmt(((s.srmRender.cpuMedianMs - s.srm.cpuMedianMs) / s.srmRender.cpuMedianMs) * 100)}%`,
      ]),
    ),
  );
  console.log('\n1b. Memory of one run: peak heap and peak RSS above the gc()-ed baseline (absolute peak RSS of the process in brackets); heap still held after the run and a gc()');
  const memCells = (m: MemoryResult) => [mb(m.peakHeapDelta), `${mb(m.peakRssDelta)} (${fmt(m.peakRss / 1024 / 1024)})`, mb(m.retainedHeapDelta)];
  console.log(
    table(
      ['resources', ...CHECKERS.flatMap((n) => [`${CHECKER_SHORT[n]} peak heap`, `${CHECKER_SHORT[n]} peak RSS`, `${CHECKER_SHORT[n]} retained`])],
      sizes.map((s) => [fmt(s.resources), ...CHECKERS.flatMap((n) => memCells(s[n].memory!))]),
    ),
  );
  console.log('  (RSS grows only when a run outgrows the heap V8 already committed while building the app, so a small RSS delta with a larger heap delta is expected.)');
  console.log('  (Retained includes the result the caller still holds: the report, and SrmIipChecks.lastResult with every finding.)');

  console.log('\n1c. Linear in resources? µs per resource should stay flat as the app grows');
  const fit = (k: CheckerName, what: 'medianMs' | 'cpuMedianMs') => linearFit(sizes.map((s) => [s.resources, s[k][what]]));
  const spreadRow = (k: CheckerName, what: 'usPerResource' | 'cpuUsPerResource') => {
    const us = sizes.map((s) => s[k][what]);
    const lo = Math.min(...us);
    const hi = Math.max(...us);
    const f = fit(k, what === 'usPerResource' ? 'medianMs' : 'cpuMedianMs');
    return [
      `${CHECKER_SHORT[k]} (${what === 'usPerResource' ? 'wall' : 'cpu'})`,
      ...us.map((u) => fmt(u, 1)),
      `${fmt(((hi - lo) / lo) * 100, 0)}%`,
      `${fmt(us[us.length - 1] / us[0], 2)}x`,
      `${fmt(f.intercept)} ms + ${fmt(f.slope * 1000, 1)} µs/res`,
    ];
  };
  const last = sizes[sizes.length - 1].resources;
  console.log(
    table(
      ['checker', ...sizes.map((s) => `µs/res @${fmt(s.resources)}`), '(max-min)/min', `@${fmt(last)} vs @${fmt(sizes[0].resources)}`, 'least-squares fit: per run + per resource'],
      (['srm', 'aws', 'srmRender', 'awsUnsynthesized'] as const).flatMap((k) => [spreadRow(k, 'cpuUsPerResource'), spreadRow(k, 'usPerResource')]),
    ),
  );
  console.log('  (µs/res falling with size = a fixed per-run cost being amortized; rising = super-linear. The fit splits the medians into a fixed and a per-resource part.)');

  let raw: ReturnType<typeof benchRawTemplate> | undefined;
  let nested: ReturnType<typeof benchNestedIf> | undefined;
  if (!ONLY_APPS) {
    // 2.
    heading(`2. Whole process on one ${fmt(RAW_SIZE)}-resource template (wall clock incl. Node start-up; 1 warm-up each, then median of ${RUNS}, order alternated)`);
    console.log('  NOTE: CloudFormation itself accepts at most 500 resources per template; this single template is only a speed test of the checkers.');
    raw = benchRawTemplate();
    console.log(
      table(
        ['checker', 'median ms', 'runs ms', 'cpu ms', 'peak RSS', 'findings', 'command'],
        [
          ['srm-iip CLI', fmt(raw.srm.medianMs), raw.srm.runsMs.map((x) => fmt(x)).join(' / '), fmt(raw.srm.cpuMedianMs), mb(raw.srm.maxRss), fmt(raw.srm.findings), raw.srm.command],
          ['cfn-validate', fmt(raw.cfn.medianMs), raw.cfn.runsMs.map((x) => fmt(x)).join(' / '), fmt(raw.cfn.cpuMedianMs), mb(raw.cfn.maxRss), fmt(raw.cfn.findings), raw.cfn.command],
        ],
      ),
    );
    console.log(`  srm-iip CLI / cfn-validate: ${fmt(raw.ratio, 3)}x wall, ${fmt(raw.cpuRatio, 3)}x cpu (load average ${fmt(raw.loadAverage.start, 1)} -> ${fmt(raw.loadAverage.end, 1)})`);
    const cfnMs = raw.cfn.detail.ms as { load: number; engine: number; validate: number } | undefined;
    if (cfnMs) {
      console.log(
        `  cfn-validate = @aws/cloudformation-validate ${String(raw.cfn.detail.version)} bundled in aws-cdk-lib, new CompositeEngine() with its ${String(raw.cfn.detail.rules)} built-in rules, default config;` +
          `\n    inside its process (warm-up run): module load ${fmt(cfnMs.load)} ms, engine construction ${fmt(cfnMs.engine)} ms, validateTemplate ${fmt(cfnMs.validate)} ms; findings by severity ${JSON.stringify(raw.cfn.detail.bySeverity)}`,
      );
      const fatal = (raw.cfn.detail.fatal as string[] | undefined) ?? [];
      if (fatal.length > 0) console.log(`    FATAL: ${fatal.join('; ')}`);
    }
    console.log('  (The two report different rule sets; the finding counts only show that each checker did its work, they are not comparable.)');
    const srmSummary = raw.srm.detail.summary as { rules?: number } | undefined;
    console.log(`  srm-iip CLI runs dist/ (compiled by npm run build): ${String(srmSummary?.rules ?? '?')} rules ran`);

    // 3.
    heading(`3. checkTemplate in-process on ${NESTED_IF_DEPTH} nested / independent Fn::If`);
    nested = benchNestedIf();
    console.log(
      table(
        ['template', 'resources', 'rules run', 'first call ms', `median of ${RUNS} ms`, 'findings', 'by kind'],
        [[nested.file, String(nested.resources), String(nested.rulesRun), fmt(nested.coldMs, 1), fmt(nested.medianMs, 1), String(nested.findings), JSON.stringify(nested.byKind)]],
      ),
    );
    console.log('  KMS key EnableKeyRotation: Fn::If chain 14 deep; bucket policy: 14 Fn::If statements;');
    console.log('  bucket KMSMasterKeyID, SG ingress CidrIp, IAM policy Resource: each one Fn::Join of 14 independent Fn::If (16,384 combinations)');
    console.log(`  findings by rule: ${JSON.stringify(nested.byRule)}`);
  }

  // 4.
  const wallMs = performance.now() - started;
  heading('4. Environment');
  console.log(`  node ${env.node}; CPU ${env.cpu}; ${env.cores} cores; git ${env.gitCommit}${dirty ? ' (working tree has uncommitted changes)' : ''}; ${env.srmIipRules} SRM-IIP rules`);
  console.log(`  load average 1/5/15 min: start ${env.loadAverageAtStart.map((l) => fmt(l, 2)).join(' / ')}, end ${os.loadavg().map((l) => fmt(l, 2)).join(' / ')}`);
  console.log(`  bench wall time (after npm run build): ${fmt(wallMs / 1000, 1)} s`);

  const out = join(BENCH_DIR, 'results.json');
  writeFileSync(
    out,
    `${JSON.stringify({ environment: { ...env, loadAverageAtEnd: os.loadavg() }, wallMs, cdkApps: sizes, rawTemplate: raw, nestedIf: nested }, undefined, 2)}\n`,
  );
  console.log(`  results: ${relative(ROOT, out)}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
