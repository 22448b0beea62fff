import type { TargetSettings } from '../targets';
import type { CommandRunner, RunRequest, RunResult } from '../types';
import { type Clock, type SsmApi, systemClock } from './api';
import { hostResults } from './output';
import { checkTargetsOnline } from './precheck';
import { type OutputOptions, sendAll } from './send';
import { waitForInvocations } from './wait';

export interface SsmRunnerOptions extends OutputOptions {
  api: SsmApi;
  clock?: Clock;
  log?: (line: string) => void;
  /** How long after sending an empty listing or InvocationDoesNotExist is tolerated (default 60 s). */
  appearWithinMs?: number;
  onPoll?: (calls: number) => void;
}

/** Past delivery + execution timeouts, how long SSM may take to report the final state. */
const REPORTING_MARGIN_MS = 120_000;

/**
 * SSM Run Command: check the targets are online, send AWS-RunShellScript (50 ids per command, or
 * tag Targets), wait on every invocation, then read failed hosts' output.
 */
export function ssmRunner(targets: TargetSettings, options: SsmRunnerOptions): CommandRunner {
  const { api, clock = systemClock, log } = options;
  return {
    kind: 'ssm',
    describeTargets: () => describeTargets(targets),
    async run(request: RunRequest): Promise<RunResult> {
      const ids = await checkTargetsOnline(api, targets);
      log?.(`${ids.length} host(s) online: ${abbreviate(ids)}`);
      const sent = await sendAll(api, targets, request, options);
      const finished = await waitForInvocations(api, sent, {
        clock,
        signal: request.signal,
        appearWithinMs: options.appearWithinMs ?? 60_000,
        deadlineMs: (request.deliveryTimeoutMs ?? 600_000) + request.executionTimeoutMs + REPORTING_MARGIN_MS,
        log,
        onPoll: options.onPoll,
      });
      const hosts = await hostResults(api, finished, options);
      const commandIds = sent.map((s) => s.commandId);
      return {
        commandId: commandIds.join(','),
        commandIds,
        hosts,
        succeeded: hosts.length > 0 && hosts.every((h) => h.status === 'Success'),
      };
    },
  };
}

export function describeTargets(targets: TargetSettings): string {
  if (targets.instanceIds.length > 0) {
    return `${targets.instanceIds.length} instance(s) (${abbreviate(targets.instanceIds)})`;
  }
  return `instances tagged ${targets.instanceTags.map((t) => `${t.key}=${t.value}`).join(', ')}`;
}

function abbreviate(ids: readonly string[]): string {
  return ids.length <= 10 ? ids.join(', ') : `${ids.slice(0, 10).join(', ')} and ${ids.length - 10} more`;
}

/** CancelCommand for each id; used by post steps when a job is cancelled mid-command. */
export async function cancelCommands(api: SsmApi, commandIds: readonly string[]): Promise<void> {
  for (const CommandId of commandIds) await api.cancelCommand({ CommandId });
}
