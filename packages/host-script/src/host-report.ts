import { formatDuration } from '@gatehouse/action-kit/duration';
import { shortSha } from '@gatehouse/action-kit/short-sha';
import { abbreviate, type HostResult } from '@gatehouse/command-runner';
import type { DeployStateEntry } from './deploy-state';
import { parseScriptReport, type ScriptReport } from './report';

/**
 * The one per-host report of a deploy or a rollback: what happened on each host, in words, for
 * the log table, the job summary, the failure message and the result record.
 */
export interface HostOutcome {
  result: HostResult;
  report: ScriptReport;
  /** The wave the host was in (1-based). */
  wave?: number;
  /** Why the verification run again at the end of the wave's bake failed, when it did. */
  reverifyFailed?: string;
}

export type ChangeKind = 'deploy' | 'rollback';

export function outcomeOf(result: HostResult, wave?: number): HostOutcome {
  return {
    result,
    report: parseScriptReport(`${result.stdout}\n${result.stderr}`),
    ...(wave !== undefined ? { wave } : {}),
  };
}

/** Adds the re-verification after a bake: a host that fails it has failed. */
export function withReverification(outcome: HostOutcome, again: HostResult | undefined): HostOutcome {
  if (!again || again.status === 'Success') return outcome;
  const report = parseScriptReport(`${again.stdout}\n${again.stderr}`);
  return {
    ...outcome,
    reverifyFailed: report.verifyFailed ?? `${again.status} (${again.statusDetails}) when verifying again`,
  };
}

export function succeeded(outcome: HostOutcome): boolean {
  return outcome.result.status === 'Success' && outcome.reverifyFailed === undefined;
}

/**
 * Whether the script may have changed the host. It prints the version it replaces just before it
 * changes anything, so that line means yes. A script that ended on its own without it stopped
 * before (lock busy, a missing tool, an unreadable state file). One that never ended on its own
 * (killed, its agent gone, cancelled, timed out) after it started may have changed it.
 */
export function mayHaveChanged(outcome: HostOutcome): boolean {
  const { result, report } = outcome;
  if (report.previous !== undefined) return true;
  if (!result.started || report.lockHolder !== undefined) return false;
  return result.exitCode === null;
}

/** A host this run changed, and what it ran before (undefined: the run cannot tell). */
export interface ChangedHost {
  host: string;
  /** The host's current version before the change; null when it had none (a first deploy). */
  previous: DeployStateEntry | null;
  /** True when the script was cut off before it said; read the host's deploy-state.json. */
  previousUnknown?: boolean;
  wave?: number;
}

export function changedHosts(outcomes: readonly HostOutcome[]): ChangedHost[] {
  return outcomes.filter(mayHaveChanged).map((o) => ({
    host: o.result.host,
    previous: o.report.previous ?? null,
    ...(o.report.previous === undefined ? { previousUnknown: true } : {}),
    ...(o.wave !== undefined ? { wave: o.wave } : {}),
  }));
}

/** What happened on one host, in words, for the table and the failure message. */
export function describeOutcome(
  outcome: HostOutcome,
  lockTimeoutMs: number,
  kind: ChangeKind = 'deploy',
): string {
  const { result, report } = outcome;
  if (report.lockHolder !== undefined) {
    return `another deploy held the lock for longer than lock-timeout (${formatDuration(lockTimeoutMs)}); holder: ${report.lockHolder}`;
  }
  if (outcome.reverifyFailed !== undefined) {
    return `${kind === 'rollback' ? 'rolled back' : 'deployed'} and verified, but the verification at the end of the bake failed: ${outcome.reverifyFailed}`;
  }
  if (report.verifyFailed !== undefined) {
    return `${kind === 'rollback' ? 'rolled back' : 'deployed'} (recorded), but its verification failed: ${report.verifyFailed}`;
  }
  const exit = result.exitCode === null ? '' : `, exit ${result.exitCode}`;
  const halfDone = 'the host may be half-changed: check it and its deploy-state.json';
  const meanings: Record<string, string> = {
    Success: `${kind === 'rollback' ? 'rolled back' : 'deployed'}${report.verified ? `, verified: ${report.verified}` : ''}`,
    Failed: `the ${kind} script failed`,
    ExecutionTimedOut: `ran longer than execution-timeout and was stopped; ${halfDone}`,
    DeliveryTimedOut: result.started
      ? `the SSM agent stopped answering after the script started (agent died, host rebooted or lost its network); ${halfDone}`
      : 'SSM did not deliver the command within delivery-timeout (agent offline or busy); nothing ran here',
    TimedOut: result.started ? `timed out; ${halfDone}` : 'timed out before it started; nothing ran here',
    Cancelled:
      result.statusDetails === 'NotSent'
        ? 'not started: the rollout stopped (an earlier failure, past max-errors or in an earlier wave)'
        : result.started
          ? `cancelled while it ran; ${halfDone}`
          : 'cancelled before it started; nothing ran here',
    Undeliverable:
      'SSM could not deliver the command (agent offline, instance stopped, or no permission); nothing ran here',
    Terminated: 'not run: its command passed MaxErrors and SSM cancelled the hosts it had not started',
  };
  return `${meanings[result.status] ?? result.status} (${result.statusDetails}${exit})`;
}

