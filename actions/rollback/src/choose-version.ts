import { shortSha } from '@gatehouse/action-kit/short-sha';
import type { DeployStateEntry, DeployVersion } from '@gatehouse/host-script';

/** What one host's deploy-state.json says (see `parseStateReport`); undefined: no state file. */
export type HostState =
  | { current: DeployStateEntry | null; previous: DeployStateEntry | null; last?: DeployStateEntry | null }
  | undefined;

export function versionOf(entry: DeployStateEntry): DeployVersion {
  return {
    ...(entry.ref ? { ref: entry.ref } : {}),
    ...(entry.sha ? { sha: entry.sha } : {}),
    ...(entry.image ? { image: entry.image } : {}),
    ...(entry.imageTag ? { imageTag: entry.imageTag } : {}),
  };
}

/** The identity that must match across hosts: the commit in git mode, the tag in image mode. */
export function versionKey(version: DeployVersion, mode: 'git' | 'image'): string {
  return (mode === 'git' ? version.sha : version.imageTag) ?? '(none)';
}

export function describeVersion(version: DeployVersion): string {
  const sha = shortSha(version.sha);
  if (sha && version.imageTag) return `${sha} (tag ${version.imageTag})`;
  return sha ?? (version.imageTag ? `tag ${version.imageTag}` : '(unknown)');
}

/** The run whose changes are undone, and the hosts it changed. */
export type Scope =
  | { kind: 'run'; runId: string; hosts: string[]; why: string }
  | { kind: 'refused'; message: string };

/**
 * With no record of the rollout in this job (a rollback dispatched later), the hosts' own state
 * says which run to undo: the one that wrote the newest entry on any of them. Every entry carries
 * the run that wrote it, so the hosts that run changed are exactly those whose newest entry is
 * its own; no other host is touched. A fleet whose newest entry is a rollback is already rolled
 * back, and a person must name the version.
 */
export function scopeFromStates(states: readonly { host: string; state: HostState }[]): Scope {
  const newest = states
    .flatMap(({ host, state }) => (state?.last ? [{ host, entry: state.last }] : []))
    .sort((a, b) => b.entry.time.localeCompare(a.entry.time))[0];
  if (!newest) {
    return {
      kind: 'refused',
      message: `no previous stable version recorded on ${states.map((s) => s.host).join(', ')}; nothing was changed`,
    };
  }
  if (newest.entry.outcome === 'rollback') {
    const rolledBack = states.filter(({ state }) => state?.current?.outcome === 'rollback');
    const list = rolledBack
      .map(({ host, state }) => `${host} runs ${describeVersion(versionOf(state!.current!))}`)
      .join(', ');
    return {
      kind: 'refused',
      message:
        `already rolled back (${list}); the recorded previous version there is the one rolled back from. ` +
        "Name the version to go to with input 'to'; nothing was changed",
    };
  }
  const runId = newest.entry.runId;
  if (runId === '') {
    return {
      kind: 'refused',
      message:
        `the newest deploy-state.json entry (on ${newest.host}) names no run, so the hosts it changed cannot ` +
        "be told apart. Name the version with input 'to'; nothing was changed",
    };
  }
  return {
    kind: 'run',
    runId,
    hosts: states.filter(({ state }) => state?.last?.runId === runId).map(({ host }) => host),
    why: `run ${runId} wrote the newest entry in deploy-state.json`,
  };
}

export type HostChoice =
  | { kind: 'version'; version: DeployVersion; why: string }
  | { kind: 'none'; why: string }
  | { kind: 'done'; current: DeployStateEntry };

/**
 * The version one host ran before `runId` touched it:
 * - its current entry is that run's deploy: the previous one (none on a first deploy);
 * - its current entry is that run's rollback: already done;
 * - its newest entry is that run's failed rollback: that rollback's target, tried again;
 * - otherwise (the run's deploy failed here, or was cut off before it recorded anything): its
 *   current version, put back whole, since a failed attempt may have half-replaced it.
 */
export function chooseForHost(state: HostState, runId: string): HostChoice {
  const current = state?.current;
  if (!current) return { kind: 'none', why: 'no version recorded before this rollout (a first deploy)' };
  if (current.runId === runId) {
    if (current.outcome === 'rollback') return { kind: 'done', current };
    if (!state?.previous) return { kind: 'none', why: 'this rollout was its first deploy' };
    return { kind: 'version', version: versionOf(state.previous), why: 'previous' };
  }
  const last = state?.last;
  if (last?.runId === runId && last.outcome === 'rollback-failed') {
    return { kind: 'version', version: versionOf(last), why: 'the target of the rollback that failed here' };
  }
  return { kind: 'version', version: versionOf(current), why: 'current (the rollout did not complete here)' };
}

export type FleetChoice =
  | { kind: 'version'; version: DeployVersion; why: string; hosts: string[]; done: string[] }
  | { kind: 'refused'; message: string };

/** One version for the hosts the run changed, or a refusal that says which host has what. */
export function chooseForFleet(
  states: readonly { host: string; state: HostState }[],
  runId: string,
  mode: 'git' | 'image',
): FleetChoice {
  const choices = states.map(({ host, state }) => ({ host, choice: chooseForHost(state, runId) }));
  const none = choices.filter((c) => c.choice.kind === 'none').map((c) => c.host);
  if (none.length > 0) {
    return {
      kind: 'refused',
      message: `no previous stable version recorded on ${none.join(', ')}; nothing was changed`,
    };
  }
  const found = choices.flatMap((c) =>
    c.choice.kind === 'version' ? [{ host: c.host, choice: c.choice }] : [],
  );
  const done = choices.filter((c) => c.choice.kind === 'done').map((c) => c.host);
  const keys = new Set(found.map((c) => versionKey(c.choice.version, mode)));
  if (keys.size > 1) {
    const list = found
      .map((c) => `${c.host}: ${describeVersion(c.choice.version)} (${c.choice.why})`)
      .join('; ');
    return {
      kind: 'refused',
      message:
        `the hosts run ${runId} changed disagree on the version they ran before it (${list}). ` +
        "Name the version with input 'to'; nothing was changed",
    };
  }
  const first = found[0];
  if (!first) {
    return { kind: 'version', version: {}, why: 'already rolled back', hosts: [], done };
  }
  return {
    kind: 'version',
    version: first.choice.version,
    why: first.choice.why,
    hosts: found.map((c) => c.host),
    done,
  };
}
