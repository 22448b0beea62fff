import { gunzipSync, gzipSync } from 'node:zlib';
import type { SendCommandRequest } from '@aws-sdk/client-ssm';
import { ActionFailure, ConfigurationError } from '@gatehouse/action-kit/errors';
import { shellQuote } from '../shell-quote';
import type { RunRequest } from '../types';
import { awsErrorName, type SsmApi } from './api';
import { INVALID_INSTANCE_HELP } from './precheck';

export interface OutputOptions {
  cloudwatchLogGroup?: string;
  outputS3Bucket?: string;
}

/**
 * AWS-RunShellScript hands its `commands` to `sh`. The script is bash, so it travels gzipped and
 * base64-encoded and runs under `bash -c`: no shell (sh or bash) ever sees a value of the script
 * as code. Compressed, the request is about a third of the script (the deploy script alone is
 * some 15 kB, and SendCommand bounds the size of its parameters). A host without `base64` or
 * `gzip` fails the decoding, and the command fails with the tool's message: an empty or cut
 * script is never run.
 */
export function runShellScriptCommands(script: string): string[] {
  const encoded = gzipSync(Buffer.from(script, 'utf8'), { level: 9 }).toString('base64');
  return [
    `script="$(printf '%s' ${shellQuote(encoded)} | base64 -d | gzip -dc)" && bash -c "$script" gatehouse-script`,
  ];
}

/** The bash script a `commands` line of runShellScriptCommands carries (what the host ran). */
export function scriptOfCommands(commands: string): string {
  const encoded = /printf '%s' '([A-Za-z0-9+/=]+)' \| base64 -d \| gzip -dc/.exec(commands)?.[1];
  if (encoded === undefined) throw new Error('Not a command line of runShellScriptCommands.');
  return gunzipSync(Buffer.from(encoded, 'base64')).toString('utf8');
}

/** SSM's documented bounds: executionTimeout 1 s – 48 h; TimeoutSeconds 30 s – 30 days. */
function seconds(ms: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.ceil(ms / 1000)));
}

/**
 * One SendCommand for up to 50 instance ids. Gatehouse dispatches the fleet itself; SSM's own
 * MaxConcurrency and MaxErrors on each command are a second guard (`limits`, as counts).
 */
export function sendCommandRequest(
  instanceIds: readonly string[],
  request: RunRequest,
  limits: { maxConcurrency: number; maxErrors: number },
  output: OutputOptions,
): SendCommandRequest {
  return {
    DocumentName: 'AWS-RunShellScript',
    InstanceIds: [...instanceIds],
    ...(request.comment ? { Comment: request.comment.slice(0, 100) } : {}),
    Parameters: {
      commands: runShellScriptCommands(request.script),
      executionTimeout: [String(seconds(request.executionTimeoutMs, 1, 172_800))],
    },
    TimeoutSeconds: seconds(request.deliveryTimeoutMs ?? 600_000, 30, 2_592_000),
    MaxConcurrency: String(Math.max(1, limits.maxConcurrency)),
    MaxErrors: String(Math.max(0, limits.maxErrors)),
    ...(output.outputS3Bucket
      ? { OutputS3BucketName: output.outputS3Bucket, OutputS3KeyPrefix: 'gatehouse' }
      : {}),
    ...(output.cloudwatchLogGroup
      ? {
          CloudWatchOutputConfig: {
            CloudWatchLogGroupName: output.cloudwatchLogGroup,
            CloudWatchOutputEnabled: true,
          },
        }
      : {}),
  };
}

export interface SentCommand {
  commandId: string;
  instanceIds: string[];
  /** SSM's RequestedDateTime (epoch ms, SSM's clock): where the status listing starts. */
  requestedAt: number;
}

/** Sends one command; a failure names the commands already sent, so a person knows what runs. */
export async function sendCommand(
  api: SsmApi,
  input: SendCommandRequest,
  alreadySent: readonly string[],
  now: number,
): Promise<SentCommand> {
  let command: Awaited<ReturnType<SsmApi['sendCommand']>>['Command'];
  try {
    command = (await api.sendCommand(input)).Command;
  } catch (error) {
    const name = awsErrorName(error);
    const already =
      alreadySent.length > 0
        ? ` Already sent, still running: ${alreadySent.join(', ')}.`
        : ' Nothing was sent.';
    if (name === 'InvalidInstanceId') {
      throw new ActionFailure(
        `SSM rejected the targets (InvalidInstanceId) among ${(input.InstanceIds ?? []).join(', ')}: ${INVALID_INSTANCE_HELP}${already}`,
      );
    }
    // A known AWS error (access denied, expired credentials…) already says what to fix.
    if (error instanceof ConfigurationError) {
      error.message += already;
      throw error;
    }
    throw new ActionFailure(`SendCommand failed (${name ?? 'error'}): ${(error as Error).message}${already}`);
  }
  if (!command?.CommandId) throw new Error('SendCommand returned no CommandId');
  const requested = command.RequestedDateTime?.getTime();
  return {
    commandId: command.CommandId,
    instanceIds: input.InstanceIds ?? [],
    requestedAt: typeof requested === 'number' && Number.isFinite(requested) ? requested : now,
  };
}
