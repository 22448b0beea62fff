import type { StubRepository } from './repository';

/**
 * Check runs and commit statuses of commits (docs: REST "Check runs", "Commit statuses"). A test
 * seeds them and changes them over time, either explicitly (`updateCheckRun`) or with `steps`: each
 * listing that includes the check run moves it one step on, so a client polling for completion
 * sees queued → in_progress → completed without any clock.
 */
export type CheckStatus = 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
export type CheckConclusion =
  | 'success'
  | 'failure'
  | 'neutral'
  | 'cancelled'
  | 'skipped'
  | 'timed_out'
  | 'action_required';

export interface CheckRunStep {
  status: CheckStatus;
  conclusion?: CheckConclusion;
}

export interface CheckRunSeed {
  id?: number;
  name: string;
  head_sha: string;
  status?: CheckStatus;
  conclusion?: CheckConclusion | null;
  /** Applied one per listing that returns this check run, in order. */
  steps?: CheckRunStep[];
  /** The app that made it; default GitHub Actions. */
  app?: { id: number; slug: string; name: string };
  details_url?: string | null;
  external_id?: string | null;
  output?: { title?: string | null; summary?: string | null; text?: string | null };
}

export interface StoredCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: CheckStatus;
  conclusion: CheckConclusion | null;
  started_at: string | null;
  completed_at: string | null;
  steps: CheckRunStep[];
  app: { id: number; slug: string; name: string } | undefined;
  details_url: string | null;
  external_id: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  check_suite_id: number;
}

export interface CommitStatusSeed {
  sha: string;
  context: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  description?: string | null;
  target_url?: string | null;
}

export interface StoredCommitStatus extends Required<CommitStatusSeed> {
  id: number;
  created_at: string;
  updated_at: string;
}

export class ChecksStore {
  readonly checkRuns: StoredCheckRun[] = [];
  readonly statuses: StoredCommitStatus[] = [];
  private nextCheckRunId = 20_000_001;

  constructor(private readonly repo: StubRepository) {}

  addCheckRun(seed: CheckRunSeed): StoredCheckRun {
    const { at } = this.repo.nextTime();
    const status = seed.status ?? 'completed';
    const run: StoredCheckRun = {
      id: seed.id ?? this.nextCheckRunId++,
      name: seed.name,
      head_sha: seed.head_sha.toLowerCase(),
      status,
      conclusion:
        seed.conclusion === undefined ? (status === 'completed' ? 'success' : null) : seed.conclusion,
      started_at: status === 'queued' ? null : at,
      completed_at: status === 'completed' ? at : null,
      steps: [...(seed.steps ?? [])],
      app: seed.app,
      details_url: seed.details_url ?? null,
      external_id: seed.external_id ?? null,
      output: { title: null, summary: null, text: null, ...seed.output },
      check_suite_id: 30_000_000 + this.checkRuns.length,
    };
    this.repo.addCommit(run.head_sha);
    this.checkRuns.push(run);
    return run;
  }

  /** Moves a check run on: `started_at` when it starts, `completed_at` and a conclusion when it completes. */
  updateCheckRun(id: number, step: CheckRunStep): StoredCheckRun {
    const run = this.checkRuns.find((candidate) => candidate.id === id);
    if (!run) throw new Error(`github-api-stub: no check run ${id}`);
    const { at } = this.repo.nextTime();
    if (step.status === 'completed' && !step.conclusion) {
      throw new Error('github-api-stub: a completed check run needs a conclusion');
    }
    run.status = step.status;
    run.conclusion = step.status === 'completed' ? step.conclusion! : null;
    if (step.status !== 'queued' && !run.started_at) run.started_at = at;
    run.completed_at = step.status === 'completed' ? at : null;
    return run;
  }

  /** A listing returned these check runs: each with steps left moves one on. */
  advance(runs: StoredCheckRun[]): void {
    for (const run of runs) {
      const step = run.steps.shift();
      if (step) this.updateCheckRun(run.id, step);
    }
  }

  addStatus(seed: CommitStatusSeed): StoredCommitStatus {
    const { id, at } = this.repo.nextTime();
    const status: StoredCommitStatus = {
      id,
      sha: seed.sha.toLowerCase(),
      context: seed.context,
      state: seed.state,
      description: seed.description ?? null,
      target_url: seed.target_url ?? null,
      created_at: at,
      updated_at: at,
    };
    this.repo.addCommit(status.sha);
    this.statuses.push(status);
    return status;
  }
}
