import { ConfigurationError, input } from '@gatehouse/action-kit';
import type { TargetSettings } from '@gatehouse/command-runner';
import { readTargetSettings } from '@gatehouse/command-runner/inputs';
import { ENV_KEY, IMAGE_TAG_PATTERN, SHA } from '@gatehouse/host-script';

/** Every input of deploy-ssm, read and checked once. */
export interface Settings {
  targets: TargetSettings;
  appDir: string;
  stateDir: string;
  mode: 'git' | 'image';
  ref?: string;
  sha?: string;
  image?: string;
  imageTag?: string;
  envFile: string;
  imageTagKey: string;
  force: boolean;
  commands?: string;
  environment: string;
  executionTimeoutMs: number;
  deliveryTimeoutMs: number;
  maxConcurrency: string;
  maxErrors: string;
  lockTimeoutMs: number;
  cloudwatchLogGroup?: string;
  outputS3Bucket?: string;
  comment?: string;
  historySize: number;
}

/** SSM's rate-control grammar: a count or a percentage. */
function rate(name: string, defaultValue: string, min: number): string {
  const value = input.optionalString(name) ?? defaultValue;
  const match = /^(\d+)(%?)$/.exec(value);
  const amount = match ? Number(match[1]) : Number.NaN;
  if (!match || amount < min || (match[2] === '%' && amount > 100)) {
    throw new ConfigurationError(
      `Input '${name}' must be a number of hosts (e.g. 10) or a percentage (e.g. 25%), at least ${min}, got '${value}'.`,
    );
  }
  return value;
}

function matching(name: string, pattern: RegExp, expected: string): string | undefined {
  const value = input.optionalString(name);
  if (value !== undefined && !pattern.test(value)) {
    throw new ConfigurationError(`Input '${name}' must be ${expected}, got '${value}'.`);
  }
  return value;
}

export function readSettings(): Settings {
  const mode = input.choice('mode', ['git', 'image'], 'git');
  const comment = input.optionalString('comment');
  if (comment !== undefined && comment.length > 100) {
    throw new ConfigurationError(
      `Input 'comment' must be at most 100 characters (SSM's limit), got ${comment.length}.`,
    );
  }
  const settings: Settings = {
    targets: readTargetSettings(),
    appDir: input.requiredString('app-dir'),
    stateDir: input.requiredString('state-dir'),
    mode,
    ref: input.optionalString('ref'),
    sha: matching('sha', SHA, 'a full 40-character commit sha (resolve-ref outputs one)'),
    image: input.optionalString('image'),
    imageTag: matching('image-tag', IMAGE_TAG_PATTERN, 'an image tag (letters, digits, _ . -, at most 128)'),
    envFile: input.optionalString('env-file') ?? '.env',
    imageTagKey: matching('image-tag-key', ENV_KEY, 'an env variable name like IMAGE_TAG') ?? 'IMAGE_TAG',
    force: input.boolean('force', false),
    commands: input.optionalString('commands'),
    environment: input.requiredString('environment'),
    executionTimeoutMs: input.duration('execution-timeout', '30m', { min: '1s', max: '48h' }),
    deliveryTimeoutMs: input.duration('delivery-timeout', '10m', { min: '30s', max: '48h' }),
    maxConcurrency: rate('max-concurrency', '50', 1),
    maxErrors: rate('max-errors', '0', 0),
    lockTimeoutMs: input.duration('lock-timeout', '5m', { max: '24h' }),
    cloudwatchLogGroup: input.optionalString('cloudwatch-log-group'),
    outputS3Bucket: input.optionalString('output-s3-bucket'),
    comment,
    historySize: input.integer('history-size', { default: 20, min: 1, max: 1000 }) ?? 20,
  };
  if (mode === 'git' && settings.sha === undefined) {
    throw new ConfigurationError("With mode 'git', input 'sha' is required: the exact commit to check out.");
  }
  if (mode === 'image' && settings.imageTag === undefined) {
    throw new ConfigurationError("With mode 'image', input 'image-tag' is required.");
  }
  return settings;
}
