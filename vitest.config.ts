import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'actions/*/test/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'testing/*/test/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // End-to-end tests spawn bundles and servers; two cores are all CI has.
    maxWorkers: 2,
    reporters: ['default', 'json'],
    outputFile: { json: '.tmp/vitest-results.json' },
  },
});
