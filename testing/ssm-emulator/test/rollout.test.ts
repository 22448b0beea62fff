import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CancelCommandCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  SendCommandCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SsmEmulator, startSsmEmulator } from '../src/index';
import { ssmClient } from './sdk';

const HOSTS = Array.from({ length: 10 }, (_, i) => `i-00000000000000${String(i).padStart(3, '0')}`);
let emulator: SsmEmulator;
let ssm: SSMClient;
let shared: string;

beforeAll(async () => {
  emulator = await startSsmEmulator({ hosts: HOSTS.map((id) => ({ id, tags: { Env: 'fleet' } })) });
  ssm = ssmClient(emulator);
  shared = await mkdtemp(join(tmpdir(), 'ssm-rollout-'));
});
afterAll(async () => {
  await emulator.close();
  await rm(shared, { recursive: true, force: true });
});

const shq = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

async function invocations(commandId: string) {
  const page = await ssm.send(new ListCommandInvocationsCommand({ CommandId: commandId }));
  return page.CommandInvocations!;
}

describe('fan-out', () => {
  it('runs a command on 120 hosts and lists every invocation over 50-entry pages', async () => {
    const fleet = Array.from({ length: 120 }, (_, i) => ({
      id: `i-2${String(i).padStart(16, '0')}`,
      tags: { Env: 'big' },
    }));
    const big = await startSsmEmulator({ hosts: fleet });
    try {
      const client = ssmClient(big);
      const sent = await client.send(
        new SendCommandCommand({
          DocumentName: 'AWS-RunShellScript',
          Targets: [{ Key: 'tag:Env', Values: ['big'] }],
          MaxConcurrency: '100%',
          Parameters: { commands: ['echo "$AWS_SSM_INSTANCE_ID"'] },
        }),
      );
      const commandId = sent.Command!.CommandId!;
      await big.waitForCommand(commandId);
      big.resetStats();
      const seen = new Map<string, string>();
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListCommandInvocationsCommand({ CommandId: commandId, NextToken: token, Details: true }),
        );
        for (const inv of page.CommandInvocations!)
          seen.set(inv.InstanceId!, inv.CommandPlugins![0]!.Output!);
        token = page.NextToken;
      } while (token);
      expect(big.stats().calls).toEqual({ ListCommandInvocations: 3 });
      expect(seen.size).toBe(120);
      for (const [id, output] of seen) expect(output).toBe(`${id}\n`);
    } finally {
      await big.close();
    }
  });
});

describe('MaxConcurrency', () => {
  it('never has more hosts running at once than MaxConcurrency allows, and uses all of it', async () => {
    const dir = join(shared, 'concurrency');
    // Each host marks itself running, records how many marks it sees, then unmarks after a while.
    const script = [
      `dir=${shq(dir)}`,
      'mkdir -p "$dir"',
      'touch "$dir/running.$AWS_SSM_INSTANCE_ID"',
      'ls "$dir" | grep -c "^running\\." >> "$dir/observed"',
      'sleep 1',
      'rm "$dir/running.$AWS_SSM_INSTANCE_ID"',
    ];
    const sent = await ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        Targets: [{ Key: 'tag:Env', Values: ['fleet'] }],
        MaxConcurrency: '30%',
        Parameters: { commands: script },
      }),
    );
    const commandId = sent.Command!.CommandId!;
    let polls = 0;
    for (;;) {
      const invs = await invocations(commandId);
      polls++;
      expect(invs.filter((inv) => inv.Status === 'InProgress').length).toBeLessThanOrEqual(3);
      if (invs.every((inv) => inv.Status === 'Success')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(polls).toBeGreaterThan(1);
    const observed = (await readFile(join(dir, 'observed'), 'utf8')).trim().split('\n').map(Number);
    expect(observed).toHaveLength(10);
    expect(Math.max(...observed)).toBe(3);
  });
});

