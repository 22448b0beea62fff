import type { SendCommandRequest } from '@aws-sdk/client-ssm';
import { ActionFailure } from '@gatehouse/action-kit/errors';
import { shellQuote } from '../shell-quote';
import type { TargetSettings } from '../targets';
import type { RunRequest } from '../types';
import { awsErrorName, chunks, SSM_BATCH, type SsmApi } from './api';
import { INVALID_INSTANCE_HELP } from './precheck';

export interface SentCommand {
  commandId: string;
  /** The ids this command targets; empty for tag targets (SSM resolves them). */
  instanceIds: string[];
}

export interface OutputOptions {
  cloudwatchLogGroup?: string;
  outputS3Bucket?: string;
}

/**
 * AWS-RunShellScript hands its `commands` to `sh`. The script is bash, so it travels base64-encoded
 * and runs under `bash -c`: no shell (sh or bash) ever sees a value of the script as code.
 */
export function runShellScriptCommands(script: string): string[] {
  const encoded = Buffer.from(script, 'utf8').toString('base64');
  return [`bash -c "$(printf '%s' ${shellQuote(encoded)} | base64 -d)" gatehouse-script`];
}

/** SSM's documented bounds: executionTimeout 1 s – 48 h; TimeoutSeconds 30 s – 30 days. */
function seconds(ms: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.ceil(ms / 1000)));
}

export function sendCommandRequests(
  targets: TargetSettings,
  request: RunRequest,
  output: OutputOptions,
): SendCommandRequest[] {
  const base: SendCommandRequest = {
    DocumentName: 'AWS-RunShellScript',
    Comment: request.comment?.slice(0, 100),
    Parameters: {
      commands: runShellScriptCommands(request.script),
      executionTimeout: [String(seconds(request.executionTimeoutMs, 1, 172_800))],
    },
    TimeoutSeconds: seconds(request.deliveryTimeoutMs ?? 600_000, 30, 2_592_000),
    MaxConcurrency: request.maxConcurrency,
    MaxErrors: request.maxErrors,
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
  if (targets.instanceIds.length === 0) {
    return [
      { ...base, Targets: targets.instanceTags.map((t) => ({ Key: `tag:${t.key}`, Values: [t.value] })) },
    ];
  }
  return chunks(targets.instanceIds, SSM_BATCH).map((ids) => ({ ...base, InstanceIds: ids }));
}

/** Sends every chunk; each accepted command is reported at once so a post step can cancel it. */
export async function sendAll(
  api: SsmApi,
  targets: TargetSettings,
  request: RunRequest,
  output: OutputOptions,
): Promise<SentCommand[]> {
  const sent: SentCommand[] = [];
  for (const input of sendCommandRequests(targets, request, output)) {
    let commandId: string | undefined;
    try {
      commandId = (await api.sendCommand(input)).Command?.CommandId;
    } catch (error) {
      const name = awsErrorName(error);
      const already = sent.length > 0 ? ` Already sent: ${sent.map((s) => s.commandId).join(', ')}.` : '';
      if (name === 'InvalidInstanceId') {
        throw new ActionFailure(
          `SSM rejected the targets (InvalidInstanceId) among ${(input.InstanceIds ?? []).join(', ')}: ${INVALID_INSTANCE_HELP}${already}`,
        );
      }
      throw new ActionFailure(
        `SendCommand failed (${name ?? 'error'}): ${(error as Error).message}${already}`,
      );
    }
    if (!commandId) throw new Error('SendCommand returned no CommandId');
    sent.push({ commandId, instanceIds: input.InstanceIds ?? [] });
    await request.onSent?.(commandId);
  }
  return sent;
}
