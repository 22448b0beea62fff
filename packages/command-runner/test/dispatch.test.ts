import { ActionFailure } from '@gatehouse/action-kit';
import { describe, expect, it } from 'vitest';
import { dispatch, FIRST_POLL_MS, pollDelay } from '../src/ssm/dispatch';
import { FakeSsm, fakeClock, ids } from './fake-ssm';

const request = { script: 'echo hi', executionTimeoutMs: 600_000, deliveryTimeoutMs: 600_000 };
const options = (api: FakeSsm, extra: Partial<Parameters<typeof dispatch>[3]> = {}) => ({
  clock: api.clock,
  appearWithinMs: 30_000,
  ...extra,
});

describe('dispatching a fleet', () => {
  it('never has more than max-concurrency hosts in flight across all its commands', async () => {
    const api = new FakeSsm().fleet(ids(120));
    const { finished } = await dispatch(api, ids(120), { ...request, maxConcurrency: '10' }, options(api));
    expect(finished).toHaveLength(120);
    expect(finished.every((f) => f.status === 'Success')).toBe(true);
    expect(api.maxRunning()).toBe(10);
    for (const command of api.commands) {
      expect(command.ids.length).toBeLessThanOrEqual(10);
      // SSM's own limit on each command is the second guard.
      expect(command.maxConcurrency).toBe(String(command.ids.length));
    }
  });

  it('resolves a percentage against the hosts of the run, and sends at most 50 ids per command', async () => {
    const api = new FakeSsm().fleet(ids(300));
    await dispatch(api, ids(300), { ...request, maxConcurrency: '50%' }, options(api));
    expect(api.maxRunning()).toBe(150);
    expect(Math.max(...api.commands.map((c) => c.ids.length))).toBe(50);
  });

  it('sends nothing more once failures pass max-errors; hosts in flight finish, the rest are not started', async () => {
    const api = new FakeSsm().fleet(ids(40));
    const hosts = ids(40);
    api.outcomes.set(hosts[2]!, { afterMs: 300, status: 'Failed', details: 'Failed', code: 1 });
    const { finished } = await dispatch(
      api,
      hosts,
      { ...request, maxConcurrency: '5', maxErrors: '0' },
      options(api),
    );
    const failureSeenAt = api.calls.find(
      (c) => c.op === 'ListCommands' && c.at >= api.commands[0]!.requestedAt + 300,
    )!.at;
    expect(api.calls.filter((c) => c.op === 'SendCommand' && c.at > failureSeenAt)).toEqual([]);
    const sent = api.commands.flatMap((c) => c.ids);
    expect(sent).toEqual(hosts.slice(0, 5));
    const notSent = finished.filter((f) => f.statusDetails === 'NotSent').map((f) => f.host);
    expect(notSent).toEqual(hosts.slice(5));
    expect(finished.find((f) => f.host === hosts[2])).toMatchObject({ status: 'Failed', exitCode: 1 });
  });

  it('tolerates failures up to max-errors and goes on sending', async () => {
    const api = new FakeSsm().fleet(ids(20));
    const hosts = ids(20);
    for (const h of hosts.slice(0, 2)) api.outcomes.set(h, { status: 'Failed', details: 'Failed', code: 3 });
    const { finished } = await dispatch(
      api,
      hosts,
      { ...request, maxConcurrency: '4', maxErrors: '2' },
      options(api),
    );
    expect(finished.filter((f) => f.statusDetails === 'NotSent')).toEqual([]);
    expect(finished.filter((f) => f.status === 'Failed')).toHaveLength(2);
    expect(api.commands.every((c) => Number(c.maxErrors) <= 2)).toBe(true);
  });

  it('polls with one ListCommands while nothing finishes, however many hosts and commands are in flight', async () => {
    const api = new FakeSsm().fleet(ids(500));
    api.defaultAfterMs = 60_000;
    const polls: { calls: number; finished: number }[] = [];
    await dispatch(
      api,
      ids(500),
      { ...request, maxConcurrency: '500' },
      options(api, { onPoll: (calls, finished) => polls.push({ calls, finished }) }),
    );
    expect(api.commands).toHaveLength(10);
    const quiet = polls.filter((p) => p.finished === 0);
    expect(quiet.length).toBeGreaterThan(10);
    expect(quiet.every((p) => p.calls === 1)).toBe(true);
    // Each finished host's result is read once: one page of 50 per command.
    expect(api.count('ListCommandInvocations')).toBe(10);
    expect(api.count('GetCommandInvocation')).toBe(0);
  });

  it('asks after a command missing from the executing list, and reads each finished command once', async () => {
    const api = new FakeSsm().fleet(ids(3));
    const { finished } = await dispatch(api, ids(3), request, options(api));
    expect(finished.map((f) => [f.host, f.status, f.exitCode, f.started])).toEqual(
      ids(3).map((h) => [h, 'Success', 0, true]),
    );
    const lookups = api.calls.filter(
      (c) => c.op === 'ListCommands' && (c.input as { CommandId?: string }).CommandId,
    );
    expect(lookups).toHaveLength(1);
    expect(api.count('ListCommandInvocations')).toBe(1);
  });

  it('keeps polling through throttling the SDK could not absorb, and a command SSM does not list yet', async () => {
    const api = new FakeSsm().fleet(ids(2));
    const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    api.errors.set('ListCommands', [throttled(), throttled()]);
    const lines: string[] = [];
    const { finished } = await dispatch(api, ids(2), request, options(api, { log: (l) => lines.push(l) }));
    expect(finished.map((f) => f.status)).toEqual(['Success', 'Success']);
    expect(lines.join('\n')).toMatch(/throttled/);

    const later = new FakeSsm().fleet(ids(1));
    const notYet = () => Object.assign(new Error('x'), { name: 'InvalidCommandId' });
    // Polls at 0.5 s (listed, running) and 1 s (finished, so asked after by id: not known yet), then 1.5 s.
    later.errors.set('ListCommands', [undefined, undefined, notYet()]);
    const again = await dispatch(later, ids(1), request, options(later));
    expect(again.finished[0]?.status).toBe('Success');
    expect(later.count('ListCommands')).toBe(5);
  });

  it('marks who never started: Undeliverable and delivery timed out before start', async () => {
    const api = new FakeSsm().fleet(ids(3));
    const [a, b, c] = ids(3);
    api.outcomes.set(b!, {
      status: 'Failed',
      details: 'Undeliverable',
      code: -1,
      output: '',
      started: false,
    });
    api.outcomes.set(c!, {
      status: 'TimedOut',
      details: 'Delivery Timed Out',
      code: -1,
      output: '',
      started: true,
    });
    const { finished } = await dispatch(api, [a!, b!, c!], { ...request, maxErrors: '100%' }, options(api));
    expect(finished.map((f) => [f.status, f.started])).toEqual([
      ['Success', true],
      ['Undeliverable', false],
      ['DeliveryTimedOut', true],
    ]);
  });

  it('gives up past delivery + execution timeout, naming the command and its hosts', async () => {
    const api = new FakeSsm().fleet(ids(1));
    api.defaultAfterMs = 10_000_000;
    await expect(
      dispatch(
        api,
        ids(1),
        { ...request, executionTimeoutMs: 60_000, deliveryTimeoutMs: 30_000 },
        options(api),
      ),
    ).rejects.toThrow(ActionFailure);
    await expect(
      dispatch(
        api,
        ids(1),
        { ...request, executionTimeoutMs: 60_000, deliveryTimeoutMs: 30_000 },
        options(api),
      ),
    ).rejects.toThrow(new RegExp(`still reports command .* on hosts among ${ids(1)[0]}`));
  });

  it('polls every half second while hosts start or finish, then backs off to five seconds', async () => {
    expect(pollDelay(0, FIRST_POLL_MS)).toBe(500);
    expect(pollDelay(9_999, FIRST_POLL_MS)).toBe(500);
    expect(pollDelay(10_000, 500)).toBe(750);
    expect(pollDelay(60_000, 4_000)).toBe(5_000);
    const clock = fakeClock();
    const api = new FakeSsm(clock).fleet(ids(1));
    api.defaultAfterMs = 120_000;
    await dispatch(api, ids(1), request, options(api));
    expect(clock.sleeps.slice(0, 20).every((ms) => ms === 500)).toBe(true);
    expect(Math.max(...clock.sleeps)).toBe(5000);
  });
});
