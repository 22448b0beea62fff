import {
  type DbBootstrapRecord,
  type DeploySsmRecord,
  latestOf,
  type ResolveRefRecord,
  readRecords,
  resultRecordDir,
} from '@gatehouse/records';

/** What rollback reads of the earlier steps of its job (none when it was dispatched on its own). */
export interface EarlierSteps {
  resolveRef?: ResolveRefRecord;
  /** Which hosts the deploy changed, and the run whose changes are undone. */
  deploy?: DeploySsmRecord;
  /** The backup taken before the migration, and how to restore it. */
  database?: DbBootstrapRecord;
}

/**
 * The newest of each. A record that cannot be read is left out with a warning: without deploy-ssm's,
 * the hosts' own deploy-state.json says which run to undo, as for a rollback dispatched later.
 */
export function readEarlierSteps(warn: (message: string) => void, dir = resultRecordDir()): EarlierSteps {
  if (!dir) return {};
  const job = readRecords(dir);
  for (const { file, problem } of job.problems) {
    warn(`The result record ${file} ${problem}; rollback leaves it out.`);
  }
  return {
    resolveRef: latestOf(job, 'resolve-ref'),
    deploy: latestOf(job, 'deploy-ssm'),
    database: latestOf(job, 'db-bootstrap'),
  };
}
