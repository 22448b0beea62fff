import { startSsmEmulator } from '@gatehouse/ssm-emulator';
import { describe, expect, it } from 'vitest';
import { bootstrap } from './helpers';

/**
 * Where the database URL comes from, and which host runs the migrations: each mistake fails as a
 * configuration error that names the input to fix, before psql is asked to connect anywhere.
 * No PostgreSQL is needed: every run here must stop before the first connection.
 */
const HOSTS = ['i-0aaaaaaaaaaaaaaa1', 'i-0bbbbbbbbbbbbbbb2'];
const AWS = { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };

describe('db-bootstrap bundle: where the database is', () => {
  it("target local with an empty database-url (an undefined secret) names 'database-url'", async () => {
    const run = await bootstrap(
      { 'database-url': '', tool: 'alembic', baseline: '0001_baseline' },
      { env: { DATABASE_URL: undefined } },
    );
    expect(run.succeeded).toBe(false);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/^Configuration error: Input 'database-url' is empty/);
    expect(run.errors[0]).toContain("'url-variable'");
    // Nothing tried to connect: no psql fallback to a local socket.
    expect(run.log).not.toMatch(/psql|socket/);
  });

  it("target local behind a command prefix whose environment lacks the URL names 'url-variable'", async () => {
    // `env` stands in for a prefix such as `docker compose exec -T web` whose container has no URL.
    const run = await bootstrap(
      { 'command-prefix': 'env', 'url-variable': 'APP_DATABASE_URL' },
      { env: { APP_DATABASE_URL: undefined } },
    );
    expect(run.succeeded).toBe(false);
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^Configuration error: On local, APP_DATABASE_URL \(named by 'url-variable'\) is empty or unset behind 'command-prefix' \(env\)/,
      ),
    ]);
    expect(run.errors[0]).toContain("or pass the URL in 'database-url'");
    expect(run.log).not.toMatch(/socket/);
  });

  it("target ssm with no URL in the host's command environment names the host and 'url-variable'", async () => {
    const emulator = await startSsmEmulator({ hosts: [HOSTS[0]!] });
    try {
      const run = await bootstrap(
        { target: 'ssm', 'instance-ids': HOSTS[0]!, 'app-dir': '.' },
        { env: { ...AWS, AWS_ENDPOINT_URL_SSM: emulator.endpoint } },
      );
      expect(run.succeeded).toBe(false);
      expect(run.errors).toEqual([
        expect.stringMatching(
          new RegExp(
            `^Configuration error: On ${HOSTS[0]}, DATABASE_URL \\(named by 'url-variable'\\) is empty or unset in the environment SSM Run Command gives scripts`,
          ),
        ),
      ]);
      expect(emulator.commands()).toHaveLength(1);
    } finally {
      await emulator.close();
    }
  });

  it('refuses several instance-ids before sending anything', async () => {
    const emulator = await startSsmEmulator({ hosts: HOSTS });
    try {
      const run = await bootstrap(
        { target: 'ssm', 'instance-ids': HOSTS.join(','), 'app-dir': '.' },
        { env: { ...AWS, AWS_ENDPOINT_URL_SSM: emulator.endpoint } },
      );
      expect(run.succeeded).toBe(false);
      expect(run.errors).toEqual([
        `Configuration error: Input 'instance-ids' names 2 hosts (${HOSTS.join(', ')}); db-bootstrap migrates the database once, from exactly one host. Name the one host that runs migrations.`,
      ]);
      expect(emulator.commands()).toEqual([]);
    } finally {
      await emulator.close();
    }
  });
});
