import { formatDuration } from '@gatehouse/action-kit';
import { cell, code, fitSummary, link, table } from './markdown';
import { OUTCOME_TEXT, type Verdict } from './outcome';
import type { CheckRow, CommandView, DatabaseView, GateView, HostRow, JobView } from './views';

export interface RenderContext {
  serverUrl: string;
  repository: string;
  runUrl?: string;
  /** Used for console links when a record does not name its region. */
  region?: string;
  environmentUrl?: string;
  deploymentId?: number;
  /** When the summary's start step ran, if it did. */
  startedAt?: number;
  maxRows: number;
  maxBytes: number;
}

const MAX_BYTES_DEFAULT = 1_000_000;

export { MAX_BYTES_DEFAULT };

function mark(ok: boolean | undefined): string {
  return ok === undefined ? '⚪' : ok ? '✅' : '❌';
}

function isSuccess(status: string | undefined): boolean | undefined {
  return status === undefined ? undefined : status.toLowerCase() === 'success';
}

function commitLink(sha: string | undefined, ctx: RenderContext): string {
  if (!sha) return '— (no resolve-ref record)';
  const url = /^[0-9a-f]{40}$/i.test(sha) ? `${ctx.serverUrl}/${ctx.repository}/commit/${sha}` : undefined;
  return link(code(sha), url);
}

function commandLink(view: CommandView, ctx: RenderContext): string {
  if (!view.commandId) return 'command id: —';
  const region = view.region ?? ctx.region;
  // Local runs (`target: local`) have generated ids that no console knows.
  const url =
    region && !view.commandId.startsWith('local-')
      ? `https://${region}.console.aws.amazon.com/systems-manager/run-command/${view.commandId}?region=${region}`
      : undefined;
  return `${view.commandId.startsWith('local-') ? 'local run' : 'SSM command'} ${link(code(view.commandId), url)}`;
}

function hostTable(hosts: HostRow[], ctx: RenderContext, source: string): string {
  if (hosts.length === 0) return '_No per-host results were recorded._';
  // Failed hosts first, so cutting a long fleet never hides the ones that matter.
  const sorted = [...hosts].sort(
    (a, b) => Number(isSuccess(a.status) ?? false) - Number(isSuccess(b.status) ?? false),
  );
  const rows = sorted.map((h) => [
    code(h.host),
    `${mark(isSuccess(h.status))} ${cell(h.status)}`,
    cell(h.details && h.details !== h.status ? h.details : undefined),
    cell(h.exitCode),
    code(h.deployed),
    code(h.previous),
    cell(h.reason, 200),
  ]);
  return table(
    ['Host', 'Status', 'Details', 'Exit', 'Deployed', 'Previous', 'Note'],
    rows,
    ctx.maxRows,
    (n) =>
      `${n} more hosts not shown (failed hosts are listed first); every host is in ${source}'s \`results\` output.`,
  );
}

function refSection(job: JobView, ctx: RenderContext): string {
  const r = job.ref;
  const rows = [
    ['Commit', commitLink(r.sha, ctx)],
    ['Resolved ref', `${code(r.ref)}${r.source ? ` (source: ${r.source})` : ''}`],
    ['Ref name', code(r.refName)],
    ['Input ref', code(r.inputRef)],
    ['Event', code(r.event)],
    ['github_ref', code(r.githubRef)],
    ['github_ref_name', code(r.githubRefName)],
    ['Image tag', code(r.imageTag)],
  ];
  return `### The commit\n\n${table(['Field', 'Value'], rows, rows.length)}`;
}

function checkTable(checks: CheckRow[], ctx: RenderContext, source: string): string {
  if (checks.length === 0) return '_No per-check rows were recorded._';
  const sorted = [...checks].sort((a, b) => Number(a.ok ?? true) - Number(b.ok ?? true));
  const rows = sorted.map((c) => [
    cell(c.name),
    `${mark(c.ok)} ${cell(c.verdict ?? (c.ok === undefined ? undefined : c.ok ? 'pass' : 'fail'))}`,
    cell(c.status),
    c.latencyMs === undefined ? '—' : `${Math.round(c.latencyMs)} ms`,
    c.attempts === undefined ? '—' : String(c.attempts),
    cell(c.reason, 200),
    cell(c.redirects, 200),
  ]);
  return table(
    ['Check', 'Verdict', 'HTTP', 'Latency', 'Attempts', 'Reason', 'Redirects'],
    rows,
    ctx.maxRows,
    (n) => `${n} more checks not shown (failures first); all are in ${source}'s \`report\` output.`,
  );
}

function gateSection(
  title: string,
  gate: GateView,
  job: JobView,
  ctx: RenderContext,
  source: string,
): string {
  const rolledBackBefore =
    job.rollback?.writtenAt !== undefined &&
    gate.writtenAt !== undefined &&
    gate.writtenAt > job.rollback.writtenAt;
  const verdict =
    gate.verdict ?? (gate.ok === undefined ? 'no verdict recorded' : gate.ok ? 'passed' : 'failed');
  const heading = `### ${title}${rolledBackBefore ? ' (after the rollback)' : ''} — ${mark(gate.ok)} ${verdict}`;
  const reason = gate.reason ? `\n\n${cell(gate.reason, 500)}` : '';
  return `${heading}${reason}\n\n${checkTable(gate.checks, ctx, source)}`;
}

