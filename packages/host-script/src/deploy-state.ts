import type { RunContext } from '@gatehouse/action-kit/run-context';

/**
 * `state-dir/deploy-state.json` on each host: `{current, previous, history[]}`.
 *
 * The host writes it with nothing but bash and coreutils (no jq, python or node on the host), so
 * the file has a fixed line layout that bash can read back safely: each entry is one line of JSON
 * produced by `JSON.stringify` on the runner, starting with `sha` and `imageTag` (the two fields
 * the host reads) so they can be picked out by an anchored pattern. It is still plain JSON.
 *
 * ```
 * {
 *   "current": {"sha":"…","imageTag":null,"time":"…","outcome":"success","ref":"…",…},
 *   "previous": null,
 *   "history": [
 *     {…},
 *     {…}
 *   ]
 * }
 * ```
 */
export type EntryOutcome = 'success' | 'failed' | 'rollback' | 'rollback-failed';

export interface DeployStateEntry {
  sha: string | null;
  imageTag: string | null;
  /** When the host finished (UTC, ISO 8601). */
  time: string;
  outcome: EntryOutcome;
  ref: string | null;
  image: string | null;
  environment: string;
  runId: string;
  actor: string;
}

export interface DeployState {
  current: DeployStateEntry | null;
  previous: DeployStateEntry | null;
  /** Newest first, bounded by `history-size`. */
  history: DeployStateEntry[];
}

/** What a deploy records: everything but the host's time and the outcome. */
export interface DeployVersion {
  ref?: string;
  sha?: string;
  image?: string;
  imageTag?: string;
}

export interface RunIdentity {
  runId: string;
  actor: string;
  environment: string;
}

/** Who a deploy or rollback records as having run it: the workflow run, or `local` outside one. */
export function runIdentity(run: Pick<RunContext, 'runId' | 'actor'>, environment: string): RunIdentity {
  return { runId: run.runId ?? 'local', actor: run.actor ?? 'unknown', environment };
}

/**
 * The entry as two JSON fragments around the `time` and `outcome` the host fills in:
 * `{"sha":…,"imageTag":…` and `,"ref":…,"image":…,"environment":…,"runId":…,"actor":…}`.
 */
export function entryFragments(version: DeployVersion, run: RunIdentity): { head: string; tail: string } {
  const head = `{"sha":${JSON.stringify(version.sha ?? null)},"imageTag":${JSON.stringify(version.imageTag ?? null)}`;
  const tail = `,${JSON.stringify({
    ref: version.ref ?? null,
    image: version.image ?? null,
    environment: run.environment,
    runId: run.runId,
    actor: run.actor,
  }).slice(1)}`;
  return { head, tail };
}

export function entryOf(
  version: DeployVersion,
  run: RunIdentity,
  outcome: EntryOutcome,
  time: string,
): DeployStateEntry {
  const { head, tail } = entryFragments(version, run);
  return JSON.parse(`${head},"time":${JSON.stringify(time)},"outcome":${JSON.stringify(outcome)}${tail}`);
}

export class DeployStateError extends Error {
  override name = 'DeployStateError';
}

const OUTCOMES = new Set<string>(['success', 'failed', 'rollback', 'rollback-failed']);

function entry(value: unknown, where: string): DeployStateEntry | null {
  if (value === null) return null;
  const e = value as Record<string, unknown>;
  const nullableString = (key: string) => e[key] === null || typeof e[key] === 'string';
  if (
    typeof value !== 'object' ||
    !nullableString('sha') ||
    !nullableString('imageTag') ||
    !nullableString('ref') ||
    typeof e.time !== 'string' ||
    typeof e.outcome !== 'string' ||
    !OUTCOMES.has(e.outcome)
  ) {
    throw new DeployStateError(
      `deploy-state.json: ${where} is not a deploy entry: ${JSON.stringify(value)?.slice(0, 200)}`,
    );
  }
  return {
    sha: (e.sha as string | null) ?? null,
    imageTag: (e.imageTag as string | null) ?? null,
    time: e.time,
    outcome: e.outcome as EntryOutcome,
    ref: (e.ref as string | null) ?? null,
    image: typeof e.image === 'string' ? e.image : null,
    environment: typeof e.environment === 'string' ? e.environment : '',
    runId: typeof e.runId === 'string' ? e.runId : '',
    actor: typeof e.actor === 'string' ? e.actor : '',
  };
}

/** Parses the text of a deploy-state.json; throws DeployStateError when it is not one. */
export function parseDeployState(text: string): DeployState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DeployStateError(`deploy-state.json is not valid JSON: ${(error as Error).message}`);
  }
  const state = value as Record<string, unknown>;
  if (typeof value !== 'object' || value === null || !Array.isArray(state.history)) {
    throw new DeployStateError('deploy-state.json has no history list');
  }
  return {
    current: entry(state.current ?? null, 'current'),
    previous: entry(state.previous ?? null, 'previous'),
    history: state.history.map((h, i) => entry(h, `history[${i}]`)).filter((h) => h !== null),
  };
}
