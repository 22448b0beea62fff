import type { DbBootstrapRecord } from '@gatehouse/records';

/**
 * Rollback never touches the database: code goes back, the schema stays. When db-bootstrap took a
 * backup before this deploy, a person deciding whether to restore it needs its path and the command.
 */
export function databaseNote(record: DbBootstrapRecord | undefined): string | undefined {
  if (!record?.backupFile || !record.restoreCommand) return undefined;
  return (
    `The database was not rolled back (rollback never changes it). db-bootstrap took a backup before this deploy: ${record.backupFile}. ` +
    `If the restored code cannot run on the current schema, restore it with: ${record.restoreCommand}`
  );
}
