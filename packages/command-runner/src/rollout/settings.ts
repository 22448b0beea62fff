import type { WaveStep } from './waves';

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
