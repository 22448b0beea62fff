import * as core from '@actions/core';
import { ActionFailure, appendSummary, writeResultRecord } from '@gatehouse/action-kit';
import {
  base64Decoded,
  type CommandRunner,
  type RunResult,
  shellAssignments,
} from '@gatehouse/command-runner';
import {
  buildDeployScript,
  type DeployVersion,
  parseScriptReport,
  type RunIdentity,
} from '@gatehouse/host-script';
import { describeVersion } from './choose-version';
import { databaseNote } from './database-note';
import type { GithubLookups } from './github';
import type { Settings } from './settings';
import { targetVersion } from './target-version';

export interface Deps {
  runner: CommandRunner;
  run: RunIdentity & { repository: string };
  /** Created only when `to` needs the GitHub API. */
  github: () => Promise<GithubLookups>;
  /** Result records of earlier steps (resolve-ref, db-bootstrap), as read at start. */
  records: Record<string, Record<string, unknown>>;
  region?: string;
}

export async function run(settings: Settings, deps: Deps): Promise<void> {
  const fromSha = deps.records['resolve-ref']?.sha;
  const rollingBackFrom = typeof fromSha === 'string' ? fromSha : undefined;
  if (settings.command) {
    await platformRollback(settings, deps);
  } else {
    const target = await targetVersion(settings, {
      runner: deps.runner,
      github: deps.github,
      environment: deps.run.environment,
      rollingBackFrom,
    });
    core.info(`Rolling back ${deps.run.environment} to ${describeVersion(target.version)} (${target.why})`);
    await hostRollback(settings, deps, target.version);
  }
}

/** The deploy's own host script, with outcome `rollback`: same lock, same steps, same state file. */
async function hostRollback(settings: Settings, deps: Deps, chosen: DeployVersion): Promise<void> {
  const version = settings.image && !chosen.image ? { ...chosen, image: settings.image } : chosen;
  const script = buildDeployScript({
    mode: settings.mode,
    version,
    appDir: settings.appDir,
    stateDir: settings.stateDir,
    commands: settings.commands,
    run: deps.run,
    envFile: settings.envFile,
    imageTagKey: settings.imageTagKey,
    force: settings.force,
    lockTimeoutSeconds: Math.ceil(settings.lockTimeoutMs / 1000),
    historySize: settings.historySize,
    kind: 'rollback',
  });
  const result = await deps.runner.run({
    script,
    comment:
      settings.comment ??
      `rollback ${deps.run.repository} to ${describeVersion(version)} #${deps.run.runId}`.slice(0, 100),
    executionTimeoutMs: settings.executionTimeoutMs,
    deliveryTimeoutMs: settings.deliveryTimeoutMs,
    maxConcurrency: settings.maxConcurrency,
    maxErrors: settings.maxErrors,
    onSent: (commandId) => core.info(`Command ${commandId} sent; waiting for every host to finish`),
  });
  const rows = result.hosts.map((host) => {
    const report = parseScriptReport(`${host.stdout}\n${host.stderr}`);
    return {
      host: host.host,
      status: host.status,
      statusDetails: host.statusDetails,
      exitCode: host.exitCode,
      deployed: report.deployed ?? null,
      previous: report.previous ?? null,
      ...(report.lockHolder !== undefined ? { lockHolder: report.lockHolder } : {}),
      outputTail: host.status === 'Success' ? '' : lastLines(host.stderr || host.stdout, 5),
    };
  });
  const rolledBackTo = (settings.mode === 'git' ? version.sha : version.imageTag) ?? '';
  await finish(settings, deps, result, rolledBackTo, version, rows);
}

/** `target: local` with `command`: the platform rolls itself back (kubectl rollout undo, railway…). */
async function platformRollback(settings: Settings, deps: Deps): Promise<void> {
  const values = shellAssignments({
    ROLLBACK_TO: settings.to ?? '',
    DEPLOY_ENVIRONMENT: deps.run.environment,
  });
  const script = [
    'set -euo pipefail',
    values,
    'export ROLLBACK_TO DEPLOY_ENVIRONMENT',
    `bash -euo pipefail -c ${base64Decoded(settings.command!)} gatehouse-rollback </dev/null`,
  ].join('\n');
  core.info(
    `Running the platform's rollback command on this runner${settings.to ? ` (ROLLBACK_TO=${settings.to})` : ''}`,
  );
  const result = await deps.runner.run({ script, executionTimeoutMs: settings.executionTimeoutMs });
  for (const host of result.hosts) if (host.stdout) core.info(host.stdout);
  const rows = result.hosts.map((host) => ({
    host: host.host,
    status: host.status,
    statusDetails: host.statusDetails,
    exitCode: host.exitCode,
    outputTail: host.status === 'Success' ? '' : lastLines(host.stderr || host.stdout, 5),
  }));
  await finish(settings, deps, result, settings.to ?? '', settings.to ? { ref: settings.to } : {}, rows);
}

/** The line that says why: the host script's own closing line only repeats the exit code. */
function cause(tail: string): string {
  const lines = tail
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^gatehouse: the deploy failed/.test(line));
  return lines.at(-1) ?? '';
}

function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join('\n');
}

async function finish(
  settings: Settings,
  deps: Deps,
  result: RunResult,
  rolledBackTo: string,
  version: DeployVersion,
  rows: { host: string; status: string; exitCode: number | null; outputTail: string; lockHolder?: string }[],
): Promise<void> {
  const status = result.succeeded ? 'success' : 'failed';
  core.info(
    rows.map((r) => `${r.host.padEnd(22)} ${r.status.padEnd(18)} exit ${r.exitCode ?? '—'}`).join('\n'),
  );
  for (const row of rows.filter((r) => r.status !== 'Success')) {
    core.startGroup(`Output of ${row.host} (${row.status})`);
    core.info(row.outputTail);
    core.endGroup();
  }
  const note = databaseNote(deps.records['db-bootstrap']);
  if (note) core.notice(note);

  core.setOutput('rolled-back-to', rolledBackTo);
  core.setOutput('command-id', result.commandId);
  core.setOutput('status', status);
  core.setOutput('results', JSON.stringify(rows));
  const deployed = rows.map((r) => (r as { deployed?: unknown }).deployed).find(Boolean) ?? null;
  core.setOutput('deployed', JSON.stringify(result.succeeded ? deployed : null));
  await writeResultRecord('rollback', {
    status,
    commandId: result.commandId,
    environment: deps.run.environment,
    region: deps.region ?? null,
    'rolled-back-to': { ...version, sha: version.sha ?? null, imageTag: version.imageTag ?? null },
    reason: settings.reason ?? null,
    results: rows,
  });
  await appendSummary(
    `**rollback** · ${deps.run.environment}: ${status} → \`${rolledBackTo || 'platform rollback'}\` on ${rows.length} host(s)\n`,
  );

  if (!result.succeeded) {
    const failed = rows.filter((r) => r.status !== 'Success');
    throw new ActionFailure(
      `Rollback to ${rolledBackTo || 'the platform version'} failed on ${failed.length} of ${rows.length} host(s): ` +
        failed
          .map((r) => {
            const why = r.lockHolder
              ? `another deploy holds the lock (${r.lockHolder})`
              : cause(r.outputTail);
            return `${r.host}: ${r.status}, exit ${r.exitCode ?? '—'}${why ? ` (${why})` : ''}`;
          })
          .join('; ') +
        (settings.command
          ? '.'
          : ". Each failed host's deploy-state.json keeps its current version; the attempt is in its history as rollback-failed."),
    );
  }
}
