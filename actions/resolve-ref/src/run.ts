import * as core from '@actions/core';
import { appendSummary, log } from '@gatehouse/action-kit';
import { shortSha } from '@gatehouse/action-kit/short-sha';
import type { VouchedDeployment } from '@gatehouse/github-client';
import { writeRecord } from '@gatehouse/records';
import { describeFinding } from './check-verdicts';
import type { ChecksPassed } from './checks-gate';
import { checkAllowedRef, type Decision, decide, type RunContext, refNameOf, remoteRefOf } from './decide';
import type { RefLookup } from './ref-request';
import type { Settings } from './settings';

export interface Deps {
  context: RunContext;
  /** Created only when a ref must be looked up, so a push never loads an API client. */
  lookup: () => Promise<RefLookup>;
  /** Throws unless `sha` has a successful deployment in `environment` that a trusted run made. */
  requireSuccessfulDeployment: (sha: string, environment: string) => Promise<VouchedDeployment>;
  /** Waits for the commit's checks (input `require-checks`); throws unless they passed. */
  requireChecks: (sha: string) => Promise<ChecksPassed>;
}

export interface Resolution {
  ref: string;
  'remote-ref': string;
  sha: string;
  'ref-name': string;
  source: Decision['source'];
  event: string;
  'github-ref': string;
  'github-ref-name': string;
  'input-ref': string;
}

export async function run(settings: Settings, deps: Deps): Promise<Resolution> {
  const { context } = deps;
  const decision = decide(context, settings);
  for (const note of decision.notes) log.info(note);
  const resolved =
    decision.kind === 'resolved' ? decision.resolved : await (await deps.lookup())(decision.request);
  checkAllowedRef(resolved.ref, settings.allowedRefs, settings.environment);
  if (settings.requireSuccessfulDeploymentIn) {
    const { deployment, run, ref } = await deps.requireSuccessfulDeployment(
      resolved.sha,
      settings.requireSuccessfulDeploymentIn,
    );
    log.info(
      `${shortSha(resolved.sha)} has a successful deployment in '${settings.requireSuccessfulDeploymentIn}': ` +
        `deployment ${deployment.id}, made by workflow run ${run.id} of ${run.path} on ${ref}.`,
    );
  }

  const checks = settings.requireChecks ? await deps.requireChecks(resolved.sha) : undefined;
  if (checks) {
    core.startGroup(
      `require-checks: ${checks.findings.length} check(s) passed on ${shortSha(resolved.sha)}` +
        (checks.ownJobs > 0 ? ` (${checks.ownJobs} job(s) of this run left out)` : ''),
    );
    for (const finding of checks.findings) log.info(describeFinding(finding));
    core.endGroup();
  }

  const resolution: Resolution = {
    ref: resolved.ref,
    'remote-ref': remoteRefOf(resolved.ref),
    sha: resolved.sha,
    'ref-name': refNameOf(resolved.ref),
    source: decision.source,
    event: context.eventName,
    'github-ref': context.githubRef,
    'github-ref-name': context.githubRefName,
    'input-ref': settings.inputRef ?? '',
  };

  core.startGroup(`resolve-ref: ${shortSha(resolution.sha)} from ${resolution.ref} (${resolution.source})`);
  log.info(`event:           ${resolution.event}`);
  log.info(`github_ref:      ${resolution['github-ref']}`);
  log.info(`github_ref_name: ${resolution['github-ref-name']}`);
  log.info(`input_ref:       ${resolution['input-ref'] || '(empty)'}`);
  log.info(`resolved_ref:    ${resolution.ref}`);
  log.info(`sha:             ${resolution.sha}`);
  core.endGroup();

  for (const [name, value] of Object.entries(resolution)) core.setOutput(name, value);
  await writeRecord('resolve-ref', {
    environment: settings.environment,
    ref: resolution.ref,
    remoteRef: resolution['remote-ref'],
    sha: resolution.sha,
    refName: resolution['ref-name'],
    source: resolution.source,
    event: resolution.event,
    githubRef: resolution['github-ref'],
    githubRefName: resolution['github-ref-name'],
    inputRef: resolution['input-ref'],
    checks:
      checks && settings.requireChecks
        ? {
            all: settings.requireChecks.kind === 'all',
            names: settings.requireChecks.kind === 'all' ? [] : settings.requireChecks.names,
            passed: checks.findings.map(({ name, kind, result, url }) => ({ name, kind, result, url })),
          }
        : null,
  });
  await appendSummary(
    `**resolve-ref** · ${settings.environment}: deploying \`${shortSha(resolution.sha)}\` ` +
      `from \`${resolution.ref}\` (source: ${resolution.source}, event: ${resolution.event})` +
      (checks ? `; ${checks.findings.length} required check(s) passed` : '') +
      '\n',
  );
  return resolution;
}
