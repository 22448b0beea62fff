import { ConfigurationError, input } from '@gatehouse/action-kit';
import type { TargetSettings } from '@gatehouse/command-runner';
import { readTargetSettings } from '@gatehouse/command-runner/inputs';
import { readTrustedRefs, readTrustedWorkflows } from '@gatehouse/github-client';
import { ENV_KEY } from '@gatehouse/host-script';

/** Every input of rollback, read and checked once. */
export interface Settings {
  targets: TargetSettings;
  mode: 'git' | 'image';
  /** A ref, SHA or image tag; `last-successful`; undefined: each host's recorded previous version. */
  to?: string;
  /** A platform's own rollback (`kubectl rollout undo …`), run with `target: local` instead of the host script. */
  command?: string;
  /** Empty with `command`. */
  appDir: string;
  /** Empty with `command`. */
  stateDir: string;
  commands?: string;
  envFile: string;
  imageTagKey: string;
  image?: string;
  force: boolean;
  /** Empty: taken from resolve-ref's record. */
  environment?: string;
  reason?: string;
  executionTimeoutMs: number;
  deliveryTimeoutMs: number;
  maxConcurrency: string;
  maxErrors: string;
  lockTimeoutMs: number;
  historySize: number;
  comment?: string;
  /** Masked; needed only when `to` asks the GitHub API (`last-successful`, a ref). */
  token?: string;
  /** For `last-successful`: whose deployments count (see @gatehouse/github-client's trust rules). */
  trust: { workflows: string[]; refs: string[] };
}

/** SSM's rate-control grammar: a count or a percentage. */
function rate(name: string, defaultValue: string, min: number): string {
  const value = input.optionalString(name) ?? defaultValue;
  const match = /^(\d+)(%?)$/.exec(value);
  if (!match || Number(match[1]) < min || (match[2] === '%' && Number(match[1]) > 100)) {
    throw new ConfigurationError(
      `Input '${name}' must be a number of hosts (e.g. 10) or a percentage (e.g. 25%), at least ${min}, got '${value}'.`,
    );
  }
  return value;
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
  const hostPath = (name: string) => (needsHost ? input.requiredString(name) : '');
  const imageTagKey = input.optionalString('image-tag-key') ?? 'IMAGE_TAG';
  if (!ENV_KEY.test(imageTagKey)) {
    throw new ConfigurationError(
      `Input 'image-tag-key' must be an env variable name like IMAGE_TAG, got '${imageTagKey}'.`,
    );
  }
  const comment = input.optionalString('comment');
  if (comment !== undefined && comment.length > 100) {
    throw new ConfigurationError(
      `Input 'comment' must be at most 100 characters (SSM's limit), got ${comment.length}.`,
    );
  }
  return {
    targets,
    mode: input.choice('mode', ['git', 'image'], 'git'),
    to: input.optionalString('to'),
    command,
    appDir: hostPath('app-dir'),
    stateDir: hostPath('state-dir'),
    commands: input.optionalString('commands'),
    envFile: input.optionalString('env-file') ?? '.env',
    imageTagKey,
    image: input.optionalString('image'),
    force: input.boolean('force', false),
    environment: input.optionalString('environment'),
    reason: input.optionalString('reason'),
    executionTimeoutMs: input.duration('execution-timeout', '30m'),
    deliveryTimeoutMs: input.duration('delivery-timeout', '10m'),
    maxConcurrency: rate('max-concurrency', '50', 1),
    maxErrors: rate('max-errors', '0', 0),
    lockTimeoutMs: input.duration('lock-timeout', '5m'),
    historySize: input.integer('history-size', { default: 20, min: 1, max: 1000 }) ?? 20,
    comment,
    token: input.secretString('token'),
    trust: {
      workflows: readTrustedWorkflows(input.list('trusted-workflows')),
      refs: readTrustedRefs(input.list('trusted-refs')),
    },
  };
}
