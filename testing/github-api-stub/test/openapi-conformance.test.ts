import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GithubApiStub, startGithubApiStub } from '../src/index';
import { GithubDescription } from './openapi';

/**
 * Every body the stub serves, success and error, against the response schema GitHub publishes for
 * that operation and status (statuses an operation does not list — 401, 403, 5xx — against GitHub's
 * basic error). Every route is exercised with at least one success and one error, so a new route
 * cannot slip in unchecked.
 */
const MAIN = 'a'.repeat(40);
const PARENT = 'f'.repeat(40);
const TAG_OBJECT = 'd'.repeat(40);
const FORK_HEAD = 'c'.repeat(40);
const RUN = 9_000_000_101;
const FORK_RUN = 9_000_000_102;
const OWNER = '/repos/example/service';

// The description types these as `format: uri`, yet its own request schema for creating a
// deployment status defaults them to "", which GitHub stores and returns as "".
const EMPTY_URIS = ['target_url', 'log_url', 'environment_url'];

interface Exchange {
  route: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  token?: string;
  /** Applied (and cleared after) with setFailure. */
  failure?: number;
}

const description = new GithubDescription();
let stub: GithubApiStub;
beforeAll(async () => {
  stub = await startGithubApiStub({
    repository: 'example/service',
    token: 'right',
    branches: { main: MAIN },
    tags: { v1: MAIN, 'release/2.0': { commit: MAIN, annotated: TAG_OBJECT } },
    commits: [{ sha: MAIN, message: 'Deploy me', parents: [PARENT] }, PARENT],
    deployments: [
      {
        environment: 'dev',
        sha: MAIN,
        ref: 'main',
        statuses: ['in_progress', 'success'],
        payload: { gatehouse: true },
      },
    ],
    workflowRuns: [
      {
        id: RUN,
        name: 'deploy dev',
        path: '.github/workflows/deploy-dev.yml',
        head_branch: 'main',
        head_sha: MAIN,
        event: 'push',
      },
      {
        id: FORK_RUN,
        name: 'ci',
        path: '.github/workflows/ci.yml',
        head_branch: 'patch-1',
        head_sha: FORK_HEAD,
        event: 'pull_request',
        status: 'in_progress',
        head_repository: { full_name: 'someone/service', id: 777 },
      },
    ],
    artifacts: [
      { name: 'deploy-history-dev', run_id: RUN, files: { 'history.json': '[]\n' } },
      { name: 'old', run_id: RUN, files: { 'a.txt': 'a' }, expired: true },
      { name: 'from-fork', run_id: FORK_RUN, files: { 'x.txt': 'x' } },
    ],
    checkRuns: [
      { name: 'test', head_sha: MAIN, status: 'completed', conclusion: 'failure' },
      { name: 'test', head_sha: MAIN, status: 'in_progress' },
      { name: 'lint', head_sha: MAIN, status: 'queued', app: { id: 1234, slug: 'linter', name: 'Linter' } },
    ],
    commitStatuses: [
      { sha: MAIN, context: 'ci/build', state: 'pending' },
      { sha: MAIN, context: 'ci/build', state: 'success', target_url: 'https://ci.example.test/1' },
      { sha: MAIN, context: 'security', state: 'failure', description: 'two findings' },
    ],
  });
});
afterAll(async () => stub?.close());

const R = {
  commit: 'GET /repos/{owner}/{repo}/commits/{ref}',
  branch: 'GET /repos/{owner}/{repo}/branches/{branch}',
  ref: 'GET /repos/{owner}/{repo}/git/ref/{ref}',
  tag: 'GET /repos/{owner}/{repo}/git/tags/{tag_sha}',
  createDeployment: 'POST /repos/{owner}/{repo}/deployments',
  deployments: 'GET /repos/{owner}/{repo}/deployments',
  deployment: 'GET /repos/{owner}/{repo}/deployments/{deployment_id}',
  createStatus: 'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
  statuses: 'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
  run: 'GET /repos/{owner}/{repo}/actions/runs/{run_id}',
  artifacts: 'GET /repos/{owner}/{repo}/actions/artifacts',
  runArtifacts: 'GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts',
  download: 'GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}',
  checkRuns: 'GET /repos/{owner}/{repo}/commits/{ref}/check-runs',
  combined: 'GET /repos/{owner}/{repo}/commits/{ref}/status',
};

