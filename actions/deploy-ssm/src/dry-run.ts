import * as core from '@actions/core';
import { ActionFailure, appendSummary, log } from '@gatehouse/action-kit';
import { shortSha } from '@gatehouse/action-kit/short-sha';
import { abbreviate } from '@gatehouse/command-runner';
import { type DeployVersion, readHostStates, scriptForDisplay, shortVersion } from '@gatehouse/host-script';
import { type PlanRow, writeRecord } from '@gatehouse/records';
import { plannedWaves, versionRecord } from '@gatehouse/records/host-rows';
import type { Deps } from './run';
import type { Settings } from './settings';

/**
 * `dry-run: true`: the hosts are resolved and checked online, each one's deploy-state.json is
 * read by a read-only script, and the plan is printed: the waves and their hosts, each host's
 * from → to, and the exact script. Nothing on any host changes.
 */
export async function dryRun(
  settings: Settings,
  deps: Deps,
  plan: { hosts: string[]; waves: string[][]; script: string; version: DeployVersion; verified: string },
): Promise<void> {
  const states = await readHostStates(deps.runner, plan.hosts, {
    stateDir: settings.stateDir,
    maxConcurrency: settings.maxConcurrency,
    deliveryTimeoutMs: settings.deliveryTimeoutMs,
    comment: 'gatehouse dry run: read deploy-state.json (read only)',
  });
  const to = plan.version.imageTag ?? shortSha(plan.version.sha) ?? '?';
  const rows: PlanRow[] = plan.waves.flatMap((hosts, i) =>
    hosts.map((host) => {
      const read = states.find((s) => s.host === host);
      const current = read?.state?.current;
      const from = read?.error
        ? `unreadable (${read.error})`
        : current
          ? shortVersion(current)
          : 'nothing recorded';
      return {
        host,
        wave: i + 1,
        from,
        to,
        current: current ?? null,
        error: read?.error ?? null,
      };
    }),
  );
  log.info(`Dry run: nothing is changed on any host. The plan (${plan.waves.length} wave(s)):`);
  for (const [i, hosts] of plan.waves.entries()) {
    log.info(`Wave ${i + 1} of ${plan.waves.length}: ${hosts.length} host(s): ${abbreviate(hosts)}`);
    for (const row of rows.filter((r) => r.wave === i + 1))
      log.info(`  ${row.host}: ${row.from} → ${row.to}`);
  }
  log.info(
    `Each host checks: ${plan.verified || 'nothing (no verify-command or verify-url)'}` +
      `${settings.bakeMs > 0 ? `; each wave but the last bakes ${settings.bakeMs / 1000}s, then verifies again` : ''}.`,
  );
  log.verbatimGroup(
    'The script each host would run',
    scriptForDisplay(plan.script, {
      'deploy commands': settings.commands,
      'verify-command': settings.verifyCommand,
    }),
  );

  const waves = plannedWaves(plan.waves);
  core.setOutput('command-id', '');
  core.setOutput('status', 'dry-run');
  core.setOutput('results', JSON.stringify(rows));
  core.setOutput('deployed', 'null');
  core.setOutput('previous', 'null');
  core.setOutput('changed-hosts', '[]');
  core.setOutput('waves', JSON.stringify(waves));
  await appendSummary(
    `### deploy-ssm: dry run (${settings.environment})\n\nNothing was changed. ${plan.hosts.length} host(s) in ` +
      `${plan.waves.length} wave(s) would go to \`${to}\`.\n\n| host | wave | from | to |\n|---|---|---|---|\n` +
      rows
        .map((r) => `| \`${r.host}\` | ${r.wave} | ${r.from.replace(/\|/g, '\\|')} | ${r.to} |`)
        .join('\n') +
      '\n',
  );
  await writeRecord('deploy-ssm', {
    status: 'dry-run',
    dryRun: true,
    environment: settings.environment,
    mode: settings.mode,
    version: versionRecord(plan.version),
    commandIds: [],
    runId: deps.run.runId,
    hosts: plan.hosts,
    verification: plan.verified,
    waves,
    changedHosts: [],
    deployed: null,
    previous: null,
    previousDiffers: false,
    results: [],
    plan: rows,
  });
  const unreadable = rows.filter((r) => r.error);
  if (unreadable.length > 0) {
    throw new ActionFailure(
      `Dry run: deploy-state.json could not be read on ${unreadable.length} host(s), so a deploy there would ` +
        `fail or guess: ${unreadable.map((r) => `${r.host} (${r.error})`).join('; ')}. Nothing was changed.`,
    );
  }
}
