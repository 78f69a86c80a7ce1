import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Files share no state, so one module graph is safe; reloading aws-cdk-lib per file costs ~4 s each.
    isolate: false,
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    env: { CDK_VALIDATION: 'false' },
  },
});
