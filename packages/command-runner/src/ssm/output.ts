import type { HostResult } from '../types';
import { awsErrorName, type SsmApi } from './api';
import type { FinishedInvocation } from './dispatch';
import type { OutputOptions } from './send';

/** What GetCommandInvocation keeps of a plugin's output; the invocation listing keeps 2,500. */
export const SSM_STDOUT_LIMIT = 24_000;
export const SSM_STDERR_LIMIT = 8_000;
export const SSM_LISTING_LIMIT = 2_500;
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
      outputTruncated: looksTruncated(invocation.output, SSM_LISTING_LIMIT),
      started: invocation.started,
      ...(invocation.commandId ? { commandId: invocation.commandId } : {}),
      ...(output.outputS3Bucket && invocation.commandId
        ? {
            outputLocation:
              invocation.outputUrl ||
              s3OutputLocation(output.outputS3Bucket, invocation.commandId, invocation.host),
          }
        : {}),
    };
    if (invocation.status !== 'Success' && invocation.started && fetched < MAX_OUTPUT_FETCHES) {
      fetched++;
      results.push({ ...base, ...(await wholeOutput(api, base, invocation.commandId, output)) });
    } else {
      results.push(base);
    }
  }
  return results;
}

/**
 * GetCommandInvocation's copy (24,000 / 8,000 characters, the cut noted), or the whole output from
 * CloudWatch Logs when a log group was configured.
 */
export async function wholeOutput(
  api: SsmApi,
  base: HostResult,
  commandId: string,
  output: OutputOptions,
): Promise<Pick<HostResult, 'stdout' | 'stderr' | 'outputTruncated'> & Partial<HostResult>> {
  let result: Pick<HostResult, 'stdout' | 'stderr' | 'outputTruncated'> & Partial<HostResult> = {
    stdout: base.stdout,
    stderr: base.stderr,
    outputTruncated: base.outputTruncated,
  };
  try {
    const got = await api.getCommandInvocation({ CommandId: commandId, InstanceId: base.host });
    const stdout = got.StandardOutputContent ?? '';
    const stderr = got.StandardErrorContent ?? '';
    const truncated = looksTruncated(stdout, SSM_STDOUT_LIMIT) || looksTruncated(stderr, SSM_STDERR_LIMIT);
    result = {
      stdout,
      stderr,
      outputTruncated: truncated,
      exitCode:
        base.exitCode ??
        (typeof got.ResponseCode === 'number' && got.ResponseCode >= 0 ? got.ResponseCode : null),
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
