/** The public shape of the emulator: hosts, faults, and what a test can ask of it. */

export interface EmulatedHost {
  id: string;
  /** Matched by SendCommand `Targets` keys `tag:<Key>` and by DescribeInstanceInformation `tag:<Key>` filters. */
  tags?: Record<string, string>;
  /** `false` registers the host with PingStatus ConnectionLost (its invocations end Undeliverable). */
  online?: boolean;
  platform?: 'Linux';
  /** PATH of the scripts this host runs (e.g. stand-in tools first); default this process's PATH. */
  path?: string;
}

export interface SsmFaults {
  /** Answer ThrottlingException once more than N requests (all operations) arrived in the last second. */
  throttleAboveRps?: number;
  /** GetCommandInvocation says InvocationDoesNotExist, and ListCommandInvocations is empty, for K ms after SendCommand. */
  invocationMissingForMs?: number;
  /** Registered hosts whose agent does not answer: PingStatus ConnectionLost, invocations Undeliverable. */
  offlineHosts?: string[];
  /** Every invocation stays Pending this long before the agent picks it up. */
  startDelayMs?: number;
  /** The agent on `host` dies `afterMs` after its next invocation starts (see `CommandRun.finish`). */
  agentDiesAfterMs?: { host: string; afterMs: number };
}

export interface EmulatorStats {
  /** Requests received per operation (throttled ones included). */
  calls: Record<string, number>;
  total: number;
  throttled: number;
  log: { op: string; at: number }[];
  /** The most invocations In Progress at once, across every command, since start or reset. */
  maxRunning: number;
}

/** One request and its answer, as the wire carried them (kept when `recordTraffic` is set). */
export interface Exchange {
  /** Order of arrival, from 0. */
  seq: number;
  op: string;
  request: unknown;
  status: number;
  response: unknown;
}

/** Where one invocation is, and when it started and ended (epoch ms). */
export interface InvocationView {
  commandId: string;
  instanceId: string;
  /** SSM's Status / StatusDetails. */
  status: string;
  statusDetails: string;
  startedAt?: number;
  endedAt?: number;
}

/** What SendCommand was asked to do, for assertions. */
export interface SentCommand {
  commandId: string;
  documentName: string;
  instanceIds: string[];
  targets: { Key: string; Values: string[] }[];
  /** The resolved instance ids the command was sent to. */
  resolvedInstanceIds: string[];
  parameters: Record<string, string[]>;
  /** `Parameters.commands` joined with newlines: the script every host ran. */
  script: string;
  executionTimeoutSeconds: number;
  timeoutSeconds: number;
  maxConcurrency: string;
  maxErrors: string;
  comment: string;
  /** The region the client signed for, or OutputS3Region when given: used in S3 URLs. */
  region: string;
  outputS3BucketName?: string;
  outputS3KeyPrefix?: string;
  cloudWatchOutputConfig?: { CloudWatchLogGroupName?: string; CloudWatchOutputEnabled?: boolean };
  requestedAt: number;
}

export interface SsmEmulator {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  rootDir: string;
  /** rootDir/<id>: the working directory of every script run on that host. */
  hostDir(id: string): string;
  setFaults(faults: SsmFaults): void;
  stats(): EmulatorStats;
  resetStats(): void;
  commands(): SentCommand[];
  /** Every invocation of every command, in the order the commands were sent. */
  invocations(): InvocationView[];
  /** Requests and answers in arrival order; empty unless started with `recordTraffic`. */
  traffic(): Exchange[];
  fullOutput(commandId: string, instanceId: string): { stdout: string; stderr: string } | undefined;
  /** Resolves when every invocation of a command is terminal; returns when the last one finished (epoch ms). */
  waitForCommand(commandId: string): Promise<{ lastFinishedAt: number }>;
  /** Brings a host's agent back (or takes it away): PingStatus Online / ConnectionLost. */
  setHostOnline(id: string, online: boolean): void;
  /** Kills running scripts, stops the server. */
  close(): Promise<void>;
}

export interface StartOptions {
  hosts: (string | EmulatedHost)[];
  /** Defaults to a new temporary directory, removed on close. */
  rootDir?: string;
  faults?: SsmFaults;
  /** Keep every request and answer (see `traffic()`), e.g. to check them against the service model. */
  recordTraffic?: boolean;
}
