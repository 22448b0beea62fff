import { existsSync } from 'node:fs';
import { chmod, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '@gatehouse/action-kit';
import { type PostgresServer, startPostgres } from '@gatehouse/postgres-test-server';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alembic,
  alembicDir,
  bootstrap,
  databaseName,
  group,
  legacyDatabase,
  record,
  runPrinted,
  schemaOf,
  tables,
  tempDir,
  unavailableReason,
} from './helpers';

const unavailable = await unavailableReason();

/** Polls a condition about the world (never a duration): the test waits for a state, not a time. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 50));
}
const fingerprint = { baseline: '0001_baseline', 'legacy-tables': 'users,audit_events' };

describe.skipIf(unavailable)(
  `db-bootstrap bundle, alembic, target local${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let server: PostgresServer;
    beforeAll(async () => {
      server = await startPostgres();
    });
    afterAll(async () => server?.stop());

    const local = (database: string, backupDir: string, extra: Record<string, string> = {}) => ({
      'database-url': server.urlFor(database),
      'app-dir': alembicDir,
      tool: 'alembic',
      'backup-dir': backupDir,
      ...extra,
    });

    it('stamps a legacy schema made with plain SQL, then upgrades it, keeping its rows', async () => {
      const db = await legacyDatabase(server, 'legacy');
      const backups = await tempDir('backups');
      const run = await bootstrap(local(db, backups, fingerprint));
      expect(run.errors).toEqual([]);
      expect(run.outputs).toMatchObject({
        'schema-state': 'legacy',
        'action-taken': 'baseline-stamped-and-migrated',
        'version-before': '',
        'version-after': '0002_orders',
      });
      expect(await tables(server, db)).toEqual(['alembic_version', 'audit_events', 'orders', 'users']);
      expect(await server.psql(db, 'SELECT count(*) FROM audit_events;')).toBe('3\n');
      expect(run.outputs['backup-file']).toMatch(new RegExp(`^${backups}/db-bootstrap-\\d+T\\d+Z\\.dump$`));
      expect(existsSync(run.outputs['backup-file']!)).toBe(true);
      const saved = await record(run);
      expect(saved).toMatchObject({
        actionTaken: 'baseline-stamped-and-migrated',
        backupFile: run.outputs['backup-file'],
      });
      expect(String(saved.restoreCommand)).toContain('pg_restore');
      expect(String(saved.restoreCommand)).not.toContain(server.password);
      expect(run.masks).toContain(server.password);
      expect(run.log).not.toContain(server.password);
    });

    it('refuses a legacy schema that does not match the fingerprint, lists what is missing, changes nothing', async () => {
      const db = databaseName('mismatch');
      await server.createDatabase(db);
      await server.psql(
        db,
        'CREATE TABLE users (id serial PRIMARY KEY, name text); CREATE TABLE invoices (id int);',
      );
      const backups = await tempDir('backups');
      const run = await bootstrap(local(db, backups, fingerprint));
      expect(run.succeeded).toBe(false);
      expect(run.outputs['action-taken']).toBe('refused');
      expect(run.errors.join('\n')).toContain('Missing tables: audit_events');
      expect(run.errors.join('\n')).toContain('not in the fingerprint: invoices');
      expect(await tables(server, db)).toEqual(['invoices', 'users']);
      expect(await readdir(backups)).toEqual([]);
    });

    it('upgrades a versioned database and leaves an up-to-date one alone without a backup', async () => {
      const db = databaseName('versioned');
      const url = await server.createDatabase(db);
      await alembic(url, 'upgrade', '0001_baseline');
      const backups = await tempDir('backups');
      const first = await bootstrap(local(db, backups, fingerprint));
      expect(first.errors).toEqual([]);
      expect(first.outputs).toMatchObject({
        'schema-state': 'versioned',
        'action-taken': 'migrated',
        'version-before': '0001_baseline',
        'version-after': '0002_orders',
      });
      const again = await bootstrap(local(db, backups));
      expect(again.outputs).toMatchObject({
        'schema-state': 'versioned',
        'action-taken': 'none',
        'backup-file': '',
      });
      expect(await readdir(backups)).toHaveLength(1);
    });

    it('migrates an empty database from scratch (never stamps it)', async () => {
      const db = databaseName('empty');
      await server.createDatabase(db);
      const run = await bootstrap(local(db, await tempDir('backups'), fingerprint));
      expect(run.errors).toEqual([]);
      expect(run.outputs).toMatchObject({
        'schema-state': 'empty',
        'action-taken': 'migrated',
        'version-after': '0002_orders',
      });
      expect(run.log).not.toContain('stamp');
    });

    it('takes a backup that restores into a scratch database with the same tables and rows', async () => {
      const db = await legacyDatabase(server, 'restore');
      const before = await server.psql(
        db,
        'SELECT * FROM users ORDER BY id; SELECT * FROM audit_events ORDER BY id;',
      );
      const run = await bootstrap(local(db, await tempDir('backups'), fingerprint));
      expect(run.succeeded).toBe(true);
      const scratch = databaseName('scratch');
      await server.createDatabase(scratch);
      const restore = await runCommand('pg_restore', [
        '--no-owner',
        `--dbname=${server.urlFor(scratch)}`,
        run.outputs['backup-file']!,
      ]);
      expect(restore.stderr).toBe('');
      expect(await tables(server, scratch)).toEqual(['audit_events', 'users']);
      expect(
        await server.psql(
          scratch,
          'SELECT * FROM users ORDER BY id; SELECT * FROM audit_events ORDER BY id;',
        ),
      ).toBe(before);
    });

    it('reports the backup and the restore command when the migration fails, and stamps nothing', async () => {
      const db = databaseName('failing');
      const url = await server.createDatabase(db);
      await alembic(url, 'upgrade', '0001_baseline');
      // The incident: a table the next revision creates already exists.
      await server.psql(db, 'CREATE TABLE orders (id int);');
      const run = await bootstrap(local(db, await tempDir('backups'), fingerprint));
      expect(run.succeeded).toBe(false);
      const message = run.errors.join('\n');
      expect(message).toContain('The migrate command failed');
      expect(message).toContain('DuplicateTable');
      expect(message).toContain(run.outputs['backup-file']);
      expect(message).toContain('pg_restore --clean --if-exists');
      expect(run.outputs).toMatchObject({ 'action-taken': 'failed', 'version-after': '0001_baseline' });
      expect(await server.psql(db, 'SELECT version_num FROM alembic_version;')).toBe('0001_baseline\n');
      expect((await record(run)).failedStep).toBe('migrate');
    });

    it('names host and port, never the password, when the database is unreachable', async () => {
      const closed = `postgres://app:hunter2-s3cret@127.0.0.1:9/app`;
      const run = await bootstrap({ 'database-url': closed, 'app-dir': alembicDir });
      expect(run.succeeded).toBe(false);
      expect(run.errors.join('\n')).toContain('Cannot connect to the database at 127.0.0.1:9');
      expect(run.log).not.toContain('hunter2-s3cret');
      expect(run.stdout.replace(/^::add-mask::.*$/gm, '')).not.toContain('hunter2-s3cret');
    });

    it('mode verify passes at the expected version and fails behind it, changing nothing', async () => {
      const db = databaseName('verify');
      const url = await server.createDatabase(db);
      await alembic(url, 'upgrade', '0001_baseline');
      const behind = await bootstrap(local(db, await tempDir('backups'), { mode: 'verify' }));
      expect(behind.succeeded).toBe(false);
      expect(behind.errors.join('\n')).toContain('but 0002_orders is expected');
      expect(await server.psql(db, 'SELECT version_num FROM alembic_version;')).toBe('0001_baseline\n');
      const pinned = await bootstrap(
        local(db, await tempDir('backups'), { mode: 'verify', 'expected-version': '0001_baseline' }),
      );
      expect(pinned.errors).toEqual([]);
      expect(pinned.outputs).toMatchObject({
        'action-taken': 'verified',
        'version-after': '0001_baseline',
        'backup-file': '',
      });
    });

    it('waits for another bootstrap holding the advisory lock, gives up changing nothing, and says so in every output', async () => {
      const db = databaseName('locked');
      const url = await server.createDatabase(db);
      await alembic(url, 'upgrade', '0001_baseline');
      const holder = new pg.Client({ connectionString: url });
      await holder.connect();
      try {
        await holder.query("SELECT pg_advisory_lock(hashtext('gatehouse:db-bootstrap'))");
        const run = await bootstrap(local(db, await tempDir('backups'), { 'lock-timeout': '2s' }));
        expect(run.succeeded).toBe(false);
        expect(run.errors.join('\n')).toContain('Another db-bootstrap holds the lock');
        expect(run.outputs).toEqual({
          'schema-state': 'versioned',
          'action-taken': 'failed',
          'version-before': '0001_baseline',
          'version-after': '0001_baseline',
          'backup-file': '',
        });
        expect(run.summary).toContain('versioned → failed');
        expect(run.summary).toContain('Another db-bootstrap holds the lock');
        expect(await record(run)).toMatchObject({ actionTaken: 'failed', status: 'failed' });
        expect(await tables(server, db)).toEqual(['alembic_version', 'audit_events', 'users']);
      } finally {
        await holder.end();
      }
    });

    it('fails, with the state it found, when the database changed while it waited for the lock', async () => {
      const db = databaseName('changed');
      const url = await server.createDatabase(db);
      await alembic(url, 'upgrade', '0001_baseline');
      const holder = new pg.Client({ connectionString: url });
      await holder.connect();
      try {
        await holder.query("SELECT pg_advisory_lock(hashtext('gatehouse:db-bootstrap'))");
        const running = bootstrap(local(db, await tempDir('backups')));
        // Once the bootstrap waits for the lock, another migrates the database and lets go.
        await until(
          async () =>
            (await holder.query("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))
              .rowCount === 1,
        );
        await alembic(url, 'upgrade', 'head');
        await holder.query("SELECT pg_advisory_unlock(hashtext('gatehouse:db-bootstrap'))");
        const run = await running;
        expect(run.succeeded).toBe(false);
        expect(run.errors.join('\n')).toContain('changed while this run waited for the lock');
        expect(run.outputs).toMatchObject({
          'schema-state': 'versioned',
          'action-taken': 'failed',
          'version-before': '0001_baseline',
          'version-after': '0002_orders',
          'backup-file': '',
        });
        expect(run.summary).toContain('versioned → failed');
      } finally {
        await holder.end();
      }
    });

    it('shows what the tool did in a collapsed group, fenced from workflow commands, without the password', async () => {
      const db = await legacyDatabase(server, 'shown');
      const run = await bootstrap(
        local(db, await tempDir('backups'), {
          ...fingerprint,
          // A tool that prints where it connects, and a line the runner would otherwise act on.
          'migrate-command':
            'echo "connecting to $DATABASE_URL"; echo "::add-mask::ada"; alembic upgrade head',
        }),
      );
      expect(run.errors).toEqual([]);
      const migrate = group(run.stdout, 'db-bootstrap: migrate: echo');
      expect(migrate).toContain('Running upgrade 0001_baseline -> 0002_orders');
      expect(migrate).toMatch(/connecting to postgres:\/\/gatehouse:\*\*\*@127\.0\.0\.1/);
      expect(group(run.stdout, 'db-bootstrap: stamp: alembic stamp')).toContain('Running stamp_revision');
      const token = /^::stop-commands::([0-9a-f]{32})$/m.exec(migrate ?? '')?.[1];
      expect(token).toBeDefined();
      const lines = migrate!.split('\n');
      const fenced = lines.slice(
        lines.indexOf(`::stop-commands::${token}`),
        lines.indexOf(`::${token}::`) + 1,
      );
      expect(fenced).toContain('::add-mask::ada');
      expect(fenced.at(-1)).toBe(`::${token}::`);
      expect(run.stdout.replace(/^::add-mask::.*$/gm, '')).not.toContain(server.password);
    });

    it('prints a restore command that, run as printed, gives back the schema from before a failed run', async () => {
      const db = await legacyDatabase(server, 'restore_cmd');
      // The incident: a table the next revision creates already exists, so the stamp commits and
      // the migration fails.
      await server.psql(db, 'CREATE TABLE orders (id int);');
      const beforeSchema = await schemaOf(server, db);
      const beforeRows = await server.psql(
        db,
        'SELECT * FROM users ORDER BY id; SELECT * FROM audit_events ORDER BY id;',
      );
      const run = await bootstrap(local(db, await tempDir('backups'), fingerprint));
      expect(run.succeeded).toBe(false);
      expect(run.outputs).toMatchObject({ 'action-taken': 'failed', 'version-after': '0001_baseline' });
      const saved = await record(run);
      expect(saved).toMatchObject({
        failedStep: 'migrate',
        leftovers: ['DROP TABLE IF EXISTS public.alembic_version CASCADE'],
      });
      const restore = String(saved.restoreCommand);
      expect(run.errors.join('\n')).toContain(`To put the database back as it was, run: ${restore}`);
      const restored = await runPrinted(restore, server);
      expect(restored.stderr).toBe('');
      expect(restored.exitCode).toBe(0);
      expect(await schemaOf(server, db)).toBe(beforeSchema);
      expect(
        await server.psql(db, 'SELECT * FROM users ORDER BY id; SELECT * FROM audit_events ORDER BY id;'),
      ).toBe(beforeRows);
    });

    it('sweeps the partial backup a killed run left behind', async () => {
      const db = databaseName('partial');
      await server.createDatabase(db);
      const backups = await tempDir('backups');
      const stale = join(backups, 'db-bootstrap-20200101T000000000Z.dump.partial');
      await writeFile(stale, 'half a dump');
      await writeFile(join(backups, 'notes.partial'), 'not ours');
      const run = await bootstrap(local(db, backups));
      expect(run.errors).toEqual([]);
      expect((await readdir(backups)).sort()).toEqual([
        run.outputs['backup-file']!.split('/').pop(),
        'notes.partial',
      ]);
    });

    it("runs tools without the runner's ~/.bashrc, which bash reads for -c on a socket with SHLVL unset", async () => {
      const db = await legacyDatabase(server, 'bashrc');
      const home = await tempDir('home');
      const decoy = await tempDir('decoy-bin');
      await writeFile(
        join(decoy, 'alembic'),
        '#!/bin/sh\necho "the decoy alembic from .bashrc ran" >&2\nexit 3\n',
      );
      await chmod(join(decoy, 'alembic'), 0o755);
      await writeFile(join(home, '.bashrc'), `echo "bashrc was read"\nexport PATH="${decoy}:$PATH"\n`);
      const run = await bootstrap(local(db, await tempDir('backups'), fingerprint), {
        env: { HOME: home, SHLVL: undefined },
      });
      expect(run.errors).toEqual([]);
      expect(run.outputs['action-taken']).toBe('baseline-stamped-and-migrated');
      expect(run.stdout).not.toContain('bashrc was read');
      expect(run.stdout).not.toContain('decoy');
    });

    it('keeps only the newest backup-keep backups', async () => {
      const db = databaseName('keep');
      await server.createDatabase(db);
      const backups = await tempDir('backups');
      for (const stamp of ['20200101T000000000Z', '20200102T000000000Z', '20200103T000000000Z']) {
        await writeFile(join(backups, `db-bootstrap-${stamp}.dump`), 'old');
      }
      await writeFile(join(backups, 'unrelated.dump'), 'kept');
      const run = await bootstrap(local(db, backups, { 'backup-keep': '2', backup: 'always' }));
      expect(run.errors).toEqual([]);
      const left = (await readdir(backups)).sort();
      expect(left).toEqual(
        [
          'db-bootstrap-20200103T000000000Z.dump',
          run.outputs['backup-file']!.split('/').pop(),
          'unrelated.dump',
        ].sort(),
      );
    });
  },
);
