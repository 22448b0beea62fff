import type { Command, CommandInvocation } from '@aws-sdk/client-ssm';
import { formatDuration } from '@gatehouse/action-kit/duration';
import { ActionFailure } from '@gatehouse/action-kit/errors';
import { hostCount } from '../rollout/limits';
import type { HostStatus, RunRequest } from '../types';
import { awsErrorName, type Clock, SSM_BATCH, type SsmApi } from './api';
import { type OutputOptions, type SentCommand, sendCommand, sendCommandRequest } from './send';
import { commandFinished, invocationState } from './status';

/** One host's final state as the invocation listing reports it. */
export interface FinishedInvocation {
  commandId: string;
  host: string;
  status: HostStatus;
  statusDetails: string;
  exitCode: number | null;
  /** The listing's copy of the output (SSM keeps only the first 2,500 characters here). */
  output: string;
  outputUrl?: string;
  /** The agent reported the script started (a start time, or output). */
  started: boolean;
}

export interface DispatchOptions extends OutputOptions {
  clock: Clock;
  log?: (line: string) => void;
  /**
   * After each poll: the SSM calls it made, and how many hosts it saw finish (benchmarks, tests).
   * While nothing finishes a poll is one call, however many hosts and commands are in flight.
   */
  onPoll?: (calls: number, finishedHosts: number) => void;
  /** How long after sending a command SSM may still answer that it does not know it. */
  appearWithinMs: number;
}

/** Commands in flight at once: one ListCommands page (50) then shows all of them. */
export const MAX_COMMANDS_IN_FLIGHT = 50;
/** Past delivery + execution timeouts, how long SSM may take to report a command's final state. */
const REPORTING_MARGIN_MS = 120_000;

/**
 * Poll every 500 ms while hosts start or finish (so a finish is seen, and its slot refilled, within
 * half a second), then back off ×1.5 per quiet poll to a cap of 5 s for long deploys.
 */
export const FIRST_POLL_MS = 500;
const QUIET_AFTER_MS = 10_000;
export function pollDelay(quietForMs: number, previousMs: number): number {
  if (quietForMs < QUIET_AFTER_MS) return FIRST_POLL_MS;
  return Math.min(5000, Math.round(previousMs * 1.5));
}

/** Errors SSM returns while a just-sent command is still being created. */
const NOT_YET = new Set(['InvocationDoesNotExist', 'InvalidCommandId']);

interface InFlight extends SentCommand {
  sentAt: number;
  /** From ListCommands: hosts in a terminal state, and those that failed (Failed, timed out). */
  completed: number;
  errors: number;
}

/**
 * Runs the script on `hosts` with limits that hold for the whole run, however many hosts:
 *
 * - never more than `maxConcurrency` hosts in flight across all commands: a command goes out for
 *   at most 50 ids, and only for as many as there are free slots; a host's slot frees when SSM
 *   counts it completed;
 * - nothing new is sent once more than `maxErrors` hosts failed; hosts in flight finish.
 *
 * One poll is one ListCommands of the commands still executing (their completed and error
 * counts). A command that has left that list is read once: its per-host results, 50 to a page.
 */
export async function dispatch(
  api: SsmApi,
  hosts: readonly string[],
  request: RunRequest,
  options: DispatchOptions,
): Promise<{ finished: FinishedInvocation[]; commandIds: string[] }> {
  const { clock, log } = options;
  const concurrency = hostCount(request.maxConcurrency ?? '50', hosts.length, 'concurrency');
  const errorBudget = hostCount(request.maxErrors ?? '0', hosts.length, 'errors');
  const queue = [...hosts];
  const inFlight: InFlight[] = [];
  const finished: FinishedInvocation[] = [];
  const commandIds: string[] = [];
  let finishedFailures = 0;
  let stopped = false;
  let lastActivity = clock.now();
  const failures = () => finishedFailures + inFlight.reduce((sum, c) => sum + c.errors, 0);

  const refill = async () => {
    while (!stopped && queue.length > 0 && inFlight.length < MAX_COMMANDS_IN_FLIGHT) {
      const busy = inFlight.reduce((sum, c) => sum + c.instanceIds.length - c.completed, 0);
      const free = concurrency - busy;
      if (free <= 0) return;
      const ids = queue.splice(0, Math.min(free, SSM_BATCH));
      const input = sendCommandRequest(
        ids,
        request,
        { maxConcurrency: ids.length, maxErrors: errorBudget - failures() },
        options,
      );
      const sent = await sendCommand(api, input, commandIds, clock.now());
      inFlight.push({ ...sent, sentAt: clock.now(), completed: 0, errors: 0 });
      commandIds.push(sent.commandId);
      lastActivity = clock.now();
      await request.onSent?.(sent.commandId);
    }
  };

  await refill();
  let delay = FIRST_POLL_MS;
  while (inFlight.length > 0) {
    await clock.sleep(delay, request.signal);
    const polled = await poll(api, inFlight, options);
    for (const done of polled.done) {
      inFlight.splice(inFlight.indexOf(done.command), 1);
      finished.push(...done.hosts);
      finishedFailures += done.hosts.filter(isFailure).length;
    }
    if (polled.finishedHosts > 0) lastActivity = clock.now();
    if (!stopped && failures() > errorBudget) {
      stopped = true;
      log?.(
        `${failures()} host(s) failed, more than max-errors allows (${errorBudget}): nothing more is sent; ` +
          `waiting for the hosts already in flight. ${queue.length} host(s) will not be started.`,
      );
    }
    await refill();
    options.onPoll?.(polled.calls, polled.finishedHosts);
    checkDeadlines(inFlight, request, clock.now());
    delay = pollDelay(clock.now() - lastActivity, delay);
  }
  for (const host of queue) {
    finished.push({
      commandId: '',
      host,
      status: 'Cancelled',
      statusDetails: 'NotSent',
      exitCode: null,
      output: 'Not started: the rollout stopped after failures passed max-errors.',
      started: false,
    });
  }
  return { finished, commandIds };
}

