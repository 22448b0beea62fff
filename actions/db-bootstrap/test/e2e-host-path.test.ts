import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '@gatehouse/action-kit';
import { type PostgresServer, startPostgres } from '@gatehouse/postgres-test-server';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alembicDir,
  bootstrap,
  databaseName,
  debianPython,
  flaskDir,
  group,
  legacyDatabase,
  nodePgMigrateDir,
  record,
  tables,
  tempDir,
  unavailableReason,
} from './helpers';

const unavailable = await unavailableReason();
const python = await debianPython();

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

    it.skipIf('reason' in python)(
      'flask-migrate on the host: stamps and upgrades, shows each command in a group with any URL redacted',
      async () => {
        const db = databaseName('flask_host');
        await server.createDatabase(db);
        await server.psql(
          db,
          "CREATE TABLE customer (id serial PRIMARY KEY, name text NOT NULL); INSERT INTO customer (name) VALUES ('ada');",
        );
        const env = { DATABASE_URL: server.urlFor(db), PATH: 'path' in python ? python.path : '' };
        const inputs = {
          'app-dir': flaskDir,
          tool: 'flask-migrate',
          baseline: 'a1_customers',
          'legacy-tables': 'customer',
          'backup-dir': await tempDir('backups'),
          // Prints the URL as some tools do: the host's URL is not one this step has masked.
          'migrate-command': 'echo "upgrading $DATABASE_URL"; flask db upgrade',
        };
        const run = await bootstrap(inputs, { env });
        expect(run.errors).toEqual([]);
        expect(run.outputs).toMatchObject({
          'schema-state': 'legacy',
          'action-taken': 'baseline-stamped-and-migrated',
          'version-after': 'b2_visits',
        });
        expect(group(run.stdout, 'db-bootstrap: stamp: flask db stamp')).toContain(
          'Running stamp_revision  -> a1_customers',
        );
        const migrate = group(run.stdout, 'db-bootstrap: migrate:');
        expect(migrate).toContain('Running upgrade a1_customers -> b2_visits');
        expect(migrate).toContain(`upgrading postgres://${server.user}:***@`);
        expect(run.stdout.replace(/^::add-mask::.*$/gm, '')).not.toContain(server.password);
        expect(await server.psql(db, 'SELECT name, email FROM customer;')).toBe('ada|\n');

        const again = await bootstrap(inputs, { env });
        expect(again.outputs).toMatchObject({ 'action-taken': 'none', 'backup-file': '' });
      },
    );

    it('on the host: a lock held by another bootstrap fails with every output set, nothing changed', async () => {
      const db = await legacyDatabase(server, 'host_locked');
      const holder = new pg.Client({ connectionString: server.urlFor(db) });
      await holder.connect();
      try {
        await holder.query("SELECT pg_advisory_lock(hashtext('gatehouse:db-bootstrap'))");
        const run = await bootstrap(
          {
            'app-dir': alembicDir,
            baseline: '0001_baseline',
            'legacy-tables': 'users,audit_events',
            'backup-dir': await tempDir('backups'),
            'lock-timeout': '2s',
          },
          { env: { DATABASE_URL: server.urlFor(db) } },
        );
        expect(run.succeeded).toBe(false);
        expect(run.errors.join('\n')).toContain('Another db-bootstrap holds the lock');
        expect(run.outputs).toEqual({
          'schema-state': 'legacy',
          'action-taken': 'failed',
          'version-before': '',
          'version-after': '',
          'backup-file': '',
        });
        expect(run.summary).toContain('legacy → failed');
        expect(await tables(server, db)).toEqual(['audit_events', 'users']);
      } finally {
        await holder.end();
      }
    });

    it('on the host: a run killed mid-migration still says what it did, with the backup and how to restore it', async () => {
      const db = databaseName('host_killed');
      const url = await server.createDatabase(db);
      await runCommand('alembic', ['upgrade', '0001_baseline'], {
        cwd: alembicDir,
        env: { ...process.env, DATABASE_URL: url },
      });
      const run = await bootstrap(
        {
          'app-dir': alembicDir,
          'backup-dir': await tempDir('backups'),
          // Kills the bootstrap script itself, as SSM does when a command times out or is cancelled.
          'migrate-command': 'kill -KILL "$PPID"',
        },
        { env: { DATABASE_URL: url } },
      );
      expect(run.succeeded).toBe(false);
      const message = run.errors.join('\n');
      expect(message).toContain('The bootstrap script on local stopped before its end (Failed, exit 137)');
      expect(run.outputs).toMatchObject({
        'schema-state': 'versioned',
        'action-taken': 'failed',
        'version-before': '0001_baseline',
        'version-after': '0001_baseline',
      });
      expect(existsSync(run.outputs['backup-file']!)).toBe(true);
      const saved = await record(run);
      expect(message).toContain(`To put the database back as it was, run: ${saved.restoreCommand}`);
      expect(message).toContain('could not be listed');
    });

    it('on the host: keeps backup-keep backups and sweeps a partial one a killed run left', async () => {
      const db = databaseName('host_keep');
      await server.createDatabase(db);
      const backups = await tempDir('backups');
      for (const stamp of ['20200101T000000000Z', '20200102T000000000Z', '20200103T000000000Z']) {
        await writeFile(join(backups, `db-bootstrap-${stamp}.dump`), 'old');
      }
      await writeFile(join(backups, 'db-bootstrap-20200104T000000000Z.dump.partial'), 'half');
      await writeFile(join(backups, 'db-bootstrap-manual.dump'), 'kept');
      const run = await bootstrap(
        { 'app-dir': alembicDir, 'backup-dir': backups, 'backup-keep': '2', backup: 'always' },
        { env: { DATABASE_URL: server.urlFor(db) } },
      );
      expect(run.errors).toEqual([]);
      const file = run.outputs['backup-file']!.split('/').pop();
      expect((await readdir(backups)).sort()).toEqual(
        ['db-bootstrap-20200103T000000000Z.dump', 'db-bootstrap-manual.dump', file].sort(),
      );
      expect((await record(run)).backupFile).toBe(run.outputs['backup-file']);
    });
  },
);
