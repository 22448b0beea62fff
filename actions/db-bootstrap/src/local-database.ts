import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ActionFailure, errorMessage, runCommand } from '@gatehouse/action-kit';
import { shellQuote } from '@gatehouse/command-runner';
import type pg from 'pg';
import {
  type ApplyOutcome,
  type ApplyRequest,
  type Backup,
  type BackupPlan,
  backupsToRemove,
  type Database,
  LOCK_SQL_KEY,
  type Snapshot,
  sameSnapshot,
  TABLES_SQL,
  type ToolRun,
  tail,
} from './database';
import {
  addressText,
  type DatabaseAddress,
  parseDatabaseUrl,
  passwordOf,
  urlWithoutPassword,
} from './database-url';
import { versionLineSql } from './host-db-script';
import type { ToolCommands } from './presets';

export interface LocalOptions {
  url: string;
  tool: ToolCommands;
  /** Where tool commands run (the app checkout on the runner). */
  workingDirectory: string;
  lockTimeoutMs: number;
  commandTimeoutMs: number;
}

/**
 * `target: local` with `database-url`: detection and the advisory lock through the `pg` driver
 * (loaded only here), tools and pg_dump as local processes with the URL in their environment.
 */
export async function connectLocal(options: LocalOptions): Promise<Database> {
  const address = parseDatabaseUrl(options.url);
  const { default: pgModule } = await import('pg');
  const client = new pgModule.Client({ connectionString: options.url, connectionTimeoutMillis: 15_000 });
  // A connection error after connect (server restart) must not crash the process unreported.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    throw unreachable(address, error, options.url);
  }
  return new LocalDatabase(client, address, options);
}

function unreachable(address: DatabaseAddress, error: unknown, url: string): ActionFailure {
  return new ActionFailure(
    `Cannot connect to the database at ${addressText(address)}: ${redact(errorMessage(error), url)}`,
  );
}

/** Drivers quote what they were given; make sure the password never rides along. */
function redact(text: string, url: string): string {
  const password = passwordOf(url);
  let out = text.split(url).join(urlWithoutPassword(url));
  if (password) out = out.split(password).join('***');
  return out;
}

class LocalDatabase implements Database {
  readonly where: string;
  constructor(
    private readonly client: pg.Client,
    address: DatabaseAddress,
    private readonly options: LocalOptions,
  ) {
    this.where = `${addressText(address)}, database ${address.database}`;
  }

  async snapshot(): Promise<Snapshot> {
    const tables = (await this.client.query<{ relname: string }>(TABLES_SQL)).rows.map((row) => row.relname);
    const versionTableExists = tables.includes(this.options.tool.versionTable);
    if (!versionTableExists) return { tables, versionTableExists, version: undefined };
    const result = await this.client.query({
      text: versionLineSql(this.options.tool.versionQuery),
      rowMode: 'array',
    });
    const version = String(result.rows[0]?.[0] ?? '');
    return { tables, versionTableExists, version: version === '' ? undefined : version };
  }

  tool(command: string): Promise<ToolRun> {
    return this.runShell(command);
  }

  async apply(request: ApplyRequest): Promise<ApplyOutcome> {
    await this.lock();
    try {
      const now = await this.snapshot();
      if (!sameSnapshot(now, request.expected)) return { stamped: false, changedMeanwhile: now };
      const outcome: ApplyOutcome = { stamped: false };
      if (request.backup) outcome.backup = await this.backup(request.backup);
      if (request.stamp) {
        const run = await this.runShell(request.stamp);
        if (run.exitCode !== 0) return { ...outcome, failed: { step: 'stamp', run } };
        outcome.stamped = true;
      }
      if (request.migrate) {
        const run = await this.runShell(request.migrate);
        if (run.exitCode !== 0) return { ...outcome, failed: { step: 'migrate', run } };
      }
      return outcome;
    } finally {
      await this.client.query(`SELECT pg_advisory_unlock(${LOCK_SQL_KEY})`).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }

  private async lock(): Promise<void> {
    await this.client.query(`SET lock_timeout = ${Math.max(1, Math.round(this.options.lockTimeoutMs))}`);
    try {
      await this.client.query(`SELECT pg_advisory_lock(${LOCK_SQL_KEY})`);
    } catch (error) {
      if ((error as { code?: string }).code === '55P03') {
        throw new ActionFailure(
          `Another db-bootstrap holds the lock on ${this.where}; gave up after waiting 'lock-timeout'. Nothing was changed.`,
        );
      }
      throw error;
    } finally {
      await this.client.query('SET lock_timeout = 0').catch(() => undefined);
    }
  }

  /**
   * The runner's bash reads ~/.bashrc for `-c` when its standard input is a socket (as Node gives
   * it) and SHLVL is unset (as on a runner): a pyenv or nvm line there would change which tool runs.
   */
  private async runShell(command: string): Promise<ToolRun> {
    const result = await runCommand('bash', ['--noprofile', '--norc', '-c', command], {
      cwd: this.options.workingDirectory,
      env: { ...process.env, DATABASE_URL: this.options.url },
      timeoutMs: this.options.commandTimeoutMs,
    });
    return {
      exitCode: result.exitCode,
      output: redact(tail(`${result.stdout}${result.stderr}`), this.options.url),
    };
  }

  /** pg_dump -Fc to a partial file, renamed once whole, then read back with pg_restore --list. */
  private async backup(plan: BackupPlan): Promise<Backup> {
    const dir = resolve(this.options.workingDirectory, plan.dir);
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${plan.prefix}-${plan.timestamp}.dump`);
    const partial = `${file}.partial`;
    const env = { ...process.env, PGPASSWORD: passwordOf(this.options.url) ?? '' };
    const safeUrl = urlWithoutPassword(this.options.url);
    const dump = await runCommand(
      'pg_dump',
      ['-Fc', '--no-password', `--file=${partial}`, `--dbname=${safeUrl}`],
      { env },
    );
    if (dump.exitCode !== 0) {
      await rm(partial, { force: true });
      throw new ActionFailure(
        `pg_dump of ${this.where} failed (exit ${dump.exitCode}); nothing was changed: ${redact(tail(dump.stderr, 1000), this.options.url)}`,
      );
    }
    await rename(partial, file);
    const bytes = (await stat(file)).size;
    const list = await runCommand('pg_restore', ['--list', file]);
    const entries = list.stdout
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith(';')).length;
    if (bytes === 0 || list.exitCode !== 0) {
      throw new ActionFailure(
        `The backup ${file} could not be verified (${bytes} bytes; pg_restore --list exit ${list.exitCode}); nothing was changed.`,
      );
    }
    const removed = backupsToRemove(await readdir(dir), plan.prefix, plan.keep);
    for (const name of removed) await rm(join(dir, name), { force: true });
    return {
      file,
      bytes,
      entries,
      removed,
      restoreCommand: `PGPASSWORD=… pg_restore --clean --if-exists --no-owner --dbname=${shellQuote(safeUrl)} ${shellQuote(file)}`,
    };
  }
}
