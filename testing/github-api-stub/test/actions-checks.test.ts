import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { type GithubApiStub, type GithubApiStubOptions, startGithubApiStub } from '../src/index';

const MAIN = 'a'.repeat(40);
const OTHER = 'b'.repeat(40);
const RUN = 9_000_000_101;
const FORK_RUN = 9_000_000_102;
const OWNER = '/repos/example/service';

let stub: GithubApiStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

async function start(options: Partial<GithubApiStubOptions> = {}) {
  stub = await startGithubApiStub({ repository: 'example/service', branches: { main: MAIN }, ...options });
  return stub;
}

async function get(path: string) {
  const response = await fetch(`${stub!.url}${path}`, { redirect: 'manual' });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: the tests read GitHub's JSON shapes loosely.
  const body: any = text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  return {
    status: response.status,
    body,
    link: response.headers.get('link'),
    location: response.headers.get('location'),
  };
}

const RUNS: GithubApiStubOptions['workflowRuns'] = [
  {
    id: RUN,
    name: 'deploy',
    path: '.github/workflows/deploy.yml',
    head_branch: 'main',
    head_sha: MAIN,
    event: 'push',
  },
  {
    id: FORK_RUN,
    name: 'deploy',
    path: '.github/workflows/deploy.yml',
    head_branch: 'main',
    head_sha: OTHER,
    event: 'pull_request',
    conclusion: 'failure',
    head_repository: { full_name: 'mallory/service', id: 666 },
  },
];

