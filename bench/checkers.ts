/** The checkers compared on the same CDK app, and the app preparation the timing and memory runs share. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { App, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SrmIipChecks } from '../rules';
import { buildApp, countCfnResources } from './apps';

export const BENCH_DIR = join(__dirname, '..', '.bench');

/**
 * `srm`: SrmIipChecks on a synthesized app: it reads the templates of the
 * cloud assembly (as `validate()` does during `cdk synth`, where they are
 * always on disk). `srmRender`: SrmIipChecks on an app that was never
 * synthesized: it renders every stack (`_toCloudFormation`, CDK's token
 * resolution) before its rules run. `aws`: cdk-nag's AwsSolutionsChecks, which
 * reads the construct tree, on the synthesized app; `awsUnsynthesized`: the
 * same on the unsynthesized app, to compare `srmRender` with.
 */
export type CheckerName = 'srm' | 'srmRender' | 'aws' | 'awsUnsynthesized';

/** The checkers whose memory is measured (AwsSolutionsChecks once: synthesis makes no difference to it). */
export const CHECKERS: readonly CheckerName[] = ['srm', 'srmRender', 'aws'];

export const CHECKER_LABEL: Record<CheckerName, string> = {
  srm: 'SrmIipChecks (synthesized: reads templates)',
  srmRender: 'SrmIipChecks (not synthesized: renders)',
  aws: 'AwsSolutionsChecks',
  awsUnsynthesized: 'AwsSolutionsChecks (not synthesized)',
};

/** Short labels for table headers. */
export const CHECKER_SHORT: Record<CheckerName, string> = { srm: 'SrmIip', srmRender: 'SrmIip-render', aws: 'AwsSol', awsUnsynthesized: 'AwsSol-unsynth' };

/** Whether the checker runs on an app that was never synthesized. */
export const onUnsynthesizedApp = (name: CheckerName) => name === 'srmRender' || name === 'awsUnsynthesized';

/** One validateScope run of a fresh pack on the app; returns the report and the pack's own finding count. */
export function runChecker(name: CheckerName, app: App): { report: PolicyValidationPluginReport; findings: number } {
  if (name === 'srm' || name === 'srmRender') {
    const synthesized = isSynthesized(app);
    if (synthesized !== (name === 'srm')) throw new Error(`${CHECKER_LABEL[name]} needs ${name === 'srm' ? 'a synthesized' : 'an unsynthesized'} app`);
    const pack = new SrmIipChecks(app);
    const report = pack.validateScope(app);
    return { report, findings: pack.lastResult?.findings.length ?? countViolatingResources(report) };
  }
  const report = new AwsSolutionsChecks(app).validateScope(app);
  return { report, findings: countViolatingResources(report) };
}

/** Whether the app holds its cloud assembly (Stage caches it after `synth()`), which SrmIipChecks then reads. */
export function isSynthesized(app: App): boolean {
  return (app as unknown as { assembly?: unknown }).assembly !== undefined;
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
  readonly synthesized: boolean;
  readonly stacks: number;
  readonly sites: number;
  /** Synthesized: the Resources of every template. Not synthesized: the CfnResources of the tree. */
  readonly resources: number;
  readonly resourceTypes: Record<string, number>;
  readonly maxPerStack: number;
  readonly buildMs: number;
  readonly synthMs: number;
  /** Delete the cloud assembly (call when the app is no longer measured). */
  dispose(): void;
}

/**
 * Build the app of about `target` resources once. With `synthesize` (the
 * default), synthesize it once, so the tree is in its final, post-aspect
 * state, to count the resources CDK actually writes, and so SrmIipChecks
 * reads the templates from the cloud assembly as it does during `cdk synth`;
 * the assembly stays on disk until `dispose()`. Without, the app is left
 * unsynthesized and SrmIipChecks renders its templates itself.
 */
export function prepareApp(target: number, tag: string, options: { synthesize?: boolean } = {}): PreparedApp {
  const synthesize = options.synthesize ?? true;
  const outdir = join(BENCH_DIR, `cdk.out-${tag}-${target}-${process.pid}`);
  rmSync(outdir, { recursive: true, force: true });
  const dispose = () => rmSync(outdir, { recursive: true, force: true });
  const t0 = performance.now();
  const built = buildApp(target, { outdir });
  const t1 = performance.now();
  if (!synthesize) {
    const stacks = built.app.node.findAll().filter((c) => c.node.scope === built.app);
    const counts = stacks.map((s) => countCfnResources(s));
    return {
      app: built.app,
      target,
      synthesized: false,
      stacks: built.stacks,
      sites: built.sites,
      resources: counts.reduce((a, b) => a + b, 0),
      resourceTypes: {},
      maxPerStack: Math.max(...counts),
      buildMs: t1 - t0,
      synthMs: 0,
      dispose,
    };
  }
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
  return {
    app: built.app,
    target,
    synthesized: true,
    stacks: assembly.stacks.length,
    sites: built.sites,
    resources,
    resourceTypes,
    maxPerStack,
    buildMs: t1 - t0,
    synthMs: t2 - t1,
    dispose,
  };
}
