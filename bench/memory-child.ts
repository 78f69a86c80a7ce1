/**
 * Child process of the benchmark: memory of ONE validateScope run of one
 * checker on a freshly built app, so neither checker inherits the other's heap.
 * Usage (run.ts does this): node --expose-gc --import tsx bench/memory-child.ts <target> <srm|srmRender|aws>
 * Prints one JSON line.
 */
process.env.CDK_VALIDATION = 'false';

import { CheckerName, CHECKERS, onUnsynthesizedApp, prepareApp, runChecker } from './checkers';
import { measureMemory, RssSampler } from './memory';

async function main(): Promise<void> {
  const target = Number(process.argv[2]);
  const checker = process.argv[3] as CheckerName;
  if (!Number.isInteger(target) || target <= 0 || !CHECKERS.includes(checker)) {
    throw new Error(`usage: memory-child.ts <resources> <${CHECKERS.join('|')}>`);
  }
  const prepared = prepareApp(target, `mem-${checker}`, { synthesize: !onUnsynthesizedApp(checker) });
  try {
    const sampler = await RssSampler.start();
    const { result, memory } = measureMemory(sampler, () => runChecker(checker, prepared.app));
    await sampler.stop();
    process.stdout.write(`${JSON.stringify({ target, checker, resources: prepared.resources, findings: result.findings, ...memory })}\n`);
  } finally {
    prepared.dispose();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
