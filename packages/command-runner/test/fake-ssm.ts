import type { Command, CommandInvocation } from '@aws-sdk/client-ssm';
import type { Clock, SsmApi } from '../src/ssm/api';

/** What one host does with a command in the fake: when it ends, how, and what it prints. */
export interface Outcome {
  afterMs: number;
  status: string;
  details: string;
  code: number;
  output: string;
  /** False for hosts SSM never started (Undeliverable, delivery timed out before start). */
  started: boolean;
}

interface FakeCommand {
  id: string;
  ids: string[];
  requestedAt: number;
  maxConcurrency: string;
  maxErrors: string;
  outcomes: Map<string, Outcome>;
}

/**
 * A hand-written fake of the runner's small SSM interface, in fake time: every host of a command
 * starts when it is sent (Gatehouse sends MaxConcurrency = the command's size) and ends
 * `afterMs` later as its outcome says. Counts and listings follow SSM's documented fields.
 */
export class FakeSsm implements SsmApi {
  calls: { op: string; input: unknown; at: number }[] = [];
  commands: FakeCommand[] = [];
  online = new Map<string, string>();
  tags = new Map<string, Record<string, string>>();
  /** Per host; hosts without one succeed after `defaultAfterMs`. */
  outcomes = new Map<string, Partial<Outcome>>();
  defaultAfterMs = 1000;
  full = new Map<string, { stdout: string; stderr: string }>();
  logStreams = new Map<string, string>();
  /** Errors thrown by the next calls of an operation, first first. */
  errors = new Map<string, unknown[]>();
  private next = 0;

  constructor(readonly clock: Clock = fakeClock()) {}

  private record(op: string, input: unknown): void {
    this.calls.push({ op, input, at: this.clock.now() });
    const error = this.errors.get(op)?.shift();
    if (error) throw error;
  }

  async sendCommand(input: Parameters<SsmApi['sendCommand']>[0]) {
    this.record('SendCommand', input);
    const id = `00000000-0000-4000-8000-${String(++this.next).padStart(12, '0')}`;
    const ids = input.InstanceIds ?? [];
    const outcomes = new Map(
      ids.map((host) => [
        host,
        {
          afterMs: this.defaultAfterMs,
          status: 'Success',
          details: 'Success',
          code: 0,
          output: `out of ${host}`,
          started: true,
          ...this.outcomes.get(host),
        },
      ]),
    );
    const command: FakeCommand = {
      id,
      ids,
      requestedAt: this.clock.now(),
      maxConcurrency: input.MaxConcurrency ?? '50',
      maxErrors: input.MaxErrors ?? '0',
      outcomes,
    };
    this.commands.push(command);
    return { Command: this.commandJson(command) };
  }

  private ended(command: FakeCommand, host: string): boolean {
    return this.clock.now() >= command.requestedAt + command.outcomes.get(host)!.afterMs;
  }

  private commandJson(command: FakeCommand): Command {
    const done = command.ids.filter((h) => this.ended(command, h));
    const errors = done.filter((h) => ['Failed', 'TimedOut'].includes(command.outcomes.get(h)!.status));
    const allDone = done.length === command.ids.length;
    const failed = errors.length > 0;
    return {
      CommandId: command.id,
      RequestedDateTime: new Date(command.requestedAt),
      Status: allDone ? (failed ? 'Failed' : 'Success') : 'InProgress',
      TargetCount: command.ids.length,
      CompletedCount: done.length,
      ErrorCount: errors.filter((h) => command.outcomes.get(h)!.details !== 'Delivery Timed Out').length,
      DeliveryTimedOutCount: errors.filter((h) => command.outcomes.get(h)!.details === 'Delivery Timed Out')
        .length,
      MaxConcurrency: command.maxConcurrency,
      MaxErrors: command.maxErrors,
    };
  }

  async listCommands(input: Parameters<SsmApi['listCommands']>[0]) {
    this.record('ListCommands', input);
    let found = [...this.commands].reverse();
    if (input.CommandId) found = found.filter((c) => c.id === input.CommandId);
    for (const filter of input.Filters ?? []) {
      if (filter.key === 'InvokedAfter') {
        found = found.filter((c) => c.requestedAt >= Date.parse(filter.value!));
      } else if (filter.key === 'ExecutionStage') {
        const executing = filter.value === 'Executing';
        found = found.filter((c) => c.ids.every((h) => this.ended(c, h)) !== executing);
      } else {
        throw Object.assign(new Error(`filter ${filter.key}`), { name: 'InvalidFilterKey' });
      }
    }
    const start = Number(input.NextToken ?? 0);
    const size = input.MaxResults ?? 50;
    return {
      Commands: found.slice(start, start + size).map((c) => this.commandJson(c)),
      NextToken: start + size < found.length ? String(start + size) : undefined,
    };
  }

