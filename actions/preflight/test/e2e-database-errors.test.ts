import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type PostgresServer,
  postgresUnavailableReason,
  startPostgres,
} from '@gatehouse/postgres-test-server';
import { runAction } from '@gatehouse/runner-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const actionDir = join(import.meta.dirname, '..');
const unavailable = postgresUnavailableReason();

/** The database row of preflight's report, for a run against `url`. */
async function databaseCheck(url: string): Promise<{ verdict: string; reason: string }> {
  const root = await mkdtemp(join(tmpdir(), 'gatehouse-preflight-db-'));
  await mkdir(join(root, 'app'));
  await mkdir(join(root, 'state'));
  const run = await runAction({
    actionDir,
    inputs: {
      target: 'local',
      'app-dir': join(root, 'app'),
      'state-dir': join(root, 'state'),
      'git-checkout': 'false',
      'env-file': '/dev/null',
      'min-free-disk': '1K',
      'database-url': url,
      'expected-environment': 'dev',
    },
    timeoutMs: 120_000,
  });
  expect(run.errors.join('\n')).not.toMatch(/bug in Gatehouse/);
  const report = JSON.parse(run.outputs.report ?? '[]') as {
    checks: { check: string; verdict: string; reason: string }[];
  }[];
  const row = report[0]?.checks.find((check) => check.check === 'database');
  if (!row) throw new Error(`no database check in the report: ${run.errors.join('\n')}`);
  return row;
}

describe.skipIf(unavailable)(
  `preflight bundle: the database marker's failures name what to fix${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let server: PostgresServer;
    beforeAll(async () => {
      server = await startPostgres();
      await server.createDatabase('marked');
      await server.psql(
        'marked',
        "CREATE TABLE app_settings (environment text); INSERT INTO app_settings VALUES ('dev');",
      );
      await server.createDatabase('unmarked');
    });
    afterAll(async () => server?.stop());

    it('the right database passes (the set-up is sound)', async () => {
      expect(await databaseCheck(server.urlFor('marked'))).toMatchObject({ verdict: 'pass' });
    });

    it.each([
      [
        'a wrong password',
        () => withPassword(server.urlFor('marked'), 'wrong-password'),
        /refused the password of user 'gatehouse'/,
      ],
      [
        'a database that does not exist',
        () => server.urlFor('nope'),
        /the database 'nope' does not exist on that server/,
      ],
      [
        'a database without the marker table',
        () => server.urlFor('unmarked'),
        /the table 'app_settings' does not exist in that database/,
      ],
      [
        'a port nothing listens on',
        () => withPort(server.urlFor('marked'), 9),
        /nothing accepts connections at that host and port/,
      ],
    ])('%s', async (_, url, hint) => {
      const row = await databaseCheck(url());
      expect(row.verdict).toBe('fail');
      expect(row.reason).toMatch(/^cannot check the database at 127\.0\.0\.1:\d+: /);
      expect(row.reason).toMatch(hint);
      expect(row.reason).not.toContain('wrong-password');
    });
  },
);

function withPassword(url: string, password: string): string {
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.href;
}

function withPort(url: string, port: number): string {
  const parsed = new URL(url);
  parsed.port = String(port);
  return parsed.href;
}
