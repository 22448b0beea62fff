import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type CheckRunSeed,
  type CommitStatusSeed,
  type GithubApiStub,
  startGithubApiStub,
} from '@gatehouse/github-api-stub';
import { runAction } from '@gatehouse/runner-harness';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * require-checks through the bundle, against the GitHub API stand-in (its bodies follow GitHub's
 * OpenAPI description): check runs read latest-only and page by page, the combined status, this
 * run's own jobs left out, pending checks waited for (the stand-in's `steps` move a check on one
 * step per listing), a timeout, and a 403 that names the permissions.
 */
const actionDir = join(import.meta.dirname, '..');
const REPO = 'example/service';
const TOKEN = 'ghs_requireChecksToken';
const SHA = 'c2a6b03f190dfb2b4aa91f8af8d477a9bc3401dc';
const RUN_ID = '7001';
const CHECK_RUNS = 'GET /repos/{owner}/{repo}/commits/{ref}/check-runs';
const jobUrl = (runId: string, job: number) => `https://github.com/${REPO}/actions/runs/${runId}/job/${job}`;

let api: GithubApiStub | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function deployWith(
  seeds: {
    checkRuns?: Omit<CheckRunSeed, 'head_sha'>[];
    statuses?: Omit<CommitStatusSeed, 'sha'>[];
    failures?: Record<string, number>;
  },
  inputs: Record<string, string>,
) {
  api = await startGithubApiStub({
    repository: REPO,
    token: TOKEN,
    branches: { main: SHA },
    checkRuns: (seeds.checkRuns ?? []).map((seed) => ({ head_sha: SHA, ...seed })),
    commitStatuses: (seeds.statuses ?? []).map((seed) => ({ sha: SHA, ...seed })),
    failures: seeds.failures,
  });
  return runAction({
    actionDir,
    inputs: { environment: 'prod', token: TOKEN, ...inputs },
    github: {
      eventName: 'push',
      event: { ref: 'refs/heads/main', after: SHA, repository: { default_branch: 'main' } },
      ref: 'refs/heads/main',
      sha: SHA,
      repository: REPO,
      apiUrl: api.url,
      token: TOKEN,
      runId: RUN_ID,
    },
    timeoutMs: 60_000,
  });
}

const green = (name: string, job: number): Omit<CheckRunSeed, 'head_sha'> => ({
  name,
  status: 'completed',
  conclusion: 'success',
  details_url: jobUrl('5000', job),
});

const listings = () => api!.requests.filter((request) => request.route === CHECK_RUNS);

