import { ConfigurationError } from '@gatehouse/action-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { hostCount, isRate } from '../src/rollout/limits';
import { runRollout } from '../src/rollout/run-rollout';
import { parseWaves, planWaves } from '../src/rollout/waves';
import { readRolloutSettings } from '../src/rollout-inputs';
import type { CommandRunner, HostResult, RunRequest } from '../src/types';
import { ids } from './fake-ssm';

describe('max-concurrency and max-errors', () => {
  it.each([
    ['1', 'concurrency', true],
    ['50', 'concurrency', true],
    ['9999999', 'concurrency', true],
    ['10000000', 'concurrency', false],
    ['05', 'concurrency', false],
    ['0', 'concurrency', false],
    ['0%', 'concurrency', false],
    ['100%', 'concurrency', true],
    ['101%', 'concurrency', false],
    ['05%', 'concurrency', false],
    ['0', 'errors', true],
    ['00', 'errors', false],
    ['0%', 'errors', true],
    ['7%', 'errors', true],
    ['1.5', 'errors', false],
    [' 5', 'errors', false],
  ] as const)('%s as %s: %s (the service model’s pattern and length)', (value, kind, ok) => {
    expect(isRate(value, kind)).toBe(ok);
  });

  it('counts percentages as SSM does: up for concurrency, down for errors', () => {
    expect(hostCount('10%', 15, 'concurrency')).toBe(2);
    expect(hostCount('1%', 15, 'concurrency')).toBe(1);
    expect(hostCount('10%', 15, 'errors')).toBe(1);
    expect(hostCount('7', 15, 'errors')).toBe(7);
  });
});

describe('waves', () => {
  it('reads counts and percentages, cumulative', () => {
    expect(parseWaves('1, 10%, 100%')).toEqual([{ count: 1 }, { percent: 10 }, { percent: 100 }]);
    expect(parseWaves(undefined)).toEqual([{ percent: 100 }]);
    expect(parseWaves('1\n5\n25')).toEqual([{ count: 1 }, { count: 5 }, { count: 25 }]);
  });

  it.each([
    ['10%, 5%, 100%', /strictly increasing/],
    ['2, 2, 100%', /strictly increasing/],
    ['1, 50%', /end at all hosts \(100%\)/],
    ['1, ten, 100%', /'ten' is neither/],
    ['0, 100%', /'0' is neither/],
    ['1, 120%', /'120%' is neither/],
  ])('rejects %j, naming the input', (text, message) => {
    expect(() => parseWaves(text)).toThrow(ConfigurationError);
    expect(() => parseWaves(text)).toThrow(message);
  });

  it('plans the hosts of each wave in order; waves that add no host for this fleet are left out', () => {
    const hosts = ids(1000);
    const waves = planWaves(hosts, parseWaves('1, 10%, 100%'));
    expect(waves.map((w) => w.length)).toEqual([1, 99, 900]);
    expect(waves.flat()).toEqual(hosts);
    expect(planWaves(ids(5), parseWaves('1, 10%, 100%')).map((w) => w.length)).toEqual([1, 4]);
    expect(planWaves(ids(1), parseWaves('1, 10%, 100%')).map((w) => w.length)).toEqual([1]);
    expect(planWaves(ids(3), parseWaves('1, 50')).map((w) => w.length)).toEqual([1, 2]);
  });

  it('refuses counts that do not reach every host', () => {
    expect(() => planWaves(ids(30), parseWaves('1, 5, 20'))).toThrow(/reaches 20 of the 30 hosts/);
  });
});

