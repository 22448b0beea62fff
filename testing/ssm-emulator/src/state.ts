import type { CommandRun, Invocation } from './command-run';
import { ServiceError } from './errors';
import type { HostFleet } from './fleet';
import { COMMAND_ID } from './request-fields';

/** Everything the operations share: the fleet, the commands sent, and when each becomes visible. */
export class EmulatorState {
  readonly runs = new Map<string, CommandRun>();
  /** InvocationDoesNotExist fault: a command's invocations are invisible until this time. */
  readonly hiddenUntil = new Map<string, number>();

  constructor(
    readonly fleet: HostFleet,
    readonly scriptDir: string,
  ) {}

  /** Newest first, as SSM lists commands. */
  runsNewestFirst(): CommandRun[] {
    return [...this.runs.values()].reverse();
  }

  invocationsVisible(commandId: string): boolean {
    return Date.now() >= (this.hiddenUntil.get(commandId) ?? 0);
  }

  /** A command id in SSM's format, or InvalidCommandId. */
  checkCommandId(commandId: string): void {
    if (!COMMAND_ID.test(commandId))
      throw new ServiceError('InvalidCommandId', `Invalid command id: ${commandId}`);
  }

  /** The run of an existing command, or InvalidCommandId (CancelCommand, ListCommands). */
  existingRun(commandId: string): CommandRun {
    this.checkCommandId(commandId);
    const run = this.runs.get(commandId);
    if (!run) throw new ServiceError('InvalidCommandId', `Command ${commandId} does not exist`);
    return run;
  }

  /** A visible invocation, or undefined (unknown command, unknown host, or hidden by the fault). */
  visibleInvocation(commandId: string, instanceId: string): { run: CommandRun; inv: Invocation } | undefined {
    const run = this.runs.get(commandId);
    const inv = run?.invocation(instanceId);
    if (!run || !inv || !this.invocationsVisible(commandId)) return undefined;
    return { run, inv };
  }
}
