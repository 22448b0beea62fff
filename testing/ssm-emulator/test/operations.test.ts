import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CancelCommandCommand,
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  SendCommandCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SsmEmulator, startSsmEmulator } from '../src/index';
import { ssmClient, until } from './sdk';

const DOC = 'AWS-RunShellScript';
let emulator: SsmEmulator;
let ssm: SSMClient;

beforeAll(async () => {
  emulator = await startSsmEmulator({
    hosts: [
      { id: 'i-0000000000000000a', tags: { Env: 'dev', Role: 'web' } },
      { id: 'i-0000000000000000b', tags: { Env: 'dev', Role: 'worker' } },
      { id: 'i-0000000000000000c', tags: { Env: 'prod', Role: 'web' } },
      { id: 'mi-00000000000000001', tags: { Env: 'dev' }, online: false },
      ...Array.from({ length: 8 }, (_, i) => ({
        id: `i-1${String(i).padStart(16, '0')}`,
        tags: { Env: 'fleet' },
      })),
    ],
  });
  ssm = ssmClient(emulator);
});
afterAll(() => emulator.close());

async function runToEnd(input: Omit<ConstructorParameters<typeof SendCommandCommand>[0], 'DocumentName'>) {
  const sent = await ssm.send(new SendCommandCommand({ DocumentName: DOC, ...input }));
  const commandId = sent.Command!.CommandId!;
  await emulator.waitForCommand(commandId);
  return { commandId, sent };
}

describe('SendCommand', () => {
  it('runs the command lines as one bash script in each host’s own directory', async () => {
    await writeFile(join(emulator.hostDir('i-0000000000000000a'), 'who'), 'alpha\n');
    await writeFile(join(emulator.hostDir('i-0000000000000000b'), 'who'), 'bravo\n');
    const { commandId } = await runToEnd({
      InstanceIds: ['i-0000000000000000a', 'i-0000000000000000b'],
      Parameters: {
        commands: [
          'set -e',
          'name=$(cat who)',
          'echo "$name on $AWS_SSM_INSTANCE_ID"',
          'echo done > state.txt',
        ],
      },
      Comment: 'first',
    });
    for (const [host, name] of [
      ['i-0000000000000000a', 'alpha'],
      ['i-0000000000000000b', 'bravo'],
    ] as const) {
      const got = await ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: host }));
      expect(got).toMatchObject({
        Status: 'Success',
        StatusDetails: 'Success',
        ResponseCode: 0,
        StandardOutputContent: `${name} on ${host}\n`,
        Comment: 'first',
        PluginName: 'aws:runShellScript',
      });
      expect(await readFile(join(emulator.hostDir(host), 'state.txt'), 'utf8')).toBe('done\n');
    }
    const recorded = emulator.commands().find((c) => c.commandId === commandId)!;
    expect(recorded.script).toBe(
      'set -e\nname=$(cat who)\necho "$name on $AWS_SSM_INSTANCE_ID"\necho done > state.txt',
    );
    expect(recorded.executionTimeoutSeconds).toBe(3600);
  });

  it('resolves tag Targets (ANDed) and InstanceIds targets', async () => {
    const byTag = await runToEnd({
      Targets: [
        { Key: 'tag:Env', Values: ['dev', 'prod'] },
        { Key: 'tag:Role', Values: ['web'] },
      ],
      Parameters: { commands: ['true'] },
    });
    expect(byTag.sent.Command!.TargetCount).toBe(2);
    const invocations = await ssm.send(new ListCommandInvocationsCommand({ CommandId: byTag.commandId }));
    expect(invocations.CommandInvocations!.map((i) => i.InstanceId).sort()).toEqual([
      'i-0000000000000000a',
      'i-0000000000000000c',
    ]);
    const byId = await runToEnd({
      Targets: [{ Key: 'InstanceIds', Values: ['i-0000000000000000b'] }],
      Parameters: { commands: ['true'] },
    });
    expect(emulator.commands().find((c) => c.commandId === byId.commandId)!.resolvedInstanceIds).toEqual([
      'i-0000000000000000b',
    ]);
  });

  it('refuses unknown instance ids, other documents and bad parameters with SSM’s error codes', async () => {
    const send = (input: Partial<ConstructorParameters<typeof SendCommandCommand>[0]>) =>
      ssm.send(new SendCommandCommand({ DocumentName: DOC, Parameters: { commands: ['true'] }, ...input }));
    await expect(send({ InstanceIds: ['i-0000000000000000a', 'i-0ffffffffffffffff'] })).rejects.toMatchObject(
      {
        name: 'InvalidInstanceId',
        message: expect.stringContaining('i-0ffffffffffffffff'),
        $metadata: { httpStatusCode: 400 },
      },
    );
    await expect(
      send({ DocumentName: 'AWS-RunPowerShellScript', InstanceIds: ['i-0000000000000000a'] }),
    ).rejects.toMatchObject({
      name: 'InvalidDocument',
    });
    await expect(send({ InstanceIds: ['i-0000000000000000a'], Parameters: {} })).rejects.toMatchObject({
      name: 'InvalidParameters',
    });
    await expect(
      send({
        InstanceIds: ['i-0000000000000000a'],
        Parameters: { commands: ['true'], executionTimeout: ['10m'] },
      }),
    ).rejects.toMatchObject({ name: 'InvalidParameters' });
    await expect(send({ InstanceIds: ['i-0000000000000000a'], MaxConcurrency: '0' })).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(
      send({ InstanceIds: ['i-0000000000000000a'], Comment: 'x'.repeat(101) }),
    ).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(send({ InstanceIds: ['i-0000000000000000a', 'i-0000000000000000a'] })).rejects.toMatchObject(
      {
        name: 'DuplicateInstanceId',
      },
    );
  });

  it('is reached through AWS_ENDPOINT_URL_SSM with dummy credentials', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SSM: emulator.endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'eu-west-1',
    });
    try {
      const fromEnv = new SSMClient({});
      const sent = await fromEnv.send(
        new SendCommandCommand({
          DocumentName: DOC,
          InstanceIds: ['i-0000000000000000a'],
          Parameters: { commands: ['echo "$AWS_SSM_REGION_NAME"'] },
        }),
      );
      await emulator.waitForCommand(sent.Command!.CommandId!);
      const got = await fromEnv.send(
        new GetCommandInvocationCommand({
          CommandId: sent.Command!.CommandId!,
          InstanceId: 'i-0000000000000000a',
        }),
      );
      expect(got.StandardOutputContent).toBe('eu-west-1\n');
    } finally {
      process.env = saved;
    }
  });
});

