import type { HostStatus } from '../types';

/**
 * Every invocation status SSM reports, mapped explicitly. A status not in these tables is a
 * loud error, never "still running": a misspelt status must not turn into polling until timeout.
 */
type SsmInvocationStatus =
  | 'Pending'
  | 'InProgress'
  | 'Delayed'
  | 'Cancelling'
  | 'Success'
  | 'Failed'
  | 'TimedOut'
  | 'Cancelled';

const INVOCATION_STATUS: Record<SsmInvocationStatus, 'running' | HostStatus> = {
  Pending: 'running',
  InProgress: 'running',
  Delayed: 'running',
  Cancelling: 'running',
  Success: 'Success',
  Failed: 'Failed',
  TimedOut: 'TimedOut',
  Cancelled: 'Cancelled',
};

/**
 * StatusDetails, normalised: SSM writes some with spaces (`Delivery Timed Out`) and the console
 * and older APIs without. `Canceled` is SSM's own spelling in StatusDetails.
 */
type SsmStatusDetail =
  | 'Pending'
  | 'InProgress'
  | 'Delayed'
  | 'Cancelling'
  | 'Success'
  | 'Failed'
  | 'TimedOut'
  | 'DeliveryTimedOut'
  | 'ExecutionTimedOut'
  | 'Cancelled'
  | 'Canceled'
  | 'Undeliverable'
  | 'Terminated'
  | 'AccessDenied'
  | 'NoInstancesInTag'
  | 'Incomplete'
  | 'RateExceeded';

/** What a terminal detail means; `undefined` for details that only appear while running. */
const DETAIL_STATUS: Record<SsmStatusDetail, HostStatus | undefined> = {
  Pending: undefined,
  InProgress: undefined,
  Delayed: undefined,
  Cancelling: undefined,
  Success: 'Success',
  Failed: 'Failed',
  TimedOut: 'TimedOut',
  DeliveryTimedOut: 'DeliveryTimedOut',
  ExecutionTimedOut: 'ExecutionTimedOut',
  Cancelled: 'Cancelled',
  Canceled: 'Cancelled',
  Undeliverable: 'Undeliverable',
  Terminated: 'Terminated',
  // The instance profile may not read the document or write the output: the command never ran.
  AccessDenied: 'Undeliverable',
  NoInstancesInTag: 'Undeliverable',
  Incomplete: 'Failed',
  RateExceeded: 'Undeliverable',
};

export class UnknownSsmStatusError extends Error {
  override name = 'UnknownSsmStatusError';
}

export function normaliseDetails(details: string | undefined): string {
  return (details ?? '').replace(/\s+/g, '');
}

export type InvocationState = { done: false } | { done: true; status: HostStatus; statusDetails: string };

/** The meaning of one invocation's Status and StatusDetails. */
export function invocationState(status: string | undefined, details: string | undefined): InvocationState {
  if (status === undefined || !(status in INVOCATION_STATUS)) {
    throw new UnknownSsmStatusError(
      `SSM reported an invocation status Gatehouse does not know: '${status}'.`,
    );
  }
  const byStatus = INVOCATION_STATUS[status as SsmInvocationStatus];
  if (byStatus === 'running') return { done: false };
  const normalised = normaliseDetails(details) || status;
  if (!(normalised in DETAIL_STATUS)) {
    throw new UnknownSsmStatusError(
      `SSM reported status '${status}' with details Gatehouse does not know: '${details}'.`,
    );
  }
  // The detail is the more precise of the two (TimedOut → DeliveryTimedOut or ExecutionTimedOut).
  const byDetail = DETAIL_STATUS[normalised as SsmStatusDetail] ?? byStatus;
  return {
    done: true,
    status: byDetail,
    statusDetails: normalised === 'Canceled' ? 'Cancelled' : normalised,
  };
}

/** Command-level statuses (ListCommands): whether SSM will create no more invocations. */
const COMMAND_STATUS: Record<string, boolean> = {
  Pending: false,
  InProgress: false,
  Cancelling: false,
  Success: true,
  Failed: true,
  TimedOut: true,
  Cancelled: true,
};

export function commandFinished(status: string | undefined): boolean {
  if (status === undefined || !(status in COMMAND_STATUS)) {
    throw new UnknownSsmStatusError(`SSM reported a command status Gatehouse does not know: '${status}'.`);
  }
  return COMMAND_STATUS[status]!;
}
