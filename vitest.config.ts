import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/fast-check.ts'],
    // Hang detectors, not speed limits: on a shared 2-core machine running several suites at once, honest tests
    // (the 1,500-run fuzz, server processes started with tsx) have taken over 30 s.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
