import type { CommandRunner } from '@gatehouse/command-runner';
import { type DeployStateEntry, type HostState, readHostStates, shortVersion } from '@gatehouse/host-script';
import type { PreflightAttempt, PreflightHostVersion } from '@gatehouse/records';

/**
 * What each host runs, as its own deploy-state.json says: read by the host-script package's
 * read-only state script, sent as a command of its own through the same runner as the checks.
 */
/** What a host runs: the preflight record's own type (@gatehouse/records). */
export type HostVersion = PreflightHostVersion;

export type Attempt = PreflightAttempt;

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