export function shortVersion(entry: { sha: string | null; imageTag: string | null }): string {
  return entry.imageTag ?? shortSha(entry.sha ?? undefined) ?? '?';
}

/** A fixed-width table for the log: one row per host. */
export function hostTable(
  outcomes: readonly HostOutcome[],
  lockTimeoutMs: number,
  kind: ChangeKind = 'deploy',
): string {
  const rows = outcomes.map((o) => [
    o.result.host,
    o.result.status,
    o.result.exitCode === null ? '-' : String(o.result.exitCode),
    o.report.previous ? shortVersion(o.report.previous) : '-',
    describeOutcome(o, lockTimeoutMs, kind),
  ]);
  const header = ['host', 'status', 'exit', 'replaced', 'what happened'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Markdown for the job summary; hosts that simply succeeded are folded into one line past 20. */
export function summaryTable(
  outcomes: readonly HostOutcome[],
  lockTimeoutMs: number,
  kind: ChangeKind = 'deploy',
): string {
  const shown = outcomes.length > 20 ? outcomes.filter((o) => !succeeded(o)) : outcomes;
  const folded = outcomes.length - shown.length;
  return [
    '| host | wave | status | exit | what happened |',
    '|---|---|---|---|---|',
    ...shown.map(
      (o) =>
        `| \`${o.result.host}\` | ${o.wave ?? '-'} | ${o.result.status} | ${o.result.exitCode ?? '-'} | ${cell(describeOutcome(o, lockTimeoutMs, kind))} |`,
    ),
    ...(folded > 0
      ? [`| ${folded} more | | Success | 0 | ${kind === 'rollback' ? 'rolled back' : 'deployed'} |`]
      : []),
  ].join('\n');
}

/**
 * A failed host's output, for a collapsed group in the log (the action prints it: this library
 * does not speak the runner protocol), saying where the whole of it is when SSM cut it.
 */
export function outputBlock({ result }: HostOutcome): { title: string; text: string } {
  const lines: string[] = [];
  if (result.stdout) lines.push(result.stdout);
  if (result.stderr) lines.push(`--- stderr ---\n${result.stderr}`);
  if (result.outputTruncated) {
    lines.push(
      `(SSM cut this output: it keeps 24,000 characters of stdout and 8,000 of stderr` +
        `${result.outputLocation ? `; the whole output is in ${result.outputLocation}` : '; set cloudwatch-log-group or output-s3-bucket to keep all of it'})`,
    );
  } else if (result.outputLocation) {
    lines.push(`(whole output: ${result.outputLocation})`);
  }
  return { title: `Output of ${result.host} (${result.status})`, text: lines.join('\n') };
}

/** How many failed hosts' own output a failure message quotes; the rest are in the log and summary. */
const SHOWN_OUTPUTS = 3;

/**
 * The last lines a failed host's commands printed (stderr first, else stdout), without the
 * deploy script's own narration and report lines (`gatehouse: …`, `gatehouse::…`); undefined for
 * a host that succeeded or never started.
 */
export function lastOutputLines(outcome: HostOutcome, count: number): string[] | undefined {
  const { result } = outcome;
  if (succeeded(outcome) || !result.started) return undefined;
  const pick = (text: string) =>
    text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('gatehouse:'));
  const fromStderr = pick(result.stderr);
  const lines = (fromStderr.length > 0 ? fromStderr : pick(result.stdout)).slice(-count);
  return lines.length > 0 ? lines : undefined;
}

/** lastOutputLines on one line, at most 300 characters, for a failure message. */
function failureOutput(outcome: HostOutcome): string | undefined {
  const tail = lastOutputLines(outcome, 3)?.join(' ⏎ ');
  if (tail === undefined) return undefined;
  return tail.length > 300 ? `…${tail.slice(-299)}` : tail;
}

/**
 * The failure message's list: each host that failed and why (at most `limit`), then the hosts
 * never started because the rollout stopped.
 */
export function failureList(
  outcomes: readonly HostOutcome[],
  lockTimeoutMs: number,
  kind: ChangeKind = 'deploy',
  limit = 20,
): string {
  const notStarted = outcomes.filter((o) => o.result.statusDetails === 'NotSent').map((o) => o.result.host);
  const failed = outcomes.filter((o) => !succeeded(o) && o.result.statusDetails !== 'NotSent');
  const parts = failed.slice(0, limit).map((o, i) => {
    // The tool's own words for the first few: what a person fixes is usually in its last line.
    const said = i < SHOWN_OUTPUTS ? failureOutput(o) : undefined;
    return `${o.result.host}: ${describeOutcome(o, lockTimeoutMs, kind)}${said ? ` — last output: ${said}` : ''}`;
  });
  if (failed.length > limit) parts.push(`and ${failed.length - limit} more failed (see the results output)`);
  if (notStarted.length > 0) {
    parts.push(`not started, the rollout having stopped: ${abbreviate(notStarted)}`);
  }
  return parts.join('; ');
}
