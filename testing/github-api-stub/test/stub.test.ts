import { afterEach, describe, expect, it } from 'vitest';
import { type GithubApiStub, startGithubApiStub } from '../src/index';

const MAIN = 'a'.repeat(40);
const FEATURE = 'b'.repeat(40);
const RELEASE = 'c'.repeat(40);
const TAG_OBJECT = 'd'.repeat(40);
const OLD = 'e'.repeat(40);

let stub: GithubApiStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

async function start(options: Partial<Parameters<typeof startGithubApiStub>[0]> = {}) {
  stub = await startGithubApiStub({
    repository: 'example/service',
    branches: { main: MAIN, 'feature/x': FEATURE },
    tags: { v1: MAIN, 'release/2.0': { commit: RELEASE, annotated: TAG_OBJECT } },
    commits: [OLD],
    ...options,
  });
  return stub;
}

async function call(method: string, path: string, body?: unknown, token = 'secret') {
  const response = await fetch(`${stub!.url}${path}`, {
    method,
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the tests read GitHub's JSON shapes loosely.
  const json: any = await response.json();
  return { status: response.status, body: json, link: response.headers.get('link') };
}

describe('github-api-stub: refs', () => {
  it('answers commits by SHA, prefix, branch and tag; 422 for an unknown SHA', async () => {
    await start();
    expect((await call('GET', `/repos/example/service/commits/${OLD}`)).body.sha).toBe(OLD);
    expect((await call('GET', '/repos/example/service/commits/eeeeeee')).body.sha).toBe(OLD);
    expect((await call('GET', '/repos/example/service/commits/main')).body.sha).toBe(MAIN);
    expect((await call('GET', `/repos/example/service/commits/${'f'.repeat(40)}`)).status).toBe(422);
    expect((await call('GET', '/repos/example/service/commits/no-such-branch')).status).toBe(404);
  });

  it('decodes URL-encoded branch and tag names', async () => {
    await start();
    const branch = await call('GET', '/repos/example/service/branches/feature%2Fx');
    expect(branch.body.commit.sha).toBe(FEATURE);
    expect((await call('GET', '/repos/example/service/branches/feature/x')).body.commit.sha).toBe(FEATURE);
    const lightweight = await call('GET', '/repos/example/service/git/ref/tags%2Fv1');
    expect(lightweight.body).toMatchObject({ ref: 'refs/tags/v1', object: { type: 'commit', sha: MAIN } });
    expect(stub!.requests.at(-1)).toMatchObject({
      route: 'GET /repos/{owner}/{repo}/git/ref/{ref}',
      params: { ref: 'tags/v1' },
    });
  });

  it('peels an annotated tag through git/tags/{sha}', async () => {
    await start();
    const ref = await call('GET', '/repos/example/service/git/ref/tags/release%2F2.0');
    expect(ref.body.object).toMatchObject({ type: 'tag', sha: TAG_OBJECT });
    const tag = await call('GET', `/repos/example/service/git/tags/${TAG_OBJECT}`);
    expect(tag.body.object).toMatchObject({ type: 'commit', sha: RELEASE });
    expect((await call('GET', '/repos/example/service/git/ref/tags/nope')).status).toBe(404);
  });

  it('answers 404 for another repository and 401 for a wrong token', async () => {
    await start({ token: 'secret' });
    expect((await call('GET', '/repos/other/repo/branches/main')).status).toBe(404);
    expect((await call('GET', '/repos/example/service/branches/main', undefined, 'wrong')).status).toBe(401);
    expect((await call('GET', '/repos/example/service/branches/main')).status).toBe(200);
  });
});

describe('github-api-stub: deployments', () => {
  it('creates deployments and statuses, lists them newest first, filtered', async () => {
    await start();
    const created = await call('POST', '/repos/example/service/deployments', {
      ref: 'main',
      environment: 'dev',
      auto_merge: false,
      required_contexts: [],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ sha: MAIN, ref: 'main', environment: 'dev' });
    // auto_merge is a request parameter: GitHub keeps it, and does not return it.
    expect(created.body).not.toHaveProperty('auto_merge');
    expect(stub!.deployments[0]).toMatchObject({ auto_merge: false });
    await call('POST', '/repos/example/service/deployments', { ref: FEATURE, environment: 'prod' });
    const id = created.body.id as number;
    for (const state of ['in_progress', 'success']) {
      const status = await call('POST', `/repos/example/service/deployments/${id}/statuses`, { state });
      expect(status.status).toBe(201);
    }
    const dev = await call('GET', '/repos/example/service/deployments?environment=dev');
    expect(dev.body.map((d: { id: number }) => d.id)).toEqual([id]);
    const statuses = await call('GET', `/repos/example/service/deployments/${id}/statuses`);
    expect(statuses.body.map((s: { state: string }) => s.state)).toEqual(['success', 'in_progress']);
    expect((await call('GET', `/repos/example/service/deployments?sha=${FEATURE}`)).body).toHaveLength(1);
  });

  it('rejects an unknown ref, a bad state and a description over 140 characters', async () => {
    await start();
    expect((await call('POST', '/repos/example/service/deployments', { ref: 'nope' })).status).toBe(422);
    const { body } = await call('POST', '/repos/example/service/deployments', { ref: 'main' });
    const statuses = `/repos/example/service/deployments/${body.id}/statuses`;
    expect((await call('POST', statuses, { state: 'done' })).status).toBe(422);
    expect((await call('POST', statuses, { state: 'success', description: 'x'.repeat(141) })).status).toBe(
      422,
    );
    expect((await call('POST', statuses, { state: 'success', description: 'x'.repeat(140) })).status).toBe(
      201,
    );
  });

  it('marks earlier successful deployments inactive, as auto_inactive does', async () => {
    await start({ deployments: [{ environment: 'dev', sha: OLD, statuses: ['in_progress', 'success'] }] });
    const { body } = await call('POST', '/repos/example/service/deployments', {
      ref: 'main',
      environment: 'dev',
    });
    await call('POST', `/repos/example/service/deployments/${body.id}/statuses`, { state: 'success' });
    expect(stub!.deployments[0]!.statuses.map((s) => s.state)).toEqual([
      'in_progress',
      'success',
      'inactive',
    ]);
  });

  it('pages lists with a Link header', async () => {
    await start({
      deployments: Array.from({ length: 5 }, () => ({
        environment: 'dev',
        sha: MAIN,
        statuses: ['success'],
      })),
    });
    const first = await call('GET', '/repos/example/service/deployments?environment=dev&per_page=2');
    expect(first.body).toHaveLength(2);
    expect(first.link).toMatch(/page=2/);
    const last = await call('GET', '/repos/example/service/deployments?environment=dev&per_page=2&page=3');
    expect(last.body).toHaveLength(1);
    expect(last.link).not.toMatch(/rel="next"/);
    expect(last.link).toMatch(/[?&]page=2>; rel="prev"/);
  });
});

describe('github-api-stub: programmed failures', () => {
  it('fails a route as told, for a number of requests, and records every request', async () => {
    await start({ failures: { 'POST /repos/{owner}/{repo}/deployments': { status: 409, times: 1 } } });
    const route = 'POST /repos/{owner}/{repo}/deployments';
    expect((await call('POST', '/repos/example/service/deployments', { ref: 'main' })).status).toBe(409);
    expect((await call('POST', '/repos/example/service/deployments', { ref: 'main' })).status).toBe(201);
    stub!.setFailure(route, 500);
    expect((await call('POST', '/repos/example/service/deployments', { ref: 'main' })).status).toBe(500);
    expect((await call('POST', '/repos/example/service/deployments', { ref: 'main' })).status).toBe(500);
    stub!.setFailure(route, 0);
    expect((await call('POST', '/repos/example/service/deployments', { ref: 'main' })).status).toBe(201);
    expect(stub!.requests.map((r) => r.status)).toEqual([409, 201, 500, 500, 201]);
    expect(stub!.requests[0]).toMatchObject({ route, body: { ref: 'main' } });
    expect(() => stub!.setFailure('GET /nowhere', 500)).toThrow(/unknown route/);
  });

  it('lets a test replace a route and records unknown routes as 404', async () => {
    await start();
    stub!.setHandler('GET /repos/{owner}/{repo}/branches/{branch}', ({ params }) => ({
      status: 200,
      body: { name: params.branch, commit: { sha: OLD } },
    }));
    expect((await call('GET', '/repos/example/service/branches/anything')).body.commit.sha).toBe(OLD);
    expect((await call('GET', '/repos/example/service/pulls')).status).toBe(404);
    expect(stub!.requests.at(-1)!.route).toBeUndefined();
  });
});
