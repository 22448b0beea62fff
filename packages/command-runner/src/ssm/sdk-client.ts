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

/**
 * The real SDK behind `SsmApi`. Adaptive retry: on ThrottlingException the SDK backs off and
 * rate-limits its own later calls, so a large fleet's polling slows down instead of failing.
 * Region and credentials come from the SDK's default chain; `AWS_ENDPOINT_URL_SSM` is honoured.
 */
export async function sdkSsmApi(region: string | undefined, cloudwatchLogGroup?: string): Promise<SsmApi> {
  const config = { ...(region ? { region } : {}), retryMode: 'adaptive', maxAttempts: 10 };
  const client = new SSMClient(config);
  const api: SsmApi = {
    sendCommand: (input) => client.send(new SendCommandCommand(input)),
    listCommandInvocations: (input) => client.send(new ListCommandInvocationsCommand(input)),
    listCommands: (input) => client.send(new ListCommandsCommand(input)),
    getCommandInvocation: (input) => client.send(new GetCommandInvocationCommand(input)),
    cancelCommand: (input) => client.send(new CancelCommandCommand(input)),
    describeInstanceInformation: (input) => client.send(new DescribeInstanceInformationCommand(input)),
  };
  if (cloudwatchLogGroup) {
    const { CloudWatchLogsClient, GetLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
    const logs = new CloudWatchLogsClient(config);
    api.readLogStream = async (logGroupName, logStreamName) => {
      const lines: string[] = [];
      let token: string | undefined;
      try {
        for (;;) {
          const page = await logs.send(
            new GetLogEventsCommand({ logGroupName, logStreamName, startFromHead: true, nextToken: token }),
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
