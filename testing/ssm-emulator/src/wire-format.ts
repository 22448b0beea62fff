import type { CommandRun, Invocation } from './command-run';
import { INVOCATION_STATE } from './statuses';
import { pluginOutput, STDERR_CONTENT_LIMIT, STDOUT_CONTENT_LIMIT } from './truncation';
import type { SentCommand } from './types';

/** How records become the JSON the SDK reads: field names and value forms as SSM sends them. */

const PLUGIN = 'aws:runShellScript';
const epochSeconds = (ms: number) => ms / 1000;

export function commandJson(run: CommandRun): Record<string, unknown> {
  const sent = run.sent;
  const { status, details } = commandStatus(run);
  const counts = run.counts();
  return {
    CommandId: sent.commandId,
    DocumentName: sent.documentName,
    DocumentVersion: '$DEFAULT',
    Comment: sent.comment,
    ExpiresAfter: epochSeconds(
      sent.requestedAt + (sent.timeoutSeconds + sent.executionTimeoutSeconds) * 1000,
    ),
    Parameters: sent.parameters,
    InstanceIds: sent.instanceIds,
    Targets: sent.targets,
    RequestedDateTime: epochSeconds(sent.requestedAt),
    Status: status,
    StatusDetails: details,
    OutputS3Region: sent.region,
    ...outputBucket(sent),
    MaxConcurrency: sent.maxConcurrency,
    MaxErrors: sent.maxErrors,
    TargetCount: run.invocations.length,
    CompletedCount: counts.completed,
    ErrorCount: counts.errors,
    DeliveryTimedOutCount: counts.deliveryTimedOut,
    ServiceRole: '',
    CloudWatchOutputConfig: cloudWatchConfig(sent),
    TimeoutSeconds: sent.timeoutSeconds,
  };
}

/**
 * The command's overall status from its invocations, as SSM aggregates it: errors beyond MaxErrors
 * make it Failed (or timed out), all Success is Success, anything else short of that is Incomplete.
 */
function commandStatus(run: CommandRun): { status: string; details: string } {
  const states = run.invocations.map((inv) => inv.state);
  if (states.length === 0) return { status: 'Failed', details: 'No Instances In Tag' };
  if (!run.isDone()) {
    if (run.cancelRequested) return { status: 'Cancelling', details: 'Cancelling' };
    const started = states.some((state) => state !== 'pending');
    return started
      ? { status: 'InProgress', details: 'In Progress' }
      : { status: 'Pending', details: 'Pending' };
  }
  if (run.cancelRequested) return { status: 'Cancelled', details: 'Cancelled' };
  // Undeliverable hosts count neither for nor against the command (SSM's documented rule).
  const delivered = states.filter((state) => state !== 'undeliverable');
  if (delivered.length > 0 && delivered.every((state) => state === 'success')) {
    return { status: 'Success', details: 'Success' };
  }
  if (run.stopped) {
    const failed = states.filter((state) => state === 'failed').length;
    const timedOut = states.filter((state) => state === 'executionTimedOut').length;
    return timedOut > failed
      ? { status: 'TimedOut', details: 'Execution Timed Out' }
      : { status: 'Failed', details: 'Failed' };
  }
  if (states.every((state) => state === 'deliveryTimedOut')) {
    return { status: 'TimedOut', details: 'Delivery Timed Out' };
  }
  return { status: 'Failed', details: 'Incomplete' };
}

export function invocationJson(run: CommandRun, inv: Invocation, details: boolean) {
  const sent = run.sent;
  const state = INVOCATION_STATE[inv.state];
  const urls = outputUrls(sent, inv.instanceId);
  return {
    CommandId: sent.commandId,
    InstanceId: inv.instanceId,
    InstanceName: '',
    Comment: sent.comment,
    DocumentName: sent.documentName,
    DocumentVersion: '$DEFAULT',
    RequestedDateTime: epochSeconds(sent.requestedAt),
    Status: state.status,
    StatusDetails: state.details,
    TraceOutput: '',
    StandardOutputUrl: urls.stdout,
    StandardErrorUrl: urls.stderr,
    CommandPlugins: details ? [pluginJson(sent, inv)] : [],
    ServiceRole: '',
    CloudWatchOutputConfig: cloudWatchConfig(sent),
  };
}

