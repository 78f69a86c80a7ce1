/**
 * Memory of one check run: peak heap (V8's used heap, read before every GC
 * of the run via v8.GCProfiler and once at the end) and peak RSS (sampled
 * every millisecond from a worker thread, since the check runs synchronously
 * on the main thread), both as deltas from a baseline taken after gc().
 */
import { GCProfiler } from 'node:v8';
import { Worker } from 'node:worker_threads';

export interface MemoryDelta {
  /** Highest used heap during the run minus the heap after gc() before it, bytes. */
  readonly peakHeapDelta: number;
  /** Highest RSS seen during the run minus the RSS after gc() before it, bytes. */
  readonly peakRssDelta: number;
  /** Used heap after the run and a gc(), with the result still referenced, minus the baseline, bytes. */
  readonly retainedHeapDelta: number;
  readonly baselineHeap: number;
  readonly baselineRss: number;
  /** Garbage collections during the run. */
  readonly gcs: number;
  readonly ms: number;
}

export function forceGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run node with --expose-gc (npm run bench does)');
  gc();
  gc();
}

const SAMPLER = `
const { workerData } = require('node:worker_threads');
const cells = new Float64Array(workerData.shared);
setInterval(() => {
  if (cells[1] === 1) {
    const rss = process.memoryUsage.rss();
    if (rss > cells[0]) cells[0] = rss;
  }
}, 1);
`;

/** Samples the process RSS every millisecond on a worker thread while armed. */
export class RssSampler {
  private readonly cells: Float64Array;
  private readonly worker: Worker;

  private constructor(worker: Worker, cells: Float64Array) {
    this.worker = worker;
    this.cells = cells;
  }

  public static async start(): Promise<RssSampler> {
    const shared = new SharedArrayBuffer(16);
    const worker = new Worker(SAMPLER, { eval: true, workerData: { shared } });
    await new Promise<void>((resolve, reject) => {
      worker.once('online', () => resolve());
      worker.once('error', reject);
    });
    await new Promise((r) => setTimeout(r, 20)); // let its interval start
    return new RssSampler(worker, new Float64Array(shared));
  }

  public arm(): void {
    this.cells[0] = process.memoryUsage.rss();
    this.cells[1] = 1;
  }

  /** Disarm; the peak RSS since `arm`. */
  public disarm(): number {
    this.cells[1] = 0;
    return Math.max(this.cells[0], process.memoryUsage.rss());
  }

  public async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

/** Run `fn` once and measure its memory; the result stays referenced until the retained heap is read. */
export function measureMemory<T>(sampler: RssSampler, fn: () => T): { result: T; memory: MemoryDelta } {
  forceGc();
  const base = process.memoryUsage();
  const profiler = new GCProfiler();
  profiler.start();
  sampler.arm();
  const t0 = performance.now();
  const result = fn();
  const ms = performance.now() - t0;
  const endHeap = process.memoryUsage().heapUsed;
  const peakRss = sampler.disarm();
  const stats = profiler.stop().statistics;
  let peakHeap = endHeap;
  for (const s of stats) peakHeap = Math.max(peakHeap, s.beforeGC.heapStatistics.usedHeapSize);
  forceGc();
  const retained = process.memoryUsage().heapUsed;
  return {
    result,
    memory: {
      peakHeapDelta: peakHeap - base.heapUsed,
      peakRssDelta: peakRss - base.rss,
      retainedHeapDelta: retained - base.heapUsed,
      baselineHeap: base.heapUsed,
      baselineRss: base.rss,
      gcs: stats.length,
      ms,
    },
  };
}
