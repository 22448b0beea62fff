import * as core from '@actions/core';
import { ActionFailure, appendSummary, writeResultRecord } from '@gatehouse/action-kit';
import type { CommandRunner, RunResult } from '@gatehouse/command-runner';
import {
  buildDeployScript,
  type DeployStateEntry,
  entryOf,
  parseScriptReport,
  type RunIdentity,
} from '@gatehouse/host-script';
import { describeOutcome, type HostOutcome, hostTable, shortVersion, summaryTable } from './host-table';
import type { Settings } from './settings';
import { STATE_COMMAND_IDS, STATE_FINISHED } from './state-names';

export interface Deps {
  runner: CommandRunner;
  /** This workflow run; `sha` is the commit the workflow ran on (GITHUB_SHA). */
  run: RunIdentity & { repository: string; sha: string };
  now: () => Date;
}

export async function run(settings: Settings, deps: Deps): Promise<void> {
  const version = {
    ref: settings.ref,
    sha: settings.sha,
    image: settings.image,
    imageTag: settings.imageTag,
  };
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
  });
  const what =
    settings.mode === 'git'
      ? `${settings.sha}${settings.ref ? ` (${settings.ref})` : ''}`
      : `image tag ${settings.imageTag}`;
  core.info(`Deploying ${what} to ${deps.runner.describeTargets()} [${settings.environment}]`);

  const sentIds: string[] = [];
  const result = await deps.runner.run({
    script,
    comment: settings.comment ?? defaultComment(settings, deps),
    executionTimeoutMs: settings.executionTimeoutMs,
    deliveryTimeoutMs: settings.deliveryTimeoutMs,
    maxConcurrency: settings.maxConcurrency,
    maxErrors: settings.maxErrors,
    onSent: (commandId) => {
      // Saved at once: if the job is cancelled from here on, the post step cancels these.
      sentIds.push(commandId);
      core.saveState(STATE_COMMAND_IDS, sentIds.join(','));
      core.info(`Command ${commandId} sent; waiting for every host to finish`);
    },
  });
  core.saveState(STATE_FINISHED, 'true');
  await report(settings, result, entryOf(version, deps.run, 'success', deps.now().toISOString()));
}

function defaultComment(settings: Settings, deps: Deps): string {
  const version = settings.sha?.slice(0, 7) ?? settings.imageTag ?? deps.run.sha.slice(0, 7);
  return `${deps.run.repository}@${version} #${deps.run.runId}`.slice(0, 100);
}

async function report(settings: Settings, result: RunResult, planned: DeployStateEntry): Promise<void> {
  const outcomes: HostOutcome[] = result.hosts.map((host) => ({
    result: host,
    report: parseScriptReport(`${host.stdout}\n${host.stderr}`),
  }));
  core.info(hostTable(outcomes, settings.lockTimeoutMs));
  for (const outcome of outcomes.filter((o) => o.result.status !== 'Success')) printOutput(outcome);

  const deployed = result.succeeded
    ? (outcomes.find((o) => o.report.deployed)?.report.deployed ?? planned)
    : null;
  const previous = commonPrevious(outcomes);
  const status = result.succeeded ? 'success' : 'failed';
  const results = outcomes.map(({ result: r, report: rep }) => ({
    host: r.host,
    status: r.status,
    statusDetails: r.statusDetails,
    exitCode: r.exitCode,
    outputTruncated: r.outputTruncated,
    ...(r.outputLocation ? { outputLocation: r.outputLocation } : {}),
    previous: rep.previous ?? null,
    ...(rep.lockHolder !== undefined ? { lockHolder: rep.lockHolder } : {}),
  }));
  core.setOutput('command-id', result.commandId);
  core.setOutput('status', status);
  core.setOutput('results', JSON.stringify(results));
  core.setOutput('deployed', JSON.stringify(deployed));
  core.setOutput('previous', JSON.stringify(previous));
  await appendSummary(
    `### deploy-ssm: ${status} (${settings.environment})\n\n${summaryTable(outcomes, settings.lockTimeoutMs)}\n`,
  );
  await writeResultRecord('deploy-ssm', {
    status,
    commandId: result.commandId,
    environment: settings.environment,
    deployed,
    previous,
    results,
  });

  if (!result.succeeded) {
    const failed = outcomes.filter((o) => o.result.status !== 'Success');
    throw new ActionFailure(
      `Deploy failed on ${failed.length} of ${outcomes.length} host(s): ` +
        failed.map((o) => `${o.result.host}: ${describeOutcome(o, settings.lockTimeoutMs)}`).join('; '),
    );
  }
  core.info(
    `Deployed ${deployed ? shortVersion(deployed) : ''} to ${outcomes.length} host(s) in ${settings.environment}.`,
  );
}

/** The version the hosts ran before; when hosts disagree, the first host's, with a warning. */
function commonPrevious(outcomes: readonly HostOutcome[]): DeployStateEntry | null {
  const reported = outcomes.filter((o) => o.report.previous !== undefined);
  const first = reported[0]?.report.previous ?? null;
  const differ = reported.some(
    (o) =>
      shortVersion(o.report.previous ?? { sha: null, imageTag: null }) !==
      shortVersion(first ?? { sha: null, imageTag: null }),
  );
  if (differ)
    core.warning('Hosts ran different versions before this deploy; see the results output for each host.');
  return first;
}

function printOutput({ result }: HostOutcome): void {
  core.startGroup(`Output of ${result.host} (${result.status})`);
  if (result.stdout) core.info(result.stdout);
  if (result.stderr) core.info(`--- stderr ---\n${result.stderr}`);
  if (result.outputTruncated) {
    core.info(
      `(SSM cut this output: it keeps 24,000 characters of stdout and 8,000 of stderr` +
        `${result.outputLocation ? `; the whole output is in ${result.outputLocation}` : '; set cloudwatch-log-group or output-s3-bucket to keep all of it'})`,
    );
  } else if (result.outputLocation) {
    core.info(`(whole output: ${result.outputLocation})`);
  }
  core.endGroup();
}
