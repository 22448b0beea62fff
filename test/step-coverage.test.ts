import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type DeclaredStep, listDeclaredSteps } from '@gatehouse/workflow-runner';
import { describe, expect, inject, it } from 'vitest';
import { repoRoot } from '../scripts/actions';
import { type CoverageRecord, STEP_COVERAGE_DIR } from './support/step-coverage-files';

/**
 * Every step of the reusable workflow and of every example must have run in some test: the files
 * people copy are only proven by running them. Test files that run workflows record the steps
 * that ran (test/support/step-coverage.ts); this file runs after all of them (vitest project
 * `step-coverage`, a later `groupOrder`) and compares with the steps each file declares.
 *
 * When only some tests ran (a file filter), the contributors that did not run are named and the
 * check is skipped: it would otherwise report their steps as never run.
 */

/**
 * Example files whose steps no test runs yet, because the system examples are not wired into the
 * local world yet. Each entry goes when its example runs in a test (this check then fails until it
 * is removed, so the list cannot go stale).
 */
const SYSTEM_EXAMPLES_NOT_YET_RUN: readonly string[] = [];

function workflowFiles(): string[] {
  const examples = join(repoRoot, 'examples');
  return [
    '.github/workflows/deploy.yml',
    ...readdirSync(examples, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
      .map((entry) => relative(repoRoot, join(entry.parentPath, entry.name))),
  ].sort();
}

/** Test files (as vitest finds them) that record step coverage. */
function testFiles(): string[] {
  const roots = ['actions', 'packages', 'testing', 'test'];
  return roots
    .flatMap((root) =>
      readdirSync(join(repoRoot, root), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && e.name.endsWith('.test.ts') && !e.parentPath.includes('node_modules'))
        .map((e) => relative(repoRoot, join(e.parentPath, e.name))),
    )
    .sort();
}

function recordsOfThisSession(): CoverageRecord[] {
  const session = inject('stepCoverageSession');
  const dir = join(STEP_COVERAGE_DIR, session);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) =>
    readFileSync(join(dir, name), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as CoverageRecord),
  );
}

describe('step coverage of deploy.yml and the examples', () => {
  const tests = testFiles().filter((file) => file !== 'test/step-coverage.test.ts');
  const source = (file: string) => readFileSync(join(repoRoot, file), 'utf8');
  const contributors = tests.filter((file) => /\bstepCoverage\(import\.meta\.url\)/.test(source(file)));

  it('is fed by every test file under test/ that runs workflows in the local world or the demo', () => {
    const runsWorkflows = tests.filter(
      (file) => file.startsWith('test/') && /@gatehouse\/local-world|scripts\/demo\//.test(source(file)),
    );
    expect(runsWorkflows.filter((file) => !contributors.includes(file))).toEqual([]);
    expect(contributors.length).toBeGreaterThan(0);
  });

  it('finds every declared step run by some test', async (context) => {
    const records = recordsOfThisSession();
    const ran = new Set(records.map((r) => r.testFile));
    const absent = contributors.filter((file) => !ran.has(file));
    if (absent.length > 0) {
      context.skip(`only part of the suite ran; no record from ${absent.join(', ')}`);
      return;
    }
    const executed = new Set(records.flatMap((r) => r.steps));
    const declared: DeclaredStep[] = [];
    for (const file of workflowFiles()) declared.push(...(await listDeclaredSteps(file, repoRoot)));
    expect(declared.length).toBeGreaterThan(20);

    const notYetRun = (step: DeclaredStep) =>
      SYSTEM_EXAMPLES_NOT_YET_RUN.some((f) => step.key.startsWith(`${f}#`));
    const describe = (step: DeclaredStep) =>
      `${step.key} (${step.name ?? step.uses ?? step.run?.split('\n')[0]})`;

    const missing = declared.filter((s) => !executed.has(s.key) && !notYetRun(s));
    expect(missing.map(describe), 'steps no test ran').toEqual([]);
    const runAfterAll = SYSTEM_EXAMPLES_NOT_YET_RUN.filter((file) =>
      declared.some((s) => s.key.startsWith(`${file}#`) && executed.has(s.key)),
    );
    expect(
      runAfterAll,
      'these examples run in tests now: remove them from SYSTEM_EXAMPLES_NOT_YET_RUN',
    ).toEqual([]);
  });
});
