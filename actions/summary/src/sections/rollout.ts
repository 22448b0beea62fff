import { formatDuration } from '@gatehouse/action-kit';
import type { DeploySsmRecord, HostRow, RollbackRecord, Wave } from '@gatehouse/records';
import { mark, type RenderContext, runLink } from '../context';
import { cell, code, link, table } from '../markdown';
import { versionText } from '../views';

// The deploy and the rollback: their commands, waves and hosts.

function commandLinks(commandIds: readonly string[], region: string | undefined): string {
  if (commandIds.length === 0) return 'no command was sent';
  return commandIds
    .map((id) => {
      // Local runs (`target: local`) have generated ids that no console knows.
      if (id.startsWith('local-')) return `local run ${code(id)}`;
      const url = region
        ? `https://${region}.console.aws.amazon.com/systems-manager/run-command/${id}?region=${region}`
        : undefined;
      return `SSM command ${link(code(id), url)}`;
    })
    .join(', ');
}

function wavesTable(waves: readonly Wave[], verification: string, ctx: RenderContext): string {
  const rows = waves.map((w) => [
    String(w.wave),
    `${w.hosts.length}: ${cell(w.hosts.slice(0, 5).join(', '))}${w.hosts.length > 5 ? ` and ${w.hosts.length - 5} more` : ''}`,
    `${w.outcome === 'passed' ? '✅' : w.outcome === 'failed' ? '❌' : '⚪'} ${w.outcome}`,
    w.durationMs === null ? '—' : formatDuration(w.durationMs),
    w.outcome === 'not-started' || w.outcome === 'planned'
      ? '—'
      : `${cell(verification || 'nothing (no verify-command or verify-url)')}${w.bakedMs ? `; again after a ${formatDuration(w.bakedMs)} bake` : ''}`,
  ]);
  return table(['Wave', 'Hosts', 'Outcome', 'Took', 'Verified on each host'], rows, ctx.maxRows);
}

function hostTable(rows: readonly HostRow[], ctx: RenderContext, source: string): string {
  if (rows.length === 0) return '_No host ran the command._';
  // Failed hosts first, so cutting a long fleet never hides the ones that matter.
  const sorted = [...rows].sort((a, b) => Number(a.status === 'Success') - Number(b.status === 'Success'));
  const lines = sorted.map((h) => [
    code(h.host),
    h.wave === null ? '—' : String(h.wave),
    `${mark(h.status === 'Success')} ${h.status}`,
    h.exitCode === null ? '—' : String(h.exitCode),
    code(versionText(h.previous)),
    code(versionText(h.deployed)),
    cell(
      [h.what, h.outputTail ? `last output: ${h.outputTail}` : '', h.outputLocation ?? '']
        .filter(Boolean)
        .join(' · '),
      400,
    ),
  ]);
  return table(
    ['Host', 'Wave', 'Status', 'Exit', 'Before', 'After', 'What happened'],
    lines,
    ctx.maxRows,
    (n) => `${n} more hosts not shown (failed hosts are listed first); every host is in ${source}'s record.`,
  );
}

export function deploySection(deploy: DeploySsmRecord, ctx: RenderContext): string {
  const what = versionText(deploy.version);
  if (deploy.dryRun) {
    const rows = deploy.plan.map((p) => [code(p.host), String(p.wave), cell(p.from), cell(p.to)]);
    return [
      `### Deploy — ⚪ dry run of ${code(what)}`,
      'Nothing was changed. The plan:',
      table(['Host', 'Wave', 'Runs now', 'Would run'], rows, ctx.maxRows),
    ].join('\n\n');
  }
  const ok = deploy.status === 'success';
  return [
    `### Deploy of ${code(what)} — ${mark(ok)} ${deploy.status}`,
    `${commandLinks(deploy.commandIds, ctx.region)} · ${deploy.hosts.length} host${deploy.hosts.length === 1 ? '' : 's'}, ${deploy.changedHosts.length} changed`,
    wavesTable(deploy.waves, deploy.verification, ctx),
    hostTable(deploy.results, ctx, 'deploy-ssm'),
  ].join('\n\n');
}

export function rollbackSection(rollback: RollbackRecord, ctx: RenderContext): string {
  const to = versionText(rollback.rolledBackTo);
  const region = rollback.region ?? ctx.region;
  if (rollback.nothing !== null) {
    return `### Rollback — ⚪ nothing to roll back\n\n${cell(rollback.nothing, 300)}${rollback.reason ? ` (it ran because: ${cell(rollback.reason, 300)})` : ''}`;
  }
  const parts = [
    `### Rollback to ${code(to)} — ${rollback.dryRun ? '⚪ dry run' : `${mark(rollback.status === 'success')} ${rollback.status}`}`,
    [
      rollback.reason ? `Because: ${cell(rollback.reason, 300)}` : undefined,
      rollback.undoes
        ? `undoing run ${link(code(rollback.undoes), runLink(ctx, rollback.undoes))}`
        : undefined,
      rollback.kind === 'platform' ? "the platform's own rollback command" : undefined,
      commandLinks(rollback.commandIds, region),
    ]
      .filter(Boolean)
      .join(' · '),
  ];
  if (rollback.waves.length > 0) parts.push(wavesTable(rollback.waves, rollback.verification, ctx));
  parts.push(hostTable(rollback.results, ctx, 'rollback'));
  return parts.join('\n\n');
}
