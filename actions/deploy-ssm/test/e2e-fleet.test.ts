import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scriptOfCommands } from '@gatehouse/command-runner';
import { parseDeployState } from '@gatehouse/host-script';
import { runAction } from '@gatehouse/runner-harness';
import type { Exchange, SsmEmulator } from '@gatehouse/ssm-emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { awsEnv, deploy, fleet, hostFiles } from './fleet';

const rollbackDir = join(import.meta.dirname, '..', '..', 'rollback');
let emulator: SsmEmulator | undefined;
let server: Server | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

const stateOf = async (id: string) =>
  parseDeployState(await readFile(join(emulator!.hostDir(id), 'state', 'deploy-state.json'), 'utf8'));
const runningTag = async (id: string) =>
  (await readFile(join(emulator!.hostDir(id), 'app', '.env'), 'utf8')).match(/^IMAGE_TAG=(.*)$/m)?.[1];

/** The same job's rollback step, reading deploy-ssm's record from the shared RUNNER_TEMP. */
function rollbackInJob(runnerTemp: string, runId: string, inputs: Record<string, string> = {}) {
  return runAction({
    actionDir: rollbackDir,
    runnerTemp,
    inputs: { 'app-dir': 'app', 'state-dir': 'state', mode: 'image', environment: 'dev', ...inputs },
    github: { runId },
    env: awsEnv(emulator!),
    timeoutMs: 90_000,
  });
}

describe('deploy-ssm bundle: limits that hold for the whole fleet', () => {
  it('120 instance ids with max-concurrency 10: the emulator never sees more than 10 running', async () => {
    const f = await fleet(120);
    emulator = f.emulator;
    const run = await deploy(emulator, {
      'instance-ids': f.ids.join(','),
      'max-concurrency': '10',
      commands: 'sleep 0.2',
    });
    expect(run.errors).toEqual([]);
    expect(emulator.stats().maxRunning).toBe(10);
    expect(JSON.parse(run.outputs['changed-hosts']!)).toHaveLength(120);
    for (const command of emulator.commands()) expect(command.instanceIds.length).toBeLessThanOrEqual(10);
  }, 120_000);

  it('max-errors 0 with the third host failing: nothing is sent once the failure is seen', async () => {
    const f = await fleet(30, { recordTraffic: true });
    emulator = f.emulator;
    const third = f.ids[2]!;
    const run = await deploy(emulator, {
      'instance-ids': f.ids.join(','),
      'max-concurrency': '5',
      'max-errors': '0',
      commands: `if [ "$AWS_SSM_INSTANCE_ID" = ${third} ]; then exit 9; fi; sleep 0.3`,
    });
    expect(run.exitCode).toBe(1);
    const traffic = emulator.traffic();
    const seen = traffic.find((t) => revealsFailure(t, third));
    expect(seen).toBeDefined();
    // Hosts already in flight finish; no SendCommand comes after the answer that showed the failure.
    const sendsAfter = traffic.filter((t) => t.op === 'SendCommand' && t.seq > seen!.seq);
    expect(sendsAfter).toEqual([]);
    const sent = emulator.commands().flatMap((c) => c.instanceIds);
    expect(sent.length).toBeLessThan(30);
    for (const id of f.ids.filter((h) => !sent.includes(h))) {
      expect(await hostFiles(emulator, [id])).toEqual({ [`${id}/app`]: null });
    }
    const results = JSON.parse(run.outputs.results!) as { host: string; statusDetails: string }[];
    expect(results.filter((r) => r.statusDetails === 'NotSent').map((r) => r.host)).toEqual(
      f.ids.filter((h) => !sent.includes(h)),
    );
    expect(run.errors[0]).toContain(`${third}: the deploy script failed (Failed, exit 9)`);
  }, 120_000);
});

/** The first answer that lets a poller see the host failed: a count of errors, or its invocation. */
function revealsFailure(exchange: Exchange, host: string): boolean {
  const response = exchange.response as {
    Commands?: { ErrorCount?: number }[];
    CommandInvocations?: { InstanceId?: string; Status?: string }[];
  };
  if (exchange.op === 'ListCommands') return (response.Commands ?? []).some((c) => (c.ErrorCount ?? 0) > 0);
  if (exchange.op === 'ListCommandInvocations') {
    return (response.CommandInvocations ?? []).some((i) => i.InstanceId === host && i.Status === 'Failed');
  }
  return false;
}

