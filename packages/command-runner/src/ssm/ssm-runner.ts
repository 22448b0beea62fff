import type { TargetSettings } from '../targets';
import type { CommandRunner, HostOutput, HostResult, RunRequest, RunResult } from '../types';
import { type Clock, type SsmApi, systemClock } from './api';
import { dispatch } from './dispatch';
import { hostResults, wholeOutput } from './output';
import { checkTargetsOnline } from './precheck';
import type { OutputOptions } from './send';
import { commandFinished } from './status';

export interface SsmRunnerOptions extends OutputOptions {
  api: SsmApi;
  clock?: Clock;
  log?: (line: string) => void;
  /** How long after sending an unknown command id is tolerated (default 60 s). */
  appearWithinMs?: number;
  onPoll?: (calls: number, finishedHosts: number) => void;
}

/**
 * SSM Run Command: resolve the targets to online instance ids, dispatch AWS-RunShellScript to
 * them under limits that hold for the whole fleet, then read failed hosts' output.
 */
export function ssmRunner(targets: TargetSettings, options: SsmRunnerOptions): CommandRunner {
  const { api, clock = systemClock, log } = options;
  const resolveHosts = async () => {
    const ids = await checkTargetsOnline(api, targets);
    log?.(`${ids.length} host(s) online: ${abbreviate(ids)}`);
    return ids;
  };
  return {
    kind: 'ssm',
    describeTargets: () => describeTargets(targets),
    resolveHosts,
    async run(request: RunRequest): Promise<RunResult> {
      const hosts = request.hosts ? [...request.hosts] : await resolveHosts();
      const { finished, commandIds } = await dispatch(api, hosts, request, {
        ...options,
        clock,
        appearWithinMs: options.appearWithinMs ?? 60_000,
      });
      const results = await hostResults(api, finished, options);
      return {
        commandId: commandIds.join(','),
        commandIds,
        hosts: results,
        succeeded: results.length > 0 && results.every((h) => h.status === 'Success'),
      };
    },
    async fullOutput(host: HostResult): Promise<HostOutput> {
      if (!host.commandId || !host.started) {
        return { stdout: host.stdout, stderr: host.stderr, truncated: host.outputTruncated };
      }
      const whole = await wholeOutput(api, host, host.commandId, options);
      return { stdout: whole.stdout, stderr: whole.stderr, truncated: whole.outputTruncated };
    },
  };
}

export function describeTargets(targets: TargetSettings): string {
  if (targets.instanceIds.length > 0) {
    return `${targets.instanceIds.length} instance(s) (${abbreviate(targets.instanceIds)})`;
  }
  return `instances tagged ${targets.instanceTags.map((t) => `${t.key}=${t.value}`).join(', ')}`;
}

export function abbreviate(ids: readonly string[]): string {
  return ids.length <= 10 ? ids.join(', ') : `${ids.slice(0, 10).join(', ')} and ${ids.length - 10} more`;
}

/**
 * CancelCommand for each id SSM still runs; used by post steps when a job is cancelled
 * mid-rollout. Returns the ids it cancelled (commands already over are left as they ended).
 */
export async function cancelCommands(api: SsmApi, commandIds: readonly string[]): Promise<string[]> {
  const cancelled: string[] = [];
  for (const CommandId of commandIds) {
    const status = (await api.listCommands({ CommandId })).Commands?.[0]?.Status;
    if (status !== undefined && commandFinished(status)) continue;
    await api.cancelCommand({ CommandId });
    cancelled.push(CommandId);
  }
  return cancelled;
}
