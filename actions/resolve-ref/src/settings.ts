import { input } from '@gatehouse/action-kit';
import { readTrustedRefs, readTrustedWorkflows } from '@gatehouse/github-client';
import { checkRefGlobs } from './allowed-refs';
import { parseRequiredChecks, type RequiredChecks } from './required-checks';

/** Every input of resolve-ref, read and checked once. */
export interface Settings {
  /** The ref asked for; empty means the event's own ref (see decide.ts). */
  inputRef: string | undefined;
  /** Only a SHA with a successful GitHub Deployment in this environment may pass. */
  requireSuccessfulDeploymentIn: string | undefined;
  /** The deploy workflow files whose runs' deployments the guard accepts; empty: this run's own. */
  trustedWorkflows: string[];
  /** The refs those runs may have run on; empty: the default branch. */
  trustedRefs: string[];
  /** CI must have passed on the commit: every check, or the named ones; undefined: not asked. */
  requireChecks: RequiredChecks | undefined;
  /** How long pending checks are waited for. */
  checksTimeoutMs: number;
  environment: string;
  defaultBranch: string | undefined;
  protectedEnvironments: string[];
  allowedRefs: string[];
  allowedEvents: string[];
  /** Masked; without it, refs are looked up in the git checkout instead of the API. */
  token: string | undefined;
}

export function readSettings(): Settings {
  return {
    inputRef: input.identifier('ref'),
    requireSuccessfulDeploymentIn: input.identifier('require-successful-deployment-in'),
    trustedWorkflows: readTrustedWorkflows(input.identifierList('trusted-workflows')),
    trustedRefs: readTrustedRefs(input.identifierList('trusted-refs')),
    requireChecks: parseRequiredChecks(input.optionalString('require-checks')),
    // A hosted job lasts at most 6 hours; a longer wait could never end in a deploy.
    checksTimeoutMs: input.duration('checks-timeout', '10m', { min: '0s', max: '6h' }),
    environment: input.requiredIdentifier('environment'),
    defaultBranch: input.identifier('default-branch'),
    // Empty means the default, as for every input: `allowed-events: ${{ inputs.events }}` left empty
    // by a caller must not allow nothing (or, for protected-environments, protect nothing).
    protectedEnvironments: input.identifierList('protected-environments', ['prod', 'production']),
    allowedRefs: checkRefGlobs('allowed-refs', input.identifierList('allowed-refs')),
    allowedEvents: input.identifierList('allowed-events', ['push', 'workflow_dispatch', 'release']),
    token: input.secretString('token'),
  };
}
