import type { DeployStateEntry, DeployVersion } from '@gatehouse/host-script';

/** What one host's deploy-state.json says (see `parseStateReport`); undefined: no state file. */
export type HostState =
  | { current: DeployStateEntry | null; previous: DeployStateEntry | null; last?: DeployStateEntry | null }
  | undefined;

export type HostChoice =
  | { kind: 'version'; version: DeployVersion; why: string }
  | { kind: 'none' }
  | { kind: 'after-rollback'; current: DeployStateEntry };

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
  const sha = version.sha?.slice(0, 7);
  if (sha && version.imageTag) return `${sha} (tag ${version.imageTag})`;
  return sha ?? (version.imageTag ? `tag ${version.imageTag}` : '(unknown)');
}

/**
 * The last stable version on one host, from its own record. The newest history entry decides:
 * - `failed`: the last deploy failed here and left `current` in place, so `current` is restored
 *   (the failed attempt may have half-replaced it);
 * - `rollback-failed`: a rollback failed here; the version it aimed at is tried again;
 * - `rollback`: the host is already rolled back; its `previous` is the version rolled back FROM,
 *   so going there would redeploy the bad one. Refused: the person must name a version with `to`;
 * - otherwise (the deploy succeeded here, the gates failed after): `previous`.
 */
export function chooseForHost(state: HostState): HostChoice {
  if (!state?.current) return { kind: 'none' };
  const last = state.last ?? state.current;
  if (last.outcome === 'failed') {
    return {
      kind: 'version',
      version: versionOf(state.current),
      why: 'current (the last deploy failed on this host)',
    };
  }
  if (last.outcome === 'rollback-failed') {
    return { kind: 'version', version: versionOf(last), why: 'the target of the rollback that failed here' };
  }
  if (state.current.outcome === 'rollback') return { kind: 'after-rollback', current: state.current };
  if (!state.previous) return { kind: 'none' };
  return { kind: 'version', version: versionOf(state.previous), why: 'previous' };
}

export type FleetChoice =
  | { kind: 'version'; version: DeployVersion; why: string }
  | { kind: 'refused'; message: string };

/** One version for every host, or a refusal that says which host has what. Never a guess. */
export function chooseForFleet(
  states: { host: string; state: HostState }[],
  mode: 'git' | 'image',
): FleetChoice {
  const choices = states.map(({ host, state }) => ({ host, choice: chooseForHost(state) }));
  const none = choices.filter((c) => c.choice.kind === 'none').map((c) => c.host);
  if (none.length > 0) {
    return {
      kind: 'refused',
      message: `no previous stable version recorded on ${none.join(', ')}; nothing was changed`,
    };
  }
  const rolledBack = choices.filter((c) => c.choice.kind === 'after-rollback');
  if (rolledBack.length > 0) {
    const list = rolledBack
      .map(
        (c) =>
          `${c.host} runs ${describeVersion(versionOf((c.choice as { current: DeployStateEntry }).current))}`,
      )
      .join(', ');
    return {
      kind: 'refused',
      message:
        `already rolled back (${list}); the recorded previous version there is the one rolled back from. ` +
        "Name the version to go to with input 'to'; nothing was changed",
    };
  }
  const found = choices as { host: string; choice: Extract<HostChoice, { kind: 'version' }> }[];
  const keys = new Set(found.map((c) => versionKey(c.choice.version, mode)));
  if (keys.size > 1) {
    const list = found
      .map((c) => `${c.host}: ${describeVersion(c.choice.version)} (${c.choice.why})`)
      .join('; ');
    return {
      kind: 'refused',
      message: `the hosts disagree on the version to roll back to (${list}). Name it with input 'to'; nothing was changed`,
    };
  }
  const first = found[0];
  if (!first) return { kind: 'refused', message: 'no host answered; nothing was changed' };
  return { kind: 'version', version: first.choice.version, why: first.choice.why };
}