describe('MaxErrors', () => {
  it('once errors exceed MaxErrors, hosts not yet started end Terminated and never run', async () => {
    const sent = await ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: HOSTS.slice(0, 6),
        MaxConcurrency: '1',
        MaxErrors: '1',
        Parameters: { commands: ['touch ran-maxerrors', 'exit 1'] },
      }),
    );
    const commandId = sent.Command!.CommandId!;
    await emulator.waitForCommand(commandId);
    const invs = await invocations(commandId);
    expect(invs.map((inv) => [inv.InstanceId, inv.Status, inv.StatusDetails])).toEqual([
      [HOSTS[0], 'Failed', 'Failed'],
      [HOSTS[1], 'Failed', 'Failed'],
      ...HOSTS.slice(2, 6).map((id) => [id, 'Cancelled', 'Terminated']),
    ]);
    for (const id of HOSTS.slice(2, 6)) {
      await expect(readFile(join(emulator.hostDir(id), 'ran-maxerrors'))).rejects.toThrow();
    }
    const command = (await ssm.send(new ListCommandsCommand({ CommandId: commandId }))).Commands![0]!;
    expect(command).toMatchObject({ Status: 'Failed', ErrorCount: 2, CompletedCount: 6, MaxErrors: '1' });
  });

  it('takes a percentage of the targets (20% of 10 tolerates 2 errors) and defaults to 0', async () => {
    const sent = await ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        Targets: [{ Key: 'tag:Env', Values: ['fleet'] }],
        MaxConcurrency: '1',
        MaxErrors: '20%',
        Parameters: { commands: ['exit 1'] },
      }),
    );
    await emulator.waitForCommand(sent.Command!.CommandId!);
    const statuses = (await invocations(sent.Command!.CommandId!)).map((inv) => inv.StatusDetails);
    expect(statuses.filter((s) => s === 'Failed')).toHaveLength(3);
    expect(statuses.filter((s) => s === 'Terminated')).toHaveLength(7);

    const byDefault = await ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: HOSTS.slice(0, 3),
        MaxConcurrency: '1',
        Parameters: { commands: ['exit 1'] },
      }),
    );
    await emulator.waitForCommand(byDefault.Command!.CommandId!);
    expect((await invocations(byDefault.Command!.CommandId!)).map((inv) => inv.StatusDetails)).toEqual([
      'Failed',
      'Terminated',
      'Terminated',
    ]);
  });

  it('lets every host run when errors stay within MaxErrors (the command ends Incomplete)', async () => {
    const sent = await ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: HOSTS.slice(0, 4),
        MaxConcurrency: '2',
        MaxErrors: '1',
        Parameters: { commands: [`[ "$AWS_SSM_INSTANCE_ID" != ${shq(HOSTS[1]!)} ]`] },
      }),
    );
    const commandId = sent.Command!.CommandId!;
    await emulator.waitForCommand(commandId);
    expect((await invocations(commandId)).map((inv) => inv.Status)).toEqual([
      'Success',
      'Failed',
      'Success',
      'Success',
    ]);
    const command = (await ssm.send(new ListCommandsCommand({ CommandId: commandId }))).Commands![0]!;
    expect(command).toMatchObject({ Status: 'Failed', StatusDetails: 'Incomplete', ErrorCount: 1 });
  });
});

describe('what a dispatcher across commands relies on', () => {
  it('lists only the commands still executing with ExecutionStage, and counts running invocations across commands', async () => {
    emulator.resetStats();
    const after = new Date().toISOString();
    const slow = await ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: HOSTS.slice(0, 3),
        MaxConcurrency: '3',
        Parameters: { commands: ['sleep 1'] },
      }),
    );
    const quick = await ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: HOSTS.slice(3, 5),
        MaxConcurrency: '2',
        Parameters: { commands: ['true'] },
      }),
    );
    await emulator.waitForCommand(quick.Command!.CommandId!);
    const executing = await ssm.send(
      new ListCommandsCommand({
        Filters: [
          { key: 'InvokedAfter', value: after },
          { key: 'ExecutionStage', value: 'Executing' },
        ],
      }),
    );
    expect(executing.Commands!.map((c) => c.CommandId)).toEqual([slow.Command!.CommandId]);
    await emulator.waitForCommand(slow.Command!.CommandId!);
    const complete = await ssm.send(
      new ListCommandsCommand({
        Filters: [
          { key: 'InvokedAfter', value: after },
          { key: 'ExecutionStage', value: 'Complete' },
        ],
      }),
    );
    expect(complete.Commands!.map((c) => c.CommandId)).toEqual([
      quick.Command!.CommandId,
      slow.Command!.CommandId,
    ]);
    expect(emulator.stats().maxRunning).toBe(5);
    const timeline = emulator.invocations().filter((i) => i.commandId === slow.Command!.CommandId);
    expect(timeline.map((i) => [i.instanceId, i.status, i.endedAt! >= i.startedAt!])).toEqual(
      HOSTS.slice(0, 3).map((h) => [h, 'Success', true]),
    );
    // Cancelling a command that already ended leaves it as it ended.
    await ssm.send(new CancelCommandCommand({ CommandId: quick.Command!.CommandId! }));
    const listed = await ssm.send(new ListCommandsCommand({ CommandId: quick.Command!.CommandId! }));
    expect(listed.Commands![0]!.Status).toBe('Success');
  });
});
