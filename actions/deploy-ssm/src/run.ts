import * as core from '@actions/core';
import { ActionFailure, appendSummary, log } from '@gatehouse/action-kit';
import { shortSha } from '@gatehouse/action-kit/short-sha';
import {
  abbreviate,
  type CommandRunner,
  hostCount,
  planWaves,
  type RolloutResult,
  runRollout,
} from '@gatehouse/command-runner';
import {
  buildDeployScript,
  buildVerifyScript,
  changedHosts,
  commonVersion,
  type DeployStateEntry,
  type DeployVersion,
  failureList,
  hostTable,
  outputBlock,
  type RunIdentity,
  recordedEntry,
  rolloutOutcomes,
  shortVersion,
  succeeded,
  summaryTable,
  verificationFrom,
  verificationPlan,
  waveLine,
  wavesRecord,
  wavesTable,
} from '@gatehouse/host-script';
import { writeRecord } from '@gatehouse/records';
import { changedHostRows, hostRows, versionRecord, waveRows } from '@gatehouse/records/host-rows';
import { dryRun } from './dry-run';
import type { Settings } from './settings';
import { STATE_COMMAND_IDS, STATE_FINISHED } from './state-names';

export interface Deps {
  runner: CommandRunner;
  /** This workflow run; `sha` is the commit the workflow ran on (GITHUB_SHA). */
  run: RunIdentity & { repository: string; sha: string };
  now: () => Date;
}

export async function run(settings: Settings, deps: Deps): Promise<void> {
  const version: DeployVersion = {
    ref: settings.ref,
    sha: settings.sha,
    image: settings.image,
    imageTag: settings.imageTag,
  };
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
    verify,
  });
  const what =
    settings.mode === 'git'
      ? `${settings.sha}${settings.ref ? ` (${settings.ref})` : ''}`
      : `image tag ${settings.imageTag}`;
  log.info(`Deploying ${what} to ${deps.runner.describeTargets()} [${settings.environment}]`);

  const hosts = await deps.runner.resolveHosts();
  const waves = planWaves(hosts, settings.waves);
  const concurrency = hostCount(settings.maxConcurrency, hosts.length, 'concurrency');
  const maxErrors = hostCount(settings.maxErrors, hosts.length, 'errors');
  log.info(
    `${hosts.length} host(s) in ${waves.length} wave(s) (${waves.map((w) => w.length).join(', ')}); ` +
      `at most ${concurrency} at once; nothing more is sent once more than ${maxErrors} fail.`,
  );
  const verified = verificationPlan(verify, settings.sha);
  if (settings.dryRun) {
    await dryRun(settings, deps, { hosts, waves, script, version, verified });
    return;
  }

  const sentIds: string[] = [];
  const rollout = await runRollout(deps.runner, {
    waves,
    script,
    verifyScript: verify
      ? buildVerifyScript({ version, appDir: settings.appDir, environment: settings.environment, verify })
      : undefined,
    bakeMs: settings.bakeMs,
    concurrency,
    maxErrors,
    comment: settings.comment ?? defaultComment(settings, deps),
    executionTimeoutMs: settings.executionTimeoutMs,
    deliveryTimeoutMs: settings.deliveryTimeoutMs,
    onSent: (commandId) => {
      // Saved at once: if the job is cancelled from here on, the post step cancels these.
      sentIds.push(commandId);
      core.saveState(STATE_COMMAND_IDS, sentIds.join(','));
      log.info(`Command ${commandId} sent`);
    },
    onWave: (wave, of) => {
      log.info(waveLine(wave, of, verified));
      if (wave.outcome !== 'not-started') {
        log.info(hostTable(rolloutOutcomes([wave]), settings.lockTimeoutMs));
      }
    },
    log: log.info,
  });
  core.saveState(STATE_FINISHED, 'true');
  await report(settings, deps, rollout, { verified, version });
}

function defaultComment(settings: Settings, deps: Deps): string {
  const version = shortSha(settings.sha) ?? settings.imageTag ?? shortSha(deps.run.sha);
  return `${deps.run.repository}@${version} #${deps.run.runId}`.slice(0, 100);
}

async function report(
  settings: Settings,
  deps: Deps,
  rollout: RolloutResult,
  { verified, version }: { verified: string; version: DeployVersion },
): Promise<void> {
  const outcomes = rolloutOutcomes(rollout.waves);
  for (const outcome of outcomes.filter((o) => !succeeded(o) && o.result.started)) {
    const block = outputBlock(outcome);
    log.verbatimGroup(block.title, block.text || '(no output)');
  }

  const changed = changedHosts(outcomes);
  const status = rollout.succeeded ? 'success' : 'failed';
  const deployed = rollout.succeeded
    ? await recordedEntry(deps.runner, outcomes, {
        stateDir: settings.stateDir,
        runId: deps.run.runId,
        deliveryTimeoutMs: settings.deliveryTimeoutMs,
      })
    : null;
  const before = commonVersion(changed.filter((c) => !c.previousUnknown).map((c) => c.previous));
  if (before.differ) {
    core.warning('Hosts ran different versions before this deploy; the changed-hosts output names each one.');
  }
  const previous: DeployStateEntry | null = before.entry;
  const results = hostRows(outcomes, { lockTimeoutMs: settings.lockTimeoutMs, kind: 'deploy', changed });
  const changedRows = changedHostRows(changed);
  const waves = waveRows(rollout.waves);
  core.setOutput('command-id', rollout.commandIds.join(','));
  core.setOutput('status', status);
  core.setOutput('results', JSON.stringify(results));
  core.setOutput('deployed', JSON.stringify(deployed));
  core.setOutput('previous', JSON.stringify(previous));
  core.setOutput('changed-hosts', JSON.stringify(changed));
  core.setOutput('waves', JSON.stringify(wavesRecord(rollout.waves)));
  await appendSummary(
    `### deploy-ssm: ${status} (${settings.environment})\n\n${wavesTable(rollout.waves, verified)}\n\n` +
      `${summaryTable(outcomes, settings.lockTimeoutMs)}\n\n` +
      `Changed ${changed.length} of ${outcomes.length} host(s).\n`,
  );
  await writeRecord('deploy-ssm', {
    status,
    dryRun: false,
    environment: settings.environment,
    mode: settings.mode,
    version: versionRecord(version),
    commandIds: rollout.commandIds,
    runId: deps.run.runId,
    hosts: outcomes.map((o) => o.result.host),
    verification: verified,
    waves,
    changedHosts: changedRows,
    deployed,
    previous,
    previousDiffers: before.differ,
    results,
    plan: [],
  });

  if (!rollout.succeeded) {
    const failedWave = rollout.waves.find((w) => w.outcome === 'failed');
    const later = rollout.waves.filter((w) => w.outcome === 'not-started').length;
    const failed = outcomes.filter((o) => !succeeded(o) && o.result.statusDetails !== 'NotSent');
    const where =
      failedWave && rollout.waves.length > 1 ? ` in wave ${failedWave.index} of ${rollout.waves.length}` : '';
    throw new ActionFailure(
      `Deploy failed on ${failed.length} of ${outcomes.length} host(s)${where}: ` +
        `${failureList(outcomes, settings.lockTimeoutMs)}. ` +
        `${later > 0 ? `${later} later wave(s) not started. ` : ''}` +
        `This run changed ${changed.length} host(s)${changed.length > 0 ? `, the ones rollback moves back: ${abbreviate(changed.map((c) => c.host))}` : ''}.`,
    );
  }
  log.info(
    `Deployed ${deployed ? shortVersion(deployed) : ''} to ${outcomes.length} host(s) in ${settings.environment}.`,
  );
}
