import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '@gatehouse/action-kit';
import { type PostgresServer, postgresUnavailableReason } from '@gatehouse/postgres-test-server';
import { type ActionRun, runAction } from '@gatehouse/runner-harness';

export const actionDir = join(import.meta.dirname, '..');
export const fixtures = join(import.meta.dirname, 'fixtures');
export const alembicDir = join(fixtures, 'alembic');
export const nodePgMigrateDir = join(fixtures, 'node-pg-migrate');

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

export async function record(run: ActionRun): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(run.runnerTemp, 'gatehouse', 'db-bootstrap.json'), 'utf8'));
}