describe('rollout settings shared by deploy-ssm and rollback', () => {
  const NAMES = [
    'EXECUTION-TIMEOUT',
    'DELIVERY-TIMEOUT',
    'MAX-CONCURRENCY',
    'MAX-ERRORS',
    'VERIFY-URL',
    'WAVES',
    'BAKE',
  ];
  const inputs = (values: Record<string, string>) => {
    for (const name of NAMES) delete process.env[`INPUT_${name}`];
    for (const [name, value] of Object.entries(values)) process.env[`INPUT_${name.toUpperCase()}`] = value;
  };
  afterEach(() => inputs({}));

  it('has the defaults', () => {
    inputs({});
    expect(readRolloutSettings()).toMatchObject({
      executionTimeoutMs: 1_800_000,
      deliveryTimeoutMs: 600_000,
      maxConcurrency: '50',
      maxErrors: '0',
      waves: [{ percent: 100 }],
      verifyTimeoutMs: 120_000,
      bakeMs: 0,
      dryRun: false,
    });
  });

  it.each([
    [{ 'execution-timeout': '49h' }, /'execution-timeout' must be a duration from 1s to 48h/],
    [{ 'delivery-timeout': '10s' }, /'delivery-timeout' must be a duration from 30s to 48h/],
    [{ 'delivery-timeout': '721h' }, /'delivery-timeout'/],
    [{ 'max-concurrency': '05' }, /'max-concurrency' must be a number of hosts .*got '05'/],
    [{ 'max-errors': '12345678' }, /'max-errors'/],
    [{ 'verify-url': 'ftp://host/x' }, /'verify-url' must be an absolute http:\/\/ or https:\/\/ URL/],
    [{ 'verify-url': 'http://user:pw@127.0.0.1/' }, /'verify-url' must not carry a user or password/],
    [{ waves: '50%, 10%' }, /'waves' must be strictly increasing/],
  ])('rejects %j naming the input', (values, message) => {
    inputs(values as Record<string, string>);
    expect(() => readRolloutSettings()).toThrow(ConfigurationError);
    expect(() => readRolloutSettings()).toThrow(message);
  });
});

/** A runner whose hosts succeed unless listed as failing; it records every run. */
function fakeRunner(failing: (script: string, host: string) => boolean) {
  const runs: RunRequest[] = [];
  const runner: CommandRunner = {
    kind: 'ssm',
    describeTargets: () => 'fake',
    resolveHosts: async () => [],
    fullOutput: async (h) => ({ stdout: h.stdout, stderr: h.stderr, truncated: false }),
    async run(request) {
      runs.push(request);
      const hosts = (request.hosts ?? []).map(
        (host): HostResult => ({
          host,
          status: failing(request.script, host) ? 'Failed' : 'Success',
          statusDetails: failing(request.script, host) ? 'Failed' : 'Success',
          exitCode: failing(request.script, host) ? 1 : 0,
          stdout: '',
          stderr: '',
          outputTruncated: false,
          started: true,
        }),
      );
      return { commandId: `c${runs.length}`, hosts, succeeded: hosts.every((h) => h.status === 'Success') };
    },
  };
  return { runner, runs };
}

describe('running a rollout in waves', () => {
  const base = { bakeMs: 0, concurrency: 10, maxErrors: 0, executionTimeoutMs: 60_000 };

  it('stops at the first wave with a failed host; later waves are not started', async () => {
    const hosts = ids(20);
    const { runner, runs } = fakeRunner((_, host) => host === hosts[5]);
    const result = await runRollout(runner, {
      ...base,
      waves: [hosts.slice(0, 1), hosts.slice(1, 10), hosts.slice(10)],
      script: 'deploy',
    });
    expect(result.succeeded).toBe(false);
    expect(result.waves.map((w) => w.outcome)).toEqual(['passed', 'failed', 'not-started']);
    expect(runs.map((r) => r.hosts?.length)).toEqual([1, 9]);
    expect(result.waves[2]!.results.every((r) => r.statusDetails === 'NotSent' && !r.started)).toBe(true);
    expect(runs.every((r) => r.maxConcurrency === '10' && r.maxErrors === '0')).toBe(true);
  });

  it('bakes after each wave but the last, verifies again, and stops when that fails', async () => {
    const hosts = ids(4);
    const slept: number[] = [];
    const { runner, runs } = fakeRunner((script, host) => script === 'verify' && host === hosts[1]);
    const result = await runRollout(runner, {
      ...base,
      waves: [hosts.slice(0, 1), hosts.slice(1, 2), hosts.slice(2)],
      script: 'deploy',
      verifyScript: 'verify',
      bakeMs: 30_000,
      sleep: async (ms) => void slept.push(ms),
    });
    expect(runs.map((r) => [r.script, r.hosts])).toEqual([
      ['deploy', [hosts[0]]],
      ['verify', [hosts[0]]],
      ['deploy', [hosts[1]]],
      ['verify', [hosts[1]]],
    ]);
    expect(slept).toEqual([30_000, 30_000]);
    expect(result.waves.map((w) => [w.outcome, w.bakedMs])).toEqual([
      ['passed', 30_000],
      ['failed', 30_000],
      ['not-started', undefined],
    ]);
    expect(result.waves[1]!.reverified?.[0]).toMatchObject({ host: hosts[1], status: 'Failed' });
  });
});
