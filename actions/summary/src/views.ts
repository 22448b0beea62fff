import { shortSha } from '@gatehouse/action-kit/short-sha';
import {
  type ActionName,
  attemptsOf,
  type JobRecords,
  latestOf,
  type RecordProblem,
  type ResultRecord,
} from '@gatehouse/records';

/**
 * What the summary knows about the job: the other actions' records, as their types say (read and
 * checked by @gatehouse/records), arranged as the summary tells it.
 */
export interface RefView {
  environment?: string;
  event?: string;
  githubRef?: string;
  githubRefName?: string;
  inputRef?: string;
  ref?: string;
  refName?: string;
  source?: string;
  sha?: string;
  imageTag?: string;
}

/** One run of a gate: the first before any rollback, and again after it. */
export interface GateAttempt<R> {
  record: R;
  attempt: number;
  step: string | null;
  /** Ran after this job's rollback: it judges the version rolled back to. */
  afterRollback: boolean;
  ok: boolean;
}

/** One step that left a record, with its own start and end. */
export interface StepView {
  action: ActionName;
  attempt: number;
  step: string | null;
  startedAt: number;
  finishedAt: number;
  ok: boolean;
  /** `summary` (start), `smoke-check (attempt 2, after the rollback)`… */
  label: string;
}

export interface JobView {
  ref: RefView;
  preflight?: ResultRecord<'preflight'>;
  database?: ResultRecord<'db-bootstrap'>;
  deploy?: ResultRecord<'deploy-ssm'>;
  rollback?: ResultRecord<'rollback'>;
  smoke: GateAttempt<ResultRecord<'smoke-check'>>[];
  deep: GateAttempt<ResultRecord<'health-deep-gate'>>[];
  steps: StepView[];
  /** Records that could not be read: shown, never dropped. */
  problems: RecordProblem[];
}

export { shortSha };

/** The hosts whose deploy failed: not those a stopped rollout never sent it to (NotSent). */
export function failedHosts(
  rows: readonly { host: string; status: string; statusDetails: string }[],
): string[] {
  return rows.filter((h) => h.status !== 'Success' && h.statusDetails !== 'NotSent').map((h) => h.host);
}

/** A version in a few characters: `4b825dc`, `4b825dc · tag v1.2`, or the tag alone. */
export function versionText(
  version: { sha: string | null; imageTag: string | null; ref?: string | null } | null | undefined,
): string | undefined {
  if (!version) return undefined;
  const sha = shortSha(version.sha);
  if (sha && version.imageTag) return `${sha} · tag ${version.imageTag}`;
  return sha ?? (version.imageTag ? `tag ${version.imageTag}` : (version.ref ?? undefined));
}

/** The step's id as the workflow names it; the runner's own names (`__run`, `__owner_repo`) say nothing. */
function stepId(record: ResultRecord): string | null {
  return record.step && !record.step.startsWith('__') ? record.step : null;
}

function stepOk(record: ResultRecord): boolean {
  switch (record.action) {
    case 'preflight':
    case 'smoke-check':
      return record.passed;
    case 'db-bootstrap':
      return record.status === 'succeeded';
    case 'deploy-ssm':
    case 'rollback':
      return record.status !== 'failed';
    case 'health-deep-gate':
      return record.verdict === 'pass';
    default:
      return true;
  }
}

function gateAttempts<A extends 'smoke-check' | 'health-deep-gate'>(
  job: JobRecords,
  action: A,
  rollback: ResultRecord<'rollback'> | undefined,
): GateAttempt<ResultRecord<A>>[] {
  return attemptsOf(job, action).map((record) => ({
    record,
    attempt: record.attempt,
    step: stepId(record),
    afterRollback: rollback !== undefined && record.startedAt >= rollback.startedAt,
    ok: stepOk(record),
  }));
}

function stepLabel(record: ResultRecord, job: JobRecords, afterRollback: boolean): string {
  if (record.action === 'summary') return `summary (${record.phase})`;
  const several = attemptsOf(job, record.action).length > 1;
  const parts = [
    several ? `attempt ${record.attempt}` : undefined,
    afterRollback ? 'after the rollback' : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? `${record.action} (${parts.join(', ')})` : record.action;
}

function readRef(job: JobRecords): RefView {
  const resolved = latestOf(job, 'resolve-ref');
  const deploy = latestOf(job, 'deploy-ssm');
  const rollback = latestOf(job, 'rollback');
  return {
    environment: resolved?.environment ?? deploy?.environment ?? rollback?.environment,
    event: resolved?.event,
    githubRef: resolved?.githubRef,
    githubRefName: resolved?.githubRefName,
    inputRef: resolved?.inputRef || undefined,
    ref: resolved?.ref ?? deploy?.version.ref ?? undefined,
    refName: resolved?.refName,
    source: resolved?.source,
    sha: resolved?.sha ?? deploy?.version.sha ?? undefined,
    imageTag: deploy?.version.imageTag ?? undefined,
  };
}

export function readJob(job: JobRecords): JobView {
  const rollback = latestOf(job, 'rollback');
  const steps = job.records
    // The finish step is this one, still running.
    .filter((record) => !(record.action === 'summary' && record.phase === 'finish'))
    .map((record): StepView => {
      const afterRollback =
        rollback !== undefined && record !== rollback && record.startedAt >= rollback.startedAt;
      return {
        action: record.action,
        attempt: record.attempt,
        step: stepId(record),
        startedAt: Date.parse(record.startedAt),
        finishedAt: Date.parse(record.finishedAt),
        ok: stepOk(record),
        label: stepLabel(record, job, afterRollback),
      };
    });
  return {
    ref: readRef(job),
    preflight: latestOf(job, 'preflight'),
    database: latestOf(job, 'db-bootstrap'),
    deploy: latestOf(job, 'deploy-ssm'),
    rollback,
    smoke: gateAttempts(job, 'smoke-check', rollback),
    deep: gateAttempts(job, 'health-deep-gate', rollback),
    steps,
    problems: job.problems,
  };
}

/** The attempts that judged the deploy itself, and those that judged the version rolled back to. */
export function beforeRollback<R>(attempts: readonly GateAttempt<R>[]): GateAttempt<R>[] {
  return attempts.filter((a) => !a.afterRollback);
}

export function afterRollback<R>(attempts: readonly GateAttempt<R>[]): GateAttempt<R>[] {
  return attempts.filter((a) => a.afterRollback);
}