describe('github-api-stub: workflow runs and artifacts', () => {
  it('answers a run with where it came from: workflow file, branch, commit, repositories', async () => {
    await start({ workflowRuns: RUNS });
    const run = await get(`${OWNER}/actions/runs/${RUN}`);
    expect(run.body).toMatchObject({
      id: RUN,
      path: '.github/workflows/deploy.yml',
      head_branch: 'main',
      head_sha: MAIN,
      event: 'push',
      status: 'completed',
      conclusion: 'success',
      repository: { full_name: 'example/service' },
      head_repository: { full_name: 'example/service' },
    });
    const fork = await get(`${OWNER}/actions/runs/${FORK_RUN}`);
    expect(fork.body).toMatchObject({
      head_repository: { full_name: 'mallory/service', id: 666 },
      head_repository_id: 666,
    });
    expect((await get(`${OWNER}/actions/runs/42`)).status).toBe(404);
    stub!.updateWorkflowRun(RUN, { status: 'in_progress', conclusion: null });
    expect((await get(`${OWNER}/actions/runs/${RUN}`)).body).toMatchObject({
      status: 'in_progress',
      conclusion: null,
    });
  });

  it('lists artifacts newest first, by name, per run, with the run each came from', async () => {
    await start({
      workflowRuns: RUNS,
      artifacts: [
        { name: 'deploy-history-dev', run_id: RUN, files: { 'history.json': '[1]' } },
        { name: 'deploy-history-dev', run_id: FORK_RUN, files: { 'history.json': '[666]' } },
        { name: 'other', run_id: RUN, files: { 'x.txt': 'x' } },
      ],
    });
    const all = await get(`${OWNER}/actions/artifacts`);
    expect(all.body.total_count).toBe(3);
    expect(all.body.artifacts.map((a: { name: string }) => a.name)).toEqual([
      'other',
      'deploy-history-dev',
      'deploy-history-dev',
    ]);
    const named = await get(`${OWNER}/actions/artifacts?name=deploy-history-dev`);
    expect(named.body.artifacts.map((a: { workflow_run: object }) => a.workflow_run)).toEqual([
      { id: FORK_RUN, repository_id: 1296269, head_repository_id: 666, head_branch: 'main', head_sha: OTHER },
      { id: RUN, repository_id: 1296269, head_repository_id: 1296269, head_branch: 'main', head_sha: MAIN },
    ]);
    const ofRun = await get(`${OWNER}/actions/runs/${RUN}/artifacts?name=deploy-history-dev`);
    expect(ofRun.body).toMatchObject({
      total_count: 1,
      artifacts: [{ name: 'deploy-history-dev', workflow_run: { id: RUN } }],
    });
    const paged = await get(`${OWNER}/actions/artifacts?per_page=2`);
    expect(paged.body.artifacts).toHaveLength(2);
    expect(paged.body.total_count).toBe(3);
    expect(paged.link).toMatch(/[?&]page=2>; rel="next"/);
  });

  it('downloads an artifact as GitHub does: 302 to a URL serving the zip; 410 once expired', async () => {
    await start({
      workflowRuns: RUNS,
      artifacts: [
        { name: 'bundle', run_id: RUN, files: { 'a/b.txt': 'hello', 'c.bin': new Uint8Array([0, 1, 2]) } },
        { name: 'gone', run_id: RUN, files: { 'x.txt': 'x' }, expired: true },
      ],
      token: 'secret',
    });
    const [bundle, gone] = stub!.artifacts;
    const redirect = await fetch(`${stub!.url}${OWNER}/actions/artifacts/${bundle!.id}/zip`, {
      redirect: 'manual',
      headers: { authorization: 'Bearer secret' },
    });
    expect(redirect.status).toBe(302);
    // The location is pre-signed: it needs no token.
    const zip = await fetch(redirect.headers.get('location')!);
    const files = unzipSync(new Uint8Array(await zip.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual(['a/b.txt', 'c.bin']);
    expect(new TextDecoder().decode(files['a/b.txt'])).toBe('hello');
    const listed = await fetch(`${stub!.url}${OWNER}/actions/artifacts?name=bundle`, {
      headers: { authorization: 'token secret' },
    });
    const listedBody = (await listed.json()) as { artifacts: { size_in_bytes: number }[] };
    expect(listedBody.artifacts[0]!.size_in_bytes).toBe(Number(zip.headers.get('content-length')));
    const expired = await fetch(`${stub!.url}${OWNER}/actions/artifacts/${gone!.id}/zip`, {
      redirect: 'manual',
      headers: { authorization: 'token secret' },
    });
    expect(expired.status).toBe(410);
    const tampered = await fetch(
      redirect.headers.get('location')!.replace(/[0-9a-f]{32}\.zip$/, `${'0'.repeat(32)}.zip`),
    );
    expect(tampered.status).toBe(404);
  });

  it('refuses an artifact of a run it does not know', async () => {
    await expect(
      startGithubApiStub({ repository: 'example/service', artifacts: [{ name: 'x', run_id: 1, files: {} }] }),
    ).rejects.toThrow(/unknown run 1/);
  });
});

describe('github-api-stub: check runs and commit statuses', () => {
  it('lists the latest run of each check by default, all with filter=all, by name and status', async () => {
    await start({
      checkRuns: [
        { name: 'test', head_sha: MAIN, conclusion: 'failure' },
        { name: 'test', head_sha: MAIN, conclusion: 'success' },
        { name: 'lint', head_sha: MAIN, status: 'in_progress' },
        { name: 'test', head_sha: OTHER, conclusion: 'success' },
      ],
    });
    const latest = await get(`${OWNER}/commits/main/check-runs`);
    expect(
      latest.body.check_runs.map((r: { name: string; conclusion: string }) => `${r.name}:${r.conclusion}`),
    ).toEqual(['lint:null', 'test:success']);
    const all = await get(`${OWNER}/commits/${MAIN}/check-runs?filter=all&check_name=test`);
    expect(all.body.total_count).toBe(2);
    const running = await get(`${OWNER}/commits/main/check-runs?status=in_progress`);
    expect(running.body.check_runs.map((r: { name: string }) => r.name)).toEqual(['lint']);
    expect((await get(`${OWNER}/commits/${'9'.repeat(40)}/check-runs`)).status).toBe(422);
  });

  it('pages past 100 check runs with a Link header', async () => {
    await start({
      checkRuns: Array.from({ length: 150 }, (_, i) => ({ name: `check-${i}`, head_sha: MAIN })),
    });
    const first = await get(`${OWNER}/commits/main/check-runs?per_page=100`);
    expect(first.body.total_count).toBe(150);
    expect(first.body.check_runs).toHaveLength(100);
    const next = /<([^>]+)>; rel="next"/.exec(first.link!)![1]!;
    const second = (await fetch(next).then((r) => r.json())) as { check_runs: { name: string }[] };
    expect(second.check_runs).toHaveLength(50);
    const names = new Set(
      [...first.body.check_runs, ...second.check_runs].map((r: { name: string }) => r.name),
    );
    expect(names.size).toBe(150);
    expect((await get(`${OWNER}/commits/main/check-runs?per_page=500`)).body.check_runs).toHaveLength(100);
  });

  it('moves a check run on over time: by steps, one per listing, or by updateCheckRun', async () => {
    await start({
      checkRuns: [
        {
          name: 'deploy-gate',
          head_sha: MAIN,
          status: 'queued',
          steps: [{ status: 'in_progress' }, { status: 'completed', conclusion: 'success' }],
        },
        { name: 'manual', head_sha: MAIN, status: 'queued' },
      ],
    });
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { body } = await get(`${OWNER}/commits/main/check-runs?check_name=deploy-gate`);
      const run = body.check_runs[0];
      seen.push(`${run.status}/${run.conclusion}/${run.started_at !== null}/${run.completed_at !== null}`);
    }
    expect(seen).toEqual([
      'queued/null/false/false',
      'in_progress/null/true/false',
      'completed/success/true/true',
      'completed/success/true/true',
    ]);
    const manual = stub!.checkRuns.find((r) => r.name === 'manual')!;
    stub!.updateCheckRun(manual.id, { status: 'completed', conclusion: 'failure' });
    expect(
      (await get(`${OWNER}/commits/main/check-runs?check_name=manual`)).body.check_runs[0],
    ).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
    });
    expect(() => stub!.updateCheckRun(manual.id, { status: 'completed' })).toThrow(/needs a conclusion/);
  });

  it('combines the latest status of each context as GitHub does', async () => {
    await start({ commitStatuses: [{ sha: MAIN, context: 'build', state: 'pending' }] });
    const combined = () => get(`${OWNER}/commits/main/status`).then((r) => r.body);
    expect(await combined()).toMatchObject({ state: 'pending', total_count: 1, sha: MAIN });
    stub!.addCommitStatus({ sha: MAIN, context: 'build', state: 'success' });
    expect(await combined()).toMatchObject({
      state: 'success',
      total_count: 1,
      statuses: [{ context: 'build', state: 'success' }],
    });
    stub!.addCommitStatus({ sha: MAIN, context: 'security', state: 'error' });
    expect((await combined()).state).toBe('failure');
    const none = await get(`${OWNER}/commits/${OTHER}/status`);
    expect(none.status).toBe(422);
    stub!.addCommitStatus({ sha: OTHER, context: 'x', state: 'success' });
    expect((await get(`${OWNER}/commits/${OTHER}/status`)).body).toMatchObject({
      state: 'success',
      repository: { full_name: 'example/service' },
    });
  });
});