const EXCHANGES: Exchange[] = [
  { route: R.commit, method: 'GET', path: `${OWNER}/commits/main` },
  { route: R.commit, method: 'GET', path: `${OWNER}/commits/${'9'.repeat(40)}` },
  { route: R.commit, method: 'GET', path: `${OWNER}/commits/no-such-branch` },
  { route: R.commit, method: 'GET', path: `${OWNER}/commits/main`, failure: 500 },
  { route: R.branch, method: 'GET', path: `${OWNER}/branches/main` },
  { route: R.branch, method: 'GET', path: `${OWNER}/branches/nope` },
  { route: R.ref, method: 'GET', path: `${OWNER}/git/ref/tags/v1` },
  { route: R.ref, method: 'GET', path: `${OWNER}/git/ref/tags/release%2F2.0` },
  { route: R.ref, method: 'GET', path: `${OWNER}/git/ref/heads/main` },
  { route: R.ref, method: 'GET', path: `${OWNER}/git/ref/tags/nope` },
  { route: R.tag, method: 'GET', path: `${OWNER}/git/tags/${TAG_OBJECT}` },
  { route: R.tag, method: 'GET', path: `${OWNER}/git/tags/${'0'.repeat(40)}` },
  {
    route: R.createDeployment,
    method: 'POST',
    path: `${OWNER}/deployments`,
    body: { ref: 'main', environment: 'prod', payload: { gatehouse: true } },
  },
  { route: R.createDeployment, method: 'POST', path: `${OWNER}/deployments`, body: { ref: 'nope' } },
  { route: R.createDeployment, method: 'POST', path: `${OWNER}/deployments`, body: {} },
  {
    route: R.createDeployment,
    method: 'POST',
    path: `${OWNER}/deployments`,
    body: { ref: 'main' },
    failure: 409,
  },
  {
    route: R.createDeployment,
    method: 'POST',
    path: `${OWNER}/deployments`,
    body: { ref: 'main' },
    token: 'wrong',
  },
  { route: R.deployments, method: 'GET', path: `${OWNER}/deployments?environment=dev` },
  { route: R.deployments, method: 'GET', path: `${OWNER}/deployments`, failure: 403 },
  { route: R.deployment, method: 'GET', path: `${OWNER}/deployments/1` },
  { route: R.deployment, method: 'GET', path: `${OWNER}/deployments/999` },
  {
    route: R.createStatus,
    method: 'POST',
    path: `${OWNER}/deployments/1/statuses`,
    body: {
      state: 'success',
      log_url: 'https://github.com/example/service/actions/runs/1',
      environment_url: 'https://dev.example.test',
    },
  },
  {
    route: R.createStatus,
    method: 'POST',
    path: `${OWNER}/deployments/1/statuses`,
    body: { state: 'failure' },
  },
  { route: R.createStatus, method: 'POST', path: `${OWNER}/deployments/1/statuses`, body: { state: 'done' } },
  {
    route: R.createStatus,
    method: 'POST',
    path: `${OWNER}/deployments/999/statuses`,
    body: { state: 'success' },
  },
  { route: R.statuses, method: 'GET', path: `${OWNER}/deployments/1/statuses` },
  { route: R.statuses, method: 'GET', path: `${OWNER}/deployments/999/statuses` },
  { route: R.run, method: 'GET', path: `${OWNER}/actions/runs/${RUN}` },
  { route: R.run, method: 'GET', path: `${OWNER}/actions/runs/${FORK_RUN}` },
  { route: R.run, method: 'GET', path: `${OWNER}/actions/runs/1` },
  { route: R.artifacts, method: 'GET', path: `${OWNER}/actions/artifacts` },
  { route: R.artifacts, method: 'GET', path: `${OWNER}/actions/artifacts?name=deploy-history-dev` },
  { route: R.artifacts, method: 'GET', path: `${OWNER}/actions/artifacts`, failure: 500 },
  {
    route: R.runArtifacts,
    method: 'GET',
    path: `${OWNER}/actions/runs/${RUN}/artifacts?name=deploy-history-dev`,
  },
  { route: R.runArtifacts, method: 'GET', path: `${OWNER}/actions/runs/1/artifacts` },
  { route: R.download, method: 'GET', path: `${OWNER}/actions/artifacts/5000001/zip` },
  { route: R.download, method: 'GET', path: `${OWNER}/actions/artifacts/5000002/zip` },
  { route: R.download, method: 'GET', path: `${OWNER}/actions/artifacts/1/zip` },
  { route: R.checkRuns, method: 'GET', path: `${OWNER}/commits/main/check-runs` },
  {
    route: R.checkRuns,
    method: 'GET',
    path: `${OWNER}/commits/${MAIN}/check-runs?filter=all&check_name=test`,
  },
  { route: R.checkRuns, method: 'GET', path: `${OWNER}/commits/${'9'.repeat(40)}/check-runs` },
  { route: R.checkRuns, method: 'GET', path: `${OWNER}/commits/main/check-runs?filter=some` },
  { route: R.combined, method: 'GET', path: `${OWNER}/commits/main/status` },
  { route: R.combined, method: 'GET', path: `${OWNER}/commits/no-such-branch/status` },
];

