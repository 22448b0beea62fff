import { ActionFailure, ConfigurationError } from '@gatehouse/action-kit';
import { postgresHint } from '@gatehouse/action-kit/known-errors';
import { redact } from '@gatehouse/action-kit/secrets';
import { type CommandRunner, type HostResult, shellQuote } from '@gatehouse/command-runner';
import {
  type ApplyOutcome,
  type ApplyRequest,
  type Backup,
  type Database,
  OUTPUT_KEPT,
  type Snapshot,
  type Step,
  type ToolRun,
  tail,
} from './database';
import { applyScript, type HostScriptValues, MARK, snapshotScript, toolScript } from './host-db-script';

export interface HostOptions extends HostScriptValues {
  runner: CommandRunner;
  lockTimeoutMs: number;
  commandTimeoutMs: number;
}

/**
 * The database as the app sees it on its host: every query through `psql`, every tool and
 * `pg_dump` through the command prefix, via the command runner (SSM or local). One host only:
 * a database is migrated once, not once per instance.
 */
export function hostDatabase(options: HostOptions): Database {
  const prefixText = options.prefix.join(' ');
  let host = options.runner.describeTargets();
  const where = () => `${host}${prefixText ? ` (behind '${prefixText}')` : ''}`;
  const runScript = async (script: string, comment: string, timeoutMs = options.commandTimeoutMs) => {
    const result = await options.runner.run({ script, comment, executionTimeoutMs: timeoutMs });
    if (result.hosts.length !== 1) {
      // Tags are resolved by SSM when the command is sent, so this is the first moment the count is
      // known. Only the read-only schema inspection can have run (it is always the first script).
      throw new ConfigurationError(
        `db-bootstrap migrates the database from exactly one host, but ${options.runner.describeTargets()} ` +
          `matched ${result.hosts.length} (${result.hosts.map((h) => h.host).join(', ') || 'none'}). Nothing was ` +
          "changed; only the read-only schema inspection ran. Select the one migration host: in 'instance-tags' " +
          "with a tag only it carries, or by its id in 'instance-ids'.",
      );
    }
    host = result.hosts[0]!.host;
    return result.hosts[0]!;
  };
  const rawSnapshots = new Map<Snapshot, string>();

  return {
    get where() {
      return where();
    },
    async snapshot() {
      const result = await runScript(
        snapshotScript(options),
        'gatehouse db-bootstrap: inspect schema',
        120_000,
      );
      const raw = between(result.stdout, 'snapshot');
      if (result.stderr.includes(`${MARK}:no-url`)) throw missingUrl(options, host);
      if (result.status !== 'Success' || raw === undefined) {
        throw new ActionFailure(
          `Cannot read the database from ${where()} (${result.status}, exit ${result.exitCode}): ${tail(result.stderr.trim() || result.stdout.trim(), 1500)}${postgresHint(result.stderr)}`,
        );
      }
      const snapshot = parseSnapshot(raw);
      rawSnapshots.set(snapshot, raw);
      return snapshot;
    },
    async tool(command: string): Promise<ToolRun> {
      const result = await runScript(toolScript(options, command), 'gatehouse db-bootstrap: tool');
      return {
        exitCode: result.exitCode ?? 1,
        stdout: result.stdout,
        output: redact(tail(`${result.stdout}${result.stderr}`, OUTPUT_KEPT)),
      };
    },
    async apply(request: ApplyRequest): Promise<ApplyOutcome> {
      const expectedRawSnapshot = rawSnapshots.get(request.expected);
      if (expectedRawSnapshot === undefined)
        throw new Error('apply() needs a snapshot taken by this database');
      const script = applyScript(options, {
        expectedRawSnapshot,
        lockTimeoutMs: options.lockTimeoutMs,
        ...(request.backup ? { backup: request.backup } : {}),
        ...(request.stamp ? { stamp: request.stamp } : {}),
        ...(request.migrate ? { migrate: request.migrate } : {}),
      });
      const result = await runScript(
        script,
        'gatehouse db-bootstrap: apply',
        options.commandTimeoutMs + options.lockTimeoutMs,
      );
      return readApplyOutcome(result, where(), request);
    },
    restoreCommand(backup: Backup, leftovers: readonly string[]): string {
      const url = `"$${options.urlVariable}"`;
      const restore = `exec pg_restore --clean --if-exists --single-transaction --no-owner -d ${url}`;
      const script = leftovers.length
        ? `psql -X -q -v ON_ERROR_STOP=1 -d ${url} -c "$1" && ${restore}`
        : restore;
      const words = [
        ...options.prefix.map(shellQuote),
        'sh',
        '-c',
        shellQuote(script),
        ...(leftovers.length ? ['sh', shellQuote(leftovers.join('; '))] : []),
      ];
      return `cd ${shellQuote(options.appDir)} && ${words.join(' ')} < ${shellQuote(backup.file)}`;
    },
    async close() {},
  };
}

