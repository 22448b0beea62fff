import * as core from '@actions/core';
import { appendSummary, ConfigurationError, log } from '@gatehouse/action-kit';
import { type HistoryEntry, markedPayload, RUN_ID_KEY, workflowPath } from '@gatehouse/github-client';
import {
  attemptsOf,
  readRecords,
  resultRecordDir,
  type SummaryRecord,
  writeRecord,
} from '@gatehouse/records';
import type { DeploymentsClient } from './deployments';
import { appendHistory } from './history';
import { decideOutcome, OUTCOME_TEXT, shortText, type Verdict } from './outcome';
import { renderSummary } from './render';
import { carryHistory, type Restored } from './restore-history';
import type { Settings } from './settings';
import { failedHosts, type JobView, readJob, shortSha, versionText } from './views';

export interface RunInfo {
  serverUrl: string;
  repository: string;
  runId?: string;
  runAttempt?: string;
  actor?: string;
  /** Who started this attempt of the run, when it was re-run by someone else. */
  triggeringActor?: string;
  /** GITHUB_WORKFLOW_REF: the workflow file this run is of (for a reusable workflow, the caller's). */
  workflowRef?: string;
  /** For SSM console links when a record does not name its region. */
  region?: string;
}

export interface Deps {
  info: RunInfo;
  /** Created only when `deployment: true`, so Octokit is loaded only then. */
  deployments: () => Promise<DeploymentsClient>;
  /** The history of `environment` from its newest trusted artifact; called only with `restore-history`. */
  restoreHistory: (environment: string, fileName: string) => Promise<Restored>;
  now: () => Date;
}

/**
 * What the Deployment says about itself. Only the run id is relied on, and only after the Actions
 * API confirmed the run (see the promotion guard): anything with deployments: write can write a payload.
 */
function deploymentPayload(job: JobView, info: RunInfo): Record<string, unknown> {
  return markedPayload({
    ref: job.ref.ref ?? '',
    'image-tag': job.ref.imageTag ?? '',
    [RUN_ID_KEY]: info.runId ?? '',
    'run-attempt': info.runAttempt ?? '',
    workflow: (info.workflowRef && workflowPath(info.workflowRef)) ?? '',
    'workflow-ref': info.workflowRef ?? '',
  });
}

export function runUrl(info: RunInfo): string | undefined {
  return info.runId ? `${info.serverUrl}/${info.repository}/actions/runs/${info.runId}` : undefined;
}

function withOverrides(job: JobView, settings: Settings): JobView {
  const ref = { ...job.ref };
  if (settings.environment) ref.environment = settings.environment;
  if (settings.sha) ref.sha = settings.sha;
  if (settings.ref) ref.ref = settings.ref;
  if (settings.imageTag) ref.imageTag = settings.imageTag;
  return { ...job, ref };
}

/** The start step's record (from RUNNER_TEMP, where this step writes too), for the Deployment id. */
function startRecord(): SummaryRecord | undefined {
  const dir = resultRecordDir();
  if (!dir) return undefined;
  return attemptsOf(readRecords(dir), 'summary')
    .filter((r) => r.phase === 'start')
    .at(-1);
}

function readView(settings: Settings): JobView {
  const job = readRecords(settings.recordsDir);
  for (const { file, problem } of job.problems) {
    core.warning(`The result record ${file} ${problem}. The summary shows what the other records say.`);
  }
  return withOverrides(readJob(job), settings);
}

/** `phase: start`: the Deployment is created and marked in progress before anything changes. */
export async function start(settings: Settings, deps: Deps): Promise<number | undefined> {
  const job = readView(settings);
  const environment = job.ref.environment;
  let deploymentId: number | undefined;
  if (settings.deployment) {
    if (!environment || !job.ref.sha) {
      throw new ConfigurationError(
        "Inputs 'environment' and 'sha' are needed to create a GitHub deployment; give them, or run resolve-ref before this step.",
      );
    }
    const client = await deps.deployments();
    deploymentId = await client.create({
      sha: job.ref.sha,
      environment,
      description: shortText(
        `Deploy ${shortSha(job.ref.sha)} (${job.ref.ref ?? job.ref.sha}) to ${environment}`,
      ),
      payload: deploymentPayload(job, deps.info),
    });
    if (deploymentId !== undefined) {
      await client.setStatus(deploymentId, {
        state: 'in_progress',
        description: shortText(`Deploying ${shortSha(job.ref.sha)} to ${environment}`),
        environmentUrl: settings.environmentUrl,
        logUrl: runUrl(deps.info),
      });
      log.info(`GitHub deployment ${deploymentId} created for ${environment} (in progress).`);
    }
  }
  core.setOutput('deployment-id', deploymentId === undefined ? '' : String(deploymentId));
  await writeRecord(
    'summary',
    {
      phase: 'start',
      environment: environment ?? null,
      sha: job.ref.sha ?? null,
      deploymentId: deploymentId ?? null,
      outcome: null,
    },
    { now: deps.now },
  );
  return deploymentId;
}

