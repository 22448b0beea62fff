import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { STEP_COVERAGE_DIR } from './step-coverage-files';

/**
 * vitest globalSetup: one session id for the whole `vitest run`, the same in every project (each
 * project loads this module anew, but all of them in the one main process), so the step coverage
 * check reads only what the runs of this session recorded. Older sessions' records are removed.
 */
export default function setup(project: TestProject): void {
  const session = `${process.pid}-${Math.round(performance.timeOrigin)}`;
  mkdirSync(STEP_COVERAGE_DIR, { recursive: true });
  for (const name of readdirSync(STEP_COVERAGE_DIR)) {
    if (name !== session) rmSync(join(STEP_COVERAGE_DIR, name), { recursive: true, force: true });
  }
  project.provide('stepCoverageSession', session);
}

declare module 'vitest' {
  export interface ProvidedContext {
    stepCoverageSession: string;
  }
}
