import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GithubApiStub, startGithubApiStub } from '@gatehouse/github-api-stub';
import { runAction } from '@gatehouse/runner-harness';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const actionDir = join(import.meta.dirname, '..');
const event = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, 'events', name), 'utf8'));

const MAIN = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const FEATURE = '1d6e2c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d';
const RELEASE = '7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b';
const TAGGED = '8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e';
const TAG_OBJECT = 'ffffeeeeddddccccbbbbaaaa9999888877776666';
const OLD = '0123456789abcdef0123456789abcdef01234567';
const TOKEN = 'ghs_resolveRefTestToken';

describe('resolve-ref bundle against the GitHub API stand-in', () => {
  let api: GithubApiStub;
  beforeAll(async () => {
    api = await startGithubApiStub({
      repository: 'example/service',
      token: TOKEN,
      branches: { main: MAIN, 'feature/login': FEATURE, 'release/2026.11': RELEASE },
      tags: { 'v1.4.0': { commit: TAGGED, annotated: TAG_OBJECT }, 'v2.0.0': RELEASE },
      commits: [OLD],
    });
  });
  afterAll(() => api.close());
  beforeEach(() => {
    api.requests.length = 0;
  });

  const run = (
    eventName: string,
    eventFile: string,
    ref: string,
    sha: string,
    inputs: Record<string, string>,
  ) =>
    runAction({
      actionDir,
      inputs: { token: TOKEN, ...inputs },
      github: {
        eventName,
        event: event(eventFile),
        ref,
        sha,
        apiUrl: api.url,
        repository: 'example/service',
        token: TOKEN,
      },
    });

  it('push to a branch uses the pushed commit and makes no API call', async () => {
    const result = await run('push', 'push-branch.json', 'refs/heads/main', MAIN, { environment: 'dev' });
    expect(result.outputs).toMatchObject({ sha: MAIN, source: 'push', ref: 'refs/heads/main' });
    expect(api.requests).toEqual([]);
  });

  it('push of a tag deploys the tag at the pushed commit', async () => {
    const result = await run('push', 'push-tag.json', 'refs/tags/v1.4.0', TAGGED, { environment: 'stage' });
    expect(result.outputs).toMatchObject({
      ref: 'refs/tags/v1.4.0',
      'ref-name': 'v1.4.0',
      sha: TAGGED,
      source: 'push',
    });
  });

  it('dispatch with a branch ref resolves it through the API', async () => {
    const result = await run('workflow_dispatch', 'dispatch-with-ref.json', 'refs/heads/main', MAIN, {
      environment: 'dev',
      ref: 'release/2026.11',
    });
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({
      ref: 'refs/heads/release/2026.11',
      'remote-ref': 'origin/release/2026.11',
      sha: RELEASE,
      source: 'input',
      'input-ref': 'release/2026.11',
      'github-ref': 'refs/heads/main',
    });
    expect(api.requests.map((r) => r.route)).toContain('GET /repos/{owner}/{repo}/branches/{branch}');
  });

  it('dispatch with an annotated tag resolves to the commit, not the tag object', async () => {
    const result = await run('workflow_dispatch', 'dispatch-with-ref.json', 'refs/heads/main', MAIN, {
      environment: 'dev',
      ref: 'refs/tags/v1.4.0',
    });
    expect(result.outputs).toMatchObject({ ref: 'refs/tags/v1.4.0', sha: TAGGED });
  });

  it('dispatch with a short SHA resolves to the full SHA', async () => {
    const result = await run('workflow_dispatch', 'dispatch-with-ref.json', 'refs/heads/main', MAIN, {
      environment: 'dev',
      ref: OLD.slice(0, 10),
    });
    expect(result.outputs).toMatchObject({ sha: OLD, ref: OLD, source: 'input' });
  });

  it('dispatch without a ref in dev deploys the dispatched branch at GITHUB_SHA', async () => {
    const result = await run(
      'workflow_dispatch',
      'dispatch-empty-ref.json',
      'refs/heads/feature/login',
      FEATURE,
      {
        environment: 'dev',
      },
    );
    expect(result.outputs).toMatchObject({
      ref: 'refs/heads/feature/login',
      sha: FEATURE,
      source: 'dispatch-branch',
    });
    expect(api.requests).toEqual([]);
  });

  it('dispatch without a ref in prod deploys the default branch, looked up, not the dispatched one', async () => {
    const result = await run(
      'workflow_dispatch',
      'dispatch-empty-ref.json',
      'refs/heads/feature/login',
      FEATURE,
      {
        environment: 'prod',
      },
    );
    expect(result.outputs).toMatchObject({ ref: 'refs/heads/main', sha: MAIN, source: 'protected-default' });
    expect(result.stdout).toContain("Environment 'prod' is protected and no ref was given");
  });

  it('release deploys the release tag', async () => {
    const result = await run('release', 'release.json', 'refs/tags/v2.0.0', RELEASE, { environment: 'prod' });
    expect(result.outputs).toMatchObject({ ref: 'refs/tags/v2.0.0', sha: RELEASE, source: 'release' });
  });

  it('a branch that does not exist fails naming it', async () => {
    const result = await run('workflow_dispatch', 'dispatch-with-ref.json', 'refs/heads/main', MAIN, {
      environment: 'dev',
      ref: 'origin/no-such-branch',
    });
    expect(result.succeeded).toBe(false);
    expect(result.errors).toEqual([
      "Branch 'no-such-branch' does not exist in the GitHub repository example/service.",
    ]);
  });

  it('a SHA the repository does not have fails naming it', async () => {
    const result = await run('workflow_dispatch', 'dispatch-with-ref.json', 'refs/heads/main', MAIN, {
      environment: 'dev',
      ref: 'abcdefabcdefabcdefabcdefabcdefabcdefabcd',
    });
    expect(result.errors.join()).toMatch(/Commit abcdefabcdefabcdefabcdefabcdefabcdefabcd does not exist/);
  });

  it('a rejected token (401) is a configuration error about the token, and the token is masked', async () => {
    const result = await run('workflow_dispatch', 'dispatch-with-ref.json', 'refs/heads/main', MAIN, {
      environment: 'dev',
      ref: 'main',
      token: 'ghs_wrongToken',
    });
    expect(result.errors.join()).toMatch(/Configuration error: The GitHub API rejected input 'token' \(401/);
    expect(result.masks).toContain('ghs_wrongToken');
    expect(result.log).not.toContain('ghs_wrongToken');
  });

  it('a 500 is retried, then reported with the request it failed', async () => {
    api.setFailure('GET /repos/{owner}/{repo}/branches/{branch}', 500, { times: 1 });
    const retried = await run('workflow_dispatch', 'dispatch-with-ref.json', 'refs/heads/main', MAIN, {
      environment: 'dev',
      ref: 'origin/main',
    });
    expect(retried.outputs.sha).toBe(MAIN);
    api.setFailure('GET /repos/{owner}/{repo}/branches/{branch}', 500);
    const failed = await run('workflow_dispatch', 'dispatch-with-ref.json', 'refs/heads/main', MAIN, {
      environment: 'dev',
      ref: 'origin/main',
    });
    api.setFailure('GET /repos/{owner}/{repo}/branches/{branch}', 0);
    expect(failed.succeeded).toBe(false);
    expect(failed.errors.join()).toMatch(
      /GitHub API failed GET \/repos\/example\/service\/branches\/main after 3 attempts: HTTP 500 /,
    );
  });
});
