import { type ChildProcess, spawn } from 'node:child_process';
import { runCommand } from '@gatehouse/action-kit';
import { fail } from '../runtime/context';

/**
 * The database side of Prisma Migrate on PostgreSQL, through the real `psql` (so the stand-in
 * needs a PostgreSQL client on PATH, like an image that runs migrations). Prisma-only URL
 * parameters are removed before libpq sees them; `?schema=` becomes the search_path, as Prisma
 * uses it. Connection failures become Prisma's P1000/P1001 errors.
 */
const LIBPQ_PARAMS = new Set([
  'sslmode',
  'sslcert',
  'sslkey',
  'sslrootcert',
  'connect_timeout',
  'application_name',
  'options',
  'target_session_attrs',
]);

export interface Database {
  url: string;
  schema: string;
  /** `host:port`, as Prisma names the server. */
  server: string;
  name: string;
  user: string;
  env: NodeJS.ProcessEnv;
}

export function openDatabase(url: string, env: NodeJS.ProcessEnv): Database {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    fail(1, 'Error: P1013: The provided database string is invalid. invalid port number in database URL.');
  }
  if (parsed.protocol !== 'postgresql:' && parsed.protocol !== 'postgres:') {
    fail(
      1,
      'Error: P1013: The provided database string is invalid. The scheme is not recognized in database URL.',
    );
  }
  const schema = parsed.searchParams.get('schema') ?? 'public';
  for (const key of [...parsed.searchParams.keys()])
    if (!LIBPQ_PARAMS.has(key)) parsed.searchParams.delete(key);
  const user = decodeURIComponent(parsed.username);
  return {
    url: parsed.toString(),
    schema,
    server: `${parsed.hostname}:${parsed.port || '5432'}`,
    name: decodeURIComponent(parsed.pathname.slice(1)) || user,
    user,
    env: { ...env, PGOPTIONS: `-c search_path=${schema}` },
  };
}

export interface SqlResult {
  ok: boolean;
  stdout: string;
  /** SQLSTATE and message of the error, when `ok` is false. */
  code: string;
  message: string;
}

/** Runs SQL (with psql `:'name'` variables) and returns rows as text, or the server's error. */
export async function sql(
  db: Database,
  text: string,
  variables: Record<string, string> = {},
): Promise<SqlResult> {
  const args = ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-v', 'VERBOSITY=verbose', '-d', db.url];
  for (const [name, value] of Object.entries(variables)) args.push('-v', `${name}=${value}`);
  const result = await runCommand('psql', [...args, '-f', '-'], { env: db.env, input: text });
  return toResult(db, result);
}

/**
 * Runs a migration script as one query string, the way Prisma sends it (simple query protocol:
 * the statements run in one implicit transaction unless the script manages its own).
 */
export async function runScript(db: Database, script: string): Promise<SqlResult> {
  const result = await runCommand(
    'psql',
    ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-v', 'VERBOSITY=verbose', '-d', db.url, '-c', script],
    { env: db.env },
  );
  return toResult(db, result);
}

function toResult(db: Database, result: { exitCode: number; stdout: string; stderr: string }): SqlResult {
  if (result.exitCode === 0) return { ok: true, stdout: result.stdout, code: '', message: '' };
  const stderr = result.stderr;
  if (result.exitCode === 2 || /^psql: error: connection to server/m.test(stderr))
    connectionFailure(db, stderr);
  const error = /ERROR:\s+(?:([0-9A-Z]{5}): )?(.*)/.exec(stderr);
  return {
    ok: false,
    stdout: result.stdout,
    code: error?.[1] ?? '',
    message: error ? `ERROR: ${error[2]}` : stderr.trim(),
  };
}

function connectionFailure(db: Database, stderr: string): never {
  if (/password authentication failed/.test(stderr)) {
    fail(
      1,
      `Error: P1000: Authentication failed against database server at \`${db.server.split(':')[0]}\`, the provided database credentials for \`${db.user}\` are not valid.\n\nPlease make sure to provide valid database credentials for the database server at \`${db.server.split(':')[0]}\`.`,
    );
  }
  if (/database ".*" does not exist/.test(stderr)) {
    fail(
      1,
      `Error: P1003: Database \`${db.name}\` does not exist on the database server at \`${db.server}\`.`,
    );
  }
  fail(
    1,
    `Error: P1001: Can't reach database server at \`${db.server}\`\n\nPlease make sure your database server is running at \`${db.server}\`.`,
  );
}

/** The key Prisma Migrate locks on (schema-engine's advisory lock), so two deploys never interleave. */
export const PRISMA_LOCK_KEY = 72707369;

/**
 * Holds Prisma's advisory lock in a psql session kept open until `release`; waits at most 10
 * seconds for it, as Prisma does, then fails with P1002.
 */
export async function acquireLock(db: Database): Promise<{ release(): Promise<void> }> {
  const child: ChildProcess = spawn('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', db.url], {
    env: db.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  const locked = new Promise<boolean>((resolve) => {
    child.stdout!.on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('prisma-lock-held')) resolve(true);
    });
    void exited.then(() => resolve(false));
  });
  child.stdin!.write(
    `SET lock_timeout = '10s';\nSELECT pg_advisory_lock(${PRISMA_LOCK_KEY});\n\\echo prisma-lock-held\n`,
  );
  if (!(await locked)) {
    if (/lock timeout/.test(stderr)) {
      fail(
        1,
        `Error: P1002\n\nThe database server at \`${db.server}\` was reached but timed out.\n\nPlease try again.\n\nPlease make sure your database server is running at \`${db.server}\`.\n\nContext: Timed out trying to acquire a postgres advisory lock (SELECT pg_advisory_lock(${PRISMA_LOCK_KEY})). Timeout: 10000ms. See https://pris.ly/d/migrate-advisory-locking for details.`,
      );
    }
    connectionFailure(db, stderr);
  }
  return {
    async release() {
      child.stdin!.end();
      await exited;
    },
  };
}

/** `migrate deploy` creates a missing database first (Prisma's ensureDatabaseExists). */
export async function ensureDatabaseExists(db: Database): Promise<string | undefined> {
  const maintenance = new URL(db.url);
  maintenance.pathname = '/postgres';
  const admin = { ...db, url: maintenance.toString() };
  const found = await sql(admin, "SELECT 1 FROM pg_database WHERE datname = :'name';", { name: db.name });
  if (!found.ok || found.stdout.trim() !== '') return undefined;
  const created = await sql(admin, 'CREATE DATABASE :"name";', { name: db.name });
  if (!created.ok) fail(1, `Error: P3000: Failed to create database: ${created.message}`);
  return `PostgreSQL database ${db.name} created at ${db.server}`;
}
