import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ActionFailure, errorMessage, formatDuration, runCommand } from '@gatehouse/action-kit';
import { type PostgresAddress, postgresAddress, postgresHint } from '@gatehouse/action-kit/known-errors';
import { redact, urlPassword, urlPasswords, urlWithoutPassword } from '@gatehouse/action-kit/secrets';
import { shellQuote } from '@gatehouse/command-runner';
import type pg from 'pg';
import {
  type ApplyOutcome,
  type ApplyRequest,
  type Backup,
  type BackupPlan,
  backupsToRemove,
  type Database,
  isStalePartial,
  LOCK_SQL_KEY,
  leftoversOf,
  OBJECTS_SQL,
  OUTPUT_KEPT,
  type Snapshot,
  sameSnapshot,
  TABLES_SQL,
  type ToolRun,
  tail,
} from './database';
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
  // Checked when the settings were read: it names a host, or a socket folder in `?host=`.
  const address = postgresAddress('database-url', options.url);
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

function unreachable(address: PostgresAddress, error: unknown, url: string): ActionFailure {
  return new ActionFailure(
    `Cannot connect to the database at ${address.host}:${address.port}: ${redact(errorMessage(error), urlPasswords(url))}${postgresHint(error)}`,
  );
}

class LocalDatabase implements Database {
  readonly where: string;
  private readonly secrets: string[];
  constructor(
    private readonly client: pg.Client,
    address: PostgresAddress,
    private readonly options: LocalOptions,
  ) {
    this.where = `${address.host}:${address.port}, database ${address.database}`;
    this.secrets = urlPasswords(options.url);
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
    return this.runShell(command, { merged: false });
  }

  async apply(request: ApplyRequest): Promise<ApplyOutcome> {
    if (!(await this.lock())) return { lockTimedOut: true, steps: [] };
    try {
      const now = await this.snapshot();
      if (!sameSnapshot(now, request.expected)) return { changedMeanwhile: now, steps: [] };
      const outcome: ApplyOutcome = { steps: [] };
      const objectsBefore = request.backup ? await this.objects() : undefined;
      if (request.backup) outcome.backup = await this.backup(request.backup);
      for (const step of ['stamp', 'migrate'] as const) {
        const command = request[step];
        if (!command) continue;
        const run = await this.runShell(command, { merged: true });
        outcome.steps.push({ step, command, run });
        if (run.timedOut) {
          outcome.interrupted =
            `The ${step} command ran longer than 'timeout' (${formatDuration(this.options.commandTimeoutMs)}) ` +
            'and was stopped, with every process it started.';
        }
        if (run.exitCode !== 0) break;
      }
      if (objectsBefore) {
        const objectsAfter = await this.objects().catch(() => undefined);
        if (objectsAfter) outcome.leftovers = leftoversOf(objectsBefore, objectsAfter);
      }
      return outcome;
    } finally {
      await this.client.query(`SELECT pg_advisory_unlock(${LOCK_SQL_KEY})`).catch(() => undefined);
    }
  }

  /** The password comes from PGPASSWORD or ~/.pgpass: the command is printed and kept in records. */
  restoreCommand(backup: Backup, leftovers: readonly string[]): string {
    const dbname = shellQuote(`--dbname=${urlWithoutPassword(this.options.url)}`);
    const restore = `pg_restore --clean --if-exists --single-transaction --no-owner ${dbname} ${shellQuote(backup.file)}`;
    if (leftovers.length === 0) return restore;
    return `psql -X -q -v ON_ERROR_STOP=1 ${dbname} -c ${shellQuote(leftovers.join('; '))} && ${restore}`;
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }

  /** False when another bootstrap held the lock for all of lock-timeout. */
  private async lock(): Promise<boolean> {
    await this.client.query(`SET lock_timeout = ${Math.max(1, Math.round(this.options.lockTimeoutMs))}`);
    try {
      await this.client.query(`SELECT pg_advisory_lock(${LOCK_SQL_KEY})`);
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === '55P03') return false;
      throw error;
    } finally {
      await this.client.query('SET lock_timeout = 0').catch(() => undefined);
    }
  }

  private async objects(): Promise<string[]> {
    return (await this.client.query<{ stmt: string }>(OBJECTS_SQL)).rows.map((row) => row.stmt);
  }

  /**
   * The runner's bash reads ~/.bashrc for `-c` when its standard input is a socket (as Node gives
   * it) and SHLVL is unset (as on a runner): a pyenv or nvm line there would change which tool
   * runs. `merged`: standard error joins standard output in order, as a person would see them.
   */
  private async runShell(command: string, options: { merged: boolean }): Promise<ToolRun> {
    const script = options.merged ? `exec 2>&1\n${command}` : command;
    const result = await runCommand('bash', ['--noprofile', '--norc', '-c', script], {
      cwd: this.options.workingDirectory,
      env: { ...process.env, DATABASE_URL: this.options.url },
      timeoutMs: this.options.commandTimeoutMs,
    });
    const stdout = redact(result.stdout, this.secrets);
    const output = options.merged ? stdout : `${stdout}${redact(result.stderr, this.secrets)}`;
    return {
      exitCode: result.exitCode,
      stdout,
      output: tail(output, OUTPUT_KEPT),
      ...(result.timedOut ? { timedOut: true } : {}),
    };
  }

  /**
   * pg_dump -Fc to a partial file, renamed once whole, then read back with pg_restore --list.
   * Partial files of runs killed mid-dump are swept first: this run holds the lock.
   */
  private async backup(plan: BackupPlan): Promise<Backup> {
    const dir = resolve(this.options.workingDirectory, plan.dir);
    await mkdir(dir, { recursive: true });
    for (const name of await readdir(dir)) {
      if (isStalePartial(name, plan.prefix)) await rm(join(dir, name), { force: true });
    }
    const file = join(dir, `${plan.prefix}-${plan.timestamp}.dump`);
    const partial = `${file}.partial`;
    const env = { ...process.env, PGPASSWORD: urlPassword(this.options.url) ?? '' };
    const dump = await runCommand(
      'pg_dump',
      ['-Fc', '--no-password', `--file=${partial}`, `--dbname=${urlWithoutPassword(this.options.url)}`],
      { env },
    );
    if (dump.exitCode !== 0) {
      await rm(partial, { force: true });
      throw new ActionFailure(
        `pg_dump of ${this.where} failed (exit ${dump.exitCode}); nothing was changed: ${redact(tail(dump.stderr, 1000), this.secrets)}${postgresHint(dump.stderr)}`,
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
    return { file, bytes, entries, removed };
  }
}
