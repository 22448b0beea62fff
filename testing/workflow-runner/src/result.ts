import type { Annotation, LogLine } from '@gatehouse/runner-harness';
import type { ArtifactStore } from './artifact-store';
import type { WorkflowEvent } from './events';
import type { Permissions } from './permissions';

/** A job's or a run's conclusion, as GitHub names it. */
export type Conclusion = 'success' | 'failure' | 'cancelled' | 'skipped';

export interface StepRun {
  /** Where the step is declared: `<file>#jobs.<job>.steps[<index>]` (see `listDeclaredSteps`). */
  key: string;
  /** The job (key) that ran it. */
  job: string;
  /** `pre` and `post` run as steps of their own, at the start and end of the job. */
  phase: 'pre' | 'main' | 'post';
  /** The display name (`name:` evaluated, or `Run <command>`; `Pre …`/`Post …` for those phases). */
  name: string;
  /** The `id` the author wrote, if any. */
  id?: string;
  /** `uses:` as written, or the script of `run:` as evaluated. */
  uses?: string;
  run?: string;
  /** False when its condition said no (or the job was cancelled before it). */
  ran: boolean;
  /** The condition that skipped it, as evaluated (with the implicit `success() &&`). */
  skippedBy?: string;
  /** Before `continue-on-error`. */
  outcome: Conclusion;
  /** After `continue-on-error`. */
  conclusion: Conclusion;
  outputs: Record<string, string>;
  /** What the step wrote to the log, masked, as the runner shows it. */
  log: string[];
  annotations: Annotation[];
  durationMs: number;
}

export interface JobRun {
  /** `deploy`, or `deploy/deploy` for the `deploy` job of a workflow the `deploy` job called. */
  key: string;
  /** The job's id in its file. */
  id: string;
  /** The file declaring it (relative to the repository). */
  workflow: string;
  /** The caller job's key, for a job of a called workflow. */
  calledBy?: string;
  name: string;
  result: Conclusion;
  /** The `if` that skipped it, as evaluated. */
  skippedBy?: string;
  outputs: Record<string, string>;
  permissions: Permissions;
  environment?: { name: string; url?: string };
  /** Recorded, not enforced. */
  runsOn?: unknown;
  concurrency?: { group: string; cancelInProgress: boolean };
  /** Steps in the order they ran or were skipped, `pre` and `post` included. */
  steps: StepRun[];
  /** The job summary: each step's `GITHUB_STEP_SUMMARY`, in order (masked). */
  summary: string;
  /** Errors, warnings and notices of the job itself (not of a step: a timeout, a bad `with:`). */
  annotations: Annotation[];
  /** The job's `GITHUB_WORKSPACE`, left on disk after the run (empty for a job that did not run steps). */
  workspace: string;
}

export interface RunResult {
  workflow: { name: string; file: string };
  event: WorkflowEvent;
  runId: number;
  runNumber: number;
  runAttempt: number;
  conclusion: Exclude<Conclusion, 'skipped'>;
  /** The workflow's own `concurrency`, evaluated (recorded, not enforced). */
  concurrency?: { group: string; cancelInProgress: boolean };
  /** Every job in the order it finished: the jobs of a called workflow come before their caller job. */
  jobs: JobRun[];
  /** The whole log a person would read, masked: `<job> | <line>`. */
  log: string;
  /** Each job's summary, in order, for jobs that wrote one. */
  summaries: { job: string; markdown: string }[];
  artifacts: ArtifactStore;
}

/** One line of the live log. */
export interface RunLogLine extends LogLine {
  /** The job key. */
  job: string;
  /** The step's display name, if the line belongs to a step. */
  step?: string;
}

/** Finds a job by key; throws with the keys there are, so a test failure says what ran. */
export function jobOf(result: RunResult, key: string): JobRun {
  const job = result.jobs.find((j) => j.key === key);
  if (!job) throw new Error(`No job '${key}' in the run; jobs: ${result.jobs.map((j) => j.key).join(', ')}`);
  return job;
}

/** Finds a main step of a job by `id` or display name. */
export function stepOf(job: JobRun, idOrName: string): StepRun {
  const step = job.steps.find((s) => s.phase === 'main' && (s.id === idOrName || s.name === idOrName));
  if (!step) {
    const known = job.steps.filter((s) => s.phase === 'main').map((s) => s.id ?? s.name);
    const notes = job.annotations.map((a) => `${a.level}: ${a.message}`).join('; ');
    throw new Error(
      `No step '${idOrName}' in job '${job.key}' (${job.result}${notes ? `, ${notes}` : ''}); steps: ${known.join(', ')}`,
    );
  }
  return step;
}
