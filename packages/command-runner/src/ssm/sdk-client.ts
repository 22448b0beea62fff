import {
  CancelCommandCommand,
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  SendCommandCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { awsErrorName, type SsmApi } from './api';
import { type AwsCall, awsCallError } from './aws-errors';

/** Every failed call goes through the known-error table, so its message names the IAM action. */
async function mapped<T>(call: AwsCall, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw awsCallError(error, call);
  }
}

/**
 * The real SDK behind `SsmApi`. Adaptive retry: on ThrottlingException the SDK backs off and
 * rate-limits its own later calls, so a large fleet's polling slows down instead of failing.
 * Region and credentials come from the SDK's default chain; `AWS_ENDPOINT_URL_SSM` is honoured, and
 * so is `AWS_MAX_ATTEMPTS` (the SDK's own setting) over our default of 10 attempts.
 */
export async function sdkSsmApi(region: string | undefined, cloudwatchLogGroup?: string): Promise<SsmApi> {
  const config = {
    ...(region ? { region } : {}),
    retryMode: 'adaptive',
    ...(process.env.AWS_MAX_ATTEMPTS ? {} : { maxAttempts: 10 }),
  };
  const client = new SSMClient(config);
  const ssm = <T>(operation: string, send: () => Promise<T>) => mapped({ service: 'ssm', operation }, send);
  const api: SsmApi = {
    sendCommand: (input) => ssm('SendCommand', () => client.send(new SendCommandCommand(input))),
    listCommandInvocations: (input) =>
      ssm('ListCommandInvocations', () => client.send(new ListCommandInvocationsCommand(input))),
    listCommands: (input) => ssm('ListCommands', () => client.send(new ListCommandsCommand(input))),
    getCommandInvocation: (input) =>
      ssm('GetCommandInvocation', () => client.send(new GetCommandInvocationCommand(input))),
    cancelCommand: (input) => ssm('CancelCommand', () => client.send(new CancelCommandCommand(input))),
    describeInstanceInformation: (input) =>
      ssm('DescribeInstanceInformation', () => client.send(new DescribeInstanceInformationCommand(input))),
  };
  if (cloudwatchLogGroup) {
    const { CloudWatchLogsClient, GetLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
    const logs = new CloudWatchLogsClient(config);
    api.readLogStream = async (logGroupName, logStreamName) => {
      const lines: string[] = [];
      let token: string | undefined;
      try {
        for (;;) {
          const page = await mapped({ service: 'logs', operation: 'GetLogEvents' }, () =>
            logs.send(
              new GetLogEventsCommand({ logGroupName, logStreamName, startFromHead: true, nextToken: token }),
            ),
          );
          for (const event of page.events ?? []) lines.push(event.message ?? '');
          // The forward token repeats once the end of the stream is reached.
          if (!page.nextForwardToken || page.nextForwardToken === token) break;
          token = page.nextForwardToken;
        }
      } catch (error) {
        if (awsErrorName(error) === 'ResourceNotFoundException') return undefined;
        throw error;
      }
      return lines.join('\n');
    };
  }
  return api;
}
