import { ConfigurationError } from '@gatehouse/action-kit/errors';
import { localRunner } from './local-runner';
import type { CommandRunner } from './types';

/**
 * Where commands run: what the target inputs every such action shares (DESIGN.md, "Targets") say,
 * as read by `@gatehouse/command-runner/inputs`.
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
  /** After each status poll, with the SSM calls it made (benchmarks, tests). */
  onPoll?: (calls: number) => void;
  /** How long an empty invocation listing is tolerated after sending (default 60 s). */
  appearWithinMs?: number;
}

/** EC2 instances (`i-` + 8 or 17 hex digits) and registered managed nodes (`mi-` + 17 hex digits). */
const INSTANCE_ID = /^(?:i-(?:[0-9a-f]{8}|[0-9a-f]{17})|mi-[0-9a-f]{17})$/;
/** SSM's own limits for tag keys and values in `Targets`. */
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

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
    if (!TAG_KEY.test(key) || !TAG_VALUE.test(value) || key.toLowerCase().startsWith('aws:')) {
      throw new ConfigurationError(
        `Input '${inputName}' must be Key=Value lines (one tag per line, letters, digits, spaces and _.:/=+-@), ` +
          `got ${JSON.stringify(line)}.`,
      );
    }
    tags.push({ key, value });
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
): Promise<void> {
  const { cancelCommands } = await import('./ssm/ssm-runner');
  const { sdkSsmApi } = await import('./ssm/sdk-client');
  await cancelCommands(await sdkSsmApi(settings.awsRegion), commandIds);
}
