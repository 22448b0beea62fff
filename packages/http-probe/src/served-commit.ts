/**
 * Whether the build an app says it serves is the commit we deployed. Apps often report a short
 * SHA, so a prefix of at least 7 hex characters matches the full one (in either direction).
 */
export function sameCommit(served: string, expected: string): boolean {
  const a = served.trim().toLowerCase();
  const b = expected.trim().toLowerCase();
  if (a === b) return a !== '';
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= 7 && /^[0-9a-f]+$/.test(short) && long.startsWith(short);
}
