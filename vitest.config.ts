import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Worker threads and tfjs backends hold process-wide state; forks isolate them per file.
    pool: 'forks',
    maxWorkers: 2,
  },
});
