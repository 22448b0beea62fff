import { arrayOf, boolean, fields, type Infer, nullable, oneOf, string } from '../shape';

export const preflightCheck = fields({
  check: string,
  verdict: oneOf('pass', 'fail', 'skip'),
  reason: string,
});
export type PreflightCheck = Infer<typeof preflightCheck>;

export const preflightHost = fields({
  host: string,
  passed: boolean,
  checks: arrayOf(preflightCheck),
});
export type PreflightHost = Infer<typeof preflightHost>;

/** A host's newest deploy or rollback attempt, as its deploy-state.json records it. */
export const preflightAttempt = fields({
  version: string,
  sha: nullable(string),
  imageTag: nullable(string),
  ref: nullable(string),
  time: string,
  runId: string,
  actor: string,
  outcome: string,
});
export type PreflightAttempt = Infer<typeof preflightAttempt>;

/** What a host runs before this deploy touches it (the drift report). */
export const preflightHostVersion = fields({
  host: string,
  /** `deployed`: it records a version; `none`: nothing recorded; `unreadable`: see `error`. */
  state: oneOf('deployed', 'none', 'unreadable'),
  /** The image tag, else the commit's first 12 characters; null when nothing is recorded. */
  version: nullable(string),
  sha: nullable(string),
  imageTag: nullable(string),
  ref: nullable(string),
  /** When the host finished the deploy (or rollback) that put this version there. */
  since: nullable(string),
  runId: nullable(string),
  actor: nullable(string),
  /** `success` (a deploy) or `rollback`. */
  outcome: nullable(string),
  /** The host's newest attempt, when it failed: it may be half-changed, or still run `version`. */
  lastFailed: nullable(preflightAttempt),
  error: nullable(string),
});
export type PreflightHostVersion = Infer<typeof preflightHostVersion>;

/** preflight: every check on every host, and what each runs; it changes nothing. */
export const preflightRecord = fields({
  passed: boolean,
  hosts: arrayOf(preflightHost),
  versions: arrayOf(preflightHostVersion),
  /** Every host records a version, and it is the same one. */
  sameVersion: boolean,
});
export type PreflightRecord = Infer<typeof preflightRecord>;
