import { ConfigurationError, input } from '@gatehouse/action-kit';
import { rateProblem } from './limits';
import { parseWaves, type WaveStep } from './waves';

/**
 * The rollout inputs deploy-ssm and rollback share, read and checked in one place so the two
 * cannot drift: timeouts, fleet limits, waves and their verification, and dry run.
 */
export interface RolloutSettings {
  /** How long the script may run on one host (SSM's executionTimeout, 1 s – 48 h). */
  executionTimeoutMs: number;
  /** How long SSM may take to deliver the command (SendCommand TimeoutSeconds, 30 s – 30 days). */
  deliveryTimeoutMs: number;
  /** Hosts in flight at once across the whole rollout: a count or a percentage of the fleet. */
  maxConcurrency: string;
  /** Failed hosts tolerated before nothing more is sent: a count or a percentage of the fleet. */
  maxErrors: string;
  lockTimeoutMs: number;
  historySize: number;
  /** The SSM command's comment (at most 100 characters); undefined: the action's default. */
  comment?: string;
  waves: WaveStep[];
  /** Bash run on each host after its deploy, retried until it passes or verify-timeout ends. */
  verifyCommand?: string;
  /** Checked from the host with curl: 2xx, naming the deployed commit when there is one. */
  verifyUrl?: string;
  verifyTimeoutMs: number;
  /** Wait after each wave but the last passes, then verify its hosts again. */
  bakeMs: number;
  /** Resolve, read each host's state, print the plan; change nothing. */
  dryRun: boolean;
}

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
