/**
 * One interface for running a bash script somewhere: over SSM Run Command on 1..N hosts, or on
 * the runner itself (`target: local`). Callers (deploy-ssm, preflight, db-bootstrap, rollback)
 * build a script, run it, and read one result per host; they never see which transport ran it.
 */

/** Every terminal state SSM reports, plus the ones the local runner maps onto. */
export type HostStatus =
  | 'Success'
  | 'Failed'
  | 'TimedOut'
  | 'Cancelled'
  | 'Undeliverable'
  | 'Terminated'
  | 'DeliveryTimedOut'
  | 'ExecutionTimedOut';

export interface HostResult {
  /** Instance id (`i-…`, `mi-…`) or `local`. */
  host: string;
  status: HostStatus;
  /** SSM's StatusDetails, normalised (no spaces), or the local equivalent. */
  statusDetails: string;
  /** The script's exit code, when it ran far enough to have one. */
  exitCode: number | null;
  /** The tail of the output (or all of it, when it was fetched whole). */
  stdout: string;
  stderr: string;
  /** True when the output shown is cut short (SSM keeps 24,000 / 8,000 characters). */
  outputTruncated: boolean;
  /** Where the whole output lives, when known (S3 URL, CloudWatch log stream). */
  outputLocation?: string;
}

export interface RunRequest {
  /** The whole bash script. Every value from an input must already be quoted (see `shellQuote`). */
  script: string;
  /** Shown in the SSM console; at most 100 characters. */
  comment?: string;
  /** How long the script may run on a host. */
  executionTimeoutMs: number;
  /** How long SSM may take to deliver the command to a host (SSM only). */
  deliveryTimeoutMs?: number;
  /** SSM MaxConcurrency / MaxErrors, e.g. `50`, `10%`. */
  maxConcurrency?: string;
  maxErrors?: string;
  /** Called once the command is accepted, so a post step can cancel it if the job is cancelled. */
  onSent?: (commandId: string) => void | Promise<void>;
  signal?: AbortSignal;
}

export interface RunResult {
  /** The SSM command id (comma-joined when the targets needed several), or a generated id for local runs. */
  commandId: string;
  /** Every SSM command id, when more than 50 instance ids were sent in chunks. */
  commandIds?: string[];
  hosts: HostResult[];
  /** True when every host reached Success. */
  succeeded: boolean;
}

export interface CommandRunner {
  readonly kind: 'ssm' | 'local';
  /** Human description of the targets, e.g. `2 instances (i-0abc, i-0def)` or `this runner`. */
  describeTargets(): string;
  run(request: RunRequest): Promise<RunResult>;
}
