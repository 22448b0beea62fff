import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { SendCommandCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SsmEmulator, startSsmEmulator } from '../src/index';
import { ssmClient } from './sdk';

const A = 'i-0000000000000000a';
let emulator: SsmEmulator;
let ssm: SSMClient;
let logs: CloudWatchLogsClient;

beforeAll(async () => {
  emulator = await startSsmEmulator({ hosts: [A] });
  ssm = ssmClient(emulator);
  logs = new CloudWatchLogsClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});
afterAll(() => emulator.close());

async function readStream(
  group: string,
  stream: string,
  limit: number,
): Promise<{ lines: string[]; pages: number }> {
  const lines: string[] = [];
  let token: string | undefined;
  let pages = 0;
  for (;;) {
    const page = await logs.send(
      new GetLogEventsCommand({
        logGroupName: group,
        logStreamName: stream,
        startFromHead: true,
        nextToken: token,
        limit,
      }),
    );
    pages++;
    lines.push(...page.events!.map((event) => event.message!));
    if (page.nextForwardToken === token) return { lines, pages };
    token = page.nextForwardToken;
  }
}

describe('CloudWatch Logs GetLogEvents', () => {
  it('serves the whole, untruncated output of a command sent with CloudWatchOutputConfig', async () => {
    const sent = await ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: [A],
        Parameters: { commands: ['seq 1 5000', 'echo broken >&2'] },
        CloudWatchOutputConfig: {
          CloudWatchOutputEnabled: true,
          CloudWatchLogGroupName: '/gatehouse/deploy',
        },
      }),
    );
    const commandId = sent.Command!.CommandId!;
    await emulator.waitForCommand(commandId);
    const stdout = await readStream('/gatehouse/deploy', `${commandId}/${A}/aws-runShellScript/stdout`, 2000);
    expect(stdout.lines).toEqual(Array.from({ length: 5000 }, (_, i) => String(i + 1)));
    expect(stdout.pages).toBe(4);
    const stderr = await readStream('/gatehouse/deploy', `${commandId}/${A}/aws-runShellScript/stderr`, 100);
    expect(stderr.lines).toEqual(['broken']);
  });

  it('has no stream for a command without CloudWatch output, or in another group', async () => {
    const sent = await ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: [A],
        Parameters: { commands: ['echo hi'] },
      }),
    );
    const commandId = sent.Command!.CommandId!;
    await emulator.waitForCommand(commandId);
    await expect(
      logs.send(
        new GetLogEventsCommand({
          logGroupName: '/aws/ssm/AWS-RunShellScript',
          logStreamName: `${commandId}/${A}/aws-runShellScript/stdout`,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
