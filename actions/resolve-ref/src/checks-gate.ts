import { ActionFailure, formatDuration, log } from '@gatehouse/action-kit';
import { shortSha } from '@gatehouse/action-kit/short-sha';
import { type CommitChecks, isRateLimited } from '@gatehouse/github-client/commit-checks';
import {
  type CheckFinding,
  describeFinding,
  type Judgement,
  judge,
  type MissingCheck,
  verdictOf,
} from './check-verdicts';
import { REQUIRE_CHECKS_INPUT, type RequiredChecks } from './required-checks';

/** Time, passed in so the polling schedule runs in fake time in unit tests. */
export interface Clock {
  /** Milliseconds on a monotonic scale. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface ChecksGateRequest {
  sha: string;
  required: RequiredChecks;
  timeoutMs: number;
  /** GITHUB_RUN_ID: this run's own jobs are check runs on the same commit, still in progress. */
  ownRunId: string | undefined;
}

export interface ChecksGateDeps {
  read: (sha: string) => Promise<CommitChecks>;
  clock: Clock;
}

export interface ChecksPassed {
  findings: CheckFinding[];
  ownJobs: number;
  /** Readings taken, the first included. */
  readings: number;
  waitedMs: number;
}

const FIRST_WAIT_MS = 5_000;
const LONGEST_WAIT_MS = 30_000;
/** What GitHub asks after a rate limit when it names no time: a minute. */
const RATE_LIMIT_WAIT_MS = 60_000;

/**
 * The wait before the next reading: 5 s, then a quarter of the time already waited, at most 30 s.
 * CI takes minutes, so a commit is read about twice a minute once it has run a while (two to four
 * requests each), far inside GitHub's limits, and a short wait is not slowed by a long interval.
 */
export function nextWait(elapsedMs: number): number {
  return Math.min(LONGEST_WAIT_MS, Math.max(FIRST_WAIT_MS, Math.round(elapsedMs / 4)));
}

/**
 * Reads the commit's checks until every required one has passed (return), one has failed or is
 * missing with nothing left running (throw at once), or `timeoutMs` has passed (throw, naming
 * what was still pending). The last reading is taken at the deadline itself, so a timeout reports
 * what GitHub said then.
 */
export async function requireChecks(request: ChecksGateRequest, deps: ChecksGateDeps): Promise<ChecksPassed> {
  const { clock } = deps;
  const start = clock.now();
  const deadline = start + request.timeoutMs;
  let last: Judgement | undefined;
  for (let readings = 1; ; readings++) {
    let limited = false;
    try {
      last = judge(await deps.read(request.sha), request.required, request.ownRunId);
    } catch (error) {
      if (!isRateLimited(error)) throw error;
      limited = true;
    }
    if (last && !limited) {
      const verdict = verdictOf(last);
      if (verdict === 'passed') {
        return { findings: last.findings, ownJobs: last.ownJobs, readings, waitedMs: clock.now() - start };
      }
      if (verdict === 'failed') throw notCleared(request, last, undefined);
    }
    const now = clock.now();
    if (now >= deadline) throw notCleared(request, last, { limited, timeoutMs: request.timeoutMs });
    const wait = Math.min(Math.max(nextWait(now - start), limited ? RATE_LIMIT_WAIT_MS : 0), deadline - now);
    log.info(
      `${limited ? "GitHub's rate limit was hit" : waitingLine(request.sha, last!)}; reading again in ` +
        `${formatDuration(wait)} (checks-timeout ${formatDuration(request.timeoutMs)}, ${formatDuration(now - start)} spent).`,
    );
    await clock.sleep(wait);
  }
}

function waitingLine(sha: string, judgement: Judgement): string {
  const pending = judgement.findings.filter((finding) => finding.state === 'pending');
  const parts = pending.map((finding) => `${finding.name} (${finding.result})`);
  const absent = judgement.missing.map((missing) => missing.name);
  const text = [
    parts.length > 0 ? `${parts.join(', ')} still running` : '',
    absent.length > 0
      ? `not there yet: ${absent.join(', ')} (${judgement.othersRunning} other check(s) running)`
      : '',
  ]
    .filter(Boolean)
    .join('; ');
  return `Waiting for the checks on ${shortSha(sha)}: ${text}`;
}

function requirement(required: RequiredChecks): string {
  return required.kind === 'all' ? 'all' : required.names.map((name) => `'${name}'`).join(', ');
}

/** The failure: each failing, missing or still pending check with its conclusion and link. */
function notCleared(
  request: ChecksGateRequest,
  judgement: Judgement | undefined,
  timedOut: { limited: boolean; timeoutMs: number } | undefined,
): ActionFailure {
  const head =
    `Commit ${request.sha} has not passed the checks input '${REQUIRE_CHECKS_INPUT}' asks for ` +
    `(${requirement(request.required)}), so nothing was deployed.`;
  const after = timedOut ? formatDuration(timedOut.timeoutMs) : '';
  if (!judgement) {
    return new ActionFailure(
      `${head} GitHub's rate limit kept the checks from being read for ${after} (checks-timeout). ` +
        'Try again later, or raise checks-timeout.',
    );
  }
  const lines = [
    ...judgement.findings.filter((finding) => finding.state === 'failed').map(describeFinding),
    ...judgement.missing.map((missing: MissingCheck) => `${missing.name}: missing — ${missing.why}`),
    ...judgement.findings
      .filter((finding) => finding.state === 'pending')
      .map(
        (finding) =>
          `${finding.name} (${finding.kind}): still ${finding.result} after ${after} (checks-timeout)` +
          (finding.url ? ` — ${finding.url}` : ''),
      ),
  ];
  const passed = judgement.findings.filter((finding) => finding.state === 'passed').length;
  const tail = [
    passed > 0 ? `${passed} other check(s) passed.` : '',
    timedOut?.limited ? "The last reading hit GitHub's rate limit; these are from the one before." : '',
  ]
    .filter(Boolean)
    .join(' ');
  return new ActionFailure(
    `${head}\n${lines.map((line) => `- ${line}`).join('\n')}${tail ? `\n${tail}` : ''}`,
  );
}
