/**
 * Ordered schema versions, for `min-schema-version`: integers (migration numbers, and timestamps
 * written as digits like 20240115093000 or node-pg-migrate's 1700000000000_init), ISO timestamps,
 * and semver. Alembic-style revision ids (`c3f8d2a1b9e4`) have no order; they are compared
 * exactly with `expected-schema-version` instead.
 */
type Ordered =
  | { kind: 'integer'; value: bigint }
  | { kind: 'timestamp'; ms: number }
  | { kind: 'semver'; core: number[]; pre: string | undefined };

const SEMVER = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

export function parseOrdered(text: string): Ordered | undefined {
  const value = text.trim();
  // ISO first: 2024-01-15 would otherwise read as the integer 2024 with a suffix.
  if (ISO.test(value) && !Number.isNaN(Date.parse(value)))
    return { kind: 'timestamp', ms: Date.parse(value) };
  const integer = /^(\d+)(?:[_-][\w.-]*)?$/.exec(value);
  if (integer) return { kind: 'integer', value: BigInt(integer[1]!) };
  const semver = SEMVER.exec(value);
  if (semver) {
    return { kind: 'semver', core: [semver[1], semver[2], semver[3] ?? '0'].map(Number), pre: semver[4] };
  }
  return undefined;
}

/** Negative when a < b, 0 when equal, positive when a > b; undefined when they cannot be ordered. */
export function compareVersions(a: string, b: string): number | undefined {
  const x = parseOrdered(a);
  const y = parseOrdered(b);
  if (!x || !y || x.kind !== y.kind) return undefined;
  if (x.kind === 'integer' && y.kind === 'integer')
    return x.value === y.value ? 0 : x.value < y.value ? -1 : 1;
  if (x.kind === 'timestamp' && y.kind === 'timestamp') return Math.sign(x.ms - y.ms);
  if (x.kind === 'semver' && y.kind === 'semver') {
    for (let i = 0; i < 3; i++) {
      const diff = x.core[i]! - y.core[i]!;
      if (diff !== 0) return Math.sign(diff);
    }
    // A pre-release sorts before its release: 2.0.0-rc.1 < 2.0.0.
    if (x.pre === y.pre) return 0;
    if (x.pre === undefined) return 1;
    if (y.pre === undefined) return -1;
    return x.pre.localeCompare(y.pre, 'en', { numeric: true });
  }
  return undefined;
}