describe('resolve-ref bundle: require-checks', () => {
  it('all green: every check run and commit status passed; the record and the log list them', async () => {
    const run = await deployWith(
      {
        checkRuns: [
          green('Lint & Type Check', 1),
          green('Run Tests', 2),
          { ...green('docs', 3), conclusion: 'skipped' },
        ],
        statuses: [
          { context: 'ci/circleci: build', state: 'success', target_url: 'https://circleci.com/b/1' },
        ],
      },
      { 'require-checks': 'all' },
    );
    expect(run.errors).toEqual([]);
    expect(run.outputs.sha).toBe(SHA);
    expect(run.log).toContain('require-checks: 4 check(s) passed on c2a6b03');
    expect(run.log).toContain(`Run Tests (check run): success — ${jobUrl('5000', 2)}`);
    expect(run.log).toContain('ci/circleci: build (commit status): success — https://circleci.com/b/1');
    const record = JSON.parse(await readFile(join(run.runnerTemp, 'gatehouse', 'resolve-ref.json'), 'utf8'));
    expect(record.checks).toMatchObject({ all: true, names: [] });
    expect(record.checks.passed).toHaveLength(4);
    // Latest runs only, as GitHub's filter=latest gives them, a hundred to a page.
    expect(listings()[0]!.query).toMatchObject({ filter: 'latest', per_page: '100', page: '1' });
    expect(run.summary).toContain('4 required check(s) passed');
  });

  it('one failed: the step fails before any output, listing it with its conclusion and link', async () => {
    const run = await deployWith(
      { checkRuns: [green('Lint', 1), { ...green('Run Tests', 2), conclusion: 'failure' }] },
      { 'require-checks': 'all' },
    );
    expect(run.succeeded).toBe(false);
    expect(run.outputs).toEqual({});
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(
      `Commit ${SHA} has not passed the checks input 'require-checks' asks for (all), so nothing was deployed.`,
    );
    expect(run.errors[0]).toContain(`- Run Tests (check run): failure — ${jobUrl('5000', 2)}`);
    expect(run.errors[0]).toContain('1 other check(s) passed.');
  });

  it('one still running that then succeeds: waited for, then the deploy goes on', async () => {
    const run = await deployWith(
      {
        checkRuns: [
          green('Lint', 1),
          {
            name: 'e2e',
            status: 'in_progress',
            details_url: jobUrl('5000', 2),
            steps: [{ status: 'completed', conclusion: 'success' }],
          },
        ],
      },
      { 'require-checks': 'Lint, e2e' },
    );
    expect(run.errors).toEqual([]);
    expect(run.outputs.sha).toBe(SHA);
    expect(run.log).toContain(
      'Waiting for the checks on c2a6b03: e2e (in_progress) still running; reading again in 5s',
    );
    expect(listings().length).toBeGreaterThanOrEqual(2);
  });

  it('one still running past checks-timeout: fails naming it and what it was still doing', async () => {
    const run = await deployWith(
      {
        checkRuns: [green('Lint', 1), { name: 'e2e', status: 'in_progress', details_url: jobUrl('5000', 2) }],
      },
      { 'require-checks': 'all', 'checks-timeout': '2s' },
    );
    expect(run.succeeded).toBe(false);
    expect(run.errors[0]).toContain(
      `- e2e (check run): still in_progress after 2s (checks-timeout) — ${jobUrl('5000', 2)}`,
    );
    expect(listings().length).toBeGreaterThanOrEqual(2);
  });

  it('a required name missing: fails naming it once nothing else runs', async () => {
    const run = await deployWith(
      { checkRuns: [green('Lint', 1), green('Run Tests', 2)] },
      { 'require-checks': 'Run Tests\nBuild Docker Image' },
    );
    expect(run.succeeded).toBe(false);
    expect(run.errors[0]).toContain(
      '- Build Docker Image: missing — no check run or commit status of this name is on the commit',
    );
    expect(run.errors[0]).not.toContain('Lint');
    // Nothing was running, so there was nothing to wait for.
    expect(listings()).toHaveLength(1);
  });

  it("the run's own job in progress is left out, told apart by the run id in its details_url", async () => {
    const run = await deployWith(
      {
        checkRuns: [
          green('Run Tests', 1),
          { name: 'deploy / deploy to prod', status: 'in_progress', details_url: jobUrl(RUN_ID, 9) },
        ],
      },
      // No waiting allowed: only leaving the job out lets this pass.
      { 'require-checks': 'all', 'checks-timeout': '0s' },
    );
    expect(run.errors).toEqual([]);
    expect(run.log).toContain('require-checks: 1 check(s) passed on c2a6b03 (1 job(s) of this run left out)');
  });

  it("another run's job of the same name is not left out", async () => {
    const run = await deployWith(
      {
        checkRuns: [
          green('Run Tests', 1),
          { name: 'deploy / deploy to prod', status: 'in_progress', details_url: jobUrl('6999', 9) },
        ],
      },
      { 'require-checks': 'all', 'checks-timeout': '0s' },
    );
    expect(run.succeeded).toBe(false);
    expect(run.errors[0]).toContain('- deploy / deploy to prod (check run): still in_progress after 0ms');
  });

  it('a commit status (not a check run) failing fails the step, with its state and target URL', async () => {
    const run = await deployWith(
      {
        checkRuns: [green('Run Tests', 1)],
        statuses: [
          { context: 'ci/jenkins', state: 'pending', target_url: 'https://jenkins.example.com/job/1' },
          { context: 'ci/jenkins', state: 'error', target_url: 'https://jenkins.example.com/job/1' },
          { context: 'security/snyk', state: 'success' },
        ],
      },
      { 'require-checks': 'all' },
    );
    expect(run.succeeded).toBe(false);
    expect(run.errors[0]).toContain(
      '- ci/jenkins (commit status): error — https://jenkins.example.com/job/1',
    );
  });

  it('reads past 100 check runs: a failure on the second page is found', async () => {
    const run = await deployWith(
      {
        // The stand-in lists newest first, so the first one seeded is on the last page.
        checkRuns: [
          { ...green('flaky integration', 1), conclusion: 'failure' },
          ...Array.from({ length: 150 }, (_, i) => green(`unit shard ${i}`, 100 + i)),
        ],
      },
      { 'require-checks': 'all' },
    );
    expect(run.succeeded).toBe(false);
    expect(run.errors[0]).toContain('- flaky integration (check run): failure');
    expect(run.errors[0]).toContain('150 other check(s) passed.');
    expect(listings().map((request) => request.query.page)).toEqual(['1', '2']);
  });

  it('a 403 is an error that names checks: read and statuses: read', async () => {
    const run = await deployWith(
      { checkRuns: [green('Run Tests', 1)], failures: { [CHECK_RUNS]: 403 } },
      { 'require-checks': 'all' },
    );
    expect(run.succeeded).toBe(false);
    expect(run.errors[0]).toMatch(
      /^Configuration error: The GitHub API refused GET \/repos\/example\/service\/commits\/c2a6b03f[0-9a-f]+\/check-runs \(HTTP 403\): the token needs checks: read and statuses: read/,
    );
    expect(run.errors[0]).toContain('permissions: { checks: read, statuses: read }');
  });

  it('without a token, require-checks says it needs one', async () => {
    const run = await deployWith(
      { checkRuns: [green('Run Tests', 1)] },
      { 'require-checks': 'all', token: '' },
    );
    expect(run.errors).toEqual([
      "Configuration error: Input 'require-checks' needs input 'token' (with checks: read and statuses: read).",
    ]);
  });
});
