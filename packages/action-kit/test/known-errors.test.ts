import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError, runCommand, runMain } from '../src/index';
import {
  classifyKnownError,
  explainGitError,
  explainPostgresError,
  networkProblem,
  postgresAddress,
} from '../src/known-errors/index';

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('network problems, read from the cause chain of real errors', () => {
  it('a refused connection through fetch (undici) names itself', async () => {
    const port = await closedPort();
    const error = await fetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(networkProblem(error)).toMatchObject({ kind: 'refused', code: 'ECONNREFUSED' });
  });
  it('a host name that does not resolve', async () => {
    const error = await fetch('http://gatehouse-test.invalid/').catch((e: unknown) => e);
    expect(networkProblem(error)).toMatchObject({ kind: 'dns' });
  });
  it('anything else is not a network problem', () => {
    expect(networkProblem(new Error('x'))).toBeUndefined();
    expect(networkProblem('ECONNREFUSED')).toBeUndefined();
  });
});

describe('runMain: only a real bug says bug', () => {
  const writes: string[] = [];
  afterEach(() => {
    writes.length = 0;
    process.exitCode = 0;
    vi.restoreAllMocks();
  });
  const failure = async (thrown: unknown) => {
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      writes.push(String(chunk));
      return true;
    });
    await runMain(async () => {
      throw thrown;
    });
    return writes.filter((w) => w.startsWith('::error::'));
  };

  it('a network failure that escaped every client is reported as one, not as a bug', async () => {
    const port = await closedPort();
    const error = await fetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    const [line] = await failure(error);
    expect(line).toMatch(/^::error::A network request failed: connection refused .*\(ECONNREFUSED\)/);
    expect(line).not.toMatch(/bug/);
  });
  it('a full disk is the runner’s state', async () => {
    const [line] = await failure(
      Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }),
    );
    expect(line).toMatch(/^::error::The runner's disk is full \(ENOSPC\)/);
  });
  it('a tool that is not installed says so', async () => {
    const error = await runCommand('gatehouse-no-such-tool', []).catch((e: unknown) => e);
    const [line] = await failure(error);
    expect(line).toMatch(/^::error::'gatehouse-no-such-tool' is not installed on the runner/);
  });
  it('a plain TypeError is still a bug', async () => {
    const [line] = await failure(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(line).toMatch(/^::error::Unexpected error \(this is a bug in Gatehouse/);
  });
});

