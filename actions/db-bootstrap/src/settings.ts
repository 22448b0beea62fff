import { ConfigurationError, input, log, mask, maskUrlPassword } from '@gatehouse/action-kit';
import { postgresAddress } from '@gatehouse/action-kit/known-errors';
import type { TargetSettings } from '@gatehouse/command-runner';
import { readTargetSettings } from '@gatehouse/command-runner/inputs';
import { PRESET_NAMES, PRESETS, type PresetName, type ToolCommands } from './presets';

export type Location =
  /** On the runner: `pg` driver for detection, tools as local processes with DATABASE_URL set. */
  | { kind: 'url'; url: string }
  /** On the host (or runner) through the command runner: psql and tools behind the prefix. */
  | { kind: 'host'; prefix: string[]; urlVariable: string; targets: TargetSettings };

export interface Settings {
  mode: 'apply' | 'verify';
  tool: PresetName;
  commands: ToolCommands;
  baseline: string | undefined;
  legacyTables: string[];
  expectedVersion: string | undefined;
  backup: 'auto' | 'always' | 'never';
  backupDir: string;
  backupKeep: number;
  appDir: string;
  lockTimeoutMs: number;
  commandTimeoutMs: number;
  location: Location;
}

const REVISION = /^[A-Za-z0-9][A-Za-z0-9_.:@+-]{0,199}$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function readSettings(): Settings {
  const tool = input.choice('tool', PRESET_NAMES, 'alembic');
  const targets = readTargetSettings();
  if (targets.instanceIds.length > 1) {
    throw new ConfigurationError(
      `Input 'instance-ids' names ${targets.instanceIds.length} hosts (${targets.instanceIds.join(', ')}); ` +
        'db-bootstrap migrates the database once, from exactly one host. Name the one host that runs migrations.',
    );
  }
  const url = input.secretString('database-url');
  if (url) {
    // The password alone too, as written and decoded: a tool may print it outside the URL.
    maskUrlPassword(url);
    postgresAddress('database-url', url);
  }
  if (url && targets.target === 'ssm') {
    throw new ConfigurationError(
      "Input 'database-url' is for target 'local' (the runner reaches the database). With target 'ssm', " +
        "leave it empty: commands run on the host and read the URL from 'url-variable' behind 'command-prefix'.",
    );
  }
  const location: Location = url ? { kind: 'url', url } : hostLocation(targets);
  return {
    mode: input.choice('mode', ['apply', 'verify'], 'apply'),
    tool,
    commands: toolCommands(tool),
    baseline: revision('baseline'),
    legacyTables: input.identifierList('legacy-tables'),
    expectedVersion: revision('expected-version'),
    backup: input.choice('backup', ['auto', 'always', 'never'], 'auto'),
    backupDir: input.optionalString('backup-dir') ?? 'db-backups',
    backupKeep: input.integer('backup-keep', { default: 5, min: 1, max: 1000 })!,
    appDir: input.optionalString('app-dir') ?? '.',
    lockTimeoutMs: input.duration('lock-timeout', '10m', { max: '24h' }),
    commandTimeoutMs: input.duration('timeout', '30m', { min: '1s', max: '48h' }),
    location,
  };
}

/**
 * Without `database-url`, psql and the tools read the URL from `url-variable` behind the command
 * prefix. With target local and no prefix that is the runner's own environment, which this step
 * can see: if it is empty too, nothing would reach the database but psql's fallback to a local
 * socket, whose error names neither input. (Behind a prefix, the host script checks the variable.)
 */
function hostLocation(targets: TargetSettings): Location {
  const prefix = commandPrefix();
  const urlVariable = identifier('url-variable', 'DATABASE_URL');
  if (targets.target === 'local' && prefix.length === 0) {
    const fromEnvironment = process.env[urlVariable];
    if (!fromEnvironment) {
      throw new ConfigurationError(
        "Input 'database-url' is empty, and with target 'local' and no 'command-prefix' there is no other way to " +
          `the database (${urlVariable}, named by 'url-variable', is not set on the runner either). Pass the ` +
          "database's postgres:// URL in 'database-url'; if it comes from a secret, check that the secret is " +
          'defined for this repository or environment (an undefined secret is an empty string).',
      );
    }
    mask(fromEnvironment);
    maskUrlPassword(fromEnvironment);
    log.info(
      `db-bootstrap: 'database-url' is empty; the tools read ${urlVariable} from the runner's environment.`,
    );
  }
  return { kind: 'host', prefix, urlVariable, targets };
}

function revision(name: string): string | undefined {
  const value = input.optionalString(name);
  if (value !== undefined && !REVISION.test(value)) {
    throw new ConfigurationError(
      `Input '${name}' must be a revision id (letters, digits and _.:@+-, starting with a letter or digit), got '${value}'.`,
    );
  }
  return value;
}

function identifier(name: string, defaultValue: string): string {
  const value = input.optionalString(name) ?? defaultValue;
  if (!IDENTIFIER.test(value)) {
    throw new ConfigurationError(
      `Input '${name}' must be a plain name (letters, digits, _), got '${value}'.`,
    );
  }
  return value;
}

/** Words of a command, split on spaces: they reach the host as argv, so shell syntax is refused. */
function commandPrefix(): string[] {
  const value = input.optionalString('command-prefix') ?? '';
  if (/['"`$;&|<>(){}\\\n]/.test(value)) {
    throw new ConfigurationError(
      "Input 'command-prefix' must be plain words separated by spaces (e.g. 'docker compose exec -T web'); " +
        'quotes, $, ;, |, &, redirections and backslashes are not allowed.',
    );
  }
  return value.split(/\s+/).filter((word) => word !== '');
}

/** The preset's commands, each replaceable by an input; `custom` needs them all. */
function toolCommands(tool: PresetName): ToolCommands {
  const preset = tool === 'custom' ? undefined : PRESETS[tool];
  const pick = (name: string, fallback: string | undefined, required: boolean): string => {
    const value = input.optionalString(name) ?? fallback;
    if (value === undefined && required) {
      throw new ConfigurationError(`Input '${name}' is required with tool 'custom'.`);
    }
    return value ?? '';
  };
  const versionTable = pick('version-table', preset?.versionTable, true);
  if (!IDENTIFIER.test(versionTable)) {
    throw new ConfigurationError(`Input 'version-table' must be a plain table name, got '${versionTable}'.`);
  }
  return {
    versionTable,
    versionQuery: pick('version-query', preset?.versionQuery, true),
    stamp: pick('stamp-command', preset?.stamp, false),
    migrate: pick('migrate-command', preset?.migrate, true),
    head: pick('head-command', preset?.head, false),
  };
}
