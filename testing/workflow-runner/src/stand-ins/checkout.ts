/**
 * Stand-in for `actions/checkout` (v4–v7): a real `git` fetch from the local repository that stands
 * for `github.repository` (over `file://`, so depth is honoured), modelling what Gatehouse relies on:
 * - `ref` empty → the event's `github.ref` at `github.sha`; a 40-hex `ref` → that commit, detached;
 *   `refs/heads/x` → branch `x` at its tip (or at `github.sha` when it is the event's ref); an
 *   unqualified name → a branch, else a tag, else "A branch or tag with the name '…' could not be found"
 *   (with the default depth, git's own fetch already fails on a name that matches nothing);
 * - `fetch-depth` (default 1: a shallow single commit; 0: all branches and tags), `fetch-tags`;
 * - `path` under `GITHUB_WORKSPACE` (else "Repository path '…' is not under '…'"), emptied first;
 * - `persist-credentials` (default true) writes the token as the `http.<server>/.extraheader` of the
 *   checkout's local git config (masked), and `post` removes it;
 * - outputs `ref` and `commit`.
 * Not modelled: other repositories, submodules, LFS, sparse checkout, SSH keys, safe.directory.
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { StandIn, StandInStep } from './types';

const run = promisify(execFile);

const MANIFEST = `
name: Checkout (stand-in)
description: Checkout a Git repository at a particular version
inputs:
  repository: { description: 'Repository name with owner', default: '\${{ github.repository }}' }
  ref: { description: 'The branch, tag or SHA to checkout' }
  token: { description: 'Token used to fetch', default: '\${{ github.token }}' }
  ssh-key: { description: 'SSH key' }
  ssh-known-hosts: { description: 'Known hosts' }
  ssh-strict: { description: 'Strict host checking', default: true }
  ssh-user: { description: 'SSH user', default: 'git' }
  persist-credentials: { description: 'Keep the token in the local git config', default: true }
  path: { description: 'Relative path under GITHUB_WORKSPACE' }
  clean: { description: 'Clean before fetching', default: true }
  filter: { description: 'Partial clone filter' }
  sparse-checkout: { description: 'Sparse checkout patterns' }
  sparse-checkout-cone-mode: { description: 'Cone mode', default: true }
  fetch-depth: { description: 'Number of commits to fetch (0 = all history)', default: '1' }
  fetch-tags: { description: 'Fetch tags with a fetch-depth', default: false }
  show-progress: { description: 'Progress output', default: true }
  lfs: { description: 'Download LFS files', default: false }
  submodules: { description: 'Checkout submodules', default: false }
  set-safe-directory: { description: 'Add the path to safe.directory', default: true }
  github-server-url: { description: 'The base URL of the GitHub instance' }
outputs:
  ref: { description: 'The branch, tag or SHA that was checked out' }
  commit: { description: 'The commit SHA that was checked out' }
runs:
  using: node24
  main: dist/index.js
  post: dist/index.js
`;

async function git(step: StandInStep, cwd: string, args: string[]): Promise<string> {
  step.info(`[command]/usr/bin/git ${args.join(' ')}`);
  try {
    const { stdout } = await run('git', args, { cwd, env: { ...step.env }, maxBuffer: 64 * 1024 * 1024 });
    return stdout.trim();
  } catch (error) {
    const failed = error as { stderr?: string; code?: number | string };
    for (const line of (failed.stderr ?? '').trim().split('\n')) if (line) step.info(line);
    throw new Error(`The process '/usr/bin/git' failed with exit code ${failed.code ?? 1}`);
  }
}

async function exists(step: StandInStep, cwd: string, ref: string): Promise<boolean> {
  try {
    await run('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd, env: { ...step.env } });
    return true;
  } catch {
    return false;
  }
}

const ALL_HISTORY = ['+refs/heads/*:refs/remotes/origin/*', '+refs/tags/*:refs/tags/*'];

function refSpecs(ref: string, commit: string): string[] {
  if (commit) {
    if (ref.startsWith('refs/heads/'))
      return [`+${commit}:refs/remotes/origin/${ref.slice('refs/heads/'.length)}`];
    if (ref.startsWith('refs/tags/')) return [`+${commit}:${ref}`];
    return [commit];
  }
  if (ref.startsWith('refs/heads/'))
    return [`+${ref}:refs/remotes/origin/${ref.slice('refs/heads/'.length)}`];
  if (ref.startsWith('refs/')) return [`+${ref}:${ref}`];
  return [`+refs/heads/${ref}*:refs/remotes/origin/${ref}*`, `+refs/tags/${ref}*:refs/tags/${ref}*`];
}

function checkoutDir(step: StandInStep): string {
  const target = resolve(step.workspace, step.input('path'));
  const rel = relative(step.workspace, target);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new Error(`Repository path '${target}' is not under '${step.workspace}'`);
  }
  return target;
}

function extraHeaderKey(step: StandInStep): string {
  const server = step.input('github-server-url') || step.run.serverUrl;
  return `http.${server.replace(/\/$/, '')}/.extraheader`;
}

async function main(step: StandInStep): Promise<void> {
  const repository = step.input('repository');
  if (repository.toLowerCase() !== step.run.repository.toLowerCase()) {
    throw new Error(`The checkout stand-in only has ${step.run.repository}, not '${repository}'.`);
  }
  if (!step.gitRepository) throw new Error('No local git repository was given to the runner for checkout.');
  const depthText = step.input('fetch-depth');
  const depth = Number(depthText);
  if (!Number.isInteger(depth) || depth < 0) throw new Error(`Invalid fetch-depth '${depthText}'`);

  let ref = step.input('ref');
  let commit = '';
  if (!ref) {
    ref = String(step.github.ref ?? '');
    commit = String(step.github.sha ?? '');
  } else if (/^[0-9a-fA-F]{40}$/.test(ref)) {
    commit = ref.toLowerCase();
    ref = '';
  }

  const dir = checkoutDir(step);
  step.info(`Syncing repository: ${repository}`);
  await mkdir(dir, { recursive: true });
  for (const entry of await readdir(dir)) await rm(resolve(dir, entry), { recursive: true, force: true });
  await git(step, dir, ['init', '-q', dir]);
  await git(step, dir, ['remote', 'add', 'origin', `file://${resolve(step.gitRepository)}`]);
  if (step.booleanInput('persist-credentials')) {
    const basic = Buffer.from(`x-access-token:${step.input('token')}`).toString('base64');
    step.setSecret(basic);
    await git(step, dir, ['config', '--local', extraHeaderKey(step), `AUTHORIZATION: basic ${basic}`]);
  }

  step.info('Fetching the repository');
  const fetch = ['-c', 'protocol.version=2', 'fetch', '--prune', '--no-recurse-submodules'];
  if (depth > 0) {
    if (!step.booleanInput('fetch-tags')) fetch.push('--no-tags');
    fetch.push(`--depth=${depth}`);
  }
  if (depth > 0) {
    await git(step, dir, [...fetch, 'origin', ...refSpecs(ref, commit)]);
  } else {
    await git(step, dir, [...fetch, 'origin', ...ALL_HISTORY]);
    // The ref may have moved on since the event: pin it to the event's commit, as checkout does.
    if (commit && ref) await git(step, dir, [...fetch, 'origin', ...refSpecs(ref, commit)]);
  }

  step.info('Checking out the ref');
  if (!ref) {
    await git(step, dir, ['checkout', '--progress', '--force', commit]);
  } else if (ref.startsWith('refs/heads/')) {
    const branch = ref.slice('refs/heads/'.length);
    await git(step, dir, [
      'checkout',
      '--progress',
      '--force',
      '-B',
      branch,
      `refs/remotes/origin/${branch}`,
    ]);
  } else if (ref.startsWith('refs/')) {
    await git(step, dir, ['checkout', '--progress', '--force', commit || ref]);
  } else if (await exists(step, dir, `refs/remotes/origin/${ref}`)) {
    await git(step, dir, ['checkout', '--progress', '--force', '-B', ref, `refs/remotes/origin/${ref}`]);
  } else if (await exists(step, dir, `refs/tags/${ref}`)) {
    await git(step, dir, ['checkout', '--progress', '--force', `refs/tags/${ref}`]);
  } else {
    throw new Error(`A branch or tag with the name '${ref}' could not be found`);
  }
  const head = await git(step, dir, ['log', '-1', '--format=%H']);
  step.saveState('repository-path', dir);
  step.setOutput('ref', ref);
  step.setOutput('commit', head);
}

async function post(step: StandInStep): Promise<void> {
  const dir = step.state['repository-path'];
  if (!dir) return;
  try {
    await git(step, dir, ['config', '--local', '--unset-all', extraHeaderKey(step)]);
  } catch {
    // Nothing persisted (persist-credentials: false): the real post step is quiet about it too.
  }
}

export const checkout: StandIn = { manifest: MANIFEST, main, post };
