import { readJsonPath, scalarText } from '@gatehouse/http-probe';
import type { DependencyRow, HealthState } from '@gatehouse/records';

/** What a health status word means, whatever the app's vocabulary. */
export type { HealthState };

const OK = new Set(['ok', 'okay', 'healthy', 'pass', 'passed', 'passing', 'up', 'green', 'true', 'success']);
const DEGRADED = new Set(['degraded', 'warn', 'warning', 'yellow', 'partial']);

export function healthState(value: unknown): HealthState {
  const word = scalarText(value).trim().toLowerCase();
  if (word === 'critical') return 'critical';
  if (OK.has(word)) return 'ok';
  if (DEGRADED.has(word)) return 'degraded';
  return 'fail';
}

/** One dependency the app reports on (database, redis, …), as a report row. */
export type { DependencyRow };

/**
 * The app's per-dependency table, in either common form:
 * `{"db": "ok", "redis": {"status": "down", …}}` or `[{"name": "db", "status": "ok"}, …]`.
 */
export function dependencyRows(value: unknown, required: readonly string[]): DependencyRow[] {
  const entries: Array<[string, unknown]> = Array.isArray(value)
    ? value.map((item, i) => [nameOf(item) ?? `#${i}`, statusOf(item)])
    : typeof value === 'object' && value !== null
      ? Object.entries(value).map(([name, item]) => [name, statusOf(item)])
      : [];
  return entries.map(([name, status]) => ({
    name,
    status: status === undefined ? '(none)' : scalarText(status),
    state: status === undefined ? 'fail' : healthState(status),
    required: required.includes(name),
  }));
}

function nameOf(item: unknown): string | undefined {
  const found = readJsonPath(item, 'name');
  return found.found && found.value !== null ? scalarText(found.value) : undefined;
}

function statusOf(item: unknown): unknown {
  if (typeof item !== 'object' || item === null) return item;
  for (const key of ['status', 'state', 'healthy', 'ok']) {
    const found = readJsonPath(item, key);
    if (found.found) return found.value;
  }
  return undefined;
}
