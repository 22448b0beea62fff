import { ConfigurationError } from '@gatehouse/action-kit/errors';
import { type GithubApiStub, startGithubApiStub } from '@gatehouse/github-api-stub';
import { afterEach, describe, expect, it } from 'vitest';
import { isRateLimited, readCommitChecks } from '../src/commit-checks';
import { createGithubClient } from '../src/index';

const REPO = 'example/service';
const SHA = 'c2a6b03f190dfb2b4aa91f8af8d477a9bc3401dc';
const CHECK_RUNS = 'GET /repos/{owner}/{repo}/commits/{ref}/check-runs';

let api: GithubApiStub | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function client(options: Parameters<typeof startGithubApiStub>[0]) {
  api = await startGithubApiStub(options);
  return createGithubClient({ token: 't', repository: REPO, apiUrl: api.url, sleep: async () => {} });
}

describe('readCommitChecks against the GitHub API stand-in', () => {
  it('reads every page of check runs (latest only) and of the combined status', async () => {
    const github = await client({
      repository: REPO,
      checkRuns: [
        { name: 'test', head_sha: SHA, conclusion: 'failure' },
        ...Array.from({ length: 230 }, (_, i) => ({ name: `shard ${i}`, head_sha: SHA })),
        // A re-run: the latest run of `test` is what counts.
        { name: 'test', head_sha: SHA, conclusion: 'success' },
      ],
      commitStatuses: Array.from({ length: 120 }, (_, i) => ({
        sha: SHA,
        context: `ctx ${i}`,
        state: 'success' as const,
      })),
    });
    const { checkRuns, statuses } = await readCommitChecks(github, SHA);
    expect(checkRuns).toHaveLength(231);
    expect(checkRuns.filter((run) => run.name === 'test').map((run) => run.conclusion)).toEqual(['success']);
    expect(statuses).toHaveLength(120);
    const pages = (route: string) => api!.requests.filter((r) => r.route === route).map((r) => r.query.page);
    expect(pages(CHECK_RUNS)).toEqual(['1', '2', '3']);
    expect(pages('GET /repos/{owner}/{repo}/commits/{ref}/status')).toEqual(['1', '2']);
  });

  it('a 403 names the permissions; a rate limit is told apart from it', async () => {
    const github = await client({ repository: REPO, branches: { main: SHA } });
    api!.setFailure(CHECK_RUNS, 403, { times: 1 });
    const refused = await readCommitChecks(github, SHA).catch((error) => error);
    expect(refused).toBeInstanceOf(ConfigurationError);
    expect(refused.message).toContain('the token needs checks: read and statuses: read');
    expect(isRateLimited(refused)).toBe(false);

    api!.setFailure(CHECK_RUNS, 403, {
      times: 1,
      body: {
        message: 'API rate limit exceeded for installation ID 1.',
        documentation_url: 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api',
      },
    });
    const limited = await readCommitChecks(github, SHA).catch((error) => error);
    expect(limited).not.toBeInstanceOf(ConfigurationError);
    expect(isRateLimited(limited)).toBe(true);

    api!.setFailure(CHECK_RUNS, 429, { times: 1 });
    expect(isRateLimited(await readCommitChecks(github, SHA).catch((error) => error))).toBe(true);
  });
});
