import { ConfigurationError, input } from '@gatehouse/action-kit';
import type { RolloutSettings, TargetSettings } from '@gatehouse/command-runner';
import { readTargetSettings } from '@gatehouse/command-runner/inputs';
import { readRolloutSettings } from '@gatehouse/command-runner/rollout-inputs';
import { ENV_KEY, IMAGE_TAG_PATTERN, SHA } from '@gatehouse/host-script';

/** Every input of deploy-ssm, read and checked once; the rollout ones are shared with rollback. */
export interface Settings extends RolloutSettings {
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
  cloudwatchLogGroup?: string;
  outputS3Bucket?: string;
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
  const settings: Settings = {
    targets: readTargetSettings(),
    appDir: input.requiredString('app-dir'),
    stateDir: input.requiredString('state-dir'),
    mode,
    ref: input.identifier('ref'),
    sha: matching('sha', SHA, 'a full 40-character commit sha (resolve-ref outputs one)'),
    image: input.identifier('image'),
    imageTag: matching('image-tag', IMAGE_TAG_PATTERN, 'an image tag (letters, digits, _ . -, at most 128)'),
    envFile: input.optionalString('env-file') ?? '.env',
    imageTagKey: matching('image-tag-key', ENV_KEY, 'an env variable name like IMAGE_TAG') ?? 'IMAGE_TAG',
    force: input.boolean('force', false),
    commands: input.optionalString('commands'),
    environment: input.requiredIdentifier('environment'),
    cloudwatchLogGroup: input.optionalString('cloudwatch-log-group'),
    outputS3Bucket: input.optionalString('output-s3-bucket'),
    ...readRolloutSettings(),
  };
  if (mode === 'git' && settings.sha === undefined) {
    throw new ConfigurationError("With mode 'git', input 'sha' is required: the exact commit to check out.");
  }
  if (mode === 'image' && settings.imageTag === undefined) {
    throw new ConfigurationError("With mode 'image', input 'image-tag' is required.");
  }
  return settings;
}