async function finalStatus(
  settings: Settings,
  deps: Deps,
  job: JobView,
  verdict: Verdict,
  existing: number | undefined,
): Promise<number | undefined> {
  const client = await deps.deployments();
  // A rollback by hand records the version it went back to: that is what the environment runs,
  // and the environment's page in GitHub then shows it as the active deployment.
  const sha = verdict.byHand ? (job.ref.sha ?? job.rollback?.rolledBackTo?.sha) : job.ref.sha;
  let id = existing;
  if (id === undefined) {
    // No start step (or it could not create one): create it now, so the final state is still recorded.
    if (!sha || !job.ref.environment) {
      core.warning(
        !verdict.byHand
          ? 'No GitHub deployment was created: no SHA or environment is known (no resolve-ref record).'
          : job.rollback?.nothing
            ? `No GitHub deployment was created: nothing was rolled back (${job.rollback.nothing}).`
            : "No GitHub deployment was created: the rollback recorded no commit SHA (image mode without 'sha'), and input 'sha' is empty.",
      );
      return undefined;
    }
    id = await client.create({
      sha,
      environment: job.ref.environment,
      description: verdict.short,
      payload: deploymentPayload(job, deps.info),
    });
    if (id === undefined) return undefined;
  }
  await client.setStatus(id, {
    // Rolled back by hand and healthy: the Deployment of the version gone back to succeeded.
    state:
      verdict.byHand && verdict.outcome === 'rolled-back' ? 'success' : OUTCOME_TEXT[verdict.outcome].state,
    description: verdict.short,
    environmentUrl: settings.environmentUrl,
    logUrl: runUrl(deps.info),
  });
  return id;
}

/** One history line; the fields of HistoryEntry are what other runs' promotion guards read. */
function historyEntry(
  job: JobView,
  verdict: Verdict,
  deps: Deps,
  deploymentId: number | undefined,
): HistoryEntry & Record<string, unknown> {
  const failed = failedHosts(job.deploy?.results ?? []);
  const now = deps.now();
  const first = job.steps[0]?.startedAt;
  return {
    time: now.toISOString(),
    environment: job.ref.environment ?? null,
    outcome: verdict.outcome,
    sha: job.ref.sha ?? null,
    ref: job.ref.ref ?? null,
    'image-tag': job.ref.imageTag ?? null,
    hosts: job.deploy?.hosts.length ?? 0,
    'failed-hosts': failed,
    'command-id': job.deploy ? job.deploy.commandIds.join(',') || null : null,
    'rolled-back-to': versionText(job.rollback?.rolledBackTo) ?? null,
    'duration-ms': first === undefined ? null : now.getTime() - first,
    'run-id': deps.info.runId ?? null,
    'run-url': runUrl(deps.info) ?? null,
    actor: deps.info.actor ?? null,
    'deployment-id': deploymentId ?? null,
  };
}

/** `phase: finish`: one job summary, the Deployment's final state, one history line. */
export async function finish(
  settings: Settings,
  deps: Deps,
): Promise<{ verdict: Verdict; markdown: string }> {
  const job = readView(settings);
  const verdict = decideOutcome(job, { jobStatus: settings.jobStatus, override: settings.outcome });
  log.info(
    `${job.ref.environment ?? 'environment'}: ${OUTCOME_TEXT[verdict.outcome].words}. ${verdict.sentence}`,
  );

  const fromStart = startRecord()?.deploymentId ?? undefined;
  const deploymentId = settings.deployment
    ? await finalStatus(settings, deps, job, verdict, fromStart)
    : fromStart;

  const markdown = renderSummary(job, verdict, {
    serverUrl: deps.info.serverUrl,
    repository: deps.info.repository,
    runUrl: runUrl(deps.info),
    actor: deps.info.actor,
    triggeringActor: deps.info.triggeringActor,
    region: deps.info.region,
    environmentUrl: settings.environmentUrl,
    deploymentId,
    maxRows: settings.maxRows,
    maxBytes: settings.maxBytes,
  });
  await appendSummary(markdown);

  const carried = settings.historyFile ? await carryHistory(settings, job, deps) : undefined;
  if (settings.historyFile && carried?.write) {
    const entry = historyEntry(job, verdict, deps, deploymentId);
    const kept = appendHistory(settings.historyFile, entry, settings.historySize);
    log.info(`Deploy history: ${settings.historyFile} (${kept} of at most ${settings.historySize} entries).`);
  }

  core.setOutput('outcome', verdict.outcome);
  core.setOutput('history-run-id', carried?.runId ?? '');
  core.setOutput('deployment-id', deploymentId === undefined ? '' : String(deploymentId));
  core.setOutput('markdown', markdown);
  await writeRecord(
    'summary',
    {
      phase: 'finish',
      environment: job.ref.environment ?? null,
      sha: job.ref.sha ?? null,
      deploymentId: deploymentId ?? null,
      outcome: verdict.outcome,
    },
    { now: deps.now },
  );
  return { verdict, markdown };
}
