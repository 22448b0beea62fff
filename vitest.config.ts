import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const TESTS = [
  'actions/*/test/**/*.test.ts',
  'packages/*/test/**/*.test.ts',
  'testing/*/test/**/*.test.ts',
  'test/**/*.test.ts',
];
/** Runs after every other test file (see its header). */
const STEP_COVERAGE = 'test/step-coverage.test.ts';

export default defineConfig({
  plugins: [
    {
      // The parser's published source maps name sources it does not ship; Vite would warn per file.
      name: 'workflow-parser-without-source-maps',
      load(id) {
        if (!id.includes('/@actions/workflow-parser/dist/') || !id.endsWith('.js')) return null;
        return readFileSync(id, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, '');
      },
    },
  ],
  test: {
    testTimeout: 60_000,
    // GitHub's workflow parser imports its JSON schemas without an import attribute, which Node
    // refuses; letting Vite transform it makes those imports work as they do under tsx.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
    hookTimeout: 120_000,
    // End-to-end tests spawn bundles and servers; two cores are all CI has.
    maxWorkers: 2,
    reporters: ['default', 'json'],
    outputFile: { json: '.tmp/vitest-results.json' },
    globalSetup: ['test/support/step-coverage-session.ts'],
    projects: [
      { extends: true, test: { name: 'gatehouse', include: TESTS, exclude: [STEP_COVERAGE] } },
      // A second group: it starts once every file of the first has finished.
      {
        extends: true,
        test: { name: 'step-coverage', include: [STEP_COVERAGE], sequence: { groupOrder: 1 } },
      },
    ],
  },
});
