import { ServiceError, validation } from '../errors';
import { optionalString, requiredString } from '../request-fields';
import type { EmulatorState } from '../state';
import { logGroupName } from '../wire-format';

const STREAM = /^([0-9a-f-]{36})\/([^/]+)\/aws-runShellScript\/(stdout|stderr)$/;

/**
 * CloudWatch Logs `GetLogEvents` (Logs_20140328) for commands sent with CloudWatchOutputConfig:
 * group as configured (default `/aws/ssm/AWS-RunShellScript`), stream
 * `<CommandId>/<InstanceId>/aws-runShellScript/stdout|stderr`, one event per output line. The
 * whole output is there, untruncated. Events appear when the invocation ends (real agents stream
 * them while running; nothing here depends on that). Tokens follow CloudWatch's convention: at the
 * end, the forward token comes back unchanged.
 */
export function getLogEvents(state: EmulatorState, request: Record<string, unknown>) {
  const group = optionalString(request, 'logGroupName') ?? requiredString(request, 'logGroupIdentifier');
  const streamName = requiredString(request, 'logStreamName');
  const match = STREAM.exec(streamName);
  const run = match ? state.runs.get(match[1]!) : undefined;
  const inv = match ? run?.invocation(match[2]!) : undefined;
  if (
    !run ||
    !inv ||
    !run.sent.cloudWatchOutputConfig?.CloudWatchOutputEnabled ||
    logGroupName(run.sent) !== group
  ) {
    throw new ServiceError('ResourceNotFoundException', 'The specified log stream does not exist.');
  }
  if (inv.startedAt === undefined) {
    throw new ServiceError('ResourceNotFoundException', 'The specified log stream does not exist.');
  }
  const text = match![3] === 'stdout' ? inv.stdout : inv.stderr;
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const at = inv.endedAt ?? inv.startedAt;
  const events = lines.map((message) => ({ timestamp: at, message, ingestionTime: at }));

  const limit = request.limit === undefined ? 10_000 : Number(request.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw validation('limit must be 1 to 10000');
  const token = optionalString(request, 'nextToken');
  let start: number;
  if (token !== undefined) {
    const parsed = /^([fb])\/(\d+)$/.exec(token);
    if (!parsed) throw new ServiceError('InvalidParameterException', 'The specified nextToken is not valid.');
    start = parsed[1] === 'f' ? Number(parsed[2]) : Math.max(0, Number(parsed[2]) - limit);
  } else {
    start = request.startFromHead === true ? 0 : Math.max(0, events.length - limit);
  }
  const slice = events.slice(start, start + limit);
  return {
    events: slice,
    nextForwardToken: `f/${start + slice.length}`,
    nextBackwardToken: `b/${start}`,
  };
}
