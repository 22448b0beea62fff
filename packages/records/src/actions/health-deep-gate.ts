import { arrayOf, boolean, count, fields, type Infer, nullable, number, oneOf, string } from '../shape';

export const HEALTH_STATES = ['ok', 'degraded', 'fail', 'critical'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

/** One dependency the app reports on (database, redis, …). */
export const dependencyRow = fields({
  name: string,
  /** As the app wrote it. */
  status: string,
  state: oneOf(...HEALTH_STATES),
  required: boolean,
});
export type DependencyRow = Infer<typeof dependencyRow>;

/** health-deep-gate: the verdict, what the app said about itself against what was expected, and why. */
export const healthDeepGateRecord = fields({
  verdict: oneOf('pass', 'fail', 'critical'),
  url: string,
  attempts: count,
  elapsedMs: number,
  latencyMs: number,
  httpStatus: nullable(count),
  status: nullable(string),
  environment: nullable(string),
  expectedEnvironment: nullable(string),
  sha: nullable(string),
  expectedSha: nullable(string),
  schemaVersion: nullable(string),
  /** `≥ 42` for min-schema-version, the id itself for expected-schema-version. */
  schemaExpectation: nullable(string),
  checks: arrayOf(dependencyRow),
  /** Why it is not a pass, the critical ones first; empty when it passed. */
  reasons: arrayOf(string),
  chain: string,
});
export type HealthDeepGateRecord = Infer<typeof healthDeepGateRecord>;
