import * as core from '@actions/core';
import { ActionFailure, appendSummary, log } from '@gatehouse/action-kit';
import { abbreviate, type CommandRunner, hostCount, planWaves, runRollout } from '@gatehouse/command-runner';
import {
  buildDeployScript,
  buildVerifyScript,
  changedHosts,
  type DeployVersion,
  failureList,
  type HostOutcome,
  hostTable,
  outputBlock,
  type RunIdentity,
  recordedEntry,
  rolloutOutcomes,
  scriptForDisplay,
  shortVersion,
  succeeded,
  summaryTable,
  verificationFrom,
  verificationPlan,
  waveLine,
  wavesRecord,
  wavesTable,
} from '@gatehouse/host-script';
import { type HostRow, type RollbackRecord, writeRecord } from '@gatehouse/records';
import {
  changedHostRows,
  hostRows,
  lastLines,
  plannedWaves,
  versionRecord,
  waveRows,
} from '@gatehouse/records/host-rows';
import { describeVersion } from './choose-version';
import { databaseNote } from './database-note';
import type { GithubLookups } from './github';
import type { EarlierSteps } from './job-records';
import { planRollback, type RollbackPlan, readDeployRecord } from './plan';
import { platformRollbackScript } from './platform-script';
import type { Settings } from './settings';

export interface Deps {
  runner: CommandRunner;
  run: RunIdentity & { repository: string };
  /** Created only when `to` needs the GitHub API. */
  github: () => Promise<GithubLookups>;
  /** Result records of earlier steps of this job, as read at start. */
  records: EarlierSteps;
  region?: string;
}

export async function run(settings: Settings, deps: Deps): Promise<void> {
  if (settings.command) {
    await platformRollback(settings, deps);
    return;
  }
  const plan = await planRollback(settings, {
    runner: deps.runner,
    github: deps.github,
    environment: deps.run.environment,
    rollingBackFrom: deps.records.resolveRef?.sha,
    record: readDeployRecord(deps.records.deploy),
  });
  if (plan.nothing !== undefined) {
    await nothingToDo(settings, deps, plan);
    return;
  }
  log.info(
    `Rolling back ${deps.run.environment}: ${plan.hosts.length} host(s) to ${describeVersion(plan.version)} (${plan.why})`,
  );
  await hostRollback(settings, deps, plan);
}

/** The deploy's own host script, with outcome `rollback`: same lock, same steps, same state file. */
async function hostRollback(settings: Settings, deps: Deps, plan: RollbackPlan): Promise<void> {
  const chosen = plan.version;
  const version: DeployVersion =
    settings.image && !chosen.image ? { ...chosen, image: settings.image } : chosen;
  const verify = verificationFrom(settings);
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
    verify,
  });
  const waves = planWaves(plan.hosts, settings.waves);
  const verified = verificationPlan(verify, version.sha);
  const rolledBackTo = (settings.mode === 'git' ? version.sha : version.imageTag) ?? '';
  if (settings.dryRun) {
    await dryRun(settings, deps, { plan, waves, script, rolledBackTo, verified });
    return;
  }
  const rollout = await runRollout(deps.runner, {
    waves,
    script,
    verifyScript: verify
      ? buildVerifyScript({ version, appDir: settings.appDir, environment: deps.run.environment, verify })
      : undefined,
    bakeMs: settings.bakeMs,
    concurrency: hostCount(settings.maxConcurrency, plan.hosts.length, 'concurrency'),
    maxErrors: hostCount(settings.maxErrors, plan.hosts.length, 'errors'),
    comment:
      settings.comment ??
      `rollback ${deps.run.repository} to ${describeVersion(version)} #${deps.run.runId}`.slice(0, 100),
    executionTimeoutMs: settings.executionTimeoutMs,
    deliveryTimeoutMs: settings.deliveryTimeoutMs,
    onSent: (commandId) => log.info(`Command ${commandId} sent`),
    onWave: (wave, of) => {
      log.info(waveLine(wave, of, verified));
      if (wave.outcome !== 'not-started') {
        log.info(hostTable(rolloutOutcomes([wave]), settings.lockTimeoutMs, 'rollback'));
      }
    },
    log: log.info,
  });
  const outcomes = rolloutOutcomes(rollout.waves);
  for (const outcome of outcomes.filter((o) => !succeeded(o) && o.result.started)) {
    const block = outputBlock(outcome);
    log.verbatimGroup(block.title, block.text || '(no output)');
  }
  const deployed = rollout.succeeded
    ? await recordedEntry(deps.runner, outcomes, {
        stateDir: settings.stateDir,
        runId: deps.run.runId,
        deliveryTimeoutMs: settings.deliveryTimeoutMs,
      })
    : null;
  const changed = changedHosts(outcomes);
  core.setOutput('changed-hosts', JSON.stringify(changed));
  core.setOutput('waves', JSON.stringify(wavesRecord(rollout.waves)));
  await finish(settings, deps, {
    succeeded: rollout.succeeded,
    rolledBackTo,
    record: {
      kind: 'hosts',
      rolledBackTo: versionRecord(version),
      undoes: plan.undoes ?? null,
      commandIds: rollout.commandIds,
      verification: verified,
      waves: waveRows(rollout.waves),
      changedHosts: changedHostRows(changed),
      deployed,
      results: hostRows(outcomes, { lockTimeoutMs: settings.lockTimeoutMs, kind: 'rollback', changed }),
    },
    summary: `${wavesTable(rollout.waves, verified)}\n\n${summaryTable(outcomes, settings.lockTimeoutMs, 'rollback')}`,
    outcomes,
  });
}

