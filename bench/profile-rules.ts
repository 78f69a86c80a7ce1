/**
 * Per-rule cost of SrmIipChecks on a bench app (not part of `npm run bench`):
 *
 *   node --expose-gc --import tsx bench/profile-rules.ts [resources=10000] [runs=3]
 *
 * Prints, on a synthesized app of that size:
 * - the phases of one check (CPU ms, median of runs): reading the tree and the
 *   templates, building the model, running the rules; and whole validateScope
 *   calls of SrmIipChecks and AwsSolutionsChecks for comparison;
 * - standalone cost of each rule: the rule alone on a fresh model (CPU ms, min
 *   of runs), so it pays for every value it is the only one to resolve; the
 *   rules share those readings in a real run, so the column sums to more than
 *   the rules phase;
 * - in-run cost of each rule: wall time inside one run of all rules (median of
 *   runs), where the first rule to read a value pays for resolving it.
 */
process.env.CDK_VALIDATION = 'false';

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SrmIipChecks } from '../rules';
import { AppModel } from '../rules/engine/model';
import type { SrmIipRule } from '../rules/engine/rule';
import { runRules } from '../rules/engine/run';
import { readTree, stackInputsFromTree } from '../rules/packs/cdk-source';
import { ALL_RULES } from '../rules/registry';
import { buildApp } from './apps';
import { BENCH_DIR } from './checkers';
import { forceGc } from './memory';

const size = Number(process.argv[2] ?? 10000);
const runs = Number(process.argv[3] ?? 3);

function cpuMs<T>(f: () => T): [T, number] {
  const c0 = process.cpuUsage();
  const r = f();
  const c = process.cpuUsage(c0);
  return [r, (c.user + c.system) / 1000];
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const f1 = (n: number) => n.toFixed(1).padStart(8);

const outdir = join(BENCH_DIR, `cdk.out-profile-${size}-${process.pid}`);
try {
  const { app } = buildApp(size, { outdir });
  app.synth();

  // Phases and whole runs.
  const phases: Record<string, number[]> = { 'tree walk': [], 'templates + construct paths': [], model: [], rules: [], 'SrmIipChecks.validateScope': [], 'AwsSolutionsChecks.validateScope': [] };
  for (let i = 0; i < runs; i++) {
    forceGc();
    const [tree, t1] = cpuMs(() => readTree(app));
    const [inputs, t2] = cpuMs(() => stackInputsFromTree(app, [], tree));
    const [model, t3] = cpuMs(() => AppModel.fromTemplates(inputs));
    const [, t4] = cpuMs(() => runRules(model, ALL_RULES, {}));
    phases['tree walk'].push(t1);
    phases['templates + construct paths'].push(t2);
    phases.model.push(t3);
    phases.rules.push(t4);
    forceGc();
    phases['SrmIipChecks.validateScope'].push(cpuMs(() => new SrmIipChecks(app).validateScope(app))[1]);
    forceGc();
    phases['AwsSolutionsChecks.validateScope'].push(cpuMs(() => new AwsSolutionsChecks(app).validateScope(app))[1]);
  }
  console.log(`${size} resources, ${ALL_RULES.length} rules; CPU ms, median of ${runs}`);
  for (const [k, v] of Object.entries(phases)) console.log(`  ${k.padEnd(34)} ${f1(median(v))}   [${v.map((x) => x.toFixed(0)).join(', ')}]`);

  // In-run wall time per rule.
  const spent = new Map<string, number>();
  const wrapped: SrmIipRule[] = ALL_RULES.map((r) => {
    const add = (t0: number) => spent.set(r.id, (spent.get(r.id) ?? 0) + performance.now() - t0);
    return {
      ...r,
      check: r.check
        ? (res, ctx) => {
            const t0 = performance.now();
            try {
              return r.check!(res, ctx);
            } finally {
              add(t0);
            }
          }
        : undefined,
      checkApp: r.checkApp
        ? (ctx) => {
            const t0 = performance.now();
            try {
              return r.checkApp!(ctx);
            } finally {
              add(t0);
            }
          }
        : undefined,
    };
  });
  const inputs = stackInputsFromTree(app);
  const inRun = new Map<string, number[]>();
  const findings = new Map<string, number>();
  for (let i = 0; i < runs; i++) {
    spent.clear();
    const model = AppModel.fromTemplates(inputs);
    forceGc();
    const result = runRules(model, wrapped, {});
    for (const r of ALL_RULES) inRun.set(r.id, [...(inRun.get(r.id) ?? []), spent.get(r.id) ?? 0]);
    findings.clear();
    for (const f of result.findings) findings.set(f.ruleId, (findings.get(f.ruleId) ?? 0) + 1);
  }

  // Standalone CPU per rule.
  const alone = new Map<string, number>();
  for (let i = 0; i < runs; i++) {
    for (const rule of ALL_RULES) {
      const model = AppModel.fromTemplates(inputs);
      forceGc();
      const [, t] = cpuMs(() => runRules(model, [rule], {}));
      alone.set(rule.id, Math.min(alone.get(rule.id) ?? Infinity, t));
    }
  }
  const rows = ALL_RULES.map((r) => ({ id: r.id, alone: alone.get(r.id)!, inRun: median(inRun.get(r.id)!), findings: findings.get(r.id) ?? 0 })).sort((a, b) => b.alone - a.alone);
  console.log(`\n  ${'rule'.padEnd(40)} ${'alone'.padStart(8)} ${'in run'.padStart(8)} ${'findings'.padStart(9)}`);
  for (const r of rows.slice(0, 25)) console.log(`  ${r.id.padEnd(40)} ${f1(r.alone)} ${f1(r.inRun)} ${String(r.findings).padStart(9)}`);
  const sum = (k: 'alone' | 'inRun') => rows.reduce((a, r) => a + r[k], 0);
  console.log(`  ${`all ${rows.length} rules`.padEnd(40)} ${f1(sum('alone'))} ${f1(sum('inRun'))} ${String(rows.reduce((a, r) => a + r.findings, 0)).padStart(9)}`);
  console.log('  (alone: CPU ms of the rule alone on a fresh model, min of runs; in run: wall ms inside a run of all rules, median of runs)');
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
