import { chmod, cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '@gatehouse/action-kit';
import { type PostgresServer, postgresUnavailableReason } from '@gatehouse/postgres-test-server';
import { type DbBootstrapRecord, latestOf, readRecords } from '@gatehouse/records';
import { type ActionRun, runAction } from '@gatehouse/runner-harness';
import { expect } from 'vitest';

export const actionDir = join(import.meta.dirname, '..');
export const fixtures = join(import.meta.dirname, 'fixtures');
export const alembicDir = join(fixtures, 'alembic');
export const nodePgMigrateDir = join(fixtures, 'node-pg-migrate');
export const djangoDir = join(fixtures, 'django');
export const flaskDir = join(fixtures, 'flask-migrate');

/** Why these tests cannot run here; CI installs postgresql and alembic, so there it is undefined. */
export async function unavailableReason(): Promise<string | undefined> {
  const pg = postgresUnavailableReason();
  if (pg) return pg;
  const alembic = await runCommand('bash', [
    '-c',
    'command -v alembic && command -v pg_dump && command -v psql',
  ]).catch(() => undefined);
  return alembic?.exitCode === 0
    ? undefined
    : 'alembic, pg_dump or psql not on PATH (Debian: alembic, postgresql-client)';
}

let counter = 0;
export function databaseName(label: string): string {
  counter += 1;
  return `${label.replace(/[^a-z0-9_]/g, '_')}_${process.pid}_${counter}`;
}

export async function bootstrap(
  inputs: Record<string, string>,
  options: { env?: Record<string, string | undefined> } = {},
): Promise<ActionRun> {
  return runAction({
    actionDir,
    inputs: { target: 'local', ...inputs },
    env: options.env ?? {},
    timeoutMs: 180_000,
  });
}

export async function legacyDatabase(server: PostgresServer, label: string): Promise<string> {
  const name = databaseName(label);
  await server.createDatabase(name);
  await server.psql(name, await readFile(join(fixtures, 'legacy-schema.sql'), 'utf8'));
  return name;
}

export async function alembic(url: string, ...args: string[]): Promise<void> {
  const result = await runCommand('alembic', args, {
    cwd: alembicDir,
    env: { ...process.env, DATABASE_URL: url },
  });
  if (result.exitCode !== 0) throw new Error(`alembic ${args.join(' ')} failed: ${result.stderr}`);
}

export async function tables(server: PostgresServer, database: string): Promise<string[]> {
  const out = await server.psql(
    database,
    "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND relkind = 'r' ORDER BY 1;",
  );
  return out.split('\n').filter((line) => line !== '');
}

export const tempDir = (label: string) => mkdtemp(join(tmpdir(), `gatehouse-${label}-`));

/** The run's result record, read and checked as summary and rollback read it. */
export async function record(run: ActionRun): Promise<DbBootstrapRecord> {
  const job = readRecords(join(run.runnerTemp, 'gatehouse'));
  expect(job.problems).toEqual([]);
  const found = latestOf(job, 'db-bootstrap');
  if (!found) throw new Error('db-bootstrap wrote no result record');
  return found;
}

/** A fixture copied where a test may add to it (a failing migration, say). */
export async function fixtureCopy(dir: string, label: string): Promise<string> {
  const copy = join(await tempDir(label), 'app');
  await cp(dir, copy, { recursive: true });
  return copy;
}

/**
 * Debian installs Django and Flask-Migrate for its own python3 (python3-django,
 * python3-flask-migrate); a pyenv or virtualenv earlier on PATH has neither. The presets call
 * `python` and `flask`, so a bin folder that runs them with that interpreter goes first on PATH.
 */
export async function debianPython(): Promise<{ path: string } | { reason: string }> {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    const probe = await runCommand(candidate, ['-c', 'import django, flask_migrate, flask_sqlalchemy']).catch(
      () => undefined,
    );
    if (probe?.exitCode !== 0) continue;
    const bin = await tempDir('python-bin');
    await writeFile(join(bin, 'python'), `#!/bin/sh\nexec ${candidate} "$@"\n`);
    await writeFile(join(bin, 'flask'), `#!/bin/sh\nexec ${candidate} -m flask "$@"\n`);
    await chmod(join(bin, 'python'), 0o755);
    await chmod(join(bin, 'flask'), 0o755);
    return { path: `${bin}:${process.env.PATH}` };
  }
  return {
    reason: 'no python3 with Django and Flask-Migrate (Debian: python3-django, python3-flask-migrate)',
  };
}

/** The schema alone, as pg_dump prints it: what a restore must give back. */
export async function schemaOf(server: PostgresServer, database: string): Promise<string> {
  const dump = await runCommand(join(server.binDir, 'pg_dump'), [
    '--schema-only',
    '--no-owner',
    server.urlFor(database),
  ]);
  if (dump.exitCode !== 0) throw new Error(`pg_dump failed: ${dump.stderr}`);
  // The dump's restrict key (PostgreSQL 17.6+, 16.10+, …) changes with every run.
  return dump.stdout.replace(/^\\(un)?restrict .*$/gm, '');
}

/** Runs a printed restore command as a person would, the password in PGPASSWORD. */
export async function runPrinted(command: string, server: PostgresServer, cwd?: string) {
  return runCommand('bash', ['--noprofile', '--norc', '-c', command], {
    ...(cwd ? { cwd } : {}),
    env: { ...process.env, PGPASSWORD: server.password, PATH: `${server.binDir}:${process.env.PATH}` },
  });
}

/** The lines of one collapsed group of the log, by the start of its title. */
export function group(stdout: string, titleStart: string): string | undefined {
  const start = stdout.indexOf(`::group::${titleStart}`);
  if (start < 0) return undefined;
  const end = stdout.indexOf('::endgroup::', start);
  return end < 0 ? undefined : stdout.slice(start, end);
}
