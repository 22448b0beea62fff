import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pushEvent, type RunResult, type RunWorkflowOptions, runWorkflow } from '../src/index';

/** This repository: its `actions/` bundles and `testing/` fixtures are linked into every fixture repo. */
export const gatehouseRoot = resolve(import.meta.dirname, '..', '..', '..');

export const SHA = 'c0ffee'.padEnd(40, '0');

/**
 * A repository root for a test: the given files (workflows under `.github/workflows/…`) next to
 * links to this repository's `actions/` and `testing/`, so `./actions/x` and
 * `owner/gatehouse/actions/x@v1` run the real bundles.
 */
export async function fixtureRepo(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'workflow-runner-'));
  for (const dir of ['actions', 'testing']) await symlink(join(gatehouseRoot, dir), join(root, dir));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

/** Runs `.github/workflows/<name>` of a fixture repo on a push to main unless told otherwise. */
export function run(
  repoRoot: string,
  name: string,
  options: Partial<Omit<RunWorkflowOptions, 'repoRoot'>> = {},
): Promise<RunResult> {
  return runWorkflow({
    workflow: `.github/workflows/${name}`,
    repoRoot,
    event: pushEvent({ sha: SHA, repository: 'acme/api' }),
    ...options,
  });
}

/** A real git repository with a few commits on main and a tag; returns its path and commits, oldest first. */
export async function gitRepository(): Promise<{ path: string; commits: string[] }> {
  const path = await mkdtemp(join(tmpdir(), 'workflow-runner-git-'));
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: path,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'a',
        GIT_AUTHOR_EMAIL: 'a@example.com',
        GIT_COMMITTER_NAME: 'a',
        GIT_COMMITTER_EMAIL: 'a@example.com',
      },
    })
      .toString()
      .trim();
  git('init', '-q', '-b', 'main');
  const commits: string[] = [];
  for (const n of [1, 2, 3]) {
    await writeFile(join(path, 'version.txt'), `v${n}\n`);
    git('add', 'version.txt');
    git('commit', '-q', '-m', `commit ${n}`);
    commits.push(git('rev-parse', 'HEAD'));
  }
  git('tag', 'v1', commits[0]!);
  git('checkout', '-q', '-b', 'feature', commits[1]!);
  await writeFile(join(path, 'feature.txt'), 'feature\n');
  git('add', 'feature.txt');
  git('commit', '-q', '-m', 'feature');
  git('checkout', '-q', 'main');
  return { path, commits };
}

/** The log lines of a job's main step, by id or name. */
export function logOf(result: RunResult, job: string, step: string): string[] {
  const found = result.jobs
    .find((j) => j.key === job)
    ?.steps.find((s) => s.phase === 'main' && (s.id === step || s.name === step));
  if (!found) throw new Error(`no step ${job}/${step}`);
  return found.log;
}
