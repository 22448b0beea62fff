/**
 * What Gatehouse keeps in `state-dir` on each host, in one place: deploy and rollback write it,
 * rollback and the dry runs read it, preflight reads the lock, and each takes the names from here (the host scripts get them
 * as assignments in their header).
 *
 * - `deploy-state.json`: `{current, previous, history[]}`, shaped as `deploy-state.ts` says;
 *   written whole to `.deploy-state.json.XXXXXX` and renamed over it.
 * - `deploy.lock`: the file an exclusive `flock` is taken on for a whole deploy or rollback.
 *   Its content and its mtime mean nothing (it is created once and never written).
 * - `deploy.lock.holder`: one line written just after the lock is taken (temp file, then rename),
 *   `<who>, pid <pid>, since <UTC time>`, and removed when the deploy ends. A deploy killed by
 *   SIGKILL leaves it behind; the next one replaces it once it holds the lock.
 */
export { type DeployState, type DeployStateEntry, DeployStateError, parseDeployState } from './deploy-state';

export const STATE_FILE = 'deploy-state.json';
export const LOCK_FILE = 'deploy.lock';
export const LOCK_HOLDER_FILE = 'deploy.lock.holder';

/**
 * The holder file's line, as an extended regular expression that means the same to bash's `=~`
 * and to JavaScript: who (group 1), pid (2), since (3). preflight reads the file with it.
 */
export const LOCK_HOLDER_PATTERN =
  '^(.*), pid ([0-9]+), since ([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)$';

/** What a host script uses of the layout: the state file, the lock (with its holder file), the holder's line. */
export interface LayoutUse {
  state?: boolean;
  lock?: boolean;
  holderPattern?: boolean;
}

/**
 * The names a host script uses, for its header (it builds its paths from `GH_STATE_DIR`); only
 * those it uses, so shellcheck can tell a name the script forgot from one it never needed.
 */
export function layoutAssignments(stateDir: string, use: LayoutUse): Record<string, string> {
  return {
    GH_STATE_DIR: stateDir,
    ...(use.state ? { GH_STATE_NAME: STATE_FILE } : {}),
    ...(use.lock ? { GH_LOCK_NAME: LOCK_FILE, GH_HOLDER_NAME: LOCK_HOLDER_FILE } : {}),
    ...(use.holderPattern ? { GH_HOLDER_PATTERN: LOCK_HOLDER_PATTERN } : {}),
  };
}
