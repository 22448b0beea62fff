import { validation } from '../errors';
import { page } from '../paging';
import { optionalList, optionalString, requiredString } from '../request-fields';
import type { EmulatorState } from '../state';
import { commandJson } from '../wire-format';

/** ListCommands: newest first, filtered by command, instance, or `Status` / `DocumentName` filters. */
export function listCommands(state: EmulatorState, request: Record<string, unknown>) {
  const commandId = optionalString(request, 'CommandId');
  const instanceId = optionalString(request, 'InstanceId');
  if (commandId !== undefined) state.existingRun(commandId);
  const filters = optionalList(request, 'Filters').map((filter) => ({
    key: requiredString(filter, 'key'),
    value: requiredString(filter, 'value'),
  }));
  const runs = state.runsNewestFirst().filter((run) => {
    if (commandId !== undefined && run.sent.commandId !== commandId) return false;
    if (instanceId !== undefined && !run.invocation(instanceId)) return false;
    return filters.every(({ key, value }) => {
      const json = commandJson(run);
      if (key === 'Status') return json.Status === value;
      if (key === 'DocumentName') return run.sent.documentName === value;
      if (key === 'InvokedAfter') return run.sent.requestedAt >= Date.parse(value);
      if (key === 'InvokedBefore') return run.sent.requestedAt <= Date.parse(value);
      throw validation(`Filter key ${key} is not supported by the emulator`);
    });
  });
  const query = JSON.stringify(['ListCommands', commandId, instanceId, filters]);
  const result = page(runs, request, query, { min: 1, max: 50, fallback: 50 });
  return {
    Commands: result.items.map((run) => commandJson(run)),
    ...(result.nextToken ? { NextToken: result.nextToken } : {}),
  };
}