describe('ListCommandInvocations and ListCommands', () => {
  it('pages with NextToken, at most MaxResults per page, and refuses a token from another query', async () => {
    const { commandId } = await runToEnd({
      Targets: [{ Key: 'tag:Env', Values: ['fleet'] }],
      Parameters: { commands: ['true'] },
    });
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await ssm.send(
        new ListCommandInvocationsCommand({ CommandId: commandId, MaxResults: 3, NextToken: token }),
      );
      expect(page.CommandInvocations!.length).toBeLessThanOrEqual(3);
      seen.push(...page.CommandInvocations!.map((i) => i.InstanceId!));
      token = page.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);

    const first = await ssm.send(new ListCommandInvocationsCommand({ CommandId: commandId, MaxResults: 3 }));
    await expect(
      ssm.send(
        new ListCommandInvocationsCommand({
          CommandId: commandId,
          MaxResults: 3,
          Details: true,
          NextToken: first.NextToken,
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidNextToken' });
    await expect(
      ssm.send(new ListCommandInvocationsCommand({ CommandId: commandId, MaxResults: 51 })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('filters by instance, gives an empty list for an unknown command, and InvalidCommandId for a malformed one', async () => {
    const { commandId } = await runToEnd({
      InstanceIds: ['i-0000000000000000a', 'i-0000000000000000b'],
      Parameters: { commands: ['true'] },
    });
    const one = await ssm.send(
      new ListCommandInvocationsCommand({ CommandId: commandId, InstanceId: 'i-0000000000000000b' }),
    );
    expect(one.CommandInvocations!.map((i) => i.InstanceId)).toEqual(['i-0000000000000000b']);
    expect(one.CommandInvocations![0]!.CommandPlugins).toEqual([]);
    const none = await ssm.send(
      new ListCommandInvocationsCommand({ CommandId: '00000000-0000-4000-8000-000000000000' }),
    );
    expect(none.CommandInvocations).toEqual([]);
    await expect(
      ssm.send(new ListCommandInvocationsCommand({ CommandId: 'not-a-command' })),
    ).rejects.toMatchObject({
      name: 'InvalidCommandId',
    });
  });

  it('lists commands newest first with their counts, and pages them', async () => {
    const { commandId } = await runToEnd({
      InstanceIds: ['i-0000000000000000c'],
      Parameters: { commands: ['exit 3'] },
      Comment: 'newest',
    });
    const listed = await ssm.send(new ListCommandsCommand({ MaxResults: 2 }));
    expect(listed.Commands![0]).toMatchObject({
      CommandId: commandId,
      Comment: 'newest',
      Status: 'Failed',
      StatusDetails: 'Failed',
      TargetCount: 1,
      CompletedCount: 1,
      ErrorCount: 1,
    });
    expect(listed.Commands).toHaveLength(2);
    expect(listed.NextToken).toBeDefined();
    const byId = await ssm.send(new ListCommandsCommand({ CommandId: commandId }));
    expect(byId.Commands!.map((c) => c.CommandId)).toEqual([commandId]);
    const failed = await ssm.send(new ListCommandsCommand({ Filters: [{ key: 'Status', value: 'Failed' }] }));
    expect(failed.Commands!.every((c) => c.Status === 'Failed')).toBe(true);
    expect(failed.Commands!.map((c) => c.CommandId)).toContain(commandId);
  });
});

describe('GetCommandInvocation', () => {
  it('says InvocationDoesNotExist for a host the command was not sent to', async () => {
    const { commandId } = await runToEnd({
      InstanceIds: ['i-0000000000000000a'],
      Parameters: { commands: ['true'] },
    });
    await expect(
      ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: 'i-0000000000000000b' })),
    ).rejects.toMatchObject({ name: 'InvocationDoesNotExist' });
  });

  it('shows Pending, then In Progress, then the terminal state, with empty output until the end', async () => {
    const host = 'i-0000000000000000b';
    emulator.setFaults({ startDelayMs: 1500 });
    const sent = await ssm.send(
      new SendCommandCommand({
        DocumentName: DOC,
        InstanceIds: [host],
        Parameters: {
          commands: ['echo started', 'while [ ! -e release ]; do sleep 0.05; done', 'rm release', 'exit 7'],
        },
      }),
    );
    emulator.setFaults({});
    const commandId = sent.Command!.CommandId!;
    const get = () => ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: host }));
    const pending = await get();
    expect(pending).toMatchObject({ Status: 'Pending', StatusDetails: 'Pending', ResponseCode: -1 });
    expect(pending.ExecutionStartDateTime).toBeUndefined();
    const running = await until(get, (got) => got.Status !== 'Pending');
    expect(running).toMatchObject({
      Status: 'InProgress',
      StatusDetails: 'In Progress',
      StandardOutputContent: '',
    });
    expect((await ssm.send(new ListCommandsCommand({ CommandId: commandId }))).Commands![0]!.Status).toBe(
      'InProgress',
    );
    await writeFile(join(emulator.hostDir(host), 'release'), '');
    await emulator.waitForCommand(commandId);
    expect(await get()).toMatchObject({
      Status: 'Failed',
      StatusDetails: 'Failed',
      ResponseCode: 7,
      StandardOutputContent: 'started\n',
    });
  });
});

describe('CancelCommand', () => {
  it('refuses an unknown command', async () => {
    await expect(
      ssm.send(new CancelCommandCommand({ CommandId: '00000000-0000-4000-8000-000000000001' })),
    ).rejects.toMatchObject({
      name: 'InvalidCommandId',
    });
  });
});

describe('DescribeInstanceInformation', () => {
  it('reports every host with its PingStatus, filtered and paged', async () => {
    const all: string[] = [];
    let token: string | undefined;
    do {
      const page = await ssm.send(
        new DescribeInstanceInformationCommand({ MaxResults: 5, NextToken: token }),
      );
      all.push(...page.InstanceInformationList!.map((i) => i.InstanceId!));
      token = page.NextToken;
    } while (token);
    expect(all).toHaveLength(12);

    const lost = await ssm.send(
      new DescribeInstanceInformationCommand({
        Filters: [{ Key: 'PingStatus', Values: ['ConnectionLost'] }],
      }),
    );
    expect(lost.InstanceInformationList).toEqual([
      expect.objectContaining({
        InstanceId: 'mi-00000000000000001',
        PingStatus: 'ConnectionLost',
        ResourceType: 'ManagedInstance',
      }),
    ]);
    const some = await ssm.send(
      new DescribeInstanceInformationCommand({
        Filters: [
          {
            Key: 'InstanceIds',
            Values: ['i-0000000000000000a', 'mi-00000000000000001', 'i-0ffffffffffffffff'],
          },
        ],
      }),
    );
    expect(some.InstanceInformationList!.map((i) => [i.InstanceId, i.PingStatus, i.PlatformType])).toEqual([
      ['i-0000000000000000a', 'Online', 'Linux'],
      ['mi-00000000000000001', 'ConnectionLost', 'Linux'],
    ]);
    const tagged = await ssm.send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: 'tag:Role', Values: ['web'] }] }),
    );
    expect(tagged.InstanceInformationList!.map((i) => i.InstanceId)).toEqual([
      'i-0000000000000000a',
      'i-0000000000000000c',
    ]);
    const legacy = await ssm.send(
      new DescribeInstanceInformationCommand({
        InstanceInformationFilterList: [{ key: 'InstanceIds', valueSet: ['i-0000000000000000c'] }],
      }),
    );
    expect(legacy.InstanceInformationList!.map((i) => i.InstanceId)).toEqual(['i-0000000000000000c']);
    await expect(
      ssm.send(
        new DescribeInstanceInformationCommand({
          InstanceInformationFilterList: [{ key: 'InstanceIds', valueSet: ['i-0ffffffffffffffff'] }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidInstanceId' });
  });
});
