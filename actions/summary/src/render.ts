import type { DbBootstrapRecord, PreflightRecord } from '@gatehouse/records';
import { schemaChanged } from '@gatehouse/records';
import type { RenderContext } from './context';
import { cell, code, fitSummary, link, table } from './markdown';
import { OUTCOME_TEXT, type Verdict } from './outcome';
import { deepSection, smokeSection } from './sections/gates';
import { deploySection, rollbackSection } from './sections/rollout';
import { standingSection } from './sections/standing';
import { stepsSection } from './sections/steps';
import { wayBackSection } from './sections/way-back';
import type { JobView } from './views';

export type { RenderContext };

export const MAX_BYTES_DEFAULT = 1_000_000;

function commitLink(sha: string | undefined, ctx: RenderContext): string {
  if (!sha) return '— (no resolve-ref record)';
  const url = /^[0-9a-f]{40}$/i.test(sha) ? `${ctx.serverUrl}/${ctx.repository}/commit/${sha}` : undefined;
  return link(code(sha), url);
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

function preflightSection(preflight: PreflightRecord, ctx: RenderContext): string | undefined {
  const failures = preflight.hosts.flatMap((h) =>
    h.checks
      .filter((c) => c.verdict === 'fail')
      .map((c) => [code(h.host), cell(c.check), cell(c.reason, 300)]),
  );
  if (preflight.passed) return undefined;
  if (failures.length === 0) return '### Preflight — ❌ failed\n\n_No host reported a failed check._';
  return `### Preflight — ❌ failed\n\n${table(['Host', 'Check', 'Reason'], failures, ctx.maxRows)}`;
}

function databaseSection(db: DbBootstrapRecord): string {
  const version =
    db.versionBefore === null && db.versionAfter === null
      ? '—'
      : `${code(db.versionBefore ?? 'no version')} → ${code(db.versionAfter ?? 'no version')}${schemaChanged(db) ? '' : ' (unchanged)'}`;
  const rows = [
    ['Schema state', cell(db.schemaState ?? undefined)],
    ['Action taken', cell(db.actionTaken)],
    ['Version', version],
    ['Backup', code(db.backupFile ?? undefined)],
  ];
  const parts = [
    `### Database — ${db.status === 'failed' ? '❌ failed' : '✅'} ${db.tool}, ${db.mode}`,
    table(['Field', 'Value'], rows, rows.length),
  ];
  if (db.reason) parts.push(`db-bootstrap: ${cell(db.reason, 500)}`);
  return parts.join('\n\n');
}

/** The deploy, the gates and the rollback in the order they ran, each gate attempt on its own. */
function storySections(job: JobView, ctx: RenderContext): string[] {
  const rolledBack = job.rollback !== undefined;
  const parts: { at: string; text: string }[] = [];
  for (const gate of job.smoke) {
    parts.push({ at: gate.record.startedAt, text: smokeSection(gate, job.smoke.length, rolledBack, ctx) });
  }
  for (const gate of job.deep) {
    parts.push({ at: gate.record.startedAt, text: deepSection(gate, job.deep.length, rolledBack, ctx) });
  }
  if (job.rollback) parts.push({ at: job.rollback.startedAt, text: rollbackSection(job.rollback, ctx) });
  parts.sort((a, b) => a.at.localeCompare(b.at));
  return [...(job.deploy ? [deploySection(job.deploy, ctx)] : []), ...parts.map((p) => p.text)];
}

function problemsSection(job: JobView): string | undefined {
  if (job.problems.length === 0) return undefined;
  const lines = job.problems.map((p) => `- ${code(p.file)} ${cell(p.problem, 500)}`);
  return `### Records that could not be read\n\n${lines.join('\n')}`;
}

export function renderSummary(job: JobView, verdict: Verdict, ctx: RenderContext): string {
  const { icon, words } = OUTCOME_TEXT[verdict.outcome];
  const env = job.ref.environment ?? 'unknown environment';
  const trigger = ctx.actor
    ? `triggered by ${ctx.actor}${job.ref.event ? ` (${job.ref.event})` : ''}${ctx.triggeringActor && ctx.triggeringActor !== ctx.actor ? `, this attempt by ${ctx.triggeringActor}` : ''}`
    : undefined;
  const links = [
    ctx.runUrl && link('workflow run', ctx.runUrl),
    trigger,
    ctx.environmentUrl && link(ctx.environmentUrl, ctx.environmentUrl),
    ctx.deploymentId !== undefined && `GitHub deployment ${ctx.deploymentId}`,
  ].filter(Boolean);
  const parts = [`## ${icon} ${env}: ${words}`, verdict.sentence];
  if (job.problems.length > 0) {
    parts.push(
      `> ⚠️ ${job.problems.length} result record${job.problems.length === 1 ? '' : 's'} could not be read (listed at the end): what ${job.problems.length === 1 ? 'it says is' : 'they say is'} missing here.`,
    );
  }
  if (links.length > 0) parts.push(links.join(' · '));
  parts.push(
    ...[
      standingSection(job, ctx),
      wayBackSection(job, ctx),
      refSection(job, ctx),
      job.preflight && preflightSection(job.preflight, ctx),
      job.database && databaseSection(job.database),
      ...storySections(job, ctx),
      stepsSection(job.steps, ctx),
      problemsSection(job),
    ].filter((part): part is string => typeof part === 'string'),
  );
  return fitSummary(`${parts.join('\n\n')}\n`, ctx.maxBytes);
}