async function exchange(e: Exchange) {
  if (e.failure) stub.setFailure(e.route, e.failure);
  try {
    const response = await fetch(`${stub.url}${e.path}`, {
      method: e.method,
      redirect: 'manual',
      headers: { authorization: `token ${e.token ?? 'right'}`, 'content-type': 'application/json' },
      ...(e.body !== undefined ? { body: JSON.stringify(e.body) } : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text ? JSON.parse(text) : undefined,
      location: response.headers.get('location'),
    };
  } finally {
    if (e.failure) stub.setFailure(e.route, 0);
  }
}

describe("github-api-stub follows GitHub's OpenAPI description", () => {
  it('serves only operations GitHub has', () => {
    for (const route of stub.routes) expect(description.operationId(route), route).toBeDefined();
  });

  it('answers every exchange with a body its schema accepts', async () => {
    const seen = new Map<string, number[]>();
    const problems: string[] = [];
    for (const e of EXCHANGES) {
      const { status, body, location } = await exchange(e);
      seen.set(e.route, [...(seen.get(e.route) ?? []), status]);
      const result = description.check(e.route, status, body, EMPTY_URIS);
      if (result.errors.length)
        problems.push(`${e.method} ${e.path} → ${status}: ${[...new Set(result.errors)].join('; ')}`);
      if (status === 302) expect(location, e.path).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/_stub\/artifacts\//);
    }
    expect(problems).toEqual([]);
    for (const route of stub.routes) {
      const statuses = seen.get(route) ?? [];
      expect(
        statuses.some((s) => s < 400),
        `${route} answered with success in ${statuses}`,
      ).toBe(true);
      expect(
        statuses.some((s) => s >= 400),
        `${route} answered with an error in ${statuses}`,
      ).toBe(true);
    }
  });

  it('catches a body GitHub would not send (the check can fail)', () => {
    const old = {
      id: 1,
      sha: MAIN,
      ref: 'main',
      task: 'deploy',
      environment: 'dev',
      payload: {},
      description: null,
    };
    const errors = description.check(R.deployment, 200, old).errors.join('\n');
    expect(errors).toContain("must have required property 'node_id'");
    expect(errors).toContain("must have required property 'creator'");
    expect(errors).toContain("must have required property 'repository_url'");
    expect(
      description.check(R.checkRuns, 200, { total_count: 1, check_runs: [{ status: 'done' }] }).errors.join(),
    ).toContain('must be equal to one of the allowed values');
    // "" passes only where allowed, and only for those fields.
    expect(description.check(R.createStatus, 201, { url: '' }, EMPTY_URIS).errors.join()).toContain(
      '/url must match format',
    );
  });

  it('serves the zip the 302 points at, with the artifact files', async () => {
    const { location } = await exchange({
      route: R.download,
      method: 'GET',
      path: `${OWNER}/actions/artifacts/5000001/zip`,
    });
    const download = await fetch(location!);
    expect(download.headers.get('content-type')).toBe('application/zip');
    const files = unzipSync(new Uint8Array(await download.arrayBuffer()));
    expect(new TextDecoder().decode(files['history.json'])).toBe('[]\n');
  });
});
