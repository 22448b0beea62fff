import { ServiceError, validation } from '../errors';
import { page } from '../paging';
import { optionalList, optionalString, requiredString } from '../request-fields';
import type { EmulatorState } from '../state';
import { commandJson } from '../wire-format';

/**
 * ListCommands: newest first, filtered by command, instance, or filters (ANDed): `Status`,
 * `DocumentName`, `InvokedAfter` / `InvokedBefore` (ISO 8601), and `ExecutionStage` (`Executing`:
 * commands still running; `Complete`: those that have completed).
 */
export function listCommands(state: EmulatorState, request: Record<string, unknown>) {
  const commandId = optionalString(request, 'CommandId');
  const instanceId = optionalString(request, 'InstanceId');
  if (commandId !== undefined) state.existingRun(commandId);
  const filters = optionalList(request, 'Filters').map((filter) => ({
    key: requiredString(filter, 'key'),
    value: requiredString(filter, 'value'),
  }));
  for (const { key, value } of filters) {
    if ((key === 'InvokedAfter' || key === 'InvokedBefore') && Number.isNaN(Date.parse(value))) {
      throw validation(`${key} needs a timestamp like 2024-07-07T00:00:00Z, got ${value}`);
    }
    if (key === 'ExecutionStage' && value !== 'Executing' && value !== 'Complete') {
      throw validation(`ExecutionStage is Executing or Complete, got ${value}`);
    }
  }
  const runs = state.runsNewestFirst().filter((run) => {
    if (commandId !== undefined && run.sent.commandId !== commandId) return false;
    if (instanceId !== undefined && !run.invocation(instanceId)) return false;
    return filters.every(({ key, value }) => {
      const json = commandJson(run);
      if (key === 'Status') return json.Status === value;
      if (key === 'DocumentName') return run.sent.documentName === value;
      if (key === 'InvokedAfter') return run.sent.requestedAt >= Date.parse(value);
      if (key === 'InvokedBefore') return run.sent.requestedAt <= Date.parse(value);
      if (key === 'ExecutionStage') return value === (run.isDone() ? 'Complete' : 'Executing');
      throw new ServiceError('InvalidFilterKey', `Filter key ${key} is not valid for ListCommands`);
    });
  });
  const query = JSON.stringify(['ListCommands', commandId, instanceId, filters]);
  const result = page(runs, request, query, { min: 1, max: 50, fallback: 50 });
  return {
    Commands: result.items.map((run) => commandJson(run)),
    ...(result.nextToken ? { NextToken: result.nextToken } : {}),
  };
}
