import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fails any test file in which a registered credential shows up in a log, response, message or record.
    setupFiles: ['test/setup/leak-guard.ts'],
    // Every run gets its own TMPDIR and fails if a test leaves anything in it.
    globalSetup: ['test/setup/temp-dir.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Each test file starts its own emulators on port 0, so files can run in parallel on 2 cores.
    maxWorkers: 2,
    // In CI also a JSON report, from which .ci/run prints the plain 'N passed, N failed' closing line.
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]]
      : ['default'],
    env: {
      AWS_REGION: 'us-east-1',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      POWERTOOLS_METRICS_DISABLED: 'true',
    },
  },
});
