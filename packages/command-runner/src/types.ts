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
  /** The command that ran on this host (SSM command id, or the local run's id). */
  commandId?: string;
  /**
   * Whether the script started on the host: false when SSM never delivered it (not sent,
   * Undeliverable, Terminated, delivery timed out before start). A host whose script started and
   * did not finish may be half-changed.
   */
  started: boolean;
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
  /**
   * Limits on the whole run, however many hosts: at most `maxConcurrency` hosts in flight at once,
   * and nothing new is sent once more than `maxErrors` hosts failed. A count or a percentage of
   * the run's hosts, e.g. `50`, `10%` (SSM's defaults, 50 and 0, when absent).
   */
  maxConcurrency?: string;
  maxErrors?: string;
  /** Run on these hosts only (from `resolveHosts`); absent: every host the targets name. */
  hosts?: readonly string[];
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
  /**
   * The concrete hosts the targets name right now (tags resolved to instance ids), each checked
   * to be reachable; fails naming the ones that are not. Sends nothing to any host.
   */
  resolveHosts(): Promise<string[]>;
  run(request: RunRequest): Promise<RunResult>;
  /** A host's output as whole as the transport keeps it (SSM: 24,000 / 8,000 characters). */
  fullOutput(host: HostResult): Promise<HostOutput>;
}

export interface HostOutput {
  stdout: string;
  stderr: string;
  /** True when the transport cut it. */
  truncated: boolean;
}
