import { shellScript } from '@gatehouse/command-runner';
import { type DeployStateEntry, DeployStateError, parseDeployState } from './deploy-state';
import { layoutAssignments } from './layout';

/**
 * What the host script says about itself, as `gatehouse::<what>::<value>` lines in its output:
 * `previous` (the version it replaced, early in the output so SSM's listing copy keeps it),
 * `deployed`, `failed`, `lock-busy` (the holder of the lock), `verified` / `verify-failed`.
 */
export interface ScriptReport {
  /**
   * undefined when the script never got that far; null when the host had no current version.
   * Printed just before the script starts changing the host: its presence means "changed".
   */
  previous?: DeployStateEntry | null;
  deployed?: DeployStateEntry;
  failedExitCode?: number;
  lockHolder?: string;
  /** What the on-host verification checked, when it passed. */
  verified?: string;
  /** Why it failed, when it did (the change itself succeeded and is recorded). */
  verifyFailed?: string;
}

const MARKER = /^gatehouse::(previous|deployed|failed|lock-busy|verified|verify-failed)::(.*)$/gm;

function entryLine(text: string): DeployStateEntry | null | undefined {
  try {
    return parseDeployState(`{"current":${text},"history":[]}`).current;
  } catch (error) {
    if (error instanceof DeployStateError) return undefined;
    throw error;
  }
}

export function parseScriptReport(output: string): ScriptReport {
  const report: ScriptReport = {};
  for (const [, what, value = ''] of output.matchAll(MARKER)) {
    if (what === 'previous') {
      // The script's own line comes before any user command could print a look-alike.
      const entry = report.previous === undefined ? entryLine(value) : undefined;
      if (entry !== undefined) report.previous = entry;
    } else if (what === 'deployed') {
      report.deployed = entryLine(value) ?? undefined;
    } else if (what === 'failed') {
      report.failedExitCode = Number(value);
    } else if (what === 'lock-busy') {
      report.lockHolder = value;
    } else if (what === 'verified') {
      report.verified = value;
    } else if (what === 'verify-failed') {
      report.verifyFailed = value;
    }
  }
  return report;
}

/**
 * A read-only script that prints the host's current and previous entries (one line each, so the
 * report fits SSM's short listing copy of the output). For rollback and the dry runs.
 */
export function buildStateReadScript(stateDir: string): string {
  return shellScript({
    purpose: 'read deploy-state.json (read only)',
    values: layoutAssignments(stateDir, { state: true }),
    bodies: [new URL('./state-lines.sh', import.meta.url), new URL('./read-state.sh', import.meta.url)],
  });
}

/** The entries printed by `buildStateReadScript`; `undefined` when the host has no state file. */
export interface StateReport {
  current: DeployStateEntry | null;
  previous: DeployStateEntry | null;
  /** The newest history entry: a failed attempt leaves `current` as it was but shows here. */
  last?: DeployStateEntry | null;
}

export function parseStateReport(output: string): StateReport | undefined {
  if (/^gatehouse::state::none$/m.test(output)) return undefined;
  const current = /^gatehouse::current::(.*)$/m.exec(output)?.[1];
  const previous = /^gatehouse::previous::(.*)$/m.exec(output)?.[1];
  if (current === undefined || previous === undefined) {
    throw new DeployStateError('the host printed no deploy-state report (was the output cut?)');
  }
  const state = parseDeployState(
    `{"current":${current || 'null'},"previous":${previous || 'null'},"history":[]}`,
  );
  // Newest history entry (absent from reports of older scripts): may be a failed attempt.
  const last = /^gatehouse::last::(.*)$/m.exec(output)?.[1];
  if (last === undefined) return { current: state.current, previous: state.previous };
  const lastEntry = parseDeployState(`{"current":${last || 'null'},"history":[]}`).current;
  return { current: state.current, previous: state.previous, last: lastEntry };
}
