/**
 * SSM's invocation states as the API reports them: `Status` is the CommandInvocationStatus enum,
 * `StatusDetails` the spaced, human form (the same in ListCommandInvocations and
 * GetCommandInvocation). Undeliverable and Terminated have no Status of their own in the enum;
 * SSM reports them under Failed and Cancelled.
 */
export const INVOCATION_STATE = {
  pending: { status: 'Pending', details: 'Pending' },
  inProgress: { status: 'InProgress', details: 'In Progress' },
  cancelling: { status: 'Cancelling', details: 'Cancelling' },
  success: { status: 'Success', details: 'Success' },
  failed: { status: 'Failed', details: 'Failed' },
  executionTimedOut: { status: 'TimedOut', details: 'Execution Timed Out' },
  deliveryTimedOut: { status: 'TimedOut', details: 'Delivery Timed Out' },
  cancelled: { status: 'Cancelled', details: 'Cancelled' },
  undeliverable: { status: 'Failed', details: 'Undeliverable' },
  terminated: { status: 'Cancelled', details: 'Terminated' },
} as const;

export type InvocationState = keyof typeof INVOCATION_STATE;

export const TERMINAL: ReadonlySet<InvocationState> = new Set([
  'success',
  'failed',
  'executionTimedOut',
  'deliveryTimedOut',
  'cancelled',
  'undeliverable',
  'terminated',
]);

/** Failed and Execution Timed Out count against MaxErrors; delivery problems do not. */
export const COUNTS_AS_ERROR: ReadonlySet<InvocationState> = new Set(['failed', 'executionTimedOut']);
