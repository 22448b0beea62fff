import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CancelCommandCommand,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  SendCommandCommand,
  type SendCommandCommandInput,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SsmEmulator, startSsmEmulator } from '../src/index';
import { ssmClient, until } from './sdk';

let emulator: SsmEmulator;
let ssm: SSMClient;
const A = 'i-0000000000000000a';
const B = 'i-0000000000000000b';
const OFF = 'mi-0000000000000000f';

beforeAll(async () => {
  emulator = await startSsmEmulator({ hosts: [A, B, { id: OFF, online: false }] });
  ssm = ssmClient(emulator);
});
afterAll(() => emulator.close());

async function send(input: Omit<SendCommandCommandInput, 'DocumentName'>): Promise<string> {
  const sent = await ssm.send(new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', ...input }));
  return sent.Command!.CommandId!;
}
const get = (commandId: string, host: string) =>
  ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: host }));
const listed = async (commandId: string) =>
  (await ssm.send(new ListCommandInvocationsCommand({ CommandId: commandId }))).CommandInvocations!;
const commandOf = async (commandId: string) =>
  (await ssm.send(new ListCommandsCommand({ CommandId: commandId }))).Commands![0]!;

/** True once the process is gone (or only a zombie no one reaped). */
async function processGone(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

describe('terminal states', () => {
  it('Success and Failed carry the exit code; stderr is kept apart', async () => {
    const ok = await send({ InstanceIds: [A], Parameters: { commands: ['echo fine'] } });
    const bad = await send({ InstanceIds: [B], Parameters: { commands: ['echo oops >&2', 'exit 42'] } });
    await emulator.waitForCommand(ok);
    await emulator.waitForCommand(bad);
    expect(await get(ok, A)).toMatchObject({ Status: 'Success', StatusDetails: 'Success', ResponseCode: 0 });
    expect(await get(bad, B)).toMatchObject({
      Status: 'Failed',
      StatusDetails: 'Failed',
      ResponseCode: 42,
      StandardOutputContent: '',
      StandardErrorContent: 'oops\n',
    });
    expect(await commandOf(bad)).toMatchObject({ Status: 'Failed', StatusDetails: 'Failed' });
    expect(await commandOf(ok)).toMatchObject({
      Status: 'Success',
      StatusDetails: 'Success',
      CompletedCount: 1,
    });
  });

  it('Execution Timed Out kills the whole process group when executionTimeout passes (a hung script)', async () => {
    const id = await send({
      InstanceIds: [A],
      Parameters: {
        commands: ['sleep 300 &', 'echo $! > child.pid', 'echo waiting', 'wait'],
        executionTimeout: ['1'],
      },
    });
    await emulator.waitForCommand(id);
    expect(await get(id, A)).toMatchObject({
      Status: 'TimedOut',
      StatusDetails: 'Execution Timed Out',
      ResponseCode: -1,
      StandardOutputContent: 'waiting\n',
    });
    expect((await listed(id))[0]).toMatchObject({ Status: 'TimedOut', StatusDetails: 'Execution Timed Out' });
    expect(await commandOf(id)).toMatchObject({ Status: 'TimedOut', StatusDetails: 'Execution Timed Out' });
    const child = Number(await readFile(join(emulator.hostDir(A), 'child.pid'), 'utf8'));
    await until(
      () => processGone(child),
      (gone) => gone,
    );
  });

  it('Delivery Timed Out when no agent picks the command up within TimeoutSeconds', async () => {
    emulator.setFaults({ startDelayMs: 60_000 });
    const id = await send({
      InstanceIds: [A, B],
      TimeoutSeconds: 1,
      Parameters: { commands: ['touch ran'] },
    });
    emulator.setFaults({});
    await emulator.waitForCommand(id);
    for (const inv of await listed(id)) {
      expect(inv).toMatchObject({ Status: 'TimedOut', StatusDetails: 'Delivery Timed Out' });
    }
    expect(await commandOf(id)).toMatchObject({
      Status: 'TimedOut',
      StatusDetails: 'Delivery Timed Out',
      DeliveryTimedOutCount: 2,
      ErrorCount: 0,
    });
    expect((await get(id, A)).ResponseCode).toBe(-1);
  });

  it('Undeliverable for a registered host whose agent is offline, and for an unknown id given as a target', async () => {
    const id = await send({
      Targets: [{ Key: 'InstanceIds', Values: [A, OFF, 'i-0ffffffffffffffff'] }],
      Parameters: { commands: ['echo ran'] },
    });
    await emulator.waitForCommand(id);
    const byHost = Object.fromEntries((await listed(id)).map((inv) => [inv.InstanceId, inv]));
    expect(byHost[A]).toMatchObject({ Status: 'Success' });
    expect(byHost[OFF]).toMatchObject({ Status: 'Failed', StatusDetails: 'Undeliverable' });
    expect(byHost['i-0ffffffffffffffff']).toMatchObject({ Status: 'Failed', StatusDetails: 'Undeliverable' });
    // Undeliverable hosts neither count against MaxErrors (0 here) nor spoil the command's Success.
    expect(await commandOf(id)).toMatchObject({ Status: 'Success', ErrorCount: 0, CompletedCount: 3 });
  });

  it('Cancelled: a pending invocation at once, a running one after its process group is killed', async () => {
    const running = await send({
      InstanceIds: [A],
      Parameters: { commands: ['touch started', 'sleep 300 & echo $! > child.pid', 'wait'] },
    });
    await until(
      () => get(running, A),
      (got) => got.Status === 'InProgress',
    );
    await until(
      () => readFile(join(emulator.hostDir(A), 'child.pid'), 'utf8').catch(() => ''),
      (text) => text.trim() !== '',
    );
    emulator.setFaults({ startDelayMs: 60_000 });
    const pending = await send({ InstanceIds: [B], Parameters: { commands: ['touch should-not-run'] } });
    emulator.setFaults({});
    await ssm.send(new CancelCommandCommand({ CommandId: pending }));
    expect(await get(pending, B)).toMatchObject({
      Status: 'Cancelled',
      StatusDetails: 'Cancelled',
      ResponseCode: -1,
    });
    await ssm.send(new CancelCommandCommand({ CommandId: running }));
    await emulator.waitForCommand(running);
    expect(await get(running, A)).toMatchObject({ Status: 'Cancelled', StatusDetails: 'Cancelled' });
    expect(await commandOf(running)).toMatchObject({ Status: 'Cancelled' });
    const child = Number(await readFile(join(emulator.hostDir(A), 'child.pid'), 'utf8'));
    await until(
      () => processGone(child),
      (gone) => gone,
    );
    await expect(readFile(join(emulator.hostDir(B), 'should-not-run'))).rejects.toThrow();
  });

  it('CancelCommand with InstanceIds cancels only those hosts', async () => {
    const id = await send({
      InstanceIds: [A, B],
      Parameters: { commands: ['while [ ! -e go ]; do sleep 0.05; done', 'rm go'] },
    });
    await until(
      () => listed(id),
      (invs) => invs.every((inv) => inv.Status === 'InProgress'),
    );
    await ssm.send(new CancelCommandCommand({ CommandId: id, InstanceIds: [B] }));
    await until(
      () => get(id, B),
      (got) => got.Status === 'Cancelled',
    );
    expect((await get(id, A)).Status).toBe('InProgress');
    await writeFile(join(emulator.hostDir(A), 'go'), '');
    await emulator.waitForCommand(id);
    expect((await get(id, A)).Status).toBe('Success');
  });
});
