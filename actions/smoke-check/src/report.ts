import { formatDuration } from '@gatehouse/action-kit';
import type { PollOutcome } from '@gatehouse/http-probe';
import type { SmokeCheckRow } from '@gatehouse/records';
import type { CheckSpec } from './checks-input';
import type { Finding } from './evaluate';

/** One row of the report, the summary table and the result record. */
export type CheckRow = SmokeCheckRow;

export function rowOf(check: CheckSpec, outcome: PollOutcome<Finding>): CheckRow {
  const passed = outcome.state === 'passed';
  const finding = outcome.last;
  const timedOut =
    !passed && outcome.state === 'timed-out'
      ? ` (still failing after ${formatDuration(outcome.elapsedMs)})`
      : '';
  return {
    name: check.name,
    verdict: passed ? 'pass' : 'fail',
    status: finding.status ?? null,
    latencyMs: finding.latencyMs,
    attempts: outcome.attempts,
    reason: passed ? '' : `${finding.reason}${timedOut}`,
    chain: finding.chain,
  };
}

/**
 * `HTTP 200 in 12 ms (3 attempts)`, or `no answer (21 attempts)`: a latency is shown only for an
 * answer, since the time it took a connection to be refused says nothing about the app.
 */
export function answerText(row: CheckRow): string {
  const attempts = `${row.attempts} attempt${row.attempts === 1 ? '' : 's'}`;
  return row.status === null
    ? `no answer (${attempts})`
    : `HTTP ${row.status} in ${row.latencyMs} ms (${attempts})`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function summaryMarkdown(
  passed: boolean,
  rows: readonly CheckRow[],
  problems: readonly string[],
  target: string,
): string {
  const lines = [
    `### smoke-check ${passed ? '✅ passed' : '❌ failed'} · ${cell(target)}`,
    '',
    '| check | verdict | status | latency | attempts | reason | redirect chain |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (row) =>
        `| ${cell(row.name)} | ${row.verdict === 'pass' ? '✅ pass' : '❌ fail'} | ${row.status ?? '—'} | ${row.status === null ? '—' : `${row.latencyMs} ms`} | ${row.attempts} | ${cell(row.reason) || '—'} | ${cell(row.chain)} |`,
    ),
    ...problems.map((problem) => `\n**${cell(problem)}**`),
    '',
  ];
  return lines.join('\n');
}
