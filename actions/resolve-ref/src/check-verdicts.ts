import type { CheckRun, CommitChecks, CommitStatus } from '@gatehouse/github-client/commit-checks';
import type { RequiredChecks } from './required-checks';

/**
 * How `require-checks` judges what CI says about a commit, at one moment. Pure, so each rule is a
 * unit test; `checks-gate.ts` asks again until nothing is pending.
 */
export type CheckState = 'passed' | 'failed' | 'pending';

export interface CheckFinding {
  name: string;
  kind: 'check run' | 'commit status';
  state: CheckState;
  /** A completed check run's conclusion, a running one's status, or a commit status's state. */
  result: string;
  url: string | null;
}

export interface MissingCheck {
  name: string;
  why: string;
  /** It can never appear (it is a job of this very run), so waiting is pointless. */
  final: boolean;
}

export interface Judgement {
  /** The checks that count: every one on the commit (all), or those bearing a required name. */
  findings: CheckFinding[];
  missing: MissingCheck[];
  /**
   * Checks on the commit that are not required but still running. A required job that waits on
   * another (`needs:`) has no check run until it starts, so a missing name is waited for while
   * anything else runs.
   */
  othersRunning: number;
  /** This run's own jobs, left out: they are on the same commit and still in progress. */
  ownJobs: number;
}

export type Verdict = 'passed' | 'failed' | 'waiting';

/** What `all` accepts, as GitHub's branch protection does: the check ran and passed, or had nothing to do. */
const ACCEPTED_IN_ALL = new Set(['success', 'neutral', 'skipped']);

/** A GitHub Actions job's page: `…/actions/runs/<run_id>/job/<job_id>`. */
const ACTIONS_JOB_URL = /\/actions\/runs\/(\d+)\/job\/\d+(?:[?#].*)?$/;

/** Whether a check run is a job of workflow run `runId`: GitHub Actions made it, and its page is under that run. */
export function isJobOfRun(run: CheckRun, runId: string | undefined): boolean {
  if (!runId || run.app?.slug !== 'github-actions' || !run.details_url) return false;
  return ACTIONS_JOB_URL.exec(run.details_url)?.[1] === runId;
}

function checkRunFinding(run: CheckRun, accepted: ReadonlySet<string>): CheckFinding {
  const completed = run.status === 'completed';
  const result = completed ? (run.conclusion ?? 'no conclusion') : run.status;
  const state: CheckState = !completed ? 'pending' : accepted.has(result) ? 'passed' : 'failed';
  return { name: run.name, kind: 'check run', state, result, url: run.details_url ?? run.html_url };
}

function statusFinding(status: CommitStatus): CheckFinding {
  const state: CheckState =
    status.state === 'success' ? 'passed' : status.state === 'pending' ? 'pending' : 'failed';
  return { name: status.context, kind: 'commit status', state, result: status.state, url: status.target_url };
}

export function judge(
  checks: CommitChecks,
  required: RequiredChecks,
  ownRunId: string | undefined,
): Judgement {
  const own = checks.checkRuns.filter((run) => isJobOfRun(run, ownRunId));
  const others = checks.checkRuns.filter((run) => !isJobOfRun(run, ownRunId));
  if (required.kind === 'all') {
    const findings = [
      ...others.map((run) => checkRunFinding(run, ACCEPTED_IN_ALL)),
      ...checks.statuses.map(statusFinding),
    ];
    // Every one of no checks passed, but a commit CI never ran on did not pass CI.
    const missing: MissingCheck[] =
      findings.length === 0
        ? [
            {
              name: 'any check',
              why: "no check run or commit status is on the commit besides this run's own jobs, so nothing says CI passed",
              final: false,
            },
          ]
        : [];
    return { findings, missing, othersRunning: 0, ownJobs: own.length };
  }
  // A named check must have succeeded: skipped did not run, and neutral vouches for nothing.
  const succeeded = new Set(['success']);
  const wanted = new Set(required.names);
  const findings = [
    ...others.filter((run) => wanted.has(run.name)).map((run) => checkRunFinding(run, succeeded)),
    ...checks.statuses.filter((status) => wanted.has(status.context)).map(statusFinding),
  ];
  const missing = required.names
    .filter((name) => !findings.some((finding) => finding.name === name))
    .map((name): MissingCheck => {
      const ownJob = own.some((run) => run.name === name);
      return ownJob
        ? {
            name,
            why: 'it is a job of this workflow run itself, which cannot vouch for the commit',
            final: true,
          }
        : { name, why: 'no check run or commit status of this name is on the commit', final: false };
    });
  const othersRunning =
    others.filter((run) => !wanted.has(run.name) && run.status !== 'completed').length +
    checks.statuses.filter((status) => !wanted.has(status.context) && status.state === 'pending').length;
  return { findings, missing, othersRunning, ownJobs: own.length };
}

export function verdictOf(judgement: Judgement): Verdict {
  const { findings, missing } = judgement;
  if (findings.some((finding) => finding.state === 'failed') || missing.some((m) => m.final)) return 'failed';
  if (findings.some((finding) => finding.state === 'pending')) return 'waiting';
  if (missing.length > 0) return judgement.othersRunning > 0 ? 'waiting' : 'failed';
  return 'passed';
}

/** `test (check run): failure — https://…`, one check in a line a person reads. */
export function describeFinding(finding: CheckFinding): string {
  return `${finding.name} (${finding.kind}): ${finding.result}${finding.url ? ` — ${finding.url}` : ''}`;
}
