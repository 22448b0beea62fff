import { changedHost, deployEntry, hostRow, planRow, version, wave } from '../rollout';
import { arrayOf, boolean, fields, type Infer, nullable, oneOf, string } from '../shape';

/** rollback: which hosts went back to which version, and why. */
export const rollbackRecord = fields({
  status: oneOf('success', 'failed', 'dry-run'),
  dryRun: boolean,
  /** `hosts`: the deploy host script on each host; `platform`: the platform's own command on the runner. */
  kind: oneOf('hosts', 'platform'),
  environment: string,
  region: nullable(string),
  /** The version gone back to; null when there was nothing to roll back. */
  rolledBackTo: nullable(version),
  /** Why it ran, as the workflow said (`health-deep-gate verdict critical`). */
  reason: nullable(string),
  /** The run whose changes it undid. */
  undoes: nullable(string),
  /** Why nothing was done, when nothing was. */
  nothing: nullable(string),
  commandIds: arrayOf(string),
  verification: string,
  waves: arrayOf(wave),
  changedHosts: arrayOf(changedHost),
  /** The entry the hosts now run, as one of them recorded it. */
  deployed: nullable(deployEntry),
  results: arrayOf(hostRow),
  plan: arrayOf(planRow),
});
export type RollbackRecord = Infer<typeof rollbackRecord>;
