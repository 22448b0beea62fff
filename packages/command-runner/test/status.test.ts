import { describe, expect, it } from 'vitest';
import { commandFinished, invocationState, UnknownSsmStatusError } from '../src/ssm/status';

describe('SSM status mapping', () => {
  it.each([
    ['Success', 'Success', 'Success', 'Success'],
    ['Failed', 'Failed', 'Failed', 'Failed'],
    ['TimedOut', 'Execution Timed Out', 'ExecutionTimedOut', 'ExecutionTimedOut'],
    ['TimedOut', 'ExecutionTimedOut', 'ExecutionTimedOut', 'ExecutionTimedOut'],
    ['TimedOut', 'Delivery Timed Out', 'DeliveryTimedOut', 'DeliveryTimedOut'],
    ['TimedOut', 'DeliveryTimedOut', 'DeliveryTimedOut', 'DeliveryTimedOut'],
    ['TimedOut', '', 'TimedOut', 'TimedOut'],
    ['Cancelled', 'Cancelled', 'Cancelled', 'Cancelled'],
    ['Cancelled', 'Canceled', 'Cancelled', 'Cancelled'],
    ['Failed', 'Undeliverable', 'Undeliverable', 'Undeliverable'],
    ['Cancelled', 'Terminated', 'Terminated', 'Terminated'],
    ['Failed', 'Access Denied', 'Undeliverable', 'AccessDenied'],
  ])('maps %s / %s to %s', (status, details, expected, normalised) => {
    expect(invocationState(status, details)).toEqual({
      done: true,
      status: expected,
      statusDetails: normalised,
    });
  });

  it.each(['Pending', 'InProgress', 'Delayed', 'Cancelling'])('treats %s as still running', (status) => {
    expect(invocationState(status, 'In Progress')).toEqual({ done: false });
  });

  it('fails loudly on a status SSM does not have, instead of polling until timeout', () => {
    expect(() => invocationState('Failure', 'Failure')).toThrow(UnknownSsmStatusError);
    expect(() => invocationState('Success', 'Succeeded')).toThrow(/details Gatehouse does not know/);
    expect(() => invocationState(undefined, undefined)).toThrow(UnknownSsmStatusError);
    expect(() => commandFinished('Done')).toThrow(UnknownSsmStatusError);
  });

  it('knows which command statuses are final', () => {
    expect(commandFinished('InProgress')).toBe(false);
    expect(commandFinished('Failed')).toBe(true);
    expect(commandFinished('Success')).toBe(true);
  });
});
