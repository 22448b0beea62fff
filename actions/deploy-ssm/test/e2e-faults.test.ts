import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDeployState } from '@gatehouse/host-script';
import type { SsmEmulator } from '@gatehouse/ssm-emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { deploy, deployState, fleet } from './fleet';

let emulator: SsmEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function until(condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('deploy-ssm bundle: faults, injection, locking, cancellation', () => {
  it('rides out missing invocations, a delayed start and throttling', async () => {
    // One request per second is below what even a 3-host deploy asks for, so SSM throttles it.
    const f = await fleet(3, {
      faults: { invocationMissingForMs: 2500, startDelayMs: 1500, throttleAboveRps: 1 },
    });
    emulator = f.emulator;
    const run = await deploy(emulator, { 'instance-ids': f.ids.join(',') });
    expect(run.errors).toEqual([]);
    expect(run.outputs.status).toBe('success');
    expect(emulator.stats().throttled).toBeGreaterThan(0);
  });

  it('never executes hostile refs, environments, comments or env-file values', async () => {
    const f = await fleet(1);
    emulator = f.emulator;
    const id = f.ids[0]!;
    // One line: a name with a line break is refused at input (it could forge a workflow command).
    const hostile = 'x\'"$(touch pwned1)`touch pwned2`; touch pwned3 && touch pwned4 | touch pwned5 ünï✓';
    await writeFile(join(emulator.hostDir(id), 'app', '.env'), "SECRET='$(touch pwned6)'\n");
    const run = await deploy(emulator, {
      'instance-ids': id,
      ref: hostile,
      environment: hostile,
      comment: "c'$(touch pwned7)`x`;&&",
      commands: `printf '%s|%s' "$DEPLOY_REF" "$DEPLOY_ENVIRONMENT" > seen\necho '$(touch pwned8)' >> seen`,
    });
    expect(run.errors).toEqual([]);
    const files = [
      ...(await readdir(emulator.hostDir(id))),
      ...(await readdir(join(emulator.hostDir(id), 'app'))),
    ];
    expect(files.filter((name) => name.startsWith('pwned'))).toEqual([]);
    expect(await readFile(join(emulator.hostDir(id), 'app', 'seen'), 'utf8')).toBe(
      `${hostile}|${hostile}$(touch pwned8)\n`,
    );
    expect(await readFile(join(emulator.hostDir(id), 'app', '.env'), 'utf8')).toBe(
      "SECRET='$(touch pwned6)'\nIMAGE_TAG=v1\n",
    );
    expect(await deployState(emulator, id)).toMatchObject({
      current: { ref: hostile, environment: hostile },
    });
  });

  it('serialises two deploys to one host; a short lock-timeout fails naming the holder', async () => {
    const f = await fleet(1);
    emulator = f.emulator;
    const id = f.ids[0]!;
    const hostDir = emulator.hostDir(id);
    const first = deploy(
      emulator,
      {
        'instance-ids': id,
        'image-tag': 'v1',
        commands: 'touch ../held; while [ ! -e ../release ]; do sleep 0.1; done',
      },
      { github: { runId: '555', actor: 'alice' } },
    );
    await until(async () => (await readdir(hostDir)).includes('held'));
    const refused = await deploy(
      emulator,
      { 'instance-ids': id, 'image-tag': 'v2', 'lock-timeout': '1s' },
      { github: { runId: '556' } },
    );
    expect(refused.exitCode).toBe(1);
    expect(refused.errors[0]).toMatch(
      new RegExp(
        `${id}: another deploy held the lock .*holder: deploy of v1 by run 555, actor alice, pid \\d+`,
      ),
    );
    const waiting = deploy(
      emulator,
      { 'instance-ids': id, 'image-tag': 'v3', 'lock-timeout': '2m' },
      { github: { runId: '557' } },
    );
    await until(
      async () =>
        emulator!.commands().length === 3 && /->\s+FLOCK/.test(await readFile('/proc/locks', 'utf8')),
    );
    await writeFile(join(hostDir, 'release'), '');
    expect((await first).errors).toEqual([]);
    expect((await waiting).errors).toEqual([]);
    const state = parseDeployState(await readFile(join(hostDir, 'state', 'deploy-state.json'), 'utf8'));
    expect(state.history.map((h) => [h.imageTag, h.runId])).toEqual([
      ['v3', '557'],
      ['v1', '555'],
    ]);
  });

  it('cancels the SSM command when the job is cancelled mid-deploy', async () => {
    const f = await fleet(2);
    emulator = f.emulator;
    const run = await deploy(
      emulator,
      { 'instance-ids': f.ids.join(','), commands: 'touch ../started; sleep 120' },
      { cancelAfterMs: 6000 },
    );
    expect(run.phases.map((p) => p.phase)).toEqual(['main', 'post']);
    const commandId = run.state['command-ids']!;
    expect(commandId).toBe(emulator.commands()[0]?.commandId);
    expect(run.state.finished).toBeUndefined();
    expect(run.warnings).toEqual([expect.stringContaining(`SSM command ${commandId} before it finished`)]);
    await emulator.waitForCommand(commandId);
    const { SSMClient, ListCommandInvocationsCommand } = await import('@aws-sdk/client-ssm');
    const client = new SSMClient({
      endpoint: emulator.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 't', secretAccessKey: 't' },
    });
    const listed = await client.send(new ListCommandInvocationsCommand({ CommandId: commandId }));
    expect(listed.CommandInvocations?.map((i) => i.Status)).toEqual(['Cancelled', 'Cancelled']);
  });

  it('keeps deploy-state.json readable when the agent dies mid-deploy (kill -9 of the script)', async () => {
    const f = await fleet(1);
    emulator = f.emulator;
    const id = f.ids[0]!;
    expect((await deploy(emulator, { 'instance-ids': id, 'image-tag': 'v1' })).errors).toEqual([]);
    emulator.setFaults({ agentDiesAfterMs: { host: id, afterMs: 1500 } });
    const run = await deploy(emulator, {
      'instance-ids': id,
      'image-tag': 'v2',
      'execution-timeout': '3s',
      'delivery-timeout': '30s',
      commands: 'sleep 30',
    });
    expect(run.exitCode).toBe(1);
    // The script had started: the host may be half-deployed, and is named among the changed ones.
    expect(run.errors[0]).toMatch(
      new RegExp(`${id}: the SSM agent stopped answering after the script started .*may be half-changed`),
    );
    expect(run.errors[0]).not.toContain('did not deliver');
    // SSM never heard back from it, so what it ran before is for its deploy-state.json to say.
    expect(JSON.parse(run.outputs['changed-hosts']!)).toEqual([
      { host: id, previous: null, previousUnknown: true, wave: 1 },
    ]);
    const state = parseDeployState(
      await readFile(join(emulator.hostDir(id), 'state', 'deploy-state.json'), 'utf8'),
    );
    expect(state.current?.imageTag).toBe('v1');
  }, 120_000);
});
