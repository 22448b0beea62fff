import { ConfigurationError, input } from '@gatehouse/action-kit';
import type { RolloutSettings, TargetSettings } from '@gatehouse/command-runner';
import { readTargetSettings } from '@gatehouse/command-runner/inputs';
import { readRolloutSettings } from '@gatehouse/command-runner/rollout-inputs';
import { readTrustedRefs, readTrustedWorkflows } from '@gatehouse/github-client';
import { ENV_KEY } from '@gatehouse/host-script';

/** Every input of rollback, read and checked once; the rollout ones are shared with deploy-ssm. */
export interface Settings extends RolloutSettings {
  targets: TargetSettings;
  mode: 'git' | 'image';
  /** A ref, SHA or image tag; `last-successful`; undefined: each host's version before the rollout. */
  to?: string;
  /** A platform's own rollback (`kubectl rollout undo …`), run with `target: local` instead of the host script. */
  command?: string;
  appDir: string;
  stateDir: string;
  commands?: string;
  envFile: string;
  imageTagKey: string;
  image?: string;
  force: boolean;
  /** Empty: taken from resolve-ref's record. */
  environment?: string;
  reason?: string;
  /** Masked; needed only when `to` asks the GitHub API (`last-successful`, a ref). */
  token?: string;
  /** For `last-successful`: whose deployments count (see @gatehouse/github-client's trust rules). */
  trust: { workflows: string[]; refs: string[] };
}

/** Which rollback needs the path, and the other rollback a person may have meant. */
function missingHostPath(name: string, target: TargetSettings['target']): ConfigurationError {
  const where = target === 'local' ? 'on this runner (target: local)' : 'on each host';
  const other =
    target === 'local'
      ? " To run a platform's own rollback instead (kubectl rollout undo, a Railway redeploy), set 'command'."
      : '';
  return new ConfigurationError(
    `Input '${name}' is required: without 'command', rollback runs the deploy host script ${where}, which needs ` +
      `'app-dir' and 'state-dir' as given to deploy-ssm.${other}`,
  );
}

export function readSettings(): Settings {
  const targets = readTargetSettings();
  const command = input.optionalString('command');
  if (command !== undefined && targets.target !== 'local') {
    throw new ConfigurationError(
      "Input 'command' (a platform's own rollback, e.g. kubectl rollout undo) needs target: local; " +
        "with target: ssm the hosts' deploy script rolls back.",
    );
  }
  const needsHost = command === undefined;
  // Only the host script uses these paths; a platform's own rollback (`command`) needs neither.
  const hostPath = (name: string): string => {
    const value = input.optionalString(name);
    if (!needsHost) return '';
    if (value === undefined) throw missingHostPath(name, targets.target);
    return value;
  };
  const imageTagKey = input.optionalString('image-tag-key') ?? 'IMAGE_TAG';
  if (!ENV_KEY.test(imageTagKey)) {
    throw new ConfigurationError(
      `Input 'image-tag-key' must be an env variable name like IMAGE_TAG, got '${imageTagKey}'.`,
    );
  }
  return {
    targets,
    mode: input.choice('mode', ['git', 'image'], 'git'),
    to: input.identifier('to'),
    command,
    appDir: hostPath('app-dir'),
    stateDir: hostPath('state-dir'),
    commands: input.optionalString('commands'),
    envFile: input.optionalString('env-file') ?? '.env',
    imageTagKey,
    image: input.identifier('image'),
    force: input.boolean('force', false),
    environment: input.identifier('environment'),
    reason: input.optionalString('reason'),
    token: input.secretString('token'),
    trust: {
      workflows: readTrustedWorkflows(input.identifierList('trusted-workflows')),
      refs: readTrustedRefs(input.identifierList('trusted-refs')),
    },
    ...readRolloutSettings(),
  };
}
