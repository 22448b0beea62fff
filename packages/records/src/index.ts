/**
 * The result records Gatehouse's actions hand each other in `$RUNNER_TEMP/gatehouse/`: each
 * action's record type, defined once as a shape that both its writer and its readers (summary,
 * rollback) use; the schema version every record carries; the writer that keeps every attempt of
 * a gate run twice; and the reader that checks each record and reports the ones it cannot read.
 */
export {
  ACTIONS_TAKEN,
  type ActionTaken,
  type DbBootstrapRecord,
  schemaChanged,
} from './actions/db-bootstrap';
export type { DeploySsmRecord } from './actions/deploy-ssm';
export {
  type DependencyRow,
  HEALTH_STATES,
  type HealthDeepGateRecord,
  type HealthState,
} from './actions/health-deep-gate';
export type {
  PreflightAttempt,
  PreflightCheck,
  PreflightHost,
  PreflightHostVersion,
  PreflightRecord,
} from './actions/preflight';
export type { ResolveRefRecord } from './actions/resolve-ref';
export type { RollbackRecord } from './actions/rollback';
export type { SmokeCheckRecord, SmokeCheckRow } from './actions/smoke-check';
export { OUTCOMES, type Outcome, type SummaryRecord } from './actions/summary';
export {
  attemptsOf,
  type JobRecords,
  latestOf,
  type RecordProblem,
  readRecords,
  recordFileName,
  resultRecordDir,
  type WriteOptions,
  writeRecord,
} from './files';
export {
  ACTION_NAMES,
  type ActionName,
  type Envelope,
  type RecordBody,
  type ResultRecord,
  SCHEMA,
} from './registry';
export type { ChangedHost, DeployEntry, HostRow, PlanRow, Version, Wave } from './rollout';
