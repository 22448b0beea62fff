import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '@gatehouse/runner-harness';
import { beforeAll, describe, expect, it } from 'vitest';

const actionDir = join(import.meta.dirname, '..');
const event = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, 'events', name), 'utf8'));

/** A real upstream repository and a clone of it, as actions/checkout leaves GITHUB_WORKSPACE. */
function makeRepos() {
  const root = mkdtempSync(join(tmpdir(), 'resolve-ref-git-'));
  const upstream = join(root, 'upstream');
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@e',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@e',
      },
    }).trim();
  execFileSync('git', ['init', '-q', '-b', 'main', upstream]);
  const commit = (message: string) => {
    writeFileSync(join(upstream, 'file.txt'), `${message}\n`);
    git(upstream, 'add', '.');
    git(upstream, 'commit', '-q', '-m', message);
    return git(upstream, 'rev-parse', 'HEAD');
  };
  const first = commit('first');
  git(upstream, 'tag', '-a', 'v1.0.0', '-m', 'release 1.0.0');
  const second = commit('second');
  git(upstream, 'checkout', '-q', '-b', 'release/2026.11');
  const release = commit('release branch');
  git(upstream, 'checkout', '-q', 'main');
  const workspace = join(root, 'workspace');
  execFileSync('git', ['clone', '-q', upstream, workspace]);
  // Made after the clone: only `ls-remote origin` can see it, as in a shallow CI checkout.
  git(upstream, 'checkout', '-q', '-b', 'hotfix');
  const hotfix = commit('hotfix');
  git(upstream, 'checkout', '-q', 'main');
  return { workspace, first, second, release, hotfix };
}

describe('resolve-ref bundle without a token: git fallback in the workspace', () => {
  let repos: ReturnType<typeof makeRepos>;
  beforeAll(() => {
    repos = makeRepos();
  });
  const dispatch = (inputs: Record<string, string>) =>
    runAction({
      actionDir,
      inputs: { environment: 'dev', token: '', ...inputs },
      github: {
        eventName: 'workflow_dispatch',
        event: event('dispatch-with-ref.json'),
        ref: 'refs/heads/main',
        sha: repos.second,
        workspace: repos.workspace,
      },
    });

  it('resolves a branch through its remote-tracking ref', async () => {
    const run = await dispatch({ ref: 'release/2026.11' });
    expect(run.errors).toEqual([]);
    expect(run.outputs).toMatchObject({
      ref: 'refs/heads/release/2026.11',
      sha: repos.release,
      source: 'input',
    });
  });

  it('resolves an annotated tag to its commit, not the tag object', async () => {
    const run = await dispatch({ ref: 'refs/tags/v1.0.0' });
    expect(run.outputs).toMatchObject({ ref: 'refs/tags/v1.0.0', sha: repos.first, 'remote-ref': 'v1.0.0' });
  });

  it('resolves a short SHA to the full one', async () => {
    const run = await dispatch({ ref: repos.first.slice(0, 8) });
    expect(run.outputs.sha).toBe(repos.first);
  });

  it('finds a branch the checkout does not have through ls-remote', async () => {
    const run = await dispatch({ ref: 'origin/hotfix' });
    expect(run.outputs).toMatchObject({ ref: 'refs/heads/hotfix', sha: repos.hotfix });
  });

  it('fails naming a ref that does not exist', async () => {
    const run = await dispatch({ ref: 'no-such-branch' });
    expect(run.succeeded).toBe(false);
    expect(run.errors.join('\n')).toMatch(
      /'no-such-branch' \(branch or tag\) does not exist in the git checkout/,
    );
  });

  it('fails naming a SHA the repository does not have', async () => {
    const run = await dispatch({ ref: 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef' });
    expect(run.succeeded).toBe(false);
    expect(run.errors.join('\n')).toMatch(/Commit deadbeefdeadbeefdeadbeefdeadbeefdeadbeef does not exist/);
  });

  it('explains what to do when there is neither a token nor a checkout', async () => {
    const run = await runAction({
      actionDir,
      inputs: { environment: 'dev', token: '', ref: 'main' },
      github: {
        eventName: 'workflow_dispatch',
        event: event('dispatch-with-ref.json'),
        ref: 'refs/heads/main',
        sha: repos.second,
      },
    });
    expect(run.succeeded).toBe(false);
    expect(run.errors.join('\n')).toMatch(
      /Input 'token' is empty and GITHUB_WORKSPACE is not a git checkout/,
    );
  });
});
