/**
 * CPU profile of SrmIipChecks.validateScope only (not the app build):
 * node --expose-gc --import tsx bench/cpu-profile.ts [resources=10000] [runs=3] [render]
 * Writes .bench/validateScope.cpuprofile (open in Chrome DevTools) and prints
 * the top functions by self time and the rule files by inclusive time.
 * With `render`, the app is not synthesized, so the pack renders the templates.
 * With `alloc`, it samples allocations instead (V8's sampling heap profiler)
 * and prints the functions that allocate the most bytes.
 */
process.env.CDK_VALIDATION = 'false';

import { rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join, relative } from 'node:path';
import { SrmIipChecks } from '../rules';
import { buildApp } from './apps';
import { BENCH_DIR } from './checkers';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[]; hitCount?: number }
interface AllocNode { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: AllocNode[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

function post<T>(s: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => s.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as T))));
}

async function main(): Promise<void> {
  const size = Number(process.argv[2] ?? 10000);
  const runs = Number(process.argv[3] ?? 3);
  const render = process.argv.includes('render');
  const outdir = join(BENCH_DIR, `cdk.out-cpuprof-${process.pid}`);
  const { app } = buildApp(size, { outdir });
  if (!render) app.synth();
  new SrmIipChecks(app).validateScope(app); // warm-up
  (globalThis as { gc?: () => void }).gc?.();
  const s = new Session();
  s.connect();
  if (process.argv.includes('alloc')) {
    await post(s, 'HeapProfiler.enable');
    await post(s, 'HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    for (let i = 0; i < runs; i++) new SrmIipChecks(app).validateScope(app);
    const { profile } = await post<{ profile: { head: AllocNode } }>(s, 'HeapProfiler.stopSampling');
    s.disconnect();
    rmSync(outdir, { recursive: true, force: true });
    const bySelf = new Map<string, number>();
    const name = (n: AllocNode) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/^file:\/\//, '').replace(/.*\/node_modules\//, '~/').replace(process.cwd() + '/', '')}:${n.callFrame.lineNumber + 1}`;
    // Built-ins (push, Set, join ...) are charged to the function that called them.
    const walk = (n: AllocNode, parent: string) => {
      const l = n.callFrame.url === '' && parent !== '' ? `${parent} > ${n.callFrame.functionName}` : name(n);
      bySelf.set(l, (bySelf.get(l) ?? 0) + n.selfSize);
      for (const c of n.children) walk(c, n.callFrame.url === '' ? parent : name(n));
    };
    walk(profile.head, '');
    const total = [...bySelf.values()].reduce((a, b) => a + b, 0);
    console.log(`allocated (sampled) in ${runs} runs: ${(total / 1024 / 1024).toFixed(0)} MB; top allocating functions:`);
    for (const [l, b] of [...bySelf].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`  ${(b / 1024 / 1024).toFixed(1).padStart(8)} MB  ${l}`);
    return;
  }
  await post(s, 'Profiler.enable');
  await post(s, 'Profiler.setSamplingInterval', { interval: 200 });
  await post(s, 'Profiler.start');
  const c0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) new SrmIipChecks(app).validateScope(app);
  const c = process.cpuUsage(c0);
  const { profile } = await post<{ profile: Profile }>(s, 'Profiler.stop');
  s.disconnect();
  rmSync(outdir, { recursive: true, force: true });
  const file = join(BENCH_DIR, 'validateScope.cpuprofile');
  writeFileSync(file, JSON.stringify(profile));
  console.log(`${runs} x validateScope on ${size} resources${render ? ' (not synthesized: renders)' : ''}: ${((c.user + c.system) / 1000 / runs).toFixed(0)} ms CPU per run; profile ${relative(process.cwd(), file)}`);

  // Self time per sample node, from timeDeltas.
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const ch of n.children ?? []) parent.set(ch, n.id);
  const short = (u: string) => u.replace(/^file:\/\//, '').replace(/.*\/node_modules\//, '~/').replace(process.cwd() + '/', '');
  const label = (n: Node) => `${n.callFrame.functionName || '(anon)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const selfBy = new Map<string, number>();
  for (const [id, ms] of self) { const l = label(byId.get(id)!); selfBy.set(l, (selfBy.get(l) ?? 0) + ms); }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`\ntop self time (of ${total.toFixed(0)} ms sampled):`);
  for (const [l, ms] of [...selfBy].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${l}`);
  // Inclusive time per rules/ file (each sample counted once per file on its stack).
  const incl = new Map<string, number>();
  for (const [id, ms] of self) {
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const u = short(byId.get(n)!.callFrame.url);
      if (u.includes('rules/') && !seen.has(u)) { seen.add(u); incl.set(u, (incl.get(u) ?? 0) + ms); }
    }
  }
  console.log('\ninclusive time per rules/ file:');
  for (const [u, ms] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${u}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
