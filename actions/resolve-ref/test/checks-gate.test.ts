import { ActionFailure, ConfigurationError } from '@gatehouse/action-kit';
import { GithubApiError } from '@gatehouse/github-client';
import type { CheckRun, CommitChecks, CommitStatus } from '@gatehouse/github-client/commit-checks';
import { describe, expect, it } from 'vitest';
import { isJobOfRun, judge, verdictOf } from '../src/check-verdicts';
import { type Clock, nextWait, requireChecks } from '../src/checks-gate';
import type { RequiredChecks } from '../src/required-checks';

const SHA = 'c2a6b03f190dfb2b4aa91f8af8d477a9bc3401dc';
const OWN_RUN = '7001';

let nextId = 1;
function run(
  name: string,
  status: string,
  conclusion: string | null = null,
  more: Partial<CheckRun> = {},
): CheckRun {
  const id = nextId++;
  return {
    id,
    name,
    status,
    conclusion,
    details_url: `https://github.com/example/service/actions/runs/5000/job/${id}`,
    html_url: `https://github.com/example/service/runs/${id}`,
    app: { slug: 'github-actions' },
    ...more,
  };
}
const done = (name: string, conclusion = 'success', more: Partial<CheckRun> = {}) =>
  run(name, 'completed', conclusion, more);
const own = (name: string) =>
  run(name, 'in_progress', null, {
    details_url: `https://github.com/example/service/actions/runs/${OWN_RUN}/job/99`,
  });
const status = (context: string, state: string): CommitStatus => ({
  context,
  state,
  target_url: `https://ci.example.com/${context}`,
  description: null,
});
const checks = (checkRuns: CheckRun[], statuses: CommitStatus[] = []): CommitChecks => ({
  checkRuns,
  statuses,
});

const ALL: RequiredChecks = { kind: 'all' };
const named = (...names: string[]): RequiredChecks => ({ kind: 'named', names });

describe('judging the checks of a commit', () => {
  it('all: success, neutral and skipped pass; any other conclusion fails; a running one waits', () => {
    const verdict = (...runs: CheckRun[]) => verdictOf(judge(checks(runs), ALL, OWN_RUN));
    expect(verdict(done('a'), done('b', 'neutral'), done('c', 'skipped'))).toBe('passed');
    for (const bad of ['failure', 'cancelled', 'timed_out', 'action_required', 'stale']) {
      expect(verdict(done('a'), done('b', bad))).toBe('failed');
    }
    expect(verdict(done('a'), run('b', 'queued'))).toBe('waiting');
    expect(verdict(done('a'), run('b', 'waiting'))).toBe('waiting');
    // A failure is final: nothing still running can make up for it.
    expect(verdict(run('b', 'in_progress'), done('a', 'failure'))).toBe('failed');
  });

  it('all: commit statuses count too, judged by their own state', () => {
    const verdict = (...statuses: CommitStatus[]) =>
      verdictOf(judge(checks([done('a')], statuses), ALL, OWN_RUN));
    expect(verdict(status('ci/circleci', 'success'))).toBe('passed');
    expect(verdict(status('ci/circleci', 'pending'))).toBe('waiting');
    expect(verdict(status('ci/circleci', 'error'))).toBe('failed');
    expect(verdict(status('ci/circleci', 'failure'))).toBe('failed');
  });

  it("all: this run's own jobs are left out, and a commit with nothing else has not passed CI", () => {
    const judgement = judge(checks([done('test'), own('deploy')]), ALL, OWN_RUN);
    expect(judgement.ownJobs).toBe(1);
    expect(judgement.findings.map((f) => f.name)).toEqual(['test']);
    expect(verdictOf(judgement)).toBe('passed');
    const nothing = judge(checks([own('deploy')]), ALL, OWN_RUN);
    expect(verdictOf(nothing)).toBe('failed');
    expect(nothing.missing[0]?.why).toMatch(/nothing says CI passed/);
  });

  it('tells a job of this run by GitHub Actions and the run id in its page', () => {
    expect(isJobOfRun(own('deploy'), OWN_RUN)).toBe(true);
    expect(isJobOfRun(own('deploy'), '700')).toBe(false);
    expect(isJobOfRun(own('deploy'), undefined)).toBe(false);
    // Another app cannot hide its check by pointing at this run.
    expect(isJobOfRun({ ...own('deploy'), app: { slug: 'evil-ci' } }, OWN_RUN)).toBe(false);
    expect(isJobOfRun({ ...own('deploy'), details_url: null }, OWN_RUN)).toBe(false);
  });

  it('named: each must be there and have succeeded; skipped or neutral is not success', () => {
    const verdict = (required: RequiredChecks, ...runs: CheckRun[]) =>
      verdictOf(judge(checks(runs, [status('security', 'success')]), required, OWN_RUN));
    expect(verdict(named('test', 'security'), done('test'), done('lint', 'failure'))).toBe('passed');
    expect(verdict(named('test'), done('test', 'skipped'))).toBe('failed');
    expect(verdict(named('test'), done('test', 'neutral'))).toBe('failed');
    // Two checks of one name (two apps, or two workflows): both must pass.
    expect(verdict(named('test'), done('test'), done('test', 'failure'))).toBe('failed');
  });

  it('named: a missing one is waited for while other checks run, and fails once nothing does', () => {
    const waiting = judge(checks([done('build'), run('lint', 'in_progress')]), named('e2e'), OWN_RUN);
    expect(waiting.othersRunning).toBe(1);
    expect(verdictOf(waiting)).toBe('waiting');
    const settled = judge(checks([done('build'), done('lint')]), named('e2e'), OWN_RUN);
    expect(verdictOf(settled)).toBe('failed');
    expect(settled.missing).toEqual([
      { name: 'e2e', why: 'no check run or commit status of this name is on the commit', final: false },
    ]);
  });

  it('named: a job of this run itself can never vouch, so it fails at once', () => {
    const judgement = judge(checks([own('deploy'), run('lint', 'in_progress')]), named('deploy'), OWN_RUN);
    expect(judgement.missing[0]).toMatchObject({ name: 'deploy', final: true });
    expect(verdictOf(judgement)).toBe('failed');
  });
});

