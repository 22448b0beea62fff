import { shellQuote } from '@gatehouse/command-runner';

/**
 * Rollback never touches the database: code goes back, the schema stays. When db-bootstrap took a
 * backup before this deploy, a person deciding whether to restore it needs its path and the command.
 */
export function databaseNote(record: Record<string, unknown> | undefined): string | undefined {
  if (!record) return undefined;
  const file = pick(record, 'backup-file', 'backupFile');
  if (!file) return undefined;
  const command =
    pick(record, 'restore-command', 'restoreCommand') ??
    `pg_restore --clean --if-exists --single-transaction --dbname "$DATABASE_URL" ${shellQuote(file)}`;
  return (
    `The database was not rolled back (rollback never changes it). db-bootstrap took a backup before this deploy: ${file}. ` +
    `If the restored code cannot run on the current schema, restore it with: ${command}`
  );
}

function pick(record: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = record[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}