  async listCommandInvocations(input: Parameters<SsmApi['listCommandInvocations']>[0]) {
    this.record('ListCommandInvocations', input);
    const command = this.commands.find((c) => c.id === input.CommandId);
    const all: CommandInvocation[] = (command?.ids ?? []).map((host) => {
      const outcome = command!.outcomes.get(host)!;
      const done = this.ended(command!, host);
      return {
        InstanceId: host,
        Status: (done ? outcome.status : 'InProgress') as never,
        StatusDetails: done ? outcome.details : 'In Progress',
        CommandPlugins: [
          {
            ResponseCode: done ? outcome.code : -1,
            Output: done ? outcome.output : '',
            ...(outcome.started ? { ResponseStartDateTime: new Date(command!.requestedAt) } : {}),
          },
        ],
      };
    });
    const start = Number(input.NextToken ?? 0);
    const size = input.MaxResults ?? 50;
    return {
      CommandInvocations: all.slice(start, start + size),
      NextToken: start + size < all.length ? String(start + size) : undefined,
    };
  }

  async getCommandInvocation(input: Parameters<SsmApi['getCommandInvocation']>[0]) {
    this.record('GetCommandInvocation', input);
    const out = this.full.get(input.InstanceId ?? '');
    if (!out) throw Object.assign(new Error('no such invocation'), { name: 'InvocationDoesNotExist' });
    return { StandardOutputContent: out.stdout, StandardErrorContent: out.stderr, ResponseCode: 1 };
  }

  async cancelCommand(input: Parameters<SsmApi['cancelCommand']>[0]) {
    this.record('CancelCommand', input);
    return {};
  }

  async describeInstanceInformation(input: Parameters<SsmApi['describeInstanceInformation']>[0]) {
    this.record('DescribeInstanceInformation', input);
    let ids = [...this.online.keys()];
    for (const filter of input.Filters ?? []) {
      if (filter.Key === 'InstanceIds') ids = ids.filter((id) => filter.Values?.includes(id));
      else if (filter.Key?.startsWith('tag:')) {
        const key = filter.Key.slice(4);
        ids = ids.filter((id) => filter.Values?.includes(this.tags.get(id)?.[key] ?? '\0'));
      }
    }
    const start = Number(input.NextToken ?? 0);
    const size = input.MaxResults ?? 50;
    return {
      InstanceInformationList: ids
        .slice(start, start + size)
        .map((id) => ({ InstanceId: id, PingStatus: this.online.get(id) as never })),
      NextToken: start + size < ids.length ? String(start + size) : undefined,
    };
  }

  async readLogStream(group: string, stream: string) {
    this.calls.push({ op: 'GetLogEvents', input: { group, stream }, at: this.clock.now() });
    return this.logStreams.get(`${group}:${stream}`);
  }

  count(op: string): number {
    return this.calls.filter((c) => c.op === op).length;
  }

  /** The most hosts running at once over the whole run (every host runs from send to its end). */
  maxRunning(): number {
    const events = this.commands.flatMap((c) =>
      c.ids.map((h) => [
        [c.requestedAt, 1],
        [c.requestedAt + c.outcomes.get(h)!.afterMs, -1],
      ]),
    );
    let running = 0;
    let most = 0;
    for (const [, delta] of events.flat().sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!)) {
      running += delta!;
      most = Math.max(most, running);
    }
    return most;
  }

  /** Every host online, each succeeding after `afterMs`. */
  fleet(hosts: string[]): this {
    for (const host of hosts) this.online.set(host, 'Online');
    return this;
  }
}

/** A clock whose sleep returns at once and moves time on; `onSleep` lets a test act between polls. */
export function fakeClock(
  onSleep: (now: number, slept: number) => void = () => {},
): Clock & { sleeps: number[] } {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
      onSleep(now, ms);
    },
  };
}

export function ids(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `i-${(i + 1).toString(16).padStart(17, '0')}`);
}
