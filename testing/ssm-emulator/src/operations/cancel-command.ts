import { ServiceError } from '../errors';
import { optionalStringList, requiredString } from '../request-fields';
import type { EmulatorState } from '../state';

/** CancelCommand: the whole command, or only the named hosts' invocations. Answers `{}` as SSM does. */
export function cancelCommand(state: EmulatorState, request: Record<string, unknown>) {
  const run = state.existingRun(requiredString(request, 'CommandId'));
  const instanceIds = optionalStringList(request, 'InstanceIds');
  const strangers = (instanceIds ?? []).filter((id) => !run.invocation(id));
  if (strangers.length > 0) {
    throw new ServiceError(
      'InvalidInstanceId',
      `Command ${run.sent.commandId} was not sent to ${strangers.join(', ')}`,
    );
  }
  run.cancel(instanceIds);
  return {};
}
