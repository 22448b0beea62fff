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
  /** Standard output alone: what a read-only command (the head) is read from. */
  stdout: string;
  /** Standard output and error as they came, tail only, credentials redacted: shown to people. */
  output: string;
  /** It outlasted 'timeout' and was stopped, with everything it started. */
  timedOut?: boolean;
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
  removed: string[];
}

export type Step = 'stamp' | 'migrate';

export interface ApplyRequest {
  /** Checked again under the lock: if another run changed the database meanwhile, nothing is done. */
  expected: Snapshot;
  backup?: BackupPlan;
  stamp?: string;
  migrate?: string;
}

export interface StepRun {
  step: Step;
  command: string;
  run: ToolRun;
}

export interface ApplyOutcome {
  /** Another bootstrap held the advisory lock for all of 'lock-timeout': nothing was done. */
  lockTimedOut?: boolean;
  /** The database no longer matched `expected` once the lock was held: nothing was done. */
  changedMeanwhile?: Snapshot;
  backup?: Backup;
  /** The script stopped before its end (killed, timed out): what happened, for the message. */
  interrupted?: string;
  /** The stamp and migrate commands that ran to their end, in order; a failed one is the last. */
  steps: StepRun[];
  /**
   * With a backup: `DROP … IF EXISTS … CASCADE` for each object the database holds now that the
   * backup does not (made after it, e.g. the stamp's version table). `pg_restore --clean` leaves
   * them behind. Undefined when they could not be listed.
   */
  leftovers?: string[];
}

export interface Database {
  /** `host 127.0.0.1:5432, database app` or `i-0abc (behind 'docker compose exec -T web')`: no secrets. */
  readonly where: string;
  snapshot(): Promise<Snapshot>;
  /** A read-only tool command (the head lookup). */
  tool(command: string): Promise<ToolRun>;
  /** Under the advisory lock: re-check, back up and verify, stamp, migrate, list leftovers. */
  apply(request: ApplyRequest): Promise<ApplyOutcome>;
  /**
   * The command a person runs to put the database back as it was before this run: the leftovers
   * dropped, then the backup restored whole, in one transaction. It holds no password.
   */
  restoreCommand(backup: Backup, leftovers: readonly string[]): string;
  close(): Promise<void>;
}

/** The step that failed, if one did: always the last that ran. */
export function failedStep(outcome: ApplyOutcome): StepRun | undefined {
  const last = outcome.steps.at(-1);
  return last && last.run.exitCode !== 0 ? last : undefined;
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

/**
 * Every object a migration may create that `DROP … CASCADE` removes whole, in every user schema,
 * as the statement that drops it (column `stmt`, sorted): schemas, tables, views, sequences,
 * types, domains, routines and extensions. Left out: what goes with its owner (a serial's sequence,
 * a partition, a range's constructor, an extension's members, a table's row type), and `public`,
 * which a restore needs.
 */
export const OBJECTS_SQL = `WITH user_schema AS (
  SELECT oid, nspname FROM pg_namespace
  WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'
), bound AS (
  SELECT classid, objid FROM pg_depend
  WHERE deptype IN ('e', 'i', 'a') AND (refclassid, refobjid) <> (classid, objid)
)
SELECT stmt FROM (
  SELECT format('DROP SCHEMA IF EXISTS %I CASCADE', s.nspname) AS stmt FROM user_schema s
  WHERE s.nspname <> 'public'
    AND NOT EXISTS (SELECT 1 FROM bound b WHERE b.classid = 'pg_namespace'::regclass AND b.objid = s.oid)
  UNION ALL
  SELECT format('DROP %s IF EXISTS %I.%I CASCADE', CASE c.relkind WHEN 'v' THEN 'VIEW'
      WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
    s.nspname, c.relname)
  FROM pg_class c JOIN user_schema s ON s.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
    AND NOT EXISTS (SELECT 1 FROM bound b WHERE b.classid = 'pg_class'::regclass AND b.objid = c.oid)
  UNION ALL
  SELECT format('DROP %s IF EXISTS %I.%I CASCADE', CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END,
    s.nspname, t.typname)
  FROM pg_type t JOIN user_schema s ON s.oid = t.typnamespace
  WHERE t.typtype IN ('c', 'd', 'e', 'r')
    AND (t.typrelid = 0 OR (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
    AND NOT EXISTS (SELECT 1 FROM bound b WHERE b.classid = 'pg_type'::regclass AND b.objid = t.oid)
  UNION ALL
  SELECT format('DROP ROUTINE IF EXISTS %I.%I(%s) CASCADE', s.nspname, p.proname,
    pg_get_function_identity_arguments(p.oid))
  FROM pg_proc p JOIN user_schema s ON s.oid = p.pronamespace
  WHERE NOT EXISTS (SELECT 1 FROM bound b WHERE b.classid = 'pg_proc'::regclass AND b.objid = p.oid)
  UNION ALL
  SELECT format('DROP EXTENSION IF EXISTS %I CASCADE', e.extname) FROM pg_extension e
) AS objects ORDER BY stmt`;

/** What `after` holds that `before` did not, in `after`'s order. */
export function leftoversOf(before: readonly string[], after: readonly string[]): string[] {
  const had = new Set(before);
  return after.filter((object) => !had.has(object));
}

/** Backup file names sort by time, so the newest are the last in name order. */
export function backupsToRemove(names: readonly string[], prefix: string, keep: number): string[] {
  const ours = names.filter((name) => name.startsWith(`${prefix}-`) && name.endsWith('.dump')).sort();
  return ours.slice(0, Math.max(0, ours.length - keep));
}

/** A backup's `.partial` file left by a run killed while writing it; swept under the lock. */
export function isStalePartial(name: string, prefix: string): boolean {
  return name.startsWith(`${prefix}-`) && name.endsWith('.dump.partial');
}

export function tail(text: string, max = 4000): string {
  return text.length > max ? `…${text.slice(-max)}` : text;
}

/** How much of a tool's output is kept to show: enough for a long migration's log. */
export const OUTPUT_KEPT = 20_000;
