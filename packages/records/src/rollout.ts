import type { HostStatus } from '@gatehouse/command-runner';
import type { DeployStateEntry } from '@gatehouse/host-script';
import {
  arrayOf,
  boolean,
  count,
  fields,
  type Infer,
  nullable,
  number,
  oneOf,
  type Shape,
  string,
} from './shape';

// The parts deploy-ssm's and rollback's records share: versions, waves, and one row per host.

/** An entry of a host's deploy-state.json, as the host script recorded it. */
export const deployEntry: Shape<DeployStateEntry> = fields({
  sha: nullable(string),
  imageTag: nullable(string),
  time: string,
  outcome: oneOf('success', 'failed', 'rollback', 'rollback-failed'),
  ref: nullable(string),
  image: nullable(string),
  environment: string,
  runId: string,
  actor: string,
});
export type DeployEntry = DeployStateEntry;

/** A version asked for: a commit in git mode, an image tag in image mode (the others when known). */
export const version = fields({
  ref: nullable(string),
  sha: nullable(string),
  image: nullable(string),
  imageTag: nullable(string),
});
export type Version = Infer<typeof version>;

export const wave = fields({
  /** 1-based. */
  wave: count,
  hosts: arrayOf(string),
  /** `planned` in a dry run. */
  outcome: oneOf('passed', 'failed', 'not-started', 'planned'),
  durationMs: nullable(count),
  /** How long the wave baked before the next started, and was verified again. */
  bakedMs: nullable(count),
});
export type Wave = Infer<typeof wave>;

/** A host the run changed (or may have: cut off mid-change), and what it ran before. */
export const changedHost = fields({
  host: string,
  /** null: it ran nothing recorded (a first deploy), or `previousUnknown`. */
  previous: nullable(deployEntry),
  /** The script was cut off before it said: read the host's deploy-state.json. */
  previousUnknown: boolean,
  wave: nullable(count),
});
export type ChangedHost = Infer<typeof changedHost>;

const HOST_STATUSES = [
  'Success',
  'Failed',
  'TimedOut',
  'Cancelled',
  'Undeliverable',
  'Terminated',
  'DeliveryTimedOut',
  'ExecutionTimedOut',
] as const satisfies readonly HostStatus[];

/** What happened on one host. */
export const hostRow = fields({
  host: string,
  wave: nullable(count),
  status: oneOf(...HOST_STATUSES),
  statusDetails: string,
  exitCode: nullable(number),
  /** In words, as the log's table says it. */
  what: string,
  changed: boolean,
  /** What the host ran before this run changed it. */
  previous: nullable(deployEntry),
  /** What it runs now, as it recorded it; null when it failed, or did not say. */
  deployed: nullable(deployEntry),
  /** What the on-host verification checked when it passed, or why it failed. */
  verified: nullable(string),
  verifyFailed: nullable(string),
  /** Who held the host's deploy lock when this run gave up waiting for it. */
  lockHolder: nullable(string),
  outputTruncated: boolean,
  /** Where the whole output is, when SSM sent it somewhere. */
  outputLocation: nullable(string),
  /** The last lines of a failed host's output. */
  outputTail: nullable(string),
});
export type HostRow = Infer<typeof hostRow>;

/** A dry run's plan for one host. */
export const planRow = fields({
  host: string,
  wave: count,
  /** What it runs now, in a few words, or why that could not be read. */
  from: string,
  to: string,
  current: nullable(deployEntry),
  error: nullable(string),
});
export type PlanRow = Infer<typeof planRow>;
