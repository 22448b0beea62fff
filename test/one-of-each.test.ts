import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../scripts/actions';

/**
 * One way to do each thing: the jobs below each have one module, and this test finds a copy that
 * creeps back into the code that ships (each action's src/ and packages/*\/src).
 */
function shippedSources(): string[] {
  return ['actions', 'packages'].flatMap((top) =>
    readdirSync(join(repoRoot, top), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts') && /\/src(\/|$)/.test(e.parentPath))
      .filter((e) => !e.parentPath.includes('node_modules'))
      .map((e) => relative(repoRoot, join(e.parentPath, e.name))),
  );
}

function filesMatching(pattern: RegExp): string[] {
  return shippedSources()
    .filter((file) => pattern.test(readFileSync(join(repoRoot, file), 'utf8')))
    .sort();
}

describe('one module for each job', () => {
  it('the runner is told of secrets in one place (mask.ts), and by secretString for whole inputs', () => {
    expect(filesMatching(/\bsetSecret\(/)).toEqual([
      'packages/action-kit/src/inputs.ts',
      'packages/action-kit/src/mask.ts',
    ]);
  });

  it("a URL's password is read in one place (secrets.ts); verify-url only refuses one", () => {
    expect(filesMatching(/\.password\b/)).toEqual([
      'packages/action-kit/src/secrets.ts',
      'packages/command-runner/src/rollout-inputs.ts',
    ]);
  });

  it('the GITHUB_* values of the run are read in one place (run-context.ts)', () => {
    // GITHUB_STEP_SUMMARY is a file the runner hands the step, not a fact about the run.
    expect(filesMatching(/\benv\.GITHUB_(?!STEP_SUMMARY\b)|\benv\[['"]GITHUB_/)).toEqual([
      'packages/action-kit/src/run-context.ts',
    ]);
    expect(filesMatching(/api\.github\.com/)).toEqual(['packages/action-kit/src/run-context.ts']);
  });

  it('a commit is shortened in one place (short-sha.ts)', () => {
    expect(filesMatching(/\.slice\(0, ?(7|12)\)/)).toEqual(['packages/action-kit/src/short-sha.ts']);
  });
});
