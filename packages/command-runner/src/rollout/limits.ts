/**
 * `max-concurrency` and `max-errors`: a count of hosts or a percentage, in the grammar of SSM's
 * service model (MaxConcurrency / MaxErrors: at most 7 characters, no leading zeros).
 */
const MAX_CONCURRENCY = /^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$/;
const MAX_ERRORS = /^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$/;
const MAX_LENGTH = 7;

export type RateKind = 'concurrency' | 'errors';

/** Whether `value` is one SSM would accept as MaxConcurrency or MaxErrors. */
export function isRate(value: string, kind: RateKind): boolean {
  return value.length <= MAX_LENGTH && (kind === 'concurrency' ? MAX_CONCURRENCY : MAX_ERRORS).test(value);
}

export function rateProblem(value: string, kind: RateKind): string | undefined {
  if (isRate(value, kind)) return undefined;
  const least = kind === 'concurrency' ? 1 : 0;
  return (
    `must be a number of hosts from ${least} to 9999999 without leading zeros (e.g. 10), or a percentage ` +
    `from ${least}% to 100% (e.g. 25%)`
  );
}

/**
 * A rate as a number of hosts out of `total`. Percentages round as SSM rounds them: up for
 * concurrency (at least one host runs), down for errors (10% of 15 hosts tolerates 1).
 */
export function hostCount(value: string, total: number, kind: RateKind): number {
  if (!value.endsWith('%')) return Number(value);
  const exact = (Number(value.slice(0, -1)) * total) / 100;
  return kind === 'concurrency' ? Math.max(1, Math.ceil(exact)) : Math.floor(exact);
}
