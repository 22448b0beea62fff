import { arrayOf, fields, type Infer, nullable, oneOf, string } from '../shape';

export const ACTIONS_TAKEN = [
  'none',
  'verified',
  'baseline-stamped',
  'migrated',
  'baseline-stamped-and-migrated',
  'refused',
  'failed',
] as const;
export type ActionTaken = (typeof ACTIONS_TAKEN)[number];

/** db-bootstrap: the schema before and after, the backup taken first, and how to put it back. */
export const dbBootstrapRecord = fields({
  status: oneOf('succeeded', 'failed'),
  /** Why it failed, in one line. */
  reason: nullable(string),
  mode: oneOf('apply', 'verify'),
  tool: string,
  /** null when the run stopped before it could look at the database. */
  schemaState: nullable(oneOf('empty', 'legacy', 'versioned')),
  actionTaken: oneOf(...ACTIONS_TAKEN),
  versionBefore: nullable(string),
  versionAfter: nullable(string),
  targetVersion: nullable(string),
  /** The migrations not applied before this run, when the tool lists them. */
  pendingBefore: nullable(arrayOf(string)),
  backupFile: nullable(string),
  /** Puts the database back as the backup has it; null when no backup was taken. */
  restoreCommand: nullable(string),
  /** What this run created that pg_restore --clean alone would leave; null when it could not be listed. */
  leftovers: nullable(arrayOf(string)),
  /** The step whose command failed (stamp, migrate, …). */
  failedStep: nullable(string),
});
export type DbBootstrapRecord = Infer<typeof dbBootstrapRecord>;

/** Whether the run changed the schema: after it, the database is no longer as the backup has it. */
export function schemaChanged(record: DbBootstrapRecord): boolean {
  return record.versionBefore !== record.versionAfter;
}
