/**
 * Where the database is reached: with the `pg` driver and local tools on the runner, or through
 * the command runner on a host, behind a command prefix. `run.ts` plans against this interface
 * and never knows which one it has.
 */
export interface Snapshot {
  /** User tables of the current schema, sorted; includes the version table when present. */
  tables: string[];
  versionTableExists: boolean;
  /** The applied version(s), comma-joined; undefined without a version table or rows. */
  version: string | undefined;
}

export interface ToolRun {
  exitCode: number;
  /** Combined output, tail only: it may be long. */
  output: string;
}

export interface BackupPlan {
  dir: string;
  /** File name prefix; files are `<prefix>-<UTC timestamp>.dump`. */
  prefix: string;
  timestamp: string;
  keep: number;
}

export interface Backup {
  file: string;
  bytes: number;
  /** Entries `pg_restore --list` read from the file: the verification. */
  entries: number;
  restoreCommand: string;
  removed: string[];
}

export interface ApplyRequest {
  /** Checked again under the lock: if another run changed the database meanwhile, nothing is done. */
  expected: Snapshot;
  backup?: BackupPlan;
  stamp?: string;
  migrate?: string;
}

export interface ApplyOutcome {
  backup?: Backup;
  stamped: boolean;
  /** Set when the stamp or migrate command failed. */
  failed?: { step: 'stamp' | 'migrate'; run: ToolRun };
  /** The database no longer matched `expected` once the lock was held. */
  changedMeanwhile?: Snapshot;
}

export interface Database {
  /** `host 127.0.0.1:5432, database app` or `i-0abc (behind 'docker compose exec -T web')`: no secrets. */
  readonly where: string;
  snapshot(): Promise<Snapshot>;
  /** A read-only tool command (the head lookup). */
  tool(command: string): Promise<ToolRun>;
  /** Under the advisory lock: re-check, back up and verify, stamp, migrate. */
  apply(request: ApplyRequest): Promise<ApplyOutcome>;
  close(): Promise<void>;
}

/** One lock key for every db-bootstrap, whatever the tool: `hashtext('gatehouse:db-bootstrap')`. */
export const LOCK_SQL_KEY = "hashtext('gatehouse:db-bootstrap')";

export function sameSnapshot(a: Snapshot, b: Snapshot): boolean {
  return (
    a.versionTableExists === b.versionTableExists &&
    a.version === b.version &&
    a.tables.join(',') === b.tables.join(',')
  );
}

export const TABLES_SQL = `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname`;

/** Backup file names sort by time, so the newest are the last in name order. */
export function backupsToRemove(names: readonly string[], prefix: string, keep: number): string[] {
  const ours = names.filter((name) => name.startsWith(`${prefix}-`) && name.endsWith('.dump')).sort();
  return ours.slice(0, Math.max(0, ours.length - keep));
}

export function lastLineFirstWord(text: string): string | undefined {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return lines.at(-1)?.split(/\s+/)[0];
}

export function tail(text: string, max = 4000): string {
  return text.length > max ? `…${text.slice(-max)}` : text;
}