describe('PostgreSQL, psql and pg_dump', () => {
  it.each([
    [
      // pg_dump 15+ (src/bin/pg_dump/pg_backup_db.c), as printed against a newer server.
      'pg_dump: error: aborting because of server version mismatch\npg_dump: detail: server version: 17.2 (Debian 17.2-1.pgdg120+1); pg_dump version: 15.18 (Debian 15.18-0+deb12u1)\n',
      /^pg_dump 15\.18 is older than the server \(17\.2\).*postgresql-client-17/,
    ],
    [
      'pg_dump: server version: 14.1; pg_dump version: 13.5\npg_dump: error: aborting because of server version mismatch',
      /^pg_dump 13\.5 is older than the server \(14\.1\)/,
    ],
    [
      'psql: error: connection to server at "10.0.0.5", port 5432 failed: FATAL:  password authentication failed for user "app"',
      /refused the password of user 'app'/,
    ],
    [
      'FATAL:  no pg_hba.conf entry for host "10.1.2.3", user "app", database "app", no encryption',
      /pg_hba\.conf.*sslmode=require/,
    ],
    ['FATAL:  database "ap" does not exist', /the database 'ap' does not exist/],
    [
      'ERROR:  relation "app_settings" does not exist\nLINE 1: SELECT environment FROM app_settings',
      /'app_settings'/,
    ],
    ['ERROR:  permission denied for table app_settings', /permission denied for table app_settings/],
    ['bash: line 1: pg_dump: command not found', /pg_dump is not installed where it runs/],
  ])('%j', (stderr, expected) => {
    expect(explainPostgresError(stderr)).toMatch(expected);
  });

  it.each([
    ['postgres://u:p@127.0.0.1:{port}/db', /nothing accepts connections at that host and port/],
    ['postgres://u:p@gatehouse-test.invalid/db', /host name 'gatehouse-test\.invalid' does not resolve/],
    ['postgres:///db?host=/nonexistent-socket-dir', /tried the local socket/],
  ])('real psql output for %s', async (template, expected) => {
    const url = template.replace('{port}', String(await closedPort()));
    const psql = await runCommand('psql', ['-X', '-d', url, '-c', 'select 1'], {
      env: { ...process.env, PGCONNECT_TIMEOUT: '5' },
    }).catch(() => undefined);
    if (!psql) return expect.fail('psql is not installed (Debian: postgresql-client)');
    expect(psql.exitCode).not.toBe(0);
    expect(explainPostgresError(psql.stderr)).toMatch(expected);
  });

  it('driver errors are matched by SQLSTATE and by system code', () => {
    expect(explainPostgresError(Object.assign(new Error('x'), { code: '3D000' }))).toMatch(/does not exist/);
    expect(
      explainPostgresError(
        Object.assign(new Error('connect ECONNREFUSED 1.2.3.4:5432'), { code: 'ECONNREFUSED' }),
      ),
    ).toMatch(/nothing accepts connections/);
    expect(explainPostgresError(new Error('syntax error at or near "SELEC"'))).toBeUndefined();
  });

  it.each([
    ['postgres://u:p@db.example.com:6543/app', { host: 'db.example.com', port: 6543, database: 'app' }],
    ['postgresql://u@db/app', { host: 'db', port: 5432, database: 'app' }],
    [
      'postgres:///app?host=/var/run/postgresql',
      { host: '/var/run/postgresql', port: 5432, database: 'app' },
    ],
  ])('a database URL names where the database is: %s', (url, address) => {
    expect(postgresAddress('database-url', url)).toEqual(address);
  });

  it.each([
    ['mysql://root:hunter22@db/app', /got a mysql:\/\/ URL/],
    ['postgres://', /names no host/],
    ['postgres:///app', /names no host/],
    ['db.example.com:5432', /must be a postgres:\/\/ or postgresql:\/\/ URL/],
  ])('%s is refused, naming the input and never the password', (url, why) => {
    const error = (() => {
      try {
        postgresAddress('database-url', url);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error?.message).toMatch(/^Input 'database-url' must be a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(error?.message).toMatch(why);
    expect(error?.message).not.toContain('hunter22');
  });
});

describe('git, from real git', () => {
  const git = (cwd: string, ...args: string[]) => runCommand('git', args, { cwd });

  it('not a repository', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-git-'));
    const result = await git(dir, 'rev-parse', '--verify', 'HEAD');
    expect(explainGitError(result.stderr)).toMatch(
      /GITHUB_WORKSPACE is not a git checkout.*actions\/checkout/,
    );
  });
  it('ls-remote to an origin that refuses connections', async () => {
    const port = await closedPort();
    const result = await git(tmpdir(), 'ls-remote', `http://127.0.0.1:${port}/x.git`);
    expect(explainGitError(result.stderr)).toMatch(
      new RegExp(`cannot reach origin \\(127\\.0\\.0\\.1 port ${port}\\)`),
    );
  });
  it('ls-remote to an origin that is not a repository', async () => {
    const result = await git(tmpdir(), 'ls-remote', '/nonexistent-gatehouse-origin');
    expect(explainGitError(result.stderr)).toMatch(/'origin' is not a repository git can read/);
  });
  it('an unknown revision', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-git-'));
    await git(dir, 'init', '-q');
    const result = await git(dir, 'rev-parse', 'no-such-branch');
    expect(explainGitError(result.stderr)).toMatch(/does not know this revision/);
  });
  it('dubious ownership (git 2.35.2+ on a checkout another user owns)', () => {
    expect(
      explainGitError(
        "fatal: detected dubious ownership in repository at '/github/workspace'\nTo add an exception for this directory, call:",
      ),
    ).toMatch(/safe\.directory \/github\/workspace/);
  });
  it('credentials git does not have', () => {
    expect(
      explainGitError("fatal: could not read Username for 'https://github.com': terminal prompts disabled"),
    ).toMatch(/persist-credentials/);
  });
});

describe('the top-level table leaves the rest alone', () => {
  it('an Error with no known code is undefined (a bug)', () => {
    expect(classifyKnownError(new Error('boom'))).toBeUndefined();
  });
});