/**
 * db-bootstrap's own restore command when it recorded one. Otherwise the usual one for its
 * `pg_dump -Fc` files, with the path written in only when it needs no quoting (this is shown to a
 * person, never run; an odd path is left for them to fill in).
 */
export function restoreCommand(db: DatabaseView): string | undefined {
  if (db.restoreCommand) return db.restoreCommand;
  if (!db.backupFile) return undefined;
  const file = /^[A-Za-z0-9._/+-]+$/.test(db.backupFile) ? db.backupFile : '<backup file>';
  return `pg_restore --clean --if-exists --single-transaction --dbname "$DATABASE_URL" ${file}`;
}

function databaseSection(db: DatabaseView, job: JobView): string {
  const version =
    db.versionBefore === undefined && db.versionAfter === undefined
      ? '—'
      : `${code(db.versionBefore)} → ${code(db.versionAfter)}${db.changed ? '' : ' (unchanged)'}`;
  const rows = [
    ['Schema state', cell(db.schemaState)],
    ['Action taken', cell(db.actionTaken)],
    ['Version', version],
    ['Backup', code(db.backupFile)],
  ];
  const restore = restoreCommand(db);
  const parts = ['### Database', table(['Field', 'Value'], rows, rows.length)];
  if (db.reason) parts.push(`db-bootstrap: ${cell(db.reason, 500)}`);
  if (restore && (job.rollback || db.failed)) {
    const why =
      job.rollback && db.changed
        ? 'Rolling back the code did not roll back the schema. If the previous version cannot run on it, restore the backup taken before the migration:'
        : 'To restore the backup taken before this deploy:';
    parts.push(`> ${why}\n>\n> \`\`\`\n> ${restore}\n> \`\`\``);
  }
  return parts.join('\n\n');
}

function rollbackSection(job: JobView, ctx: RenderContext): string {
  const rb = job.rollback!;
  const lines = [
    `### Rollback — ${mark(rb.succeeded)} ${rb.status ?? 'no status recorded'}`,
    `Rolled back to ${code(rb.rolledBackTo)}${rb.reason ? ` because: ${cell(rb.reason, 300)}` : ''} · ${commandLink(rb, ctx)}`,
    hostTable(rb.hosts, ctx, 'rollback'),
  ];
  return lines.join('\n\n');
}

function timeSection(job: JobView, ctx: RenderContext): string {
  const rows = job.phases.map((p) => [
    p.action,
    mark(p.ok),
    p.durationMs === undefined ? '—' : `${p.approximate ? '≈ ' : ''}${formatDuration(p.durationMs)}`,
  ]);
  const timed = job.phases.filter((p) => p.writtenAt !== undefined);
  const first = timed[0];
  const last = timed.at(-1);
  let totalLine = '';
  if (ctx.startedAt !== undefined && last) {
    totalLine = `\n\nTotal: ${formatDuration(last.writtenAt! - ctx.startedAt)} (from the summary start step to ${last.action} finishing)`;
  } else if (first && last && first !== last) {
    totalLine = `\n\nTotal: ${formatDuration(last.writtenAt! - first.writtenAt!)} (from ${first.action} finishing to ${last.action} finishing)`;
  }
  const note = job.phases.some((p) => p.approximate)
    ? '\n\n_≈: the time since the previous step finished (the step did not record its own duration)._'
    : '';
  return `### Time\n\n${table(['Phase', 'Result', 'Duration'], rows, ctx.maxRows)}${totalLine}${note}`;
}

export function renderSummary(job: JobView, verdict: Verdict, ctx: RenderContext): string {
  const { icon, words } = OUTCOME_TEXT[verdict.outcome];
  const env = job.ref.environment ?? 'unknown environment';
  const links = [
    ctx.runUrl && link('workflow run', ctx.runUrl),
    ctx.environmentUrl && link(ctx.environmentUrl, ctx.environmentUrl),
    ctx.deploymentId !== undefined && `GitHub deployment ${ctx.deploymentId}`,
  ].filter(Boolean);
  const parts = [`## ${icon} ${env}: ${words}`, verdict.sentence];
  if (links.length > 0) parts.push(links.join(' · '));
  parts.push(refSection(job, ctx));
  if (job.preflight?.passed === false && job.preflight.failures.length > 0) {
    const rows = job.preflight.failures.map((f) => [code(f.host), cell(f.check), cell(f.reason, 300)]);
    parts.push(`### Preflight — ❌ failed\n\n${table(['Host', 'Check', 'Reason'], rows, ctx.maxRows)}`);
  }
  if (job.database) parts.push(databaseSection(job.database, job));
  if (job.deploy) {
    const d = job.deploy;
    parts.push(
      `### Deploy — ${mark(isSuccess(d.status))} ${d.status ?? 'no status recorded'}\n\n${commandLink(d, ctx)} · ${d.hosts.length} host${d.hosts.length === 1 ? '' : 's'}\n\n${hostTable(d.hosts, ctx, 'deploy-ssm')}`,
    );
  }
  if (job.smoke) parts.push(gateSection('Smoke check', job.smoke, job, ctx, 'smoke-check'));
  if (job.deepGate) parts.push(gateSection('Deep health gate', job.deepGate, job, ctx, 'health-deep-gate'));
  if (job.rollback) parts.push(rollbackSection(job, ctx));
  if (job.phases.length > 0) parts.push(timeSection(job, ctx));
  return fitSummary(`${parts.join('\n\n')}\n`, ctx.maxBytes);
}
