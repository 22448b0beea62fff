import { join } from 'node:path';
import { repoRoot } from '../../scripts/actions';

/** Where the runs of a test session record the steps they executed, one file per test file. */
export const STEP_COVERAGE_DIR = join(repoRoot, '.tmp', 'step-coverage');

export interface CoverageRecord {
  /** The test file, relative to the repository. */
  testFile: string;
  /** Step keys (`<file>#jobs.<job>.steps[<i>]`) whose main phase ran. */
  steps: string[];
}
