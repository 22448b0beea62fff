import { ActionFailure, ConfigurationError } from '@gatehouse/action-kit';
import { shortSha } from '@gatehouse/action-kit/short-sha';
import { type DeployVersion, IMAGE_TAG_PATTERN, SHA } from '@gatehouse/host-script';
import type { GithubLookups } from './github';
import type { Settings } from './settings';

export interface Target {
  version: DeployVersion;
  /** How it was chosen, for the log: `input 'to'`, `previous`, `last successful deployment`… */
  why: string;
}

/** Looks like a ref a person could mean (resolve-ref validates refs fully; this keeps shells out). */
const REF_TEXT = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,254}$/;

/** The version input `to` names: a commit, branch or tag, an image tag, or `last-successful`. */
export async function targetVersion(
  settings: Settings,
  deps: {
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
          `${deps.rollingBackFrom ? ` other than ${shortSha(deps.rollingBackFrom)}` : ''}` +
          `${found.refused ? ` that a trusted run made (${found.refused})` : ''}; nothing was changed.`,
      );
    }
    if (mode === 'image' && !found.imageTag) {
      throw new ActionFailure(
        `The last successful deployment of ${deps.environment} (${shortSha(found.sha)}) records no image tag; name the tag with input 'to'. Nothing was changed.`,
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
  throw new Error('targetVersion needs input to');
}
