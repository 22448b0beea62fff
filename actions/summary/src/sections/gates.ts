import { formatDuration } from '@gatehouse/action-kit';
import { shortSha } from '@gatehouse/action-kit/short-sha';
import type { HealthDeepGateRecord, SmokeCheckRecord } from '@gatehouse/records';
import { mark, type RenderContext } from '../context';
import { cell, code, table } from '../markdown';
import type { GateAttempt } from '../views';

// Every attempt of each gate: the one that judged the deploy, and the one after a rollback.

function heading(
  title: string,
  gate: GateAttempt<unknown>,
  attempts: number,
  rolledBack: boolean,
  verdict: string,
): string {
  const about = [
    attempts > 1 ? `attempt ${gate.attempt}` : undefined,
    gate.step ? `step ${code(gate.step)}` : undefined,
    rolledBack ? (gate.afterRollback ? 'after the rollback' : 'before the rollback') : undefined,
  ].filter(Boolean);
  return `### ${title}${about.length > 0 ? ` (${about.join(', ')})` : ''} — ${verdict}`;
}

export function smokeSection(
  gate: GateAttempt<SmokeCheckRecord>,
  attempts: number,
  rolledBack: boolean,
  ctx: RenderContext,
): string {
  const r = gate.record;
  const sorted = [...r.checks].sort((a, b) => Number(a.verdict === 'pass') - Number(b.verdict === 'pass'));
  const rows = sorted.map((c) => [
    cell(c.name),
    `${mark(c.verdict === 'pass')} ${c.verdict}`,
    c.status === null ? 'no answer' : String(c.status),
    c.status === null ? '—' : `${Math.round(c.latencyMs)} ms`,
    String(c.attempts),
    cell(c.reason, 300),
    // `GET url → 200` is one request; a redirect adds a hop.
    c.chain.split(' → ').length > 2 ? cell(c.chain, 300) : '—',
  ]);
  const parts = [
    heading('Smoke check', gate, attempts, rolledBack, `${mark(r.passed)} ${r.passed ? 'passed' : 'failed'}`),
    `${code(r.target)} · ${r.checks.length} check${r.checks.length === 1 ? '' : 's'} · ${r.passed ? 'held' : 'still failing'} after ${formatDuration(r.elapsedMs)}${r.expectedSha ? ` · expected commit ${code(shortSha(r.expectedSha))}` : ''}`,
    table(
      ['Check', 'Verdict', 'HTTP', 'Latency', 'Attempts', 'Reason', 'Redirects'],
      rows,
      ctx.maxRows,
      (n) => `${n} more checks not shown (failures first); all are in smoke-check's record.`,
    ),
  ];
  if (r.problems.length > 0) parts.push(r.problems.map((p) => `- ${cell(p, 500)}`).join('\n'));
  return parts.join('\n\n');
}

const VERDICT: Record<HealthDeepGateRecord['verdict'], string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  critical: '🛑 critical',
};
const STATE: Record<HealthDeepGateRecord['checks'][number]['state'], string> = {
  ok: '✅',
  degraded: '⚠️',
  fail: '❌',
  critical: '🛑',
};

export function deepSection(
  gate: GateAttempt<HealthDeepGateRecord>,
  attempts: number,
  rolledBack: boolean,
  ctx: RenderContext,
): string {
  const r = gate.record;
  const parts = [
    heading('Deep health gate', gate, attempts, rolledBack, VERDICT[r.verdict]),
    `${code(r.url)} · ${r.attempts} attempt${r.attempts === 1 ? '' : 's'} over ${formatDuration(r.elapsedMs)}`,
  ];
  // The reasons come first: "the app reports environment 'stage', expected 'dev'" is the news.
  if (r.reasons.length > 0) parts.push(r.reasons.map((reason) => `- **${cell(reason, 500)}**`).join('\n'));
  const served = (value: string | number | null) => (value === null ? '—' : code(String(value)));
  const fields = [
    ['HTTP status', served(r.httpStatus), '2xx'],
    ['status', served(r.status), 'ok'],
    ['environment', served(r.environment), served(r.expectedEnvironment)],
    ['commit', served(r.sha), served(r.expectedSha)],
    ['schema version', served(r.schemaVersion), served(r.schemaExpectation)],
  ].filter(([, said, expected]) => said !== '—' || expected !== '—');
  parts.push(table(['Field', 'The app said', 'Expected'], fields, fields.length));
  if (r.checks.length > 0) {
    const rows = r.checks.map((c) => [
      cell(c.name),
      `${STATE[c.state]} ${cell(c.status)}`,
      c.required ? 'yes' : '—',
    ]);
    parts.push(table(['Check', 'Status', 'Required'], rows, ctx.maxRows));
  }
  return parts.join('\n\n');
}
