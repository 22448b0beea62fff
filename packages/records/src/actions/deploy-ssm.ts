import { changedHost, deployEntry, hostRow, planRow, version, wave } from '../rollout';
import { arrayOf, boolean, fields, type Infer, nullable, oneOf, string } from '../shape';

/** deploy-ssm: the rollout, wave by wave and host by host, and what each host ran before. */
export const deploySsmRecord = fields({
  status: oneOf('success', 'failed', 'dry-run'),
  dryRun: boolean,
  environment: string,
  mode: oneOf('git', 'image'),
  /** What was deployed, as asked. */
  version,
  /** Every SSM command sent, in order (or the local runs' ids). */
  commandIds: arrayOf(string),
  /** The workflow run, as written into each host's deploy-state.json entry. */
  runId: string,
  hosts: arrayOf(string),
  /** What each host checked after its change, in words; empty when nothing was. */
  verification: string,
  waves: arrayOf(wave),
  /** Exactly the hosts this run changed: the ones a rollback moves back. */
  changedHosts: arrayOf(changedHost),
  /** The entry the hosts now run, as one of them recorded it. */
  deployed: nullable(deployEntry),
  /** What the changed hosts ran before (the first of them, when they differ). */
  previous: nullable(deployEntry),
  /** True when the changed hosts ran different versions before. */
  previousDiffers: boolean,
  results: arrayOf(hostRow),
  /** A dry run's plan; empty otherwise. */
  plan: arrayOf(planRow),
});
export type DeploySsmRecord = Infer<typeof deploySsmRecord>;
