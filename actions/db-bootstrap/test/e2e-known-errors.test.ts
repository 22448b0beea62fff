import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PostgresServer, startPostgres } from '@gatehouse/postgres-test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alembicDir, bootstrap, legacyDatabase, tables, tempDir, unavailableReason } from './helpers';

const unavailable = await unavailableReason();

/**
 * A stand-in for pg_dump, for the one failure a real one cannot show here: Debian ships one
 * PostgreSQL, so pg_dump is never older than the server. It models pg_dump 15+ against a newer
 * server (src/bin/pg_dump/pg_backup_db.c): two lines on stderr, exactly as the real one prints
 * them, and exit status 1, before writing anything.
 */
const OLD_PG_DUMP = `#!/bin/sh
echo 'pg_dump: error: aborting because of server version mismatch' >&2
echo 'pg_dump: detail: server version: 17.2 (Debian 17.2-1.pgdg120+1); pg_dump version: 15.18 (Debian 15.18-0+deb12u1)' >&2
exit 1
`;

describe.skipIf(unavailable)(
  `db-bootstrap bundle: PostgreSQL failures name what to fix${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let server: PostgresServer;
    beforeAll(async () => {
      server = await startPostgres();
    });
    afterAll(async () => server?.stop());

    it('a pg_dump older than the server: install the server’s client version; nothing changed', async () => {
      const db = await legacyDatabase(server, 'mismatch');
      const bin = await mkdtemp(join(tmpdir(), 'gatehouse-old-pg-dump-'));
      await writeFile(join(bin, 'pg_dump'), OLD_PG_DUMP);
      await chmod(join(bin, 'pg_dump'), 0o755);
      const run = await bootstrap(
        {
          'database-url': server.urlFor(db),
          'app-dir': alembicDir,
          tool: 'alembic',
          baseline: '0001_baseline',
          'legacy-tables': 'users,audit_events',
          'backup-dir': await tempDir('backups'),
        },
        { env: { PATH: `${bin}:${process.env.PATH}` } },
      );
      expect(run.succeeded).toBe(false);
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toMatch(/^pg_dump of .* failed \(exit 1\); nothing was changed: /);
      expect(run.errors[0]).toMatch(
        /pg_dump 15\.18 is older than the server \(17\.2\) and refuses to dump it.*postgresql-client-17/,
      );
      expect(await tables(server, db)).toEqual(['audit_events', 'users']);
    });

    it('a wrong password: check the URL and its secret; the password is never shown', async () => {
      const url = new URL(server.url);
      url.password = 'not-the-password';
      const run = await bootstrap({ 'database-url': url.href, 'app-dir': alembicDir, tool: 'alembic' });
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toMatch(
        /^Cannot connect to the database at 127\.0\.0\.1:\d+: .* — the server refused the password of user 'gatehouse'/,
      );
      expect(run.log).not.toContain('not-the-password');
    });

    it('a database that does not exist', async () => {
      const run = await bootstrap({
        'database-url': server.urlFor('no_such_database'),
        'app-dir': alembicDir,
        tool: 'alembic',
      });
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toMatch(/— the database 'no_such_database' does not exist on that server/);
    });
  },
);
