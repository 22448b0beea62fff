import type { CommandInvocation } from '@aws-sdk/client-ssm';
import { formatDuration } from '@gatehouse/action-kit/duration';
import { ActionFailure } from '@gatehouse/action-kit/errors';
import type { HostStatus } from '../types';
import { awsErrorName, type Clock, SSM_BATCH, type SsmApi } from './api';
import type { SentCommand } from './send';
import { commandFinished, invocationState } from './status';

/** One host's final state as the invocation listing reports it. */
export interface FinishedInvocation {
  commandId: string;
  host: string;
  status: HostStatus;
  statusDetails: string;
  exitCode: number | null;
  /** The listing's copy of the output (SSM keeps only the start of it here). */
  output: string;
  outputUrl?: string;
}

export interface WaitOptions {
  clock: Clock;
  signal?: AbortSignal;
  /** How long after sending an unknown invocation or an empty listing means "not created yet". */
  appearWithinMs: number;
  /** Give up when SSM still reports hosts running after this long (delivery + execution + margin). */
  deadlineMs: number;
  log?: (line: string) => void;
  /** Called after each poll with the number of SSM calls it made (for benchmarks and tests). */
  onPoll?: (calls: number) => void;
}

/**
 * Poll fast while a short deploy may finish (every 500 ms for the first 10 s, so a finish is seen
 * within half a second), then back off ×1.5 per poll to a cap of 5 s for long deploys.
 */
export const FIRST_POLL_MS = 500;
export function pollDelay(pollNumber: number, previousMs: number): number {
  if (pollNumber < 20) return FIRST_POLL_MS;
  return Math.min(5000, Math.round(previousMs * 1.5));
}

/** Errors SSM returns while a just-sent command's invocations are still being created. */
const NOT_YET = new Set(['InvocationDoesNotExist', 'InvalidCommandId']);

interface Tracked {
  sent: SentCommand;
  finished: Map<string, FinishedInvocation>;
  seen: Set<string>;
  done: boolean;
}

/**
 * Waits on every invocation of every command with paged ListCommandInvocations: about one call
 * per 50 hosts per poll, however many hosts, instead of one GetCommandInvocation per host.
 */
export async function waitForInvocations(
  api: SsmApi,
  sent: SentCommand[],
  options: WaitOptions,
): Promise<FinishedInvocation[]> {
  const { clock } = options;
  const started = clock.now();
  const tracked: Tracked[] = sent.map((s) => ({
    sent: s,
    finished: new Map(),
    seen: new Set(),
    done: false,
  }));
  let delay = FIRST_POLL_MS;
  for (let poll = 0; ; poll++) {
    await clock.sleep(delay, options.signal);
    const elapsed = clock.now() - started;
    let calls = 0;
    for (const command of tracked.filter((t) => !t.done)) {
      calls += await pollCommand(api, command, elapsed, options);
    }
    options.onPoll?.(calls);
    if (tracked.every((t) => t.done)) break;
    if (elapsed > options.deadlineMs) {
      const running = tracked.flatMap((t) => [...t.seen].filter((h) => !t.finished.has(h)));
      throw new ActionFailure(
        `SSM still reports hosts running ${formatDuration(elapsed)} after sending ` +
          `(past delivery-timeout + execution-timeout): ${running.join(', ') || 'no invocation listed yet'}. ` +
          `Commands: ${sent.map((s) => s.commandId).join(', ')}.`,
      );
    }
    delay = pollDelay(poll + 1, delay);
  }
  return tracked.flatMap((t) => [...t.finished.values()]);
}

/** One poll of one command; returns how many SSM calls it made. */
async function pollCommand(
  api: SsmApi,
  command: Tracked,
  elapsed: number,
  options: WaitOptions,
): Promise<number> {
  const { commandId, instanceIds } = command.sent;
  const listed: CommandInvocation[] = [];
  let calls = 0;
  let NextToken: string | undefined;
  try {
    do {
      calls++;
      const page = await api.listCommandInvocations({
        CommandId: commandId,
        Details: true,
        MaxResults: SSM_BATCH,
        NextToken,
      });
      listed.push(...(page.CommandInvocations ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
  } catch (error) {
    const name = awsErrorName(error);
    if (name === 'ThrottlingException') {
      // The SDK's adaptive retry already backed off; this poll simply did not happen.
      options.log?.(`SSM throttled the status poll of ${commandId}; polling again shortly`);
      return calls;
    }
    if (!(name && NOT_YET.has(name) && elapsed <= options.appearWithinMs)) throw error;
  }
  for (const invocation of listed) {
    const host = invocation.InstanceId;
    if (!host || command.finished.has(host)) continue;
    command.seen.add(host);
    const state = invocationState(invocation.Status, invocation.StatusDetails);
    if (state.done) command.finished.set(host, finishedInvocation(commandId, host, state, invocation));
  }

  const allListedDone = command.seen.size > 0 && [...command.seen].every((h) => command.finished.has(h));
  const missing = instanceIds.filter((id) => !command.finished.has(id));
  if (instanceIds.length > 0 && missing.length === 0) {
    command.done = true;
    return calls;
  }
  if (command.seen.size === 0 && elapsed > options.appearWithinMs && instanceIds.length > 0) {
    throw new ActionFailure(
      `SSM listed no invocation of command ${commandId} ${formatDuration(elapsed)} after it was sent ` +
        `(hosts ${instanceIds.join(', ')}).`,
    );
  }
  // Tag targets (and hosts SSM never sent to after MaxErrors) are only known once the command is over.
  if (allListedDone || (command.seen.size === 0 && elapsed > options.appearWithinMs)) {
    calls++;
    const status = (await api.listCommands({ CommandId: commandId })).Commands?.[0]?.Status;
    if (commandFinished(status)) {
      for (const host of missing) {
        command.finished.set(host, {
          commandId,
          host,
          status: 'Cancelled',
          statusDetails: 'NotSent',
          exitCode: null,
          output:
            'SSM did not send the command to this host: the rollout stopped (max-errors reached or cancelled).',
        });
      }
      if (command.finished.size === 0) {
        throw new ActionFailure(
          `Command ${commandId} ended (${status}) without running on any host: no target matched.`,
        );
      }
      command.done = true;
    }
  }
  return calls;
}

function finishedInvocation(
  commandId: string,
  host: string,
  state: { status: HostStatus; statusDetails: string },
  invocation: CommandInvocation,
): FinishedInvocation {
  const plugin = invocation.CommandPlugins?.[0];
  const code = plugin?.ResponseCode;
  const ran = state.status === 'Success' || state.status === 'Failed' || state.status === 'ExecutionTimedOut';
  return {
    commandId,
    host,
    ...state,
    exitCode: ran && typeof code === 'number' && code >= 0 ? code : null,
    output: plugin?.Output ?? '',
    outputUrl: plugin?.StandardOutputUrl || invocation.StandardOutputUrl || undefined,
  };
}