async function dryRun(
  settings: Settings,
  deps: Deps,
  plan: { plan: RollbackPlan; waves: string[][]; script: string; rolledBackTo: string; verified: string },
): Promise<void> {
  const rows = plan.waves.flatMap((hosts, i) =>
    hosts.map((host) => {
      const read = plan.plan.states.find((s) => s.host === host);
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
        to: plan.rolledBackTo,
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
  log.info(`Each host checks: ${plan.verified || 'nothing (no verify-command or verify-url)'}.`);
  log.verbatimGroup(
    'The script each host would run',
    scriptForDisplay(plan.script, {
      'rollback commands': settings.commands,
      'verify-command': settings.verifyCommand,
    }),
  );
  core.setOutput('rolled-back-to', plan.rolledBackTo);
  core.setOutput('command-id', '');
  core.setOutput('status', 'dry-run');
  core.setOutput('results', JSON.stringify(rows));
  core.setOutput('deployed', 'null');
  core.setOutput('changed-hosts', '[]');
  const waves = plannedWaves(plan.waves);
  core.setOutput('waves', JSON.stringify(waves));
  await appendSummary(
    `**rollback** · ${deps.run.environment}: dry run, nothing changed; ${rows.length} host(s) would go to \`${plan.rolledBackTo}\`\n`,
  );
  await writeRecord('rollback', {
    ...emptyRecord(settings, deps),
    status: 'dry-run',
    dryRun: true,
    rolledBackTo: versionRecord(plan.plan.version),
    undoes: plan.plan.undoes ?? null,
    verification: plan.verified,
    waves,
    plan: rows,
  });
}

/** The rollout changed nothing (or was a dry run): there is nothing to put back. */
async function nothingToDo(settings: Settings, deps: Deps, plan: RollbackPlan): Promise<void> {
  core.notice(`Nothing to roll back: ${plan.nothing}. No host was changed.`);
  core.setOutput('rolled-back-to', '');
  core.setOutput('command-id', '');
  core.setOutput('status', 'success');
  core.setOutput('results', '[]');
  core.setOutput('deployed', 'null');
  core.setOutput('changed-hosts', '[]');
  core.setOutput('waves', '[]');
  await appendSummary(`**rollback** · ${deps.run.environment}: nothing to roll back (${plan.nothing})\n`);
  await writeRecord('rollback', {
    ...emptyRecord(settings, deps),
    undoes: plan.undoes ?? null,
    nothing: plan.nothing ?? null,
  });
}

/** A rollback record that did nothing yet: each path fills in what it did. */
function emptyRecord(settings: Settings, deps: Deps): RollbackRecord {
  return {
    status: 'success',
    dryRun: false,
    kind: 'hosts',
    environment: deps.run.environment,
    region: deps.region ?? null,
    rolledBackTo: null,
    reason: settings.reason ?? null,
    undoes: null,
    nothing: null,
    commandIds: [],
    verification: '',
    waves: [],
    changedHosts: [],
    deployed: null,
    results: [],
    plan: [],
  };
}

/** `target: local` with `command`: the platform rolls itself back (kubectl rollout undo, railway…). */
async function platformRollback(settings: Settings, deps: Deps): Promise<void> {
  const script = platformRollbackScript({
    command: settings.command!,
    to: settings.to,
    environment: deps.run.environment,
  });
  log.info(
    `Running the platform's rollback command on this runner${settings.to ? ` (ROLLBACK_TO=${settings.to})` : ''}`,
  );
  const result = await deps.runner.run({ script, executionTimeoutMs: settings.executionTimeoutMs });
  for (const host of result.hosts) if (host.stdout) log.verbatimGroup(`Output of ${host.host}`, host.stdout);
  const rows: HostRow[] = result.hosts.map((host) => ({
    host: host.host,
    wave: null,
    status: host.status,
    statusDetails: host.statusDetails,
    exitCode: host.exitCode,
    what: host.status === 'Success' ? 'the rollback command succeeded' : 'the rollback command failed',
    changed: host.started,
    previous: null,
    deployed: null,
    verified: null,
    verifyFailed: null,
    lockHolder: null,
    outputTruncated: host.outputTruncated,
    outputLocation: host.outputLocation ?? null,
    outputTail: host.status === 'Success' ? null : lastLines(host.stderr || host.stdout, 5),
  }));
  await finish(settings, deps, {
    succeeded: result.succeeded,
    rolledBackTo: settings.to ?? '',
    record: {
      kind: 'platform',
      rolledBackTo: settings.to ? versionRecord({ ref: settings.to }) : null,
      commandIds: [result.commandId],
      results: rows,
    },
    summary: '',
  });
}

/** The platform command's last line of output: usually the one that says why. */
function cause(tail: string): string {
  return (
    tail
      .split('\n')
      .filter((line) => line.trim() !== '')
      .at(-1) ?? ''
  );
}

interface Finished {
  succeeded: boolean;
  rolledBackTo: string;
  /** What this path did; the rest of the record is `emptyRecord`'s. */
  record: Partial<RollbackRecord> & Pick<RollbackRecord, 'kind' | 'results'>;
  summary: string;
  /** The per-host report, for host rollbacks (a platform command has one "host", this runner). */
  outcomes?: HostOutcome[];
}

async function finish(settings: Settings, deps: Deps, done: Finished): Promise<void> {
  const { rolledBackTo } = done;
  const status = done.succeeded ? 'success' : 'failed';
  const record: RollbackRecord = { ...emptyRecord(settings, deps), ...done.record, status };
  const rows = record.results;
  if (!done.outcomes) {
    log.info(
      rows.map((r) => `${r.host.padEnd(22)} ${r.status.padEnd(18)} exit ${r.exitCode ?? '-'}`).join('\n'),
    );
    for (const row of rows.filter((r) => r.status !== 'Success')) {
      log.verbatimGroup(`Output of ${row.host} (${row.status})`, row.outputTail || '(no output)');
    }
  }
  const note = databaseNote(deps.records.database);
  if (note) core.notice(note);

  core.setOutput('rolled-back-to', rolledBackTo);
  core.setOutput('command-id', record.commandIds.join(','));
  core.setOutput('status', status);
  core.setOutput('results', JSON.stringify(rows));
  core.setOutput('deployed', JSON.stringify(record.deployed));
  await writeRecord('rollback', record);
  await appendSummary(
    `**rollback** · ${deps.run.environment}: ${status} → \`${rolledBackTo || 'platform rollback'}\` on ${rows.length} host(s)\n` +
      (done.summary ? `\n${done.summary}\n` : ''),
  );

  if (!done.succeeded) {
    const what = `Rollback to ${rolledBackTo || 'the platform version'} failed`;
    if (done.outcomes) {
      const failed = done.outcomes.filter((o) => !succeeded(o) && o.result.statusDetails !== 'NotSent');
      throw new ActionFailure(
        `${what} on ${failed.length} of ${done.outcomes.length} host(s): ` +
          `${failureList(done.outcomes, settings.lockTimeoutMs, 'rollback')}` +
          ". Each failed host's deploy-state.json keeps its current version; the attempt is in its history as rollback-failed.",
      );
    }
    const failed = rows.filter((r) => r.status !== 'Success');
    throw new ActionFailure(
      `${what} on ${failed.length} of ${rows.length} host(s): ` +
        failed
          .map(
            (r) =>
              `${r.host}: ${r.status}, exit ${r.exitCode ?? '-'}${cause(r.outputTail ?? '') ? ` (${cause(r.outputTail ?? '')})` : ''}`,
          )
          .join('; ') +
        '.',
    );
  }
}
