import { existsSync } from 'node:fs';
import { runCommand } from '@gatehouse/action-kit';
import { type PostgresServer, startPostgres } from '@gatehouse/postgres-test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alembicDir,
  bootstrap,
  databaseName,
  legacyDatabase,
  nodePgMigrateDir,
  tables,
  tempDir,
  unavailableReason,
} from './helpers';

const unavailable = await unavailableReason();

describe.skipIf(unavailable)(
  `db-bootstrap bundle, psql and tools through the command runner${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let server: PostgresServer;
    beforeAll(async () => {
      server = await startPostgres();
    });
    afterAll(async () => server?.stop());

    it('stamps and upgrades a legacy schema with psql, pg_dump and alembic run by the runner, the URL only in the environment', async () => {
      const db = await legacyDatabase(server, 'hostpath');
      const backups = await tempDir('backups');
      const run = await bootstrap(
        {
          'app-dir': alembicDir,
          tool: 'alembic',
          baseline: '0001_baseline',
          'legacy-tables': 'users,audit_events',
          'backup-dir': backups,
        },
        { env: { DATABASE_URL: server.urlFor(db) } },
      );
      expect(run.errors).toEqual([]);
      expect(run.outputs).toMatchObject({
        'schema-state': 'legacy',
        'action-taken': 'baseline-stamped-and-migrated',
        'version-after': '0002_orders',
      });
      expect(await tables(server, db)).toEqual(['alembic_version', 'audit_events', 'orders', 'users']);
      const list = await runCommand('pg_restore', ['--list', run.outputs['backup-file']!]);
      expect(list.stdout).toContain('TABLE DATA public audit_events');
      expect(run.log).not.toContain(server.password);
    });

    it('treats hostile baseline text as data: refused as input, nothing run', async () => {
      const db = await legacyDatabase(server, 'hostile');
      const marker = `${await tempDir('marker')}/pwned`;
      const run = await bootstrap(
        { 'app-dir': alembicDir, baseline: `x'; touch ${marker}; '`, 'legacy-tables': 'users' },
        { env: { DATABASE_URL: server.urlFor(db) } },
      );
      expect(run.succeeded).toBe(false);
      expect(run.errors.join('\n')).toContain("Input 'baseline' must be a revision id");
      expect(existsSync(marker)).toBe(false);
    });

    it('node-pg-migrate: migrates an empty database, then baselines a legacy one and upgrades it', async () => {
      const empty = databaseName('npm_empty');
      await server.createDatabase(empty);
      const fresh = await bootstrap({
        'database-url': server.urlFor(empty),
        'app-dir': nodePgMigrateDir,
        tool: 'node-pg-migrate',
        backup: 'never',
      });
      expect(fresh.errors).toEqual([]);
      expect(fresh.outputs).toMatchObject({
        'schema-state': 'empty',
        'action-taken': 'migrated',
        'version-after': '1700000000001_add_invoices',
      });

      const legacy = databaseName('npm_legacy');
      await server.createDatabase(legacy);
      await server.psql(
        legacy,
        "CREATE TABLE accounts (id serial PRIMARY KEY, name text NOT NULL); INSERT INTO accounts (name) VALUES ('acme');",
      );
      const run = await bootstrap({
        'database-url': server.urlFor(legacy),
        'app-dir': nodePgMigrateDir,
        tool: 'node-pg-migrate',
        baseline: '1700000000000_init',
        'legacy-tables': 'accounts',
        'backup-dir': await tempDir('backups'),
      });
      expect(run.errors).toEqual([]);
      expect(run.outputs).toMatchObject({
        'schema-state': 'legacy',
        'action-taken': 'baseline-stamped-and-migrated',
        'version-after': '1700000000001_add_invoices',
      });
      expect(await server.psql(legacy, 'SELECT name FROM accounts;')).toBe('acme\n');
      expect(await tables(server, legacy)).toEqual(['accounts', 'invoices', 'pgmigrations']);
    });
  },
);
