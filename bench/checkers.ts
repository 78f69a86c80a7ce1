/** The two checkers compared on the same CDK app, and the app preparation both the timing and memory runs share. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { App, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SrmIipChecks } from '../rules';
import { buildApp } from './apps';

export const BENCH_DIR = join(__dirname, '..', '.bench');

export type CheckerName = 'srm' | 'aws';

export const CHECKER_LABEL: Record<CheckerName, string> = {
  srm: 'SrmIipChecks',
  aws: 'AwsSolutionsChecks',
};

/** One validateScope run of a fresh pack on the app; returns the report and the pack's own finding count. */
export function runChecker(name: CheckerName, app: App): { report: PolicyValidationPluginReport; findings: number } {
  if (name === 'srm') {
    const pack = new SrmIipChecks(app);
    const report = pack.validateScope(app);
    return { report, findings: pack.lastResult?.findings.length ?? countViolatingResources(report) };
  }
  const report = new AwsSolutionsChecks(app).validateScope(app);
  return { report, findings: countViolatingResources(report) };
}

/** cdk-nag groups violations by rule; the number of (rule, resource) findings is the sum of their resources. */
export function countViolatingResources(report: PolicyValidationPluginReport): number {
  let n = 0;
  for (const v of report.violations) n += v.violatingResources.length;
  return n;
}

export interface PreparedApp {
  readonly app: App;
  readonly target: number;
  readonly stacks: number;
  readonly sites: number;
  /** Sum of the Resources of every synthesized template. */
  readonly resources: number;
  readonly resourceTypes: Record<string, number>;
  readonly maxPerStack: number;
  readonly buildMs: number;
  readonly synthMs: number;
}

/**
 * Build the app of about `target` resources once, synthesize it once (so the
 * tree is in its final, post-aspect state, and to count the resources CDK
 * actually writes), and delete the cloud assembly again.
 */
export function prepareApp(target: number, tag: string): PreparedApp {
  const outdir = join(BENCH_DIR, `cdk.out-${tag}-${target}-${process.pid}`);
  rmSync(outdir, { recursive: true, force: true });
  const t0 = performance.now();
  const built = buildApp(target, { outdir });
  const t1 = performance.now();
  const assembly = built.app.synth();
  const t2 = performance.now();
  let resources = 0;
  let maxPerStack = 0;
  const resourceTypes: Record<string, number> = {};
  for (const s of assembly.stacks) {
    const rs = (s.template as { Resources?: Record<string, { Type: string }> }).Resources ?? {};
    const n = Object.keys(rs).length;
    resources += n;
    maxPerStack = Math.max(maxPerStack, n);
    for (const r of Object.values(rs)) resourceTypes[r.Type] = (resourceTypes[r.Type] ?? 0) + 1;
  }
  rmSync(outdir, { recursive: true, force: true });
  return {
    app: built.app,
    target,
    stacks: assembly.stacks.length,
    sites: built.sites,
    resources,
    resourceTypes,
    maxPerStack,
    buildMs: t1 - t0,
    synthMs: t2 - t1,
  };
}
