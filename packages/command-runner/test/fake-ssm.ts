import type { CommandInvocation } from '@aws-sdk/client-ssm';
import type { Clock, SsmApi } from '../src/ssm/api';

/** A hand-written fake of the runner's small SSM interface, scripted per test. */
export class FakeSsm implements SsmApi {
  calls: { op: string; input: unknown }[] = [];
  /** Invocations per command id; a test changes them between polls. */
  invocations = new Map<string, CommandInvocation[]>();
  commandStatus = new Map<string, string>();
  online = new Map<string, string>();
  full = new Map<string, { stdout: string; stderr: string }>();
  logStreams = new Map<string, string>();
  /** Errors thrown by the next ListCommandInvocations calls, first first. */
  listErrors: unknown[] = [];
  private next = 0;

  async sendCommand(input: Parameters<SsmApi['sendCommand']>[0]) {
    this.calls.push({ op: 'SendCommand', input });
    const id = `cmd-${++this.next}`;
    this.invocations.set(id, []);
    return { Command: { CommandId: id } };
  }

  async listCommandInvocations(input: Parameters<SsmApi['listCommandInvocations']>[0]) {
    this.calls.push({ op: 'ListCommandInvocations', input });
    const error = this.listErrors.shift();
    if (error) throw error;
    const all = this.invocations.get(input.CommandId ?? '') ?? [];
    const start = Number(input.NextToken ?? 0);
    const size = input.MaxResults ?? 50;
    const page = all.slice(start, start + size);
    return {
      CommandInvocations: page,
      NextToken: start + size < all.length ? String(start + size) : undefined,
    };
  }

  async listCommands(input: Parameters<SsmApi['listCommands']>[0]) {
    this.calls.push({ op: 'ListCommands', input });
    return {
      Commands: [
        { CommandId: input.CommandId, Status: this.commandStatus.get(input.CommandId ?? '') as never },
      ],
    };
  }

  async getCommandInvocation(input: Parameters<SsmApi['getCommandInvocation']>[0]) {
    this.calls.push({ op: 'GetCommandInvocation', input });
    const out = this.full.get(input.InstanceId ?? '');
    if (!out) throw Object.assign(new Error('no such invocation'), { name: 'InvocationDoesNotExist' });
    return { StandardOutputContent: out.stdout, StandardErrorContent: out.stderr, ResponseCode: 1 };
  }

  async cancelCommand(input: Parameters<SsmApi['cancelCommand']>[0]) {
    this.calls.push({ op: 'CancelCommand', input });
    return {};
  }

  async describeInstanceInformation(input: Parameters<SsmApi['describeInstanceInformation']>[0]) {
    this.calls.push({ op: 'DescribeInstanceInformation', input });
    const ids = input.Filters?.find((f) => f.Key === 'InstanceIds')?.Values ?? [...this.online.keys()];
    return {
      InstanceInformationList: ids
        .filter((id) => this.online.has(id))
        .map((id) => ({ InstanceId: id, PingStatus: this.online.get(id) as never })),
    };
  }

  async readLogStream(group: string, stream: string) {
    this.calls.push({ op: 'GetLogEvents', input: { group, stream } });
    return this.logStreams.get(`${group}:${stream}`);
  }

  count(op: string): number {
    return this.calls.filter((c) => c.op === op).length;
  }

  /** Sets every invocation of a command (a test's view of the fleet at this moment). */
  set(
    commandId: string,
    hosts: string[],
    status: string,
    details = status,
    code = status === 'Success' ? 0 : 1,
  ) {
    this.invocations.set(
      commandId,
      hosts.map((InstanceId) => ({
        InstanceId,
        Status: status as never,
        StatusDetails: details,
        CommandPlugins: [{ ResponseCode: code, Output: `out of ${InstanceId}` }],
      })),
    );
  }
}

/** A clock whose sleep returns at once and moves time on; `onSleep` lets a test act between polls. */
export function fakeClock(
  onSleep: (now: number, slept: number) => void = () => {},
): Clock & { sleeps: number[] } {
  let now = 0;
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
