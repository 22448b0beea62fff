import { formatDuration } from '@gatehouse/action-kit';
import type { HostResult } from '@gatehouse/command-runner';
import type { ScriptReport } from '@gatehouse/host-script';

export interface HostOutcome {
  result: HostResult;
  report: ScriptReport;
}

/** What happened on one host, in words, for the table and the failure message. */
export function describeOutcome({ result, report }: HostOutcome, lockTimeoutMs: number): string {
  if (report.lockHolder !== undefined) {
    return `another deploy held the lock for longer than lock-timeout (${formatDuration(lockTimeoutMs)}); holder: ${report.lockHolder}`;
  }
  const exit = result.exitCode === null ? '' : `, exit ${result.exitCode}`;
  const meanings: Record<string, string> = {
    Success: 'deployed',
    Failed: 'the deploy script failed',
    ExecutionTimedOut: 'ran longer than execution-timeout and was stopped',
    DeliveryTimedOut: 'SSM did not deliver the command within delivery-timeout (agent offline?)',
    TimedOut: 'timed out',
    Cancelled:
      result.statusDetails === 'NotSent' ? 'not started: the rollout stopped at max-errors' : 'cancelled',
    Undeliverable: 'SSM could not deliver the command (agent offline, instance stopped, or no permission)',
    Terminated:
      'stopped by SSM: the rollout passed max-errors before this host ran, or the instance was terminated',
  };
  return `${meanings[result.status] ?? result.status} (${result.statusDetails}${exit})`;
}

/** A fixed-width table for the log: one row per host. */
export function hostTable(outcomes: readonly HostOutcome[], lockTimeoutMs: number): string {
  const rows = outcomes.map((o) => [
    o.result.host,
    o.result.status,
    o.result.exitCode === null ? '-' : String(o.result.exitCode),
    o.report.previous ? shortVersion(o.report.previous) : '-',
    describeOutcome(o, lockTimeoutMs),
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

export function shortVersion(entry: { sha: string | null; imageTag: string | null }): string {
  return entry.imageTag ?? entry.sha?.slice(0, 12) ?? '?';
}

/** Markdown for the job summary. */
export function summaryTable(outcomes: readonly HostOutcome[], lockTimeoutMs: number): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    '| host | status | exit | what happened |',
    '|---|---|---|---|',
    ...outcomes.map(
      (o) =>
        `| \`${o.result.host}\` | ${o.result.status} | ${o.result.exitCode ?? '-'} | ${cell(describeOutcome(o, lockTimeoutMs))} |`,
    ),
  ].join('\n');
}
