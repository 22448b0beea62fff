import type { HostResult } from '@gatehouse/command-runner';
import { describe, expect, it } from 'vitest';
import { changedHosts, describeOutcome, failureList, outcomeOf } from '../src';

const entry =
  '{"sha":null,"imageTag":"v1","time":"2026-01-01T00:00:00Z","outcome":"success","ref":null,"image":null,"environment":"dev","runId":"7","actor":"a"}';
const host = (partial: Partial<HostResult>): HostResult => ({
  host: 'i-00000000000000001',
  status: 'Success',
  statusDetails: 'Success',
  exitCode: 0,
  stdout: '',
  stderr: '',
  outputTruncated: false,
  started: true,
  ...partial,
});

describe('which hosts a run changed', () => {
  it('a host whose script said what it replaces was changed, whatever happened next', () => {
    const changed = changedHosts([
      outcomeOf(host({ stdout: `gatehouse::previous::${entry}\n` }), 1),
      outcomeOf(
        host({
          status: 'Failed',
          statusDetails: 'Failed',
          exitCode: 3,
          stdout: 'gatehouse::previous::null\n',
        }),
        2,
      ),
    ]);
    expect(changed).toEqual([
      { host: 'i-00000000000000001', previous: expect.objectContaining({ imageTag: 'v1' }), wave: 1 },
      { host: 'i-00000000000000001', previous: null, wave: 2 },
    ]);
  });

  it('a host whose script stopped on its own before that line, or never started, was not', () => {
    expect(
      changedHosts([
        outcomeOf(
          host({
            status: 'Failed',
            statusDetails: 'Failed',
            exitCode: 75,
            stdout: 'gatehouse::lock-busy::deploy of v0\n',
          }),
        ),
        outcomeOf(
          host({
            status: 'Failed',
            statusDetails: 'Failed',
            exitCode: 65,
            stderr: 'gatehouse: … not in the layout',
          }),
        ),
        outcomeOf(
          host({ status: 'Undeliverable', statusDetails: 'Undeliverable', exitCode: null, started: false }),
        ),
        outcomeOf(host({ status: 'Cancelled', statusDetails: 'NotSent', exitCode: null, started: false })),
        outcomeOf(
          host({ status: 'Terminated', statusDetails: 'Terminated', exitCode: null, started: false }),
        ),
      ]),
    ).toEqual([]);
  });

  it('a host whose script was cut off after it started may have been, and says it cannot tell from what', () => {
    const [changed] = changedHosts([
      outcomeOf(host({ status: 'DeliveryTimedOut', statusDetails: 'DeliveryTimedOut', exitCode: null })),
    ]);
    expect(changed).toEqual({ host: 'i-00000000000000001', previous: null, previousUnknown: true });
  });
});

describe('what happened on a host, in words', () => {
  it('tells a dead agent after the start (maybe half-deployed) from a command never delivered', () => {
    const died = outcomeOf(
      host({ status: 'DeliveryTimedOut', statusDetails: 'DeliveryTimedOut', exitCode: null }),
    );
    const never = outcomeOf(
      host({ status: 'DeliveryTimedOut', statusDetails: 'DeliveryTimedOut', exitCode: null, started: false }),
    );
    expect(describeOutcome(died, 60_000)).toMatch(
      /agent stopped answering after the script started.*half-changed/,
    );
    expect(describeOutcome(never, 60_000)).toMatch(
      /did not deliver the command within delivery-timeout.*nothing ran/,
    );
  });

  it('says Terminated is SSM stopping a command past MaxErrors, not an instance terminated', () => {
    const terminated = outcomeOf(
      host({ status: 'Terminated', statusDetails: 'Terminated', exitCode: null, started: false }),
    );
    expect(describeOutcome(terminated, 60_000)).toMatch(/^not run: its command passed MaxErrors/);
    expect(describeOutcome(terminated, 60_000)).not.toMatch(/instance was terminated/);
  });

  it('lists failed hosts, then those the stopped rollout never started', () => {
    const list = failureList(
      [
        outcomeOf(host({ host: 'i-1', status: 'Failed', statusDetails: 'Failed', exitCode: 2 })),
        outcomeOf(
          host({
            host: 'i-2',
            status: 'Cancelled',
            statusDetails: 'NotSent',
            exitCode: null,
            started: false,
          }),
        ),
        outcomeOf(host({ host: 'i-3' })),
      ],
      60_000,
    );
    expect(list).toBe(
      'i-1: the deploy script failed (Failed, exit 2); not started, the rollout having stopped: i-2',
    );
  });
});
