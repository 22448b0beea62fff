import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { latestOf, readRecords } from '@gatehouse/records';
import type { SsmEmulator } from '@gatehouse/ssm-emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { deploy, deployState, fleet } from './fleet';

let emulator: SsmEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('deploy-ssm bundle: outcomes', () => {
  it('deploys to every host, sends the right SSM command and reports per host', async () => {
    const f = await fleet(3);
    emulator = f.emulator;
    const first = await deploy(emulator, { 'instance-ids': f.ids.join(','), 'image-tag': 'v1' });
    expect(first.errors).toEqual([]);
    const second = await deploy(emulator, {
      'instance-ids': f.ids.join('\n'),
      'image-tag': 'v2',
      commands: 'echo "now $DEPLOY_IMAGE_TAG, was $PREVIOUS_IMAGE_TAG" > deployed.txt',
      'execution-timeout': '90s',
      'delivery-timeout': '2m',
      'max-concurrency': '2',
      'max-errors': '1',
    });
    expect(second.errors).toEqual([]);
    expect(second.outputs.status).toBe('success');
    expect(JSON.parse(second.outputs.deployed!)).toMatchObject({
      imageTag: 'v2',
      outcome: 'success',
      environment: 'dev',
    });
    expect(JSON.parse(second.outputs.previous!)).toMatchObject({ imageTag: 'v1' });
    const results = JSON.parse(second.outputs.results!);
    expect(results.map((r: { host: string; status: string }) => [r.host, r.status])).toEqual(
      f.ids.map((id) => [id, 'Success']),
    );
    expect(second.log).toMatch(/host\s+status\s+exit\s+replaced/);
    for (const id of f.ids) {
      expect(await readFile(join(emulator.hostDir(id), 'app', 'deployed.txt'), 'utf8')).toBe(
        'now v2, was v1\n',
      );
      expect(await deployState(emulator, id)).toMatchObject({
        current: { imageTag: 'v2' },
        previous: { imageTag: 'v1' },
      });
    }
    // Gatehouse dispatches at most 2 hosts at a time itself; each command carries SSM's own limits too.
    const sent = emulator.commands().filter((c) => c.comment === 'example/service@v2 #1000');
    expect(sent.flatMap((c) => c.instanceIds).sort()).toEqual(f.ids);
    for (const command of sent) {
      expect(command).toMatchObject({
        documentName: 'AWS-RunShellScript',
        executionTimeoutSeconds: 90,
        timeoutSeconds: 120,
        maxErrors: '1',
      });
      expect(Number(command.maxConcurrency)).toBeLessThanOrEqual(2);
      expect(Number(command.maxConcurrency)).toBe(command.instanceIds.length);
    }
    const ids = sent.map((c) => c.commandId).join(',');
    expect(second.outputs['command-id']).toBe(ids);
    const job = readRecords(join(second.runnerTemp, 'gatehouse'));
    expect(job.problems).toEqual([]);
    expect(latestOf(job, 'deploy-ssm')).toMatchObject({
      status: 'success',
      commandIds: sent.map((c) => c.commandId),
      runId: '1000',
      hosts: f.ids,
      changedHosts: f.ids.map((host) => ({ host, previous: expect.objectContaining({ imageTag: 'v1' }) })),
    });
    expect(JSON.parse(second.outputs['changed-hosts']!).map((c: { host: string }) => c.host)).toEqual(f.ids);
    expect(second.state).toMatchObject({ 'command-ids': ids, finished: 'true' });
    expect(second.warnings).toEqual([]);
  });

  it('fails naming the host whose script failed, with its exit code and output in a group', async () => {
    const f = await fleet(3);
    emulator = f.emulator;
    const bad = f.ids[1]!;
    const run = await deploy(emulator, {
      'instance-ids': f.ids.join(','),
      'max-errors': '2',
      commands: `if [ "$AWS_SSM_INSTANCE_ID" = ${bad} ]; then echo "migration 42 exploded" >&2; exit 7; fi`,
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      new RegExp(`failed on 1 of 3 host\\(s\\): ${bad}: the deploy script failed \\(Failed, exit 7\\)`),
    );
    expect(run.stdout).toContain(`::group::Output of ${bad} (Failed)`);
    expect(run.log).toContain('migration 42 exploded');
    expect(run.outputs.status).toBe('failed');
    expect(run.outputs.deployed).toBe('null');
    const state = (await deployState(emulator, bad)) as { current: unknown; history: { outcome: string }[] };
    expect(state.current).toBeNull();
    expect(state.history[0]?.outcome).toBe('failed');
    expect(await deployState(emulator, f.ids[0]!)).toMatchObject({ current: { imageTag: 'v1' } });
  });

  it('reports a script past execution-timeout as ExecutionTimedOut on that host', async () => {
    const f = await fleet(1);
    emulator = f.emulator;
    const run = await deploy(emulator, {
      'instance-ids': f.ids[0],
      'execution-timeout': '2s',
      commands: 'sleep 60',
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(
      new RegExp(
        `${f.ids[0]}: ran longer than execution-timeout and was stopped; the host may be half-changed`,
      ),
    );
    expect(JSON.parse(run.outputs['changed-hosts']!)).toEqual([{ host: f.ids[0], previous: null, wave: 1 }]);
  });

  it('fails fast, sending nothing, when a host is offline or unknown to SSM', async () => {
    const f = await fleet(2, { faults: { offlineHosts: ['i-00000000000000002'] } });
    emulator = f.emulator;
    const unknown = 'i-0000000000000beef';
    const run = await deploy(emulator, { 'instance-ids': [...f.ids, unknown].join(',') });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain('i-00000000000000002 (PingStatus ConnectionLost)');
    expect(run.errors[0]).toMatch(new RegExp(`unknown to SSM: ${unknown}.*region.*instance profile`));
    expect(emulator.commands()).toEqual([]);
    expect(run.state['command-ids']).toBeUndefined();
  });

  it('rejects a bad input naming it, before any SSM call', async () => {
    const f = await fleet(1);
    emulator = f.emulator;
    const run = await deploy(emulator, { 'instance-ids': 'i-1; rm -rf /', 'max-errors': '5' });
    expect(run.errors).toEqual([expect.stringMatching(/^Configuration error: Input 'instance-ids'/)]);
    expect(emulator.stats().total).toBe(0);
  });

  it('stops the rollout past max-errors and names the hosts it failed and never deployed', async () => {
    const f = await fleet(4);
    emulator = f.emulator;
    const run = await deploy(emulator, {
      'instance-ids': f.ids.join(','),
      'max-concurrency': '1',
      'max-errors': '0',
      commands: `[ "$AWS_SSM_INSTANCE_ID" != ${f.ids[0]} ]`,
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/^Deploy failed on 1 of 4 host\(s\): /);
    expect(run.errors[0]).toContain(`${f.ids[0]}: the deploy script failed`);
    const results = JSON.parse(run.outputs.results!) as {
      host: string;
      status: string;
      statusDetails: string;
    }[];
    const notDeployed = results.filter((r) => r.host !== f.ids[0]);
    expect(notDeployed.map((r) => r.statusDetails)).toEqual(['NotSent', 'NotSent', 'NotSent']);
    expect(run.errors[0]).toContain(
      `not started, the rollout having stopped: ${notDeployed.map((r) => r.host).join(', ')}`,
    );
    for (const r of notDeployed) {
      await expect(readFile(join(emulator.hostDir(r.host), 'state', 'deploy-state.json'))).rejects.toThrow();
    }
    // One host at a time: nothing was sent to the others once the first failed.
    expect(emulator.commands().flatMap((c) => c.instanceIds)).toEqual([f.ids[0]]);
    expect(JSON.parse(run.outputs['changed-hosts']!).map((c: { host: string }) => c.host)).toEqual([
      f.ids[0],
    ]);
  });

  it('deploys to hosts selected by tag', async () => {
    const f = await fleet(0);
    await f.emulator.close();
    const { startSsmEmulator } = await import('@gatehouse/ssm-emulator');
    emulator = await startSsmEmulator({
      hosts: [
        { id: 'i-000000000000000a1', tags: { app: 'api', env: 'prod' } },
        { id: 'i-000000000000000a2', tags: { app: 'api', env: 'prod' } },
        { id: 'mi-000000000000000b1', tags: { app: 'web', env: 'prod' } },
      ],
    });
    const run = await deploy(emulator, { 'instance-tags': 'app=api\nenv=prod' });
    expect(run.errors).toEqual([]);
    expect(JSON.parse(run.outputs.results!).map((r: { host: string }) => r.host)).toEqual([
      'i-000000000000000a1',
      'i-000000000000000a2',
    ]);
    // The tags were resolved to instance ids first, so the run knows exactly which hosts it addresses.
    expect(emulator.commands().map((c) => c.instanceIds)).toEqual([
      ['i-000000000000000a1', 'i-000000000000000a2'],
    ]);
    expect(emulator.commands()[0]?.targets).toEqual([]);
    expect(run.log).toContain('2 host(s) online: i-000000000000000a1, i-000000000000000a2');
    expect(await readdir(emulator.hostDir('mi-000000000000000b1')).catch(() => [])).not.toContain('state');
  });
});
