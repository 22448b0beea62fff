import type { HostResult } from '../types';
import { awsErrorName, type SsmApi } from './api';
import type { OutputOptions } from './send';
import type { FinishedInvocation } from './wait';

/** What GetCommandInvocation keeps of a plugin's output. */
export const SSM_STDOUT_LIMIT = 24_000;
export const SSM_STDERR_LIMIT = 8_000;
/** Failed hosts whose output is fetched one by one; past this the listing's copy is shown. */
export const MAX_OUTPUT_FETCHES = 25;

const TRUNCATION_MARK = /-+\s*output truncated\s*-+/i;

export function looksTruncated(text: string, limit: number): boolean {
  return text.length >= limit || TRUNCATION_MARK.test(text);
}

/** Where SSM writes a host's whole output in S3 (bucket, prefix, command, instance, plugin). */
export function s3OutputLocation(bucket: string, commandId: string, host: string): string {
  return `s3://${bucket}/gatehouse/${commandId}/${host}/awsrunShellScript/0.awsrunShellScript/`;
}

export function cloudwatchStream(commandId: string, host: string, stream: 'stdout' | 'stderr'): string {
  return `${commandId}/${host}/aws-runShellScript/${stream}`;
}

/**
 * One result per host. Succeeded hosts keep the listing's copy of their output; failed hosts get
 * GetCommandInvocation's (24,000 / 8,000 characters, cut noted), or the whole output from
 * CloudWatch Logs when a log group was configured.
 */
export async function hostResults(
  api: SsmApi,
  finished: FinishedInvocation[],
  output: OutputOptions,
): Promise<HostResult[]> {
  const results: HostResult[] = [];
  let fetched = 0;
  for (const invocation of [...finished].sort((a, b) => a.host.localeCompare(b.host))) {
    const base: HostResult = {
      host: invocation.host,
      status: invocation.status,
      statusDetails: invocation.statusDetails,
      exitCode: invocation.exitCode,
      stdout: invocation.output,
      stderr: '',
      outputTruncated: looksTruncated(invocation.output, 2500),
      ...(output.outputS3Bucket
        ? {
            outputLocation:
              invocation.outputUrl ||
              s3OutputLocation(output.outputS3Bucket, invocation.commandId, invocation.host),
          }
        : {}),
    };
    const ranOrTried = invocation.statusDetails !== 'NotSent';
    if (invocation.status !== 'Success' && ranOrTried && fetched < MAX_OUTPUT_FETCHES) {
      fetched++;
      results.push(await withFullOutput(api, base, invocation.commandId, output));
    } else {
      results.push(base);
    }
  }
  return results;
}

async function withFullOutput(
  api: SsmApi,
  base: HostResult,
  commandId: string,
  output: OutputOptions,
): Promise<HostResult> {
  let result = base;
  try {
    const got = await api.getCommandInvocation({ CommandId: commandId, InstanceId: base.host });
    const stdout = got.StandardOutputContent ?? '';
    const stderr = got.StandardErrorContent ?? '';
    result = {
      ...base,
      stdout,
      stderr,
      exitCode:
        base.exitCode ??
        (typeof got.ResponseCode === 'number' && got.ResponseCode >= 0 ? got.ResponseCode : null),
      outputTruncated: looksTruncated(stdout, SSM_STDOUT_LIMIT) || looksTruncated(stderr, SSM_STDERR_LIMIT),
      ...(output.outputS3Bucket && got.StandardOutputUrl ? { outputLocation: got.StandardOutputUrl } : {}),
    };
  } catch (error) {
    // A host SSM never delivered to has no invocation detail; the listing's copy is all there is.
    if (awsErrorName(error) !== 'InvocationDoesNotExist') throw error;
  }
  if (output.cloudwatchLogGroup && api.readLogStream) {
    const group = output.cloudwatchLogGroup;
    const stdout = await api.readLogStream(group, cloudwatchStream(commandId, base.host, 'stdout'));
    const stderr = await api.readLogStream(group, cloudwatchStream(commandId, base.host, 'stderr'));
    if (stdout !== undefined || stderr !== undefined) {
      result = {
        ...result,
        stdout: stdout ?? '',
        stderr: stderr ?? '',
        outputTruncated: false,
        outputLocation: `CloudWatch Logs ${group}: ${cloudwatchStream(commandId, base.host, 'stdout')}`,
      };
    }
  }
  return result;
}