function pluginJson(sent: SentCommand, inv: Invocation) {
  const state = INVOCATION_STATE[inv.state];
  const urls = outputUrls(sent, inv.instanceId);
  return {
    Name: PLUGIN,
    // The plugin enum has no Cancelling: the plugin is still running until it is killed.
    Status: state.status === 'Cancelling' ? 'InProgress' : state.status,
    StatusDetails: state.details,
    ResponseCode: inv.exitCode ?? -1,
    ...(inv.startedAt !== undefined ? { ResponseStartDateTime: epochSeconds(inv.startedAt) } : {}),
    ...(inv.endedAt !== undefined && inv.startedAt !== undefined
      ? { ResponseFinishDateTime: epochSeconds(inv.endedAt) }
      : {}),
    Output: pluginOutput(inv.stdout, inv.stderr),
    StandardOutputUrl: urls.stdout,
    StandardErrorUrl: urls.stderr,
    OutputS3Region: sent.region,
    ...outputBucket(sent),
  };
}

export function getInvocationJson(run: CommandRun, inv: Invocation) {
  const sent = run.sent;
  const state = INVOCATION_STATE[inv.state];
  const urls = outputUrls(sent, inv.instanceId);
  // Seconds, as the service model's StringDateTime pattern takes them (one fractional digit at most).
  const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
  return {
    CommandId: sent.commandId,
    InstanceId: inv.instanceId,
    Comment: sent.comment,
    DocumentName: sent.documentName,
    DocumentVersion: '$DEFAULT',
    PluginName: PLUGIN,
    ResponseCode: inv.exitCode ?? -1,
    // Left out until the plugin starts (the API reference says "empty", which the model's
    // pattern refuses). ExecutionElapsedTime is left out altogether: its shape is the same
    // date-time pattern, which no duration can match.
    ...(inv.startedAt !== undefined ? { ExecutionStartDateTime: iso(inv.startedAt) } : {}),
    ...(inv.startedAt !== undefined && inv.endedAt !== undefined
      ? { ExecutionEndDateTime: iso(inv.endedAt) }
      : {}),
    Status: state.status,
    StatusDetails: state.details,
    // The first 24,000 / 8,000 characters: SSM keeps the head of the output, not the tail.
    StandardOutputContent: inv.stdout.slice(0, STDOUT_CONTENT_LIMIT),
    StandardOutputUrl: urls.stdout,
    StandardErrorContent: inv.stderr.slice(0, STDERR_CONTENT_LIMIT),
    StandardErrorUrl: urls.stderr,
    CloudWatchOutputConfig: cloudWatchConfig(sent),
  };
}

/** Where SSM would have put the whole output in S3 (`…/<command>/<instance>/awsrunShellScript/0.awsrunShellScript/stdout`). */
function outputUrls(sent: SentCommand, instanceId: string): { stdout: string; stderr: string } {
  if (!sent.outputS3BucketName) return { stdout: '', stderr: '' };
  const prefix = sent.outputS3KeyPrefix ? `${sent.outputS3KeyPrefix.replace(/\/+$/, '')}/` : '';
  const base = `https://s3.${sent.region}.amazonaws.com/${sent.outputS3BucketName}/${prefix}${sent.commandId}/${instanceId}/awsrunShellScript/0.awsrunShellScript`;
  return { stdout: `${base}/stdout`, stderr: `${base}/stderr` };
}

function cloudWatchConfig(sent: SentCommand) {
  const config = sent.cloudWatchOutputConfig;
  return {
    ...(config?.CloudWatchOutputEnabled ? { CloudWatchLogGroupName: logGroupName(sent) } : {}),
    CloudWatchOutputEnabled: config?.CloudWatchOutputEnabled === true,
  };
}

/** The output bucket and prefix when the command names them; left out otherwise (S3BucketName is 3–63 characters). */
function outputBucket(sent: SentCommand) {
  return {
    ...(sent.outputS3BucketName ? { OutputS3BucketName: sent.outputS3BucketName } : {}),
    ...(sent.outputS3KeyPrefix ? { OutputS3KeyPrefix: sent.outputS3KeyPrefix } : {}),
  };
}

/** SSM's default log group when the config names none is `/aws/ssm/<DocumentName>`. */
export function logGroupName(sent: SentCommand): string {
  return sent.cloudWatchOutputConfig?.CloudWatchLogGroupName || `/aws/ssm/${sent.documentName}`;
}
