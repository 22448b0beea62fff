/**
 * The polling loop both gates share: each check retried until it holds or the overall timeout
 * passes. Time comes from an injected clock so unit tests run the whole schedule instantly.
 */
export interface Clock {
  /** Milliseconds on a monotonic scale. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export const FIRST_RETRY_MS = 250;

/**
 * The wait before the next attempt: 250 ms at first, then a sixteenth of the time already spent
 * waiting, capped at `interval`. Waiting in proportion to the elapsed time bounds the lag after
 * the app becomes ready to about 6% of the wait so far (≤ 250 ms for the usual few seconds of
 * start-up), while a slow start of minutes costs a request every few seconds, not four a second.
 */
export function retryDelay(elapsedMs: number, intervalMs: number): number {
  return Math.min(intervalMs, Math.max(FIRST_RETRY_MS, Math.round(elapsedMs / 16)));
}

/** What one attempt found: `fatal` ends the check at once, without retries. */
export interface Attempt<T> {
  verdict: 'pass' | 'retry' | 'fatal';
  detail: T;
}

export interface PollOptions {
  timeoutMs: number;
  intervalMs: number;
  consecutiveSuccesses: number;
  clock: Clock;
}

export interface PollOutcome<T> {
  state: 'passed' | 'timed-out' | 'fatal' | 'stopped';
  attempts: number;
  /** The last attempt's finding: the reason a check failed is what it saw last. */
  last: T;
  elapsedMs: number;
}

/** Shared by concurrent checks so a fatal finding in one stops the others early. */
export interface StopSignal {
  stopped: boolean;
}

export async function pollUntil<T>(
  attempt: () => Promise<Attempt<T>>,
  options: PollOptions,
  stop: StopSignal = { stopped: false },
): Promise<PollOutcome<T>> {
  const { clock } = options;
  const start = clock.now();
  const deadline = start + options.timeoutMs;
  let attempts = 0;
  let successes = 0;
  for (;;) {
    attempts++;
    const result = await attempt();
    const now = clock.now();
    const outcome = (state: PollOutcome<T>['state']): PollOutcome<T> => ({
      state,
      attempts,
      last: result.detail,
      elapsedMs: Math.round(now - start),
    });
    if (result.verdict === 'fatal') {
      stop.stopped = true;
      return outcome('fatal');
    }
    successes = result.verdict === 'pass' ? successes + 1 : 0;
    if (successes >= options.consecutiveSuccesses) return outcome('passed');
    if (stop.stopped) return outcome('stopped');
    if (now >= deadline) return outcome('timed-out');
    // The last attempt is made at the deadline itself, so a timeout always reports a fresh reason.
    await clock.sleep(Math.min(retryDelay(now - start, options.intervalMs), deadline - now));
    if (stop.stopped) return outcome('stopped');
  }
}

/** Every check polled concurrently; results in the order of the checks. */
export function pollAll<T>(
  attempts: ReadonlyArray<() => Promise<Attempt<T>>>,
  options: PollOptions,
): Promise<PollOutcome<T>[]> {
  const stop: StopSignal = { stopped: false };
  return Promise.all(attempts.map((attempt) => pollUntil(attempt, options, stop)));
}
