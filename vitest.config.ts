import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'packages/sdk/test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/fast-check.ts'],
    // One file more than cores: files wait on PostgreSQL, Redis, child servers and Chromium much of the time
    // (on 2 cores, 3 workers took the suite from 520 s to 332 s; vitest's default is cores - 1).
    maxWorkers: availableParallelism() + 1,
    // Hang detectors, not speed limits: on a shared 2-core machine running several suites at once, honest tests
    // (the 1,500-run fuzz, server processes started with tsx) have taken over 30 s.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
