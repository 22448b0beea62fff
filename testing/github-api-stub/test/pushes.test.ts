import { afterEach, describe, expect, it } from 'vitest';
import { type GithubApiStub, startGithubApiStub } from '../src/index';

const FIRST = 'a'.repeat(40);
const SECOND = 'b'.repeat(40);

let stub: GithubApiStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

async function get(path: string) {
  const response = await fetch(`${stub!.url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('github-api-stub: pushes after it started', () => {
  it('knows a pushed commit, moves the branch, adds the tag; the seed object is not changed', async () => {
    const branches = { main: FIRST };
    stub = await startGithubApiStub({ repository: 'acme/api', branches });
    expect((await get(`/repos/acme/api/commits/${SECOND}`)).status).toBe(422);

    stub.addCommit({ sha: SECOND, message: 'r2', parents: [FIRST] });
    stub.setBranch('main', SECOND);
    stub.setTag('r2', SECOND);

    const commit = await get(`/repos/acme/api/commits/${SECOND}`);
    expect(commit.status).toBe(200);
    expect(commit.body).toMatchObject({ sha: SECOND, commit: { message: 'r2' }, parents: [{ sha: FIRST }] });
    expect((await get('/repos/acme/api/branches/main')).body).toMatchObject({ commit: { sha: SECOND } });
    expect((await get('/repos/acme/api/git/ref/tags/r2')).body).toMatchObject({
      object: { type: 'commit', sha: SECOND },
    });
    expect((await get(`/repos/acme/api/commits/${FIRST}`)).status).toBe(200);
    expect(branches).toEqual({ main: FIRST });
  });
});