describe('deploy-ssm bundle: waves', () => {
  it('a canary that fails its verification: one host changed, then rolled back; the rest untouched', async () => {
    const f = await fleet(6);
    emulator = f.emulator;
    const [canary, ...rest] = f.ids;
    expect((await deploy(emulator, { 'instance-ids': f.ids.join(','), 'image-tag': 'v1' })).errors).toEqual(
      [],
    );
    const untouched = await hostFiles(emulator, rest);
    const runnerTemp = await mkdtemp(join(tmpdir(), 'gatehouse-job-'));
    const run = await deploy(
      emulator,
      {
        'instance-ids': f.ids.join(','),
        'image-tag': 'v2',
        waves: '1, 50%, 100%',
        'verify-command': `[ "$AWS_SSM_INSTANCE_ID" != ${canary} ] || { echo "canary unhealthy on $DEPLOY_IMAGE_TAG"; exit 1; }`,
        'verify-timeout': '2s',
      },
      { runnerTemp, github: { runId: '2002' } },
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(
      new RegExp(
        `^Deploy failed on 1 of 6 host\\(s\\) in wave 1 of 3: ${canary}: deployed \\(recorded\\), but its verification failed: verify-command exited 1: canary unhealthy on v2`,
      ),
    );
    expect(run.errors[0]).toContain('2 later wave(s) not started');
    expect(JSON.parse(run.outputs['changed-hosts']!)).toEqual([
      { host: canary, previous: expect.objectContaining({ imageTag: 'v1' }), wave: 1 },
    ]);
    expect(
      JSON.parse(run.outputs.waves!).map((w: { outcome: string; hosts: string[] }) => [
        w.outcome,
        w.hosts.length,
      ]),
    ).toEqual([
      ['failed', 1],
      ['not-started', 2],
      ['not-started', 3],
    ]);
    expect(run.log).toMatch(
      /Wave 1 of 3: failed in \S+ \(1 host\(s\): i-0+1\); verification: verify-command/,
    );
    expect(run.summary).toContain(
      '| 2 | 2: i-00000000000000002, i-00000000000000003 | not-started | - | - |',
    );
    expect(await runningTag(canary!)).toBe('v2');

    const rolledBack = await rollbackInJob(runnerTemp, '2002', { 'instance-ids': f.ids.join(',') });
    expect(rolledBack.errors).toEqual([]);
    expect(await runningTag(canary!)).toBe('v1');
    expect((await stateOf(canary!)).current).toMatchObject({
      imageTag: 'v1',
      outcome: 'rollback',
      runId: '2002',
    });
    expect(await hostFiles(emulator, rest)).toEqual(untouched);
    // Deploy v1, the canary's v2, then rollback's read and change: on the canary only.
    expect(
      emulator
        .commands()
        .slice(2)
        .map((c) => c.instanceIds),
    ).toEqual([[canary], [canary]]);
  }, 120_000);

  it('a failure in wave 2: later waves untouched, and rollback restores exactly the changed hosts', async () => {
    const f = await fleet(10);
    emulator = f.emulator;
    expect((await deploy(emulator, { 'instance-ids': f.ids.join(','), 'image-tag': 'v1' })).errors).toEqual(
      [],
    );
    const wave3 = f.ids.slice(4);
    const untouched = await hostFiles(emulator, wave3);
    const bad = f.ids[2]!;
    const runnerTemp = await mkdtemp(join(tmpdir(), 'gatehouse-job-'));
    const run = await deploy(
      emulator,
      {
        'instance-ids': f.ids.join(','),
        'image-tag': 'v2',
        waves: '1, 40%, 100%',
        commands: `echo "v=$DEPLOY_IMAGE_TAG" > version; [ "$AWS_SSM_INSTANCE_ID" != ${bad} ] || [ "$DEPLOY_IMAGE_TAG" != v2 ]`,
      },
      { runnerTemp, github: { runId: '3003' } },
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/^Deploy failed on 1 of 10 host\(s\) in wave 2 of 3: /);
    const changed = JSON.parse(run.outputs['changed-hosts']!) as { host: string; wave: number }[];
    expect(changed.map((c) => [c.host, c.wave])).toEqual(
      f.ids.slice(0, 4).map((h, i) => [h, i === 0 ? 1 : 2]),
    );
    expect(await hostFiles(emulator, wave3)).toEqual(untouched);

    const rolledBack = await rollbackInJob(runnerTemp, '3003', { 'instance-ids': f.ids.join(',') });
    expect(rolledBack.errors).toEqual([]);
    expect(JSON.parse(rolledBack.outputs['changed-hosts']!).map((c: { host: string }) => c.host)).toEqual(
      f.ids.slice(0, 4),
    );
    for (const id of f.ids.slice(0, 4)) {
      expect(await runningTag(id)).toBe('v1');
      expect((await stateOf(id)).current).toMatchObject({ imageTag: 'v1', outcome: 'rollback' });
    }
    expect(await hostFiles(emulator, wave3)).toEqual(untouched);
  }, 120_000);

  it('verifies a URL served on the host’s loopback, naming the commit deployed', async () => {
    const sha = 'c2a6b03f190dfb2b4aa91f8af8d477a9bc3401dc';
    let served = sha;
    server = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-served-by': 'api' });
      res.end(JSON.stringify({ status: 'ok', commit: served }));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health/deep`;
    const f = await fleet(3);
    emulator = f.emulator;
    const ok = await deploy(emulator, {
      'instance-ids': f.ids.join(','),
      sha,
      waves: '1, 100%',
      'verify-url': url,
      'verify-timeout': '10s',
    });
    expect(ok.errors).toEqual([]);
    const results = JSON.parse(ok.outputs.results!) as { verified: string }[];
    expect(results.map((r) => r.verified)).toEqual(
      f.ids.map(() => `${url} answered 2xx naming c2a6b03 (attempt 1)`),
    );
    expect(ok.summary).toContain(`${url} answered 2xx naming c2a6b03`);

    served = 'ffffffffffffffffffffffffffffffffffffffff';
    const stale = await deploy(emulator, {
      'instance-ids': f.ids.join(','),
      sha,
      'image-tag': 'v2',
      waves: '1, 100%',
      'verify-url': url,
      'verify-timeout': '2s',
    });
    expect(stale.errors[0]).toMatch(
      /in wave 1 of 2: .*verify-url answered HTTP 200 but names neither commit c2a6b03f/,
    );
    expect(emulator.commands().at(-1)?.instanceIds).toEqual([f.ids[0]]);
  }, 120_000);

  it('retries a verify-command that becomes true after a few seconds', async () => {
    const f = await fleet(2);
    emulator = f.emulator;
    const run = await deploy(emulator, {
      'instance-ids': f.ids.join(','),
      // The "service" answers on its third check, about two seconds after the deploy.
      'verify-command':
        'n=$(( $(cat checks 2>/dev/null || echo 0) + 1 )); echo "$n" > checks; [ "$n" -ge 3 ]',
      'verify-timeout': '30s',
    });
    expect(run.errors).toEqual([]);
    expect((JSON.parse(run.outputs.results!) as { verified: string }[]).map((r) => r.verified)).toEqual([
      'verify-command passed (attempt 3)',
      'verify-command passed (attempt 3)',
    ]);
  }, 120_000);

  it('bakes after a wave, verifies again at the end of it, and stops when that fails', async () => {
    const f = await fleet(4);
    emulator = f.emulator;
    const [canary] = f.ids;
    // Counts its runs; on the canary it fails from the second on (it was fine at first, then fell over).
    const verify = `n=$(( $(cat ../verifies 2>/dev/null || echo 0) + 1 )); echo "$n" > ../verifies; [ "$AWS_SSM_INSTANCE_ID" != ${canary} ] || [ "$n" -lt 2 ]`;
    const run = await deploy(emulator, {
      'instance-ids': f.ids.join(','),
      waves: '1, 100%',
      bake: '2s',
      'verify-command': verify,
      'verify-timeout': '1s',
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain(
      `${canary}: deployed and verified, but the verification at the end of the bake failed: verify-command exited 1`,
    );
    expect(run.log).toMatch(/Wave 1 of 2: failed in \S+ .*; baked 2s, verified again/);
    const commands = emulator.commands();
    expect(commands.map((c) => c.instanceIds)).toEqual([[canary], [canary]]);
    // The second command is verification alone, sent after the bake: no lock, no state written.
    const script = scriptOfCommands(commands[1]!.script);
    expect(script).not.toContain('flock -x');
    expect(commands[1]!.requestedAt - commands[0]!.requestedAt).toBeGreaterThanOrEqual(2000);

    const passing = await deploy(emulator, {
      'instance-ids': f.ids.slice(1).join(','),
      waves: '1, 100%',
      bake: '1s',
      'verify-command': verify,
    });
    expect(passing.errors).toEqual([]);
    expect(
      JSON.parse(passing.outputs.waves!).map((w: { outcome: string; bakedMs?: number }) => [
        w.outcome,
        w.bakedMs,
      ]),
    ).toEqual([
      ['passed', 1000],
      ['passed', undefined],
    ]);
    expect(await readFile(join(emulator.hostDir(f.ids[1]!), 'verifies'), 'utf8')).toBe('2\n');
    expect(await readFile(join(emulator.hostDir(f.ids[2]!), 'verifies'), 'utf8')).toBe('1\n');
  }, 120_000);
});
