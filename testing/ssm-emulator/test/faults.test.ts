import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  SendCommandCommand,
  SSMClient,
  type SSMClient as SSMClientType,
} from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SsmEmulator, startSsmEmulator } from '../src/index';
import { ssmClient, until } from './sdk';

const A = 'i-0000000000000000a';
const B = 'i-0000000000000000b';
let emulator: SsmEmulator;
let ssm: SSMClientType;

beforeEach(async () => {
  emulator = await startSsmEmulator({ hosts: [A, B] });
  ssm = ssmClient(emulator);
});
afterEach(() => emulator.close());

async function send(
  instanceIds: string[],
  commands: string[],
  extra: Record<string, unknown> = {},
): Promise<string> {
  const sent = await ssm.send(
    new SendCommandCommand({
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: instanceIds,
      Parameters: { commands },
      ...extra,
    }),
  );
  return sent.Command!.CommandId!;
}
const ping = async (id: string) =>
  (
    await ssm.send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [id] }] }),
    )
  ).InstanceInformationList![0]!.PingStatus;

describe('throttling', () => {
  it('answers ThrottlingException above N requests per second, across operations, and counts them', async () => {
    emulator.setFaults({ throttleAboveRps: 3 });
    const calls = Array.from({ length: 8 }, (_, i) =>
      (i % 2
        ? ssm.send(new DescribeInstanceInformationCommand({}))
        : ssm.send(new ListCommandInvocationsCommand({}))
      ).then(
        () => 'ok',
        (error: { name: string; $metadata: { httpStatusCode: number } }) =>
          `${error.name}/${error.$metadata.httpStatusCode}`,
      ),
    );
    const outcomes = await Promise.all(calls);
    expect(outcomes.filter((o) => o === 'ok').length).toBeLessThanOrEqual(3);
    expect(outcomes.filter((o) => o === 'ThrottlingException/400').length).toBeGreaterThanOrEqual(5);
    const stats = emulator.stats();
    expect(stats.total).toBe(8);
    expect(stats.throttled).toBe(outcomes.filter((o) => o !== 'ok').length);
    expect(stats.calls).toEqual({ ListCommandInvocations: 4, DescribeInstanceInformation: 4 });
    expect(stats.log).toHaveLength(8);
    // The window slides: a client that waits gets through again.
    const later = await until(
      () =>
        ssm.send(new DescribeInstanceInformationCommand({})).then(
          () => 'ok',
          (error: Error) => error.name,
        ),
      (outcome) => outcome === 'ok',
    );
    expect(later).toBe('ok');
    emulator.resetStats();
    expect(emulator.stats().total).toBe(0);
  });

  it('lets the SDK’s adaptive retry get every request through', async () => {
    emulator.setFaults({ throttleAboveRps: 2 });
    const patient = new SSMClient({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      retryMode: 'adaptive',
      maxAttempts: 10,
    });
    const results = await Promise.all(
      Array.from({ length: 6 }, () => patient.send(new DescribeInstanceInformationCommand({}))),
    );
    expect(results.every((r) => r.InstanceInformationList!.length === 2)).toBe(true);
    expect(emulator.stats().throttled).toBeGreaterThan(0);
  });
});

describe('invocation not yet visible', () => {
  it('gives InvocationDoesNotExist and an empty list for K ms after SendCommand, then the invocation', async () => {
    emulator.setFaults({ invocationMissingForMs: 1500 });
    const id = await send([A], ['echo hi']);
    await expect(
      ssm.send(new GetCommandInvocationCommand({ CommandId: id, InstanceId: A })),
    ).rejects.toMatchObject({
      name: 'InvocationDoesNotExist',
    });
    expect((await ssm.send(new ListCommandInvocationsCommand({ CommandId: id }))).CommandInvocations).toEqual(
      [],
    );
    const got = await until(
      () =>
        ssm
          .send(new GetCommandInvocationCommand({ CommandId: id, InstanceId: A }))
          .catch((error: Error) => error.name),
      (value) => typeof value !== 'string',
    );
    expect(got).toMatchObject({ InstanceId: A });
  });
});

describe('offline hosts', () => {
  it('show ConnectionLost and their invocations end Undeliverable without running, from start or set later', async () => {
    emulator.setFaults({ offlineHosts: [B] });
    expect(await ping(B)).toBe('ConnectionLost');
    expect(await ping(A)).toBe('Online');
    const id = await send([A, B], ['touch ran']);
    await emulator.waitForCommand(id);
    const invs = (await ssm.send(new ListCommandInvocationsCommand({ CommandId: id }))).CommandInvocations!;
    expect(invs.map((inv) => [inv.InstanceId, inv.Status, inv.StatusDetails])).toEqual([
      [A, 'Success', 'Success'],
      [B, 'Failed', 'Undeliverable'],
    ]);
    await expect(access(join(emulator.hostDir(B), 'ran'))).rejects.toThrow();
    emulator.setFaults({});
    expect(await ping(B)).toBe('Online');
  });
});

describe('delayed start', () => {
  it('keeps invocations Pending for D ms, then runs them', async () => {
    emulator.setFaults({ startDelayMs: 1500 });
    const id = await send([A], ['echo late']);
    const get = () => ssm.send(new GetCommandInvocationCommand({ CommandId: id, InstanceId: A }));
    expect((await get()).Status).toBe('Pending');
    await emulator.waitForCommand(id);
    expect(await get()).toMatchObject({ Status: 'Success', StandardOutputContent: 'late\n' });
  });
});

describe('agent dies mid-command', () => {
  it('kills the script, the host goes ConnectionLost, and the invocation ends Delivery Timed Out when the command expires', async () => {
    emulator.setFaults({ agentDiesAfterMs: { host: A, afterMs: 1000 } });
    // Expiry is TimeoutSeconds + executionTimeout after sending: 1 s + 3 s.
    const id = await send([A, B], [], {
      TimeoutSeconds: 1,
      Parameters: { commands: ['echo $$ > script.pid', 'sleep 2', 'echo survived'], executionTimeout: ['3'] },
    });
    const get = (host: string) =>
      ssm.send(new GetCommandInvocationCommand({ CommandId: id, InstanceId: host }));
    const pidText = await until(
      () => readFile(join(emulator.hostDir(A), 'script.pid'), 'utf8').catch(() => ''),
      (text) => text.trim() !== '',
    );
    await until(
      () => ping(A),
      (status) => status === 'ConnectionLost',
    );
    expect(await get(A)).toMatchObject({ Status: 'InProgress', StatusDetails: 'In Progress' });
    const pid = Number(pidText);
    await until(
      async () =>
        readFile(`/proc/${pid}/stat`, 'utf8').then(
          (s) => s.slice(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3),
          () => 'gone',
        ),
      (state) => state === 'gone' || state === 'Z',
    );
    await emulator.waitForCommand(id);
    expect(await get(A)).toMatchObject({
      Status: 'TimedOut',
      StatusDetails: 'Delivery Timed Out',
      ResponseCode: -1,
    });
    expect(await get(B)).toMatchObject({ Status: 'Success', StandardOutputContent: 'survived\n' });
    expect(await ping(A)).toBe('ConnectionLost');
    // A dead agent stays dead for later commands until the test brings it back.
    const next = await send([A], ['true']);
    await emulator.waitForCommand(next);
    expect(
      (await ssm.send(new GetCommandInvocationCommand({ CommandId: next, InstanceId: A }))).StatusDetails,
    ).toBe('Undeliverable');
    emulator.setHostOnline(A, true);
    expect(await ping(A)).toBe('Online');
  });
});
