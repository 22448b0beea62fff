import { ConfigurationError, input } from '@gatehouse/action-kit';
import { rateProblem } from './rollout/limits';
import type { RolloutSettings } from './rollout/settings';
import { parseWaves } from './rollout/waves';

/**
 * The rollout inputs deploy-ssm and rollback share (`@gatehouse/command-runner/rollout-inputs`),
 * read in one place so the two cannot drift; apart from `inputs.ts` because only those two
 * actions take them.
 */

function rate(name: string, defaultValue: string, kind: 'concurrency' | 'errors'): string {
  const value = input.optionalString(name) ?? defaultValue;
  const problem = rateProblem(value, kind);
  if (problem) throw new ConfigurationError(`Input '${name}' ${problem}; got '${value}'.`);
  return value;
}

function verifyUrl(): string | undefined {
  const value = input.url('verify-url', ['http', 'https'], {
    example: 'http://127.0.0.1:8080/health/deep (as the host sees it)',
  });
  if (value !== undefined) {
    const url = new URL(value);
    if (url.username || url.password) {
      throw new ConfigurationError(
        "Input 'verify-url' must not carry a user or password: it is shown in the log and the plan.",
      );
    }
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
    // SSM's executionTimeout is 1 s – 48 h; its delivery TimeoutSeconds goes to 30 days, but a
    // job cannot wait past Node's timer limit, and no deploy should wait two days for an agent.
    executionTimeoutMs: input.duration('execution-timeout', '30m', { min: '1s', max: '48h' }),
    deliveryTimeoutMs: input.duration('delivery-timeout', '10m', { min: '30s', max: '48h' }),
    maxConcurrency: rate('max-concurrency', '50', 'concurrency'),
    maxErrors: rate('max-errors', '0', 'errors'),
    lockTimeoutMs: input.duration('lock-timeout', '5m', { max: '24h' }),
    historySize: input.integer('history-size', { default: 20, min: 1, max: 1000 }) ?? 20,
    comment,
    waves: parseWaves(input.optionalString('waves')),
    verifyCommand: input.optionalString('verify-command'),
    verifyUrl: verifyUrl(),
    verifyTimeoutMs: input.duration('verify-timeout', '2m', { min: '1s', max: '24h' }),
    bakeMs: input.duration('bake', '0s', { max: '24h' }),
    dryRun: input.boolean('dry-run', false),
  };
}
