import { ConfigurationError, input } from '@gatehouse/action-kit';
import { rateProblem } from './rollout/limits';
import type { RolloutSettings } from './rollout/settings';
import { parseWaves } from './rollout/waves';

/**
 * The rollout inputs deploy-ssm and rollback share (`@gatehouse/command-runner/rollout-inputs`),
 * read in one place so the two cannot drift; apart from `inputs.ts` because only those two
 * actions take them.
 */
const SECOND = 1000;
const HOUR = 3_600_000;

function rate(name: string, defaultValue: string, kind: 'concurrency' | 'errors'): string {
  const value = input.optionalString(name) ?? defaultValue;
  const problem = rateProblem(value, kind);
  if (problem) throw new ConfigurationError(`Input '${name}' ${problem}; got '${value}'.`);
  return value;
}

function durationWithin(
  name: string,
  defaultValue: string,
  minMs: number,
  maxMs: number,
  why: string,
): number {
  const ms = input.duration(name, defaultValue);
  if (ms < minMs || ms > maxMs) throw new ConfigurationError(`Input '${name}' must be ${why}.`);
  return ms;
}

function verifyUrl(): string | undefined {
  const value = input.optionalString('verify-url');
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(
      `Input 'verify-url' must be an http:// or https:// URL as the host sees it (e.g. http://127.0.0.1:8080/health), got '${value}'.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError(
      `Input 'verify-url' must be an http:// or https:// URL, got '${url.protocol}'.`,
    );
  }
  if (url.username || url.password) {
    throw new ConfigurationError(
      "Input 'verify-url' must not carry a user or password: it is shown in the log and the plan.",
    );
  }
  return value;
}

export function readRolloutSettings(): RolloutSettings {
  const comment = input.optionalString('comment');
  if (comment !== undefined && comment.length > 100) {
    throw new ConfigurationError(
      `Input 'comment' must be at most 100 characters (SSM's limit), got ${comment.length}.`,
    );
  }
  return {
    executionTimeoutMs: durationWithin(
      'execution-timeout',
      '30m',
      SECOND,
      48 * HOUR,
      "from 1s to 48h (SSM's bounds)",
    ),
    deliveryTimeoutMs: durationWithin(
      'delivery-timeout',
      '10m',
      30 * SECOND,
      30 * 24 * HOUR,
      "from 30s to 720h (SSM's bounds)",
    ),
    maxConcurrency: rate('max-concurrency', '50', 'concurrency'),
    maxErrors: rate('max-errors', '0', 'errors'),
    lockTimeoutMs: durationWithin('lock-timeout', '5m', 0, 24 * HOUR, 'from 0s to 24h'),
    historySize: input.integer('history-size', { default: 20, min: 1, max: 1000 }) ?? 20,
    comment,
    waves: parseWaves(input.optionalString('waves')),
    verifyCommand: input.optionalString('verify-command'),
    verifyUrl: verifyUrl(),
    verifyTimeoutMs: durationWithin('verify-timeout', '2m', SECOND, 24 * HOUR, 'from 1s to 24h'),
    bakeMs: durationWithin('bake', '0s', 0, 24 * HOUR, 'from 0s to 24h'),
    dryRun: input.boolean('dry-run', false),
  };
}