/** A host that failed for the rollout's count: anything but success, bar hosts SSM never ran. */
function isFailure(result: FinishedInvocation): boolean {
  return (
    result.status !== 'Success' && result.statusDetails !== 'Terminated' && result.statusDetails !== 'NotSent'
  );
}

interface Polled {
  calls: number;
  finishedHosts: number;
  done: { command: InFlight; hosts: FinishedInvocation[] }[];
}

async function poll(api: SsmApi, inFlight: InFlight[], options: DispatchOptions): Promise<Polled> {
  const polled: Polled = { calls: 0, finishedHosts: 0, done: [] };
  try {
    const executing = await listExecuting(api, inFlight, polled);
    for (const command of inFlight) {
      // Not executing any more, or not listed yet: asked after by id.
      const listed = executing.get(command.commandId) ?? (await lookUp(api, command, polled, options));
      if (!listed) continue;
      const completed = listed.CompletedCount ?? 0;
      polled.finishedHosts += Math.max(0, completed - command.completed);
      command.completed = Math.max(command.completed, completed);
      command.errors = (listed.ErrorCount ?? 0) + (listed.DeliveryTimedOutCount ?? 0);
      if (!commandFinished(listed.Status)) continue;
      const hosts = await invocationsOf(api, command, polled);
      if (hosts) polled.done.push({ command, hosts });
    }
  } catch (error) {
    if (awsErrorName(error) !== 'ThrottlingException') throw error;
    // The SDK's adaptive retry already backed off; the rest of this poll simply did not happen.
    options.log?.('SSM throttled the status poll; polling again shortly');
  }
  return polled;
}

/** The commands still executing, sent since the oldest one in flight: one page for up to 50. */
async function listExecuting(
  api: SsmApi,
  inFlight: InFlight[],
  polled: Polled,
): Promise<Map<string, Command>> {
  const oldest = Math.min(...inFlight.map((c) => c.requestedAt));
  const executing = new Map<string, Command>();
  let NextToken: string | undefined;
  do {
    polled.calls++;
    const page = await api.listCommands({
      Filters: [
        // A second of slack: SSM compares with its own RequestedDateTime.
        { key: 'InvokedAfter', value: new Date(oldest - 1000).toISOString() },
        { key: 'ExecutionStage', value: 'Executing' },
      ],
      MaxResults: SSM_BATCH,
      NextToken,
    });
    for (const command of page.Commands ?? []) {
      if (command.CommandId) executing.set(command.CommandId, command);
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return executing;
}

async function lookUp(
  api: SsmApi,
  command: InFlight,
  polled: Polled,
  options: DispatchOptions,
): Promise<Command | undefined> {
  polled.calls++;
  const recent = options.clock.now() - command.sentAt <= options.appearWithinMs;
  try {
    const found = (await api.listCommands({ CommandId: command.commandId })).Commands?.[0];
    if (!found && !recent) {
      throw new ActionFailure(
        `SSM no longer knows command ${command.commandId} (hosts ${command.instanceIds.join(', ')}).`,
      );
    }
    return found;
  } catch (error) {
    const name = awsErrorName(error);
    if (name && NOT_YET.has(name) && recent) return undefined;
    throw error;
  }
}

/** Every host's result of a finished command, 50 to a page; undefined if SSM has not caught up. */
async function invocationsOf(
  api: SsmApi,
  command: InFlight,
  polled: Polled,
): Promise<FinishedInvocation[] | undefined> {
  const listed: CommandInvocation[] = [];
  let NextToken: string | undefined;
  do {
    polled.calls++;
    const page = await api.listCommandInvocations({
      CommandId: command.commandId,
      Details: true,
      MaxResults: SSM_BATCH,
      NextToken,
    });
    listed.push(...(page.CommandInvocations ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  const byHost = new Map<string, FinishedInvocation>();
  for (const invocation of listed) {
    const host = invocation.InstanceId;
    if (!host) continue;
    const state = invocationState(invocation.Status, invocation.StatusDetails);
    // The command is over but this listing is older than that: read it again next poll.
    if (!state.done) return undefined;
    byHost.set(host, finishedInvocation(command.commandId, host, state, invocation));
  }
  return command.instanceIds.map(
    (host) =>
      byHost.get(host) ?? {
        commandId: command.commandId,
        host,
        status: 'Cancelled',
        statusDetails: 'NotSent',
        exitCode: null,
        output: `SSM ended command ${command.commandId} without running it on this host.`,
        started: false,
      },
  );
}

function checkDeadlines(inFlight: InFlight[], request: RunRequest, now: number): void {
  const limit = (request.deliveryTimeoutMs ?? 600_000) + request.executionTimeoutMs + REPORTING_MARGIN_MS;
  const late = inFlight.find((command) => now - command.sentAt > limit);
  if (!late) return;
  throw new ActionFailure(
    `SSM still reports command ${late.commandId} running ${formatDuration(now - late.sentAt)} after sending ` +
      `(past delivery-timeout + execution-timeout), on hosts among ${late.instanceIds.join(', ')}. ` +
      `Commands still in flight: ${inFlight.map((c) => c.commandId).join(', ')}.`,
  );
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
  const output = plugin?.Output ?? '';
  return {
    commandId,
    host,
    ...state,
    exitCode: ran && typeof code === 'number' && code >= 0 ? code : null,
    output,
    outputUrl: plugin?.StandardOutputUrl || invocation.StandardOutputUrl || undefined,
    started: ran || plugin?.ResponseStartDateTime !== undefined || output !== '',
  };
}