/** Fake time: sleeping moves the clock on, and every wait is kept. */
function fakeClock(): Clock & { waits: number[] } {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  };
}

/** Answers the readings in turn, the last one from then on. */
function readings(...answers: (CommitChecks | Error)[]) {
  let i = 0;
  const read = async () => {
    const answer = answers[Math.min(i++, answers.length - 1)]!;
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { read, count: () => i };
}

const request = (required: RequiredChecks, timeoutMs = 600_000) => ({
  sha: SHA,
  required,
  timeoutMs,
  ownRunId: OWN_RUN,
});

describe('waiting for pending checks', () => {
  it('waits 5s, then a quarter of the time spent, at most 30s', () => {
    expect([0, 10_000, 40_000, 100_000, 600_000].map(nextWait)).toEqual([
      5_000, 5_000, 10_000, 25_000, 30_000,
    ]);
  });

  it('reads again until a running check succeeds', async () => {
    const clock = fakeClock();
    const answers = readings(
      checks([done('build'), run('e2e', 'queued')]),
      checks([done('build'), run('e2e', 'in_progress')]),
      checks([done('build'), done('e2e')]),
    );
    const passed = await requireChecks(request(ALL), { read: answers.read, clock });
    expect(passed.readings).toBe(3);
    expect(passed.findings.map((f) => `${f.name}:${f.result}`)).toEqual(['build:success', 'e2e:success']);
    expect(clock.waits).toEqual([5_000, 5_000]);
  });

  it('fails at once on a failed check, without waiting for the rest', async () => {
    const clock = fakeClock();
    const answers = readings(checks([done('test', 'failure'), run('e2e', 'in_progress')]));
    const error = await requireChecks(request(ALL), { read: answers.read, clock }).catch((e) => e);
    expect(error).toBeInstanceOf(ActionFailure);
    expect(error.message).toContain(
      `Commit ${SHA} has not passed the checks input 'require-checks' asks for (all)`,
    );
    expect(error.message).toContain(
      '- test (check run): failure — https://github.com/example/service/actions/runs/5000/job/',
    );
    expect(clock.waits).toEqual([]);
  });

  it('gives up at checks-timeout, naming what was still pending, read at the deadline itself', async () => {
    const clock = fakeClock();
    const answers = readings(
      checks([done('build'), run('e2e', 'in_progress')], [status('ci/slow', 'pending')]),
    );
    const error = await requireChecks(request(ALL, 60_000), { read: answers.read, clock }).catch((e) => e);
    expect(error).toBeInstanceOf(ActionFailure);
    expect(error.message).toContain('- e2e (check run): still in_progress after 1m (checks-timeout)');
    expect(error.message).toContain(
      '- ci/slow (commit status): still pending after 1m (checks-timeout) — https://ci.example.com/ci/slow',
    );
    expect(error.message).toContain('1 other check(s) passed.');
    expect(clock.waits.reduce((a, b) => a + b, 0)).toBe(60_000);
    expect(clock.now()).toBe(60_000);
    // About two readings a minute after the first few: gentle on GitHub's limits.
    expect(answers.count()).toBeLessThanOrEqual(12);
  });

  it('with checks-timeout 0s, a pending check fails at once', async () => {
    const clock = fakeClock();
    const answers = readings(checks([run('e2e', 'in_progress')]));
    await expect(requireChecks(request(ALL, 0), { read: answers.read, clock })).rejects.toThrow(
      /e2e \(check run\): still in_progress after 0ms/,
    );
    expect(answers.count()).toBe(1);
  });

  it('backs off a minute on a rate limit, then carries on', async () => {
    const clock = fakeClock();
    const limited = new GithubApiError('HTTP 403 API rate limit exceeded for installation ID 1.', 403);
    const answers = readings(checks([run('e2e', 'in_progress')]), limited, checks([done('e2e')]));
    const passed = await requireChecks(request(ALL), { read: answers.read, clock });
    expect(passed.readings).toBe(3);
    expect(clock.waits).toEqual([5_000, 60_000]);
  });

  it('a refused read (403 without a rate limit) is not waited on', async () => {
    const clock = fakeClock();
    const refused = new ConfigurationError('needs checks: read and statuses: read');
    const answers = readings(refused);
    await expect(requireChecks(request(ALL), { read: answers.read, clock })).rejects.toBe(refused);
    expect(clock.waits).toEqual([]);
  });
});