function missingUrl(options: HostOptions, host: string): ConfigurationError {
  const place = options.prefix.length
    ? `behind 'command-prefix' (${options.prefix.join(' ')})`
    : options.runner.kind === 'ssm'
      ? "in the environment SSM Run Command gives scripts on the host (the agent's, not the app's: a command-prefix such as 'docker compose exec -T web' reaches the app's)"
      : "in the runner's environment";
  return new ConfigurationError(
    `On ${host}, ${options.urlVariable} (named by 'url-variable') is empty or unset ${place}, so psql has no ` +
      "database to connect to. Set it there, or set 'url-variable' to the variable that holds the database URL" +
      (options.runner.kind === 'local' ? ", or pass the URL in 'database-url'." : '.'),
  );
}

function between(stdout: string, name: string): string | undefined {
  const begin = stdout.indexOf(`${MARK}:${name}-begin\n`);
  const end = stdout.indexOf(`${MARK}:${name}-end`);
  if (begin < 0 || end < begin) return undefined;
  return stdout.slice(begin + `${MARK}:${name}-begin\n`.length, end).replace(/\n$/, '');
}

export function parseSnapshot(raw: string): Snapshot {
  const lines = raw.split('\n');
  const tablesLine = lines.find((line) => line.startsWith('tables:')) ?? 'tables:';
  const tables = tablesLine
    .slice('tables:'.length)
    .split(',')
    .filter((t) => t !== '')
    .sort();
  const versionLine = lines.find((line) => line.startsWith('version:'));
  const version = versionLine?.slice('version:'.length);
  return { tables, versionTableExists: versionLine !== undefined, version: version ? version : undefined };
}

function readApplyOutcome(result: HostResult, where: string, request: ApplyRequest): ApplyOutcome {
  const marks = result.stdout
    .split('\n')
    .filter((line) => line.startsWith(`${MARK}:`))
    .map((line) => line.slice(MARK.length + 1).split('\t'));
  const find = (name: string) => marks.find((m) => m[0] === name);
  if (find('lock-failed')) return { lockTimedOut: true, steps: [] };
  const changed = between(result.stdout, 'changed');
  if (changed !== undefined) return { changedMeanwhile: parseSnapshot(changed), steps: [] };
  if (find('backup-failed') || find('backup-unverified')) {
    throw new ActionFailure(
      `The backup on ${where} failed or could not be verified with pg_restore --list; nothing was changed. ${tail(result.stderr, 1500)}${postgresHint(result.stderr)}`,
    );
  }
  const outcome: ApplyOutcome = { steps: [] };
  const backup = find('backup');
  if (backup) {
    outcome.backup = {
      file: backup[1]!,
      bytes: Number(backup[2]),
      entries: Number(backup[3]),
      removed: marks.filter((m) => m[0] === 'removed').map((m) => m[1]!),
    };
  }
  for (const step of ['stamp', 'migrate'] as const) {
    const run = stepRun(result.stdout, step);
    const command = request[step];
    if (run && command) outcome.steps.push({ step, command, run });
  }
  if (find('leftovers-listed')) {
    outcome.leftovers = marks
      .filter((m) => m[0] === 'leftover')
      .map((m) => Buffer.from(m[1] ?? '', 'hex').toString('utf8'));
  }
  if (!find('finished')) {
    outcome.interrupted =
      `The bootstrap script on ${where} stopped before its end (${result.status}, exit ${result.exitCode}): ` +
      tail(redact(result.stderr.trim() || result.stdout.trim()), 1500);
  }
  return outcome;
}

/** A step's output between its marks, and its exit code; undefined if it did not finish. */
function stepRun(stdout: string, step: Step): ToolRun | undefined {
  const begin = `${MARK}:${step}-begin\n`;
  const start = stdout.indexOf(begin);
  const end = stdout.indexOf(`\n${MARK}:${step}-end\t`, start);
  if (start < 0 || end < 0) return undefined;
  const text = stdout.slice(start + begin.length, end);
  const exitCode = Number(/^(\d+)/.exec(stdout.slice(end + `\n${MARK}:${step}-end\t`.length))?.[1] ?? 1);
  return { exitCode, stdout: text, output: redact(tail(text, OUTPUT_KEPT)) };
}
