import {
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  SendCommandCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLUGIN_OUTPUT_LIMIT, type SsmEmulator, startSsmEmulator } from '../src/index';
import { pluginOutput } from '../src/truncation';
import { ssmClient } from './sdk';

const A = 'i-0000000000000000a';
let emulator: SsmEmulator;
let ssm: SSMClient;

beforeAll(async () => {
  emulator = await startSsmEmulator({ hosts: [A] });
  ssm = ssmClient(emulator);
});
afterAll(() => emulator.close());

// Numbered lines make the kept part identifiable: "out 00001\n" is 10 characters.
const numbered = (prefix: string, count: number) =>
  `for i in $(seq 1 ${count}); do printf '${prefix} %05d\\n' "$i"; done`;
const expectedLines = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix} ${String(i + 1).padStart(5, '0')}\n`).join('');

describe('output truncation', () => {
  it('keeps the first 24,000 / 8,000 characters in GetCommandInvocation, 2,500 in Details, and all of it in fullOutput', async () => {
    const sent = await ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: [A],
        Parameters: { commands: [numbered('out', 3000), `(${numbered('err', 1000)}) >&2`] },
        CloudWatchOutputConfig: {
          CloudWatchOutputEnabled: true,
          CloudWatchLogGroupName: '/gatehouse/deploy',
        },
      }),
    );
    const commandId = sent.Command!.CommandId!;
    await emulator.waitForCommand(commandId);
    const stdout = expectedLines('out', 3000);
    const stderr = expectedLines('err', 1000);
    expect(stdout.length).toBe(30_000);

    const got = await ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: A }));
    expect(got.StandardOutputContent).toBe(stdout.slice(0, 24_000));
    expect(got.StandardErrorContent).toBe(stderr.slice(0, 8_000));
    expect(got.CloudWatchOutputConfig).toEqual({
      CloudWatchLogGroupName: '/gatehouse/deploy',
      CloudWatchOutputEnabled: true,
    });

    const listed = await ssm.send(new ListCommandInvocationsCommand({ CommandId: commandId, Details: true }));
    const output = listed.CommandInvocations![0]!.CommandPlugins![0]!.Output!;
    expect(output.length).toBeLessThanOrEqual(PLUGIN_OUTPUT_LIMIT);
    expect(output.startsWith('out 00001\n')).toBe(true);
    expect(output).toContain('\n---Output truncated---\n----------ERROR-------\nerr 00001\n');
    expect(output.endsWith('\n---Error truncated----')).toBe(true);

    expect(emulator.fullOutput(commandId, A)).toEqual({ stdout, stderr });
    expect(emulator.fullOutput(commandId, 'i-0ffffffffffffffff')).toBeUndefined();
  });

  it('names the S3 objects of the whole output when OutputS3BucketName is set', async () => {
    const sent = await ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: [A],
        Parameters: { commands: ['echo hi'] },
        OutputS3BucketName: 'deploy-logs',
        OutputS3KeyPrefix: 'gatehouse/',
      }),
    );
    const commandId = sent.Command!.CommandId!;
    await emulator.waitForCommand(commandId);
    const base = `https://s3.us-east-1.amazonaws.com/deploy-logs/gatehouse/${commandId}/${A}/awsrunShellScript/0.awsrunShellScript`;
    const got = await ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: A }));
    expect(got).toMatchObject({ StandardOutputUrl: `${base}/stdout`, StandardErrorUrl: `${base}/stderr` });
    const listed = await ssm.send(new ListCommandInvocationsCommand({ CommandId: commandId, Details: true }));
    expect(listed.CommandInvocations![0]).toMatchObject({ StandardOutputUrl: `${base}/stdout` });
    expect(listed.CommandInvocations![0]!.CommandPlugins![0]).toMatchObject({
      OutputS3BucketName: 'deploy-logs',
      OutputS3KeyPrefix: 'gatehouse/',
      StandardErrorUrl: `${base}/stderr`,
    });
  });
});

describe('the agent’s plugin output truncation', () => {
  // The agent's own test cases (capacity 100), so Details output reads as a real agent's.
  const long = 'This is a sample text. '.repeat(60);
  it.each([
    ['', '', ''],
    ['sample output', '', 'sample output'],
    ['', 'sample error', '\n----------ERROR-------\nsample error'],
    ['sample output', 'sample error', 'sample output\n----------ERROR-------\nsample error'],
    [long, '', `${long.slice(0, 77)}\n---Output truncated---`],
    ['', long, `\n----------ERROR-------\n${long.slice(0, 53)}\n---Error truncated----`],
    [
      long,
      long,
      `${long.slice(0, 15)}\n---Output truncated---\n----------ERROR-------\n${long.slice(0, 15)}\n---Error truncated----`,
    ],
  ])('stdout %#', (stdout, stderr, expected) => {
    expect(pluginOutput(stdout, stderr, 100)).toBe(expected);
  });
});
