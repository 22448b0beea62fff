import type { CommandRun, Invocation } from '../command-run';
import { ServiceError } from '../errors';
import { page } from '../paging';
import { optionalList, optionalString, requiredString } from '../request-fields';
import type { EmulatorState } from '../state';
import { INVOCATION_STATE } from '../statuses';
import { getInvocationJson, invocationJson } from '../wire-format';

/**
 * ListCommandInvocations: one entry per host, 50 per page at most. An unknown (or not yet
 * visible) command gives an empty list rather than an error, as SSM does right after SendCommand.
 */
export function listCommandInvocations(state: EmulatorState, request: Record<string, unknown>) {
  const commandId = optionalString(request, 'CommandId');
  const instanceId = optionalString(request, 'InstanceId');
  if (commandId !== undefined) state.checkCommandId(commandId);
  const statusFilter = readStatusFilter(request);
  const runs = commandId === undefined ? state.runsNewestFirst() : [state.runs.get(commandId)].filter(isRun);
  const entries: { run: CommandRun; inv: Invocation }[] = [];
  for (const run of runs) {
    if (!state.invocationsVisible(run.sent.commandId)) continue;
    for (const inv of run.invocations) {
      if (instanceId !== undefined && inv.instanceId !== instanceId) continue;
      if (statusFilter && INVOCATION_STATE[inv.state].status !== statusFilter) continue;
      entries.push({ run, inv });
    }
  }
  const details = request.Details === true;
  const query = JSON.stringify(['ListCommandInvocations', commandId, instanceId, statusFilter, details]);
  const result = page(entries, request, query, { min: 1, max: 50, fallback: 50 });
  return {
    CommandInvocations: result.items.map(({ run, inv }) => invocationJson(run, inv, details)),
    ...(result.nextToken ? { NextToken: result.nextToken } : {}),
  };
}

export function getCommandInvocation(state: EmulatorState, request: Record<string, unknown>) {
  const commandId = requiredString(request, 'CommandId');
  const instanceId = requiredString(request, 'InstanceId');
  state.checkCommandId(commandId);
  const pluginName = optionalString(request, 'PluginName');
  if (pluginName !== undefined && pluginName !== 'aws:runShellScript') {
    throw new ServiceError('InvalidPluginName', `Plugin ${pluginName} is not part of this command`);
  }
  const found = state.visibleInvocation(commandId, instanceId);
  if (!found)
    throw new ServiceError(
      'InvocationDoesNotExist',
      `Command ${commandId} has no invocation on ${instanceId}`,
    );
  return getInvocationJson(found.run, found.inv);
}

function readStatusFilter(request: Record<string, unknown>): string | undefined {
  let status: string | undefined;
  for (const filter of optionalList(request, 'Filters')) {
    const key = requiredString(filter, 'key');
    const value = requiredString(filter, 'value');
    if (key === 'Status') status = value;
    // ExecutionStage works with ListCommands only (SSM's CommandFilter documentation).
    else if (key !== 'DocumentName') {
      throw new ServiceError('InvalidFilterKey', `Filter key ${key} is not valid for ListCommandInvocations`);
    }
  }
  return status;
}

const isRun = (run: CommandRun | undefined): run is CommandRun => run !== undefined;
