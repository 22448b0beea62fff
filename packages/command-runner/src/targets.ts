import { ConfigurationError } from '@gatehouse/action-kit/errors';
import { identifierProblem } from '@gatehouse/action-kit/identifier';
import { localRunner } from './local-runner';
import type { CommandRunner } from './types';

/**
 * Where commands run: what the target inputs every such action shares (`target`, `instance-ids`,
 * `instance-tags`, `aws-region`) say, as read by `@gatehouse/command-runner/inputs`.
 */
export interface TargetSettings {
  target: 'ssm' | 'local';
  instanceIds: string[];
  instanceTags: { key: string; value: string }[];
  awsRegion?: string;
}

export interface RunnerOptions {
  /** Send output to this CloudWatch Logs group and read failed hosts' whole output from it. */
  cloudwatchLogGroup?: string;
  /** Send output to this S3 bucket; failed hosts' results name the object. */
  outputS3Bucket?: string;
  /** Progress lines (sent, waiting, throttled); defaults to nowhere. */
  log?: (line: string) => void;
  /** After each status poll: the SSM calls it made and the hosts it saw finish (benchmarks, tests). */
  onPoll?: (calls: number, finishedHosts: number) => void;
  /** How long SSM may say it does not know a command just sent (default 60 s). */
  appearWithinMs?: number;
}

/** EC2 instances (`i-` + 8 or 17 hex digits) and registered managed nodes (`mi-` + 17 hex digits). */
const INSTANCE_ID = /^(?:i-(?:[0-9a-f]{8}|[0-9a-f]{17})|mi-[0-9a-f]{17})$/;
/**
 * The service model's limits. A tag key becomes `tag:<key>`, an SSM TargetKey (`[\p{L}\p{Z}\p{N}_.:/=\-@]`,
 * no `+`), and is at most 128 characters (TagKey). A value is a TagValue: 1 to 256 characters,
 * `+` allowed (DescribeInstanceInformation refuses an empty filter value).
 */
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;
/** SendCommand takes at most 5 Targets. */
export const MAX_TAG_TARGETS = 5;

export function parseInstanceIds(ids: readonly string[], inputName = 'instance-ids'): string[] {
  const bad = ids.filter((id) => !INSTANCE_ID.test(id));
  if (bad.length > 0) {
    throw new ConfigurationError(
      `Input '${inputName}' must list instance ids (i-0123456789abcdef0) or managed-node ids ` +
        `(mi-0123456789abcdef0); not an id: ${bad.map((id) => `'${id}'`).join(', ')}.`,
    );
  }
  return [...new Set(ids)];
}

export function parseInstanceTags(
  text: string | undefined,
  inputName = 'instance-tags',
): TargetSettings['instanceTags'] {
  if (text === undefined) return [];
  const tags: TargetSettings['instanceTags'] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq).trim() : '';
    const value = eq > 0 ? line.slice(eq + 1).trim() : '';
    const problem = identifierProblem(key) ?? identifierProblem(value);
    if (problem)
      throw new ConfigurationError(
        `Input '${inputName}': a tag key or value ${problem}, got ${JSON.stringify(line)}.`,
      );
    if (!TAG_KEY.test(key) || !TAG_VALUE.test(value) || key.toLowerCase().startsWith('aws:')) {
      throw new ConfigurationError(
        `Input '${inputName}' must be Key=Value lines, one tag per line: a key of 1 to 128 letters, ` +
          'digits, spaces and _.:/=-@ (no +, and not starting with aws:), and a value of 1 to 256 of ' +
          `those or +; got ${JSON.stringify(line)}.`,
      );
    }
    if (tags.some((tag) => tag.key === key)) {
      throw new ConfigurationError(
        `Input '${inputName}' names the tag key '${key}' twice; a host has one value per key, so no host could match.`,
      );
    }
    tags.push({ key, value });
  }
  if (tags.length > MAX_TAG_TARGETS) {
    throw new ConfigurationError(
      `Input '${inputName}' has ${tags.length} tags; SSM takes at most ${MAX_TAG_TARGETS} (each tag is one target).`,
    );
  }
  return tags;
}

/**
 * The runner for these targets. The AWS SDK is imported only on the SSM path, so `target: local`
 * never loads it.
 */
export async function createRunner(
  settings: TargetSettings,
  options: RunnerOptions = {},
): Promise<CommandRunner> {
  if (settings.target === 'local') return localRunner();
  const { ssmRunner } = await import('./ssm/ssm-runner');
  const { sdkSsmApi } = await import('./ssm/sdk-client');
  return ssmRunner(settings, {
    ...options,
    api: await sdkSsmApi(settings.awsRegion, options.cloudwatchLogGroup),
  });
}

/** Cancels SSM commands (a post step's cleanup when the job was cancelled mid-command). */
export async function cancelSsmCommands(
  settings: TargetSettings,
  commandIds: readonly string[],
): Promise<string[]> {
  const { cancelCommands } = await import('./ssm/ssm-runner');
  const { sdkSsmApi } = await import('./ssm/sdk-client');
  return cancelCommands(await sdkSsmApi(settings.awsRegion), commandIds);
}
