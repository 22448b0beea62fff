import { describe, expect, it } from 'vitest';
import { type Attempt, type Clock, pollAll, pollUntil, retryDelay } from '../src/poll';

/** A clock that only moves when the loop sleeps or an attempt "takes time". */
function fakeClock(): Clock & { sleeps: number[]; advance(ms: number): void } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms) => {
      now += ms;
    },
    sleeps,
  };
}

const options = (
  clock: Clock,
  overrides: Partial<{ timeoutMs: number; intervalMs: number; consecutiveSuccesses: number }> = {},
) => ({
  timeoutMs: 120_000,
  intervalMs: 5_000,
  consecutiveSuccesses: 1,
  clock,
  ...overrides,
});

/** An attempt that answers from a script of verdicts, then repeats the last one. */
function scripted(verdicts: Attempt<string>['verdict'][]) {
  let i = 0;
  return async (): Promise<Attempt<string>> => {
    const verdict = verdicts[Math.min(i, verdicts.length - 1)]!;
    i++;
    return { verdict, detail: `attempt ${i}: ${verdict}` };
  };
}

describe('retry schedule', () => {
  it('retries first within 250 ms, then backs off in proportion to the wait, up to interval', () => {
    expect(retryDelay(0, 5000)).toBe(250);
    expect(retryDelay(3000, 5000)).toBe(250);
    expect(retryDelay(16_000, 5000)).toBe(1000);
    expect(retryDelay(10 * 60_000, 5000)).toBe(5000);
    expect(retryDelay(0, 100)).toBe(100);
  });

  it('keeps retrying a check that never holds until the timeout, the last attempt at the deadline', async () => {
    const clock = fakeClock();
    const outcome = await pollUntil(scripted(['retry']), options(clock, { timeoutMs: 60_000 }));
    expect(outcome.state).toBe('timed-out');
    expect(outcome.elapsedMs).toBe(60_000);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(250);
    for (let i = 1; i < clock.sleeps.length - 1; i++) {
      expect(clock.sleeps[i]).toBeGreaterThanOrEqual(clock.sleeps[i - 1]!);
      expect(clock.sleeps[i]).toBeLessThanOrEqual(5000);
    }
    expect(outcome.attempts).toBe(clock.sleeps.length + 1);
    expect(outcome.last).toBe(`attempt ${outcome.attempts}: retry`);
  });

  it('passes on the first attempt without sleeping', async () => {
    const clock = fakeClock();
    const outcome = await pollUntil(scripted(['pass']), options(clock));
    expect(outcome).toMatchObject({ state: 'passed', attempts: 1, elapsedMs: 0 });
    expect(clock.sleeps).toEqual([]);
  });

  it('counts slow attempts against the timeout', async () => {
    const clock = fakeClock();
    const slow = async (): Promise<Attempt<string>> => {
      clock.advance(10_000);
      return { verdict: 'retry', detail: 'slow' };
    };
    const outcome = await pollUntil(slow, options(clock, { timeoutMs: 30_000 }));
    expect(outcome.state).toBe('timed-out');
    expect(outcome.attempts).toBeLessThanOrEqual(4);
  });
});

describe('consecutive successes', () => {
  it('does not pass a flapping check until it holds the required number of times in a row', async () => {
    const clock = fakeClock();
    const verdicts: Attempt<string>['verdict'][] = [
      'retry',
      'pass',
      'retry',
      'pass',
      'pass',
      'retry',
      'pass',
      'pass',
      'pass',
    ];
    const outcome = await pollUntil(scripted(verdicts), options(clock, { consecutiveSuccesses: 3 }));
    expect(outcome).toMatchObject({ state: 'passed', attempts: 9 });
  });

  it('times out when the check never holds long enough', async () => {
    const clock = fakeClock();
    let i = 0;
    const alternating = async (): Promise<Attempt<string>> => ({
      verdict: i++ % 2 ? 'pass' : 'retry',
      detail: '',
    });
    const outcome = await pollUntil(
      alternating,
      options(clock, { consecutiveSuccesses: 2, timeoutMs: 10_000 }),
    );
    expect(outcome.state).toBe('timed-out');
  });
});

describe('fatal findings', () => {
  it('end the check at once without retries', async () => {
    const clock = fakeClock();
    const outcome = await pollUntil(scripted(['fatal']), options(clock));
    expect(outcome).toMatchObject({ state: 'fatal', attempts: 1 });
    expect(clock.sleeps).toEqual([]);
  });

  it('stop the other checks polled with it', async () => {
    const clock = fakeClock();
    const outcomes = await pollAll([scripted(['retry']), scripted(['retry', 'fatal'])], options(clock));
    expect(outcomes[1]!.state).toBe('fatal');
    expect(outcomes[0]!.state).toBe('stopped');
    expect(outcomes[0]!.attempts).toBeLessThanOrEqual(3);
  });

  it('runs every check concurrently', async () => {
    let inFlight = 0;
    let most = 0;
    const attempt = async (): Promise<Attempt<string>> => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return { verdict: 'pass', detail: '' };
    };
    await pollAll([attempt, attempt, attempt, attempt], options(fakeClock()));
    expect(most).toBe(4);
  });
});
