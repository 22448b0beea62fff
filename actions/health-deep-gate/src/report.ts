import type { HealthDeepGateRecord } from '@gatehouse/records';
import type { Verdict } from './judge';

/** The `report` output and the result record: the verdict, what the app said, and why. */
export type GateReport = HealthDeepGateRecord;

const cell = (text: string | number | null) =>
  text === null ? '—' : String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const ICON: Record<Verdict, string> = { pass: '✅ pass', fail: '❌ fail', critical: '🛑 CRITICAL' };
const STATE_ICON = { ok: '✅', degraded: '⚠️', fail: '❌', critical: '🛑' } as const;

export function summaryMarkdown(report: GateReport): string {
  const lines = [
    `### health-deep-gate ${ICON[report.verdict]} · ${cell(report.url)}`,
    '',
    ...(report.verdict === 'critical'
      ? ['> **The app is talking to the wrong environment.** Failed at once, without retries.', '']
      : []),
    '| field | served | expected |',
    '|---|---|---|',
    `| HTTP status | ${cell(report.httpStatus)} | 2xx |`,
    `| status | ${cell(report.status)} | ok |`,
    `| environment | ${cell(report.environment)} | ${cell(report.expectedEnvironment)} |`,
    `| commit | ${cell(report.sha)} | ${cell(report.expectedSha)} |`,
    `| schema version | ${cell(report.schemaVersion)} | ${cell(report.schemaExpectation)} |`,
    `| attempts | ${report.attempts} (${report.elapsedMs} ms) | |`,
    '',
  ];
  if (report.checks.length > 0) {
    lines.push('| check | status | required |', '|---|---|---|');
    for (const check of report.checks) {
      lines.push(
        `| ${cell(check.name)} | ${STATE_ICON[check.state]} ${cell(check.status)} | ${check.required ? 'yes' : ''} |`,
      );
    }
    lines.push('');
  }
  if (report.reasons.length > 0) lines.push(...report.reasons.map((reason) => `- ${cell(reason)}`), '');
  return lines.join('\n');
}
