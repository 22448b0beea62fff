import { ActionFailure } from '@gatehouse/action-kit';
import { describe, expect, it } from 'vitest';
import { pollDelay, waitForInvocations } from '../src/ssm/wait';
import { FakeSsm, fakeClock, ids } from './fake-ssm';

const base = { appearWithinMs: 30_000, deadlineMs: 600_000 };

describe('waiting on invocations', () => {
  it('polls with about one call per 50 hosts, paging every listing', async () => {
    const api = new FakeSsm();
    const hosts = ids(120);
    const sent = [
      { commandId: 'a', instanceIds: hosts.slice(0, 50) },
      { commandId: 'b', instanceIds: hosts.slice(50, 100) },
      { commandId: 'c', instanceIds: hosts.slice(100) },
    ];
    for (const s of sent) api.set(s.commandId, s.instanceIds, 'InProgress', 'In Progress');
    const perPoll: number[] = [];
    const clock = fakeClock((now) => {
      if (now >= 5000) for (const s of sent) api.set(s.commandId, s.instanceIds, 'Success');
    });
    const finished = await waitForInvocations(api, sent, {
      ...base,
      clock,
      onPoll: (calls) => perPoll.push(calls),
    });
    expect(finished).toHaveLength(120);
    expect(finished.every((f) => f.status === 'Success' && f.exitCode === 0)).toBe(true);
    expect(Math.max(...perPoll)).toBeLessThanOrEqual(Math.ceil(120 / 50) + 1);
    expect(api.count('GetCommandInvocation')).toBe(0);
  });

  it('reads every page of a command with more invocations than one page', async () => {
    const api = new FakeSsm();
    const hosts = ids(130);
    api.set('tagged', hosts, 'Success');
    api.commandStatus.set('tagged', 'Success');
    const finished = await waitForInvocations(api, [{ commandId: 'tagged', instanceIds: [] }], {
      ...base,
      clock: fakeClock(),
    });
    expect(new Set(finished.map((f) => f.host))).toEqual(new Set(hosts));
    expect(api.count('ListCommandInvocations')).toBe(3);
  });

  it('tolerates InvocationDoesNotExist and an empty list for a bounded window after sending', async () => {
    const api = new FakeSsm();
    const [host] = ids(1);
    api.listErrors = [Object.assign(new Error('x'), { name: 'InvocationDoesNotExist' })];
    const clock = fakeClock((now) => {
      if (now >= 4000) api.set('a', [host!], 'Success');
    });
    const finished = await waitForInvocations(api, [{ commandId: 'a', instanceIds: [host!] }], {
      ...base,
      clock,
    });
    expect(finished[0]?.status).toBe('Success');
  });

  it('gives up, naming the command and hosts, when invocations never appear', async () => {
    const api = new FakeSsm();
    const [host] = ids(1);
    api.commandStatus.set('a', 'InProgress');
    const run = waitForInvocations(api, [{ commandId: 'a', instanceIds: [host!] }], {
      ...base,
      clock: fakeClock(),
    });
    await expect(run).rejects.toThrow(ActionFailure);
    await expect(
      waitForInvocations(api, [{ commandId: 'a', instanceIds: [host!] }], { ...base, clock: fakeClock() }),
    ).rejects.toThrow(new RegExp(`no invocation of command a .*${host}`));
  });

  it('fails on InvocationDoesNotExist after the window instead of waiting forever', async () => {
    const api = new FakeSsm();
    const notYet = () => Object.assign(new Error('x'), { name: 'InvocationDoesNotExist' });
    api.listErrors = Array.from({ length: 100 }, notYet);
    await expect(
      waitForInvocations(api, [{ commandId: 'a', instanceIds: ids(1) }], { ...base, clock: fakeClock() }),
    ).rejects.toMatchObject({ name: 'InvocationDoesNotExist' });
  });

  it('polls at least every second at first, then backs off to at most five seconds', async () => {
    expect(pollDelay(0, 500)).toBeLessThanOrEqual(1000);
    expect(pollDelay(19, 500)).toBeLessThanOrEqual(1000);
    const api = new FakeSsm();
    const [host] = ids(1);
    api.set('a', [host!], 'InProgress', 'In Progress');
    const clock = fakeClock((now) => {
      if (now >= 120_000) api.set('a', [host!], 'Success');
    });
    await waitForInvocations(api, [{ commandId: 'a', instanceIds: [host!] }], { ...base, clock });
    expect(clock.sleeps.slice(0, 20).every((ms) => ms <= 1000)).toBe(true);
    expect(clock.sleeps.filter((ms) => ms > 1000).length).toBeGreaterThan(0);
    expect(Math.max(...clock.sleeps)).toBe(5000);
    expect(clock.sleeps.every((ms, i) => i === 0 || ms >= clock.sleeps[i - 1]!)).toBe(true);
  });

  it('keeps polling through throttling the SDK could not absorb', async () => {
    const api = new FakeSsm();
    const [host] = ids(1);
    api.listErrors = [1, 2, 3].map(() =>
      Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }),
    );
    api.set('a', [host!], 'Success');
    const lines: string[] = [];
    const finished = await waitForInvocations(api, [{ commandId: 'a', instanceIds: [host!] }], {
      ...base,
      clock: fakeClock(),
      log: (l) => lines.push(l),
    });
    expect(finished[0]?.status).toBe('Success');
    expect(lines.join('\n')).toMatch(/throttled/);
  });

  it('marks hosts SSM never started as not sent once the command is over', async () => {
    const api = new FakeSsm();
    const hosts = ids(3);
    api.set('a', hosts.slice(0, 1), 'Failed');
    api.commandStatus.set('a', 'Failed');
    const finished = await waitForInvocations(api, [{ commandId: 'a', instanceIds: hosts }], {
      ...base,
      clock: fakeClock(),
    });
    expect(finished.map((f) => [f.host, f.status, f.statusDetails])).toEqual([
      [hosts[0], 'Failed', 'Failed'],
      [hosts[1], 'Cancelled', 'NotSent'],
      [hosts[2], 'Cancelled', 'NotSent'],
    ]);
  });

  it('maps each host of a mixed fleet to its own terminal state and exit code', async () => {
    const api = new FakeSsm();
    const [a, b, c, d] = ids(4);
    api.invocations.set('x', [
      {
        InstanceId: a,
        Status: 'Success',
        StatusDetails: 'Success',
        CommandPlugins: [{ ResponseCode: 0, Output: 'ok' }],
      },
      {
        InstanceId: b,
        Status: 'Failed',
        StatusDetails: 'Failed',
        CommandPlugins: [{ ResponseCode: 3, Output: 'boom' }],
      },
      {
        InstanceId: c,
        Status: 'TimedOut',
        StatusDetails: 'Execution Timed Out',
        CommandPlugins: [{ ResponseCode: -1 }],
      },
      {
        InstanceId: d,
        Status: 'Failed',
        StatusDetails: 'Undeliverable',
        CommandPlugins: [{ ResponseCode: -1 }],
      },
    ]);
    const finished = await waitForInvocations(api, [{ commandId: 'x', instanceIds: [a!, b!, c!, d!] }], {
      ...base,
      clock: fakeClock(),
    });
    expect(finished.map((f) => [f.status, f.exitCode])).toEqual([
      ['Success', 0],
      ['Failed', 3],
      ['ExecutionTimedOut', null],
      ['Undeliverable', null],
    ]);
  });

  it('gives up past the deadline, naming the hosts still running', async () => {
    const api = new FakeSsm();
    const [host] = ids(1);
    api.set('a', [host!], 'InProgress', 'In Progress');
    await expect(
      waitForInvocations(api, [{ commandId: 'a', instanceIds: [host!] }], {
        ...base,
        deadlineMs: 60_000,
        clock: fakeClock(),
      }),
    ).rejects.toThrow(new RegExp(`still reports hosts running .*${host}`));
  });
});
