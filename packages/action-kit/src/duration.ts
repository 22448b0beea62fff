const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(?:\d+(?:ms|h|m|s))+$/;
const PART = /(\d+)(ms|h|m|s)/g;

/**
 * Node's timer limit: `setTimeout` with a longer delay fires at once (after a warning), so a
 * duration above it would turn "wait 1000 hours" into "do not wait". Every duration input stays
 * under it.
 */
export const TIMER_LIMIT_MS = 2 ** 31 - 1;

/** Milliseconds for `90s`, `10m`, `1h30m`, `250ms`; undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const value = text.trim();
  if (!DURATION.test(value)) return undefined;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(PART)) {
    total += Number(amount) * (UNIT_MS[unit!] ?? Number.NaN);
  }
  return Number.isSafeInteger(total) ? total : undefined;
}

/** `90000` → `1m30s`: the same notation the inputs take, for logs and reports. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const totalSeconds = Math.round(ms / 1000);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || (!h && !m) ? `${s}s` : ''}`;
}
