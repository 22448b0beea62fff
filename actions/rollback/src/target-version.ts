import * as core from '@actions/core';
import { ActionFailure, ConfigurationError } from '@gatehouse/action-kit';
import type { CommandRunner } from '@gatehouse/command-runner';
import {
  buildStateReadScript,
  DeployStateError,
  type DeployVersion,
  IMAGE_TAG_PATTERN,
  parseStateReport,
  SHA,
} from '@gatehouse/host-script';
import { chooseForFleet, describeVersion, type HostState } from './choose-version';
import type { GithubLookups } from './github';
import type { Settings } from './settings';

export interface Target {
  version: DeployVersion;
  /** How it was chosen, for the log: `input 'to'`, `previous`, `last successful deployment`… */
  why: string;
}

/** Looks like a ref a person could mean (resolve-ref validates refs fully; this keeps shells out). */
const REF_TEXT = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,254}$/;

/**
 * The version to go back to: the one `to` names, or the one every host's own deploy-state.json
 * agrees on. Reading the hosts changes nothing on them; a refusal says which host has what.
 */
export async function targetVersion(
  settings: Settings,
  deps: {
    runner: CommandRunner;
    github: () => Promise<GithubLookups>;
    environment: string;
    rollingBackFrom?: string;
  },
): Promise<Target> {
  const { to, mode } = settings;
  if (to === 'last-successful') {
    const found = await (await deps.github()).lastSuccessful(deps.environment, deps.rollingBackFrom);
    if ('refused' in found) {
      throw new ActionFailure(
        `No successful deployment of ${deps.environment} is recorded in GitHub Deployments` +
          `${deps.rollingBackFrom ? ` other than ${deps.rollingBackFrom.slice(0, 7)}` : ''}` +
          `${found.refused ? ` that a trusted run made (${found.refused})` : ''}; nothing was changed.`,
      );
    }
    if (mode === 'image' && !found.imageTag) {
      throw new ActionFailure(
        `The last successful deployment of ${deps.environment} (${found.sha.slice(0, 7)}) records no image tag; name the tag with input 'to'. Nothing was changed.`,
      );
    }
    return { version: found, why: 'the last successful deployment in GitHub' };
  }
  if (to !== undefined && mode === 'image') {
    if (!IMAGE_TAG_PATTERN.test(to)) {
      throw new ConfigurationError(
        `Input 'to' must be an image tag (letters, digits, _ . -) in image mode, got '${to}'.`,
      );
    }
    return { version: { imageTag: to }, why: "input 'to'" };
  }
  if (to !== undefined) {
    if (SHA.test(to)) return { version: { sha: to }, why: "input 'to'" };
    if (!REF_TEXT.test(to) || to.includes('..')) {
      throw new ConfigurationError(`Input 'to' must be a commit SHA, a branch or a tag, got '${to}'.`);
    }
    const sha = await (await deps.github()).commitOf(to);
    if (!sha)
      throw new ActionFailure(
        `Input 'to' names '${to}', which is not a commit, branch or tag of this repository.`,
      );
    return { version: { sha, ref: to }, why: `input 'to' (${to})` };
  }
  return fromHosts(settings, deps.runner);
}

async function fromHosts(settings: Settings, runner: CommandRunner): Promise<Target> {
  core.info(`Reading deploy-state.json on ${runner.describeTargets()} (read only)`);
  const result = await runner.run({
    script: buildStateReadScript(settings.stateDir),
    comment: 'gatehouse rollback: read deploy-state.json',
    executionTimeoutMs: 120_000,
    deliveryTimeoutMs: settings.deliveryTimeoutMs,
    maxConcurrency: settings.maxConcurrency,
    maxErrors: '100%',
  });
  const states: { host: string; state: HostState }[] = [];
  for (const host of result.hosts) {
    if (host.status !== 'Success') {
      const detail = host.stderr.trim().split('\n').at(-1) ?? '';
      throw new ActionFailure(
        `Could not read deploy-state.json on ${host.host} (${host.statusDetails}${detail ? `: ${detail}` : ''}); nothing was changed.`,
      );
    }
    try {
      states.push({ host: host.host, state: parseStateReport(host.stdout) });
    } catch (error) {
      if (!(error instanceof DeployStateError)) throw error;
      throw new ActionFailure(
        `deploy-state.json on ${host.host} cannot be read: ${error.message}; nothing was changed.`,
      );
    }
  }
  const choice = chooseForFleet(states, settings.mode);
  if (choice.kind === 'refused') throw new ActionFailure(`Rollback refused: ${choice.message}.`);
  if (settings.mode === 'git' && !choice.version.sha) {
    throw new ActionFailure(
      `The recorded version ${describeVersion(choice.version)} has no commit SHA, so it cannot be restored in git mode; nothing was changed.`,
    );
  }
  if (settings.mode === 'image' && !choice.version.imageTag) {
    throw new ActionFailure(
      `The recorded version ${describeVersion(choice.version)} has no image tag, so it cannot be restored in image mode; nothing was changed.`,
    );
  }
  return { version: choice.version, why: `each host's recorded ${choice.why}` };
}
