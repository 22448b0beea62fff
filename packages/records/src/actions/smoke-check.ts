import { arrayOf, boolean, count, fields, type Infer, nullable, number, oneOf, string } from '../shape';

export const smokeCheckRow = fields({
  name: string,
  verdict: oneOf('pass', 'fail'),
  /** The last answer's HTTP status; null when none came. */
  status: nullable(count),
  latencyMs: number,
  attempts: count,
  /** Everything that did not hold; empty when it passed. */
  reason: string,
  /** The redirect chain, `GET http://… 301 → GET https://… 200`. */
  chain: string,
});
export type SmokeCheckRow = Infer<typeof smokeCheckRow>;

/** smoke-check: each HTTP contract, held or not, after its retries. */
export const smokeCheckRecord = fields({
  passed: boolean,
  target: string,
  elapsedMs: number,
  checks: arrayOf(smokeCheckRow),
  /** Failures of the run as a whole (no response carried the served commit). */
  problems: arrayOf(string),
  expectedSha: nullable(string),
});
export type SmokeCheckRecord = Infer<typeof smokeCheckRecord>;
