import { appendFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunResult } from '@gatehouse/workflow-runner';
import { inject } from 'vitest';
import { repoRoot } from '../../scripts/actions';
import { type CoverageRecord, STEP_COVERAGE_DIR } from './step-coverage-files';

/**
 * What a test file that runs workflow files contributes to the step coverage check
 * (test/step-coverage.test.ts): created when the file loads — so a file whose tests were all skipped
 * still counts as having run and its steps show up as missing — then fed every run.
 *
 *   const coverage = stepCoverage(import.meta.url);
 *   coverage.record(result);          // a RunResult, or a list of them
 */
export function stepCoverage(testFileUrl: string): { record(runs: RunResult | readonly RunResult[]): void } {
  const session = inject('stepCoverageSession');
  const testFile = relative(repoRoot, fileURLToPath(testFileUrl));
  const file = session
    ? join(STEP_COVERAGE_DIR, session, `${testFile.replace(/[^\w.-]+/g, '_')}.jsonl`)
    : undefined;
  const write = (record: CoverageRecord) => {
    if (!file) return;
    mkdirSync(join(file, '..'), { recursive: true });
    appendFileSync(file, `${JSON.stringify(record)}\n`);
  };
  write({ testFile, steps: [] });
  return {
    record(runs) {
      const list: readonly RunResult[] = 'jobs' in runs ? [runs] : runs;
      const steps = list.flatMap((run) =>
        run.jobs.flatMap((job) => job.steps.filter((s) => s.phase === 'main' && s.ran).map((s) => s.key)),
      );
      write({ testFile, steps });
    },
  };
}
