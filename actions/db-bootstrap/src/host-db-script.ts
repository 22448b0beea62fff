import { shellScript } from '@gatehouse/command-runner';
import { LOCK_SQL_KEY, OBJECTS_SQL, TABLES_SQL } from './database';

/**
 * The bash that `host-database.ts` sends to a host: the values as quoted assignments, then
 * `host-db-common.sh` and the script's own `.sh`. The command prefix arrives as an array of words
 * (argv, never shell text); tool commands as values, run whole by `sh -c` behind the prefix, as
 * the workflow author wrote them.
 */
export interface HostScriptValues {
  appDir: string;
  prefix: string[];
  urlVariable: string;
  versionTable: string;
  versionQuery: string;
}

/** Marks result lines so they cannot be confused with a tool's own output. */
export const MARK = '@@gatehouse-db';

const COMMON = new URL('./host-db-common.sh', import.meta.url);

function commonValues(values: HostScriptValues): Record<string, string | string[]> {
  return {
    MARK,
    APP_DIR: values.appDir,
    PREFIX: values.prefix,
    URL_VARIABLE: values.urlVariable,
    TABLES_SQL: `SELECT coalesce(string_agg(relname, ',' ORDER BY relname), '') FROM (${TABLES_SQL}) AS t`,
    VERSION_TABLE: values.versionTable,
    VERSION_SQL: versionLineSql(values.versionQuery),
  };
}

/** The tool's version query as one line: several rows (alembic branches) joined by commas. */
export function versionLineSql(versionQuery: string): string {
  return `SELECT coalesce(string_agg(v::text, ','), '') FROM (${versionQuery}) AS q(v)`;
}

/** `OBJECTS_SQL` one hex-encoded statement a line, so no name can break the line format. */
const OBJECTS_HEX_SQL = `SELECT coalesce(string_agg(encode(convert_to(stmt, 'UTF8'), 'hex'), E'\\n' ORDER BY stmt), '') FROM (${OBJECTS_SQL}) AS o`;

/** Read only: the tables and the tool's version, between `snapshot-begin` and `snapshot-end`. */
export function snapshotScript(values: HostScriptValues): string {
  return shellScript({
    purpose: 'db-bootstrap, read the schema (read only)',
    values: commonValues(values),
    bodies: [COMMON, new URL('./host-db-snapshot.sh', import.meta.url)],
  });
}

/** One of the tool's own commands, behind the prefix. */
export function toolScript(values: HostScriptValues, command: string): string {
  return shellScript({
    purpose: "db-bootstrap, one of the tool's commands",
    values: { ...commonValues(values), TOOL_COMMAND: command },
    bodies: [COMMON, new URL('./host-db-tool.sh', import.meta.url)],
  });
}

export interface HostApplyValues {
  expectedRawSnapshot: string;
  lockTimeoutMs: number;
  backup?: { dir: string; prefix: string; timestamp: string; keep: number };
  stamp?: string;
  migrate?: string;
}

/**
 * Under the advisory lock: re-check the snapshot, back up and verify, stamp, migrate, then list
 * what the backup does not hold (`host-db-apply.sh` says how, and which marks it prints).
 */
export function applyScript(values: HostScriptValues, apply: HostApplyValues): string {
  return shellScript({
    purpose: 'db-bootstrap, back up and migrate under the lock',
    values: {
      ...commonValues(values),
      EXPECTED: apply.expectedRawSnapshot,
      OBJECTS_SQL: OBJECTS_HEX_SQL,
      LOCK_KEY_SQL: LOCK_SQL_KEY,
      LOCK_TIMEOUT_MS: String(Math.max(1, Math.round(apply.lockTimeoutMs))),
      BACKUP: apply.backup ? 'true' : 'false',
      BACKUP_DIR: apply.backup?.dir ?? '',
      BACKUP_NAME: apply.backup?.prefix ?? '',
      BACKUP_TIMESTAMP: apply.backup?.timestamp ?? '',
      BACKUP_KEEP: String(apply.backup?.keep ?? 0),
      STAMP_COMMAND: apply.stamp ?? '',
      MIGRATE_COMMAND: apply.migrate ?? '',
    },
    bodies: [COMMON, new URL('./host-db-apply.sh', import.meta.url)],
  });
}
