import type { CommandRunner } from '@gatehouse/command-runner';
import { type DeployStateEntry, type HostState, readHostStates, shortVersion } from '@gatehouse/host-script';

/**
 * What each host runs, as its own deploy-state.json says: read by the host-script package's
 * read-only state script, sent as a command of its own through the same runner as the checks.
 */
export interface HostVersion {
  host: string;
  /**
   * `deployed`: the host records a version it runs; `none`: nothing recorded (no
   * deploy-state.json, or no deploy has succeeded there yet); `unreadable`: the file is there but
   * could not be read (a finding, see `error`).
   */
  state: 'deployed' | 'none' | 'unreadable';
  /** The image tag, else the first 12 characters of the commit; null when nothing is recorded. */
  version: string | null;
  sha: string | null;
  imageTag: string | null;
  ref: string | null;
  /** When the host finished the deploy (or rollback) that put this version there. */
  since: string | null;
  runId: string | null;
  actor: string | null;
  /** `success` (a deploy) or `rollback`. */
  outcome: string | null;
  /** The host's newest attempt, when it failed: it may be half-changed, or still run `version`. */
  lastFailed: Attempt | null;
  error: string | null;
}

export interface Attempt {
  version: string;
  sha: string | null;
  imageTag: string | null;
  ref: string | null;
  time: string;
  runId: string;
  actor: string;
  outcome: string;
}

const FAILED = new Set(['failed', 'rollback-failed']);

function attempt(entry: DeployStateEntry): Attempt {
  const { sha, imageTag, ref, time, runId, actor, outcome } = entry;
  return { version: shortVersion(entry), sha, imageTag, ref, time, runId, actor, outcome };
}

const NOTHING = {
  version: null,
  sha: null,
  imageTag: null,
  ref: null,
  since: null,
  runId: null,
  actor: null,
  outcome: null,
  lastFailed: null,
  error: null,
} as const;

/** One host's reading as its version. Pure. */
export function hostVersionOf(read: HostState): HostVersion {
  const { host } = read;
  if (read.error !== undefined) {
    return {
      host,
      state: 'unreadable',
      ...NOTHING,
      error: `deploy-state.json could not be read: ${read.error}`,
    };
  }
  const state = read.state;
  if (state === undefined) return { host, state: 'none', ...NOTHING };
  const { current, previous, last } = state;
  // Every file Gatehouse writes holds the entry of the deploy that wrote it. One with none at all
  // is not its layout (or not its file): reading it as "nothing deployed" would be a guess.
  if (current === null && previous === null && !last) {
    return {
      host,
      state: 'unreadable',
      ...NOTHING,
      error:
        'deploy-state.json holds no deploy in the layout Gatehouse writes (edited by hand, or another ' +
        "tool's file?); move it aside to start a new history",
    };
  }
  const lastFailed = last && FAILED.has(last.outcome) ? attempt(last) : null;
  if (current === null) return { host, state: 'none', ...NOTHING, lastFailed };
  return {
    host,
    state: 'deployed',
    version: shortVersion(current),
    sha: current.sha,
    imageTag: current.imageTag,
    ref: current.ref,
    since: current.time,
    runId: current.runId || null,
    actor: current.actor || null,
    outcome: current.outcome,
    lastFailed,
    error: null,
  };
}

/** Reads every host's deploy-state.json with a read-only script: nothing on any host changes. */
export async function readHostVersions(
  runner: CommandRunner,
  hosts: readonly string[],
  options: { stateDir: string },
): Promise<HostVersion[]> {
  if (hosts.length === 0) return [];
  const reads = await readHostStates(runner, hosts, {
    stateDir: options.stateDir,
    // SSM's own defaults, as the checks' command has: the script only reads one file.
    maxConcurrency: '50',
    deliveryTimeoutMs: 600_000,
    comment: 'gatehouse preflight: read deploy-state.json (read only)',
  });
  return reads.map(hostVersionOf);
}
