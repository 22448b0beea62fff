import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '@gatehouse/runner-harness';
import { describe, expect, it } from 'vitest';

/**
 * What goes wrong around resolve-ref on a real runner — the GitHub API out of reach or failing,
 * git refusing the checkout or its origin — said as what to fix, never as "a bug".
 */
const actionDir = join(import.meta.dirname, '..');
const dispatchEvent = JSON.parse(
  readFileSync(join(import.meta.dirname, 'events', 'dispatch-with-ref.json'), 'utf8'),
);
const SHA = 'a'.repeat(40);

async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const dispatch = (inputs: Record<string, string>, github: { apiUrl?: string; workspace?: string }) =>
  runAction({
    actionDir,
    inputs: { environment: 'dev', ...inputs },
    github: {
      eventName: 'workflow_dispatch',
      event: dispatchEvent,
      ref: 'refs/heads/main',
      sha: SHA,
      repository: 'acme/api',
      ...github,
    },
  });

describe('resolve-ref bundle: the GitHub API', () => {
  it('out of reach: the request as sent (placeholders filled), no answer rather than "500"', async () => {
    const port = await closedPort();
    const run = await dispatch(
      { ref: 'refs/heads/release/2026.11', token: 'ghs_test' },
      { apiUrl: `http://127.0.0.1:${port}` },
    );
    expect(run.succeeded).toBe(false);
    expect(run.errors).toEqual([
      `The GitHub API at http://127.0.0.1:${port} could not be reached for GET /repos/acme/api/branches/release%2F2026.11 ` +
        'after 3 attempts: connection refused (nothing listening there) (ECONNREFUSED). Check GITHUB_API_URL ' +
        "(set by the runner; on GitHub Enterprise Server it is https://HOST/api/v3) and the runner's network and " +
        'proxy settings (HTTPS_PROXY, NO_PROXY).',
    ]);
  });

  it('answering 500: the status the server really gave', async () => {
    let calls = 0;
    const server = createServer((_, res) => {
      calls++;
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"Server Error"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const run = await dispatch(
        { ref: 'refs/heads/main', token: 'ghs_test' },
        { apiUrl: `http://127.0.0.1:${port}` },
      );
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toMatch(
        /^The GitHub API failed GET \/repos\/acme\/api\/branches\/main after 3 attempts: HTTP 500 /,
      );
      expect(calls).toBe(3);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

/** A clone of a one-commit repository, with its origin then pointed at `origin`. */
function checkout(origin: string): string {
  const root = mkdtempSync(join(tmpdir(), 'resolve-ref-errors-'));
  const upstream = join(root, 'upstream');
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@e',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@e',
  };
  execFileSync('git', ['init', '-q', '-b', 'main', upstream], { env });
  writeFileSync(join(upstream, 'f'), 'x\n');
  execFileSync('git', ['add', '.'], { cwd: upstream, env });
  execFileSync('git', ['commit', '-q', '-m', 'one'], { cwd: upstream, env });
  const workspace = join(root, 'workspace');
  execFileSync('git', ['clone', '-q', upstream, workspace], { env });
  execFileSync('git', ['remote', 'set-url', 'origin', origin], { cwd: workspace, env });
  return workspace;
}

describe('resolve-ref bundle without a token: git', () => {
  it('ls-remote to an origin that refuses connections names the host and port', async () => {
    const port = await closedPort();
    const workspace = checkout(`http://127.0.0.1:${port}/acme/api.git`);
    const run = await dispatch({ ref: 'origin/hotfix', token: '' }, { workspace });
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      new RegExp(
        `^git ls-remote origin refs/heads/hotfix failed: the runner cannot reach origin \\(127\\.0\\.0\\.1 port ${port}\\)`,
      ),
    );
  });

  it('ls-remote to an origin that is not a repository', async () => {
    const workspace = checkout('/nonexistent/gatehouse-origin.git');
    const run = await dispatch({ ref: 'origin/hotfix', token: '' }, { workspace });
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /^git ls-remote origin refs\/heads\/hotfix failed: the remote 'origin' is not a repository git can read.*pass 'token'/,
    );
  });

  it('a workspace that is not a checkout', async () => {
    const run = await dispatch(
      { ref: 'main', token: '' },
      { workspace: mkdtempSync(join(tmpdir(), 'resolve-ref-empty-')) },
    );
    expect(run.errors).toEqual([
      "Configuration error: Input 'token' is empty and GITHUB_WORKSPACE is not a git checkout, so the ref " +
        'cannot be resolved. Pass a token (the default is github.token) or run actions/checkout first.',
    ]);
  });

  // git refuses a repository another user owns only to a user who is not its owner: as root, chown it away.
  it.skipIf(process.getuid?.() !== 0)(
    'a checkout another user owns: git’s safe.directory, said as such (not "not a checkout")',
    async () => {
      const workspace = checkout('/nonexistent/gatehouse-origin.git');
      execFileSync('chown', ['-R', '65534:65534', workspace]);
      const run = await dispatch({ ref: 'main', token: '' }, { workspace });
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toMatch(
        /^Configuration error: git cannot read .*: git refuses the checkout at .* because another user owns it \(safe\.directory\)/,
      );
    },
  );
});
