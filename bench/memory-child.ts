/**
 * Child process of the benchmark: memory of ONE validateScope run of one
 * checker on a freshly built app, so neither checker inherits the other's heap.
 * Usage (run.ts does this): node --expose-gc --import tsx bench/memory-child.ts <target> <srm|aws>
 * Prints one JSON line.
 */
process.env.CDK_VALIDATION = 'false';

import { CheckerName, prepareApp, runChecker } from './checkers';
import { measureMemory, RssSampler } from './memory';

async function main(): Promise<void> {
  const target = Number(process.argv[2]);
  const checker = process.argv[3] as CheckerName;
  if (!Number.isInteger(target) || target <= 0 || (checker !== 'srm' && checker !== 'aws')) {
    throw new Error('usage: memory-child.ts <resources> <srm|aws>');
  }
  const prepared = prepareApp(target, `mem-${checker}`);
  const sampler = await RssSampler.start();
  const { result, memory } = measureMemory(sampler, () => runChecker(checker, prepared.app));
  await sampler.stop();
  process.stdout.write(`${JSON.stringify({ target, checker, resources: prepared.resources, findings: result.findings, ...memory })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
