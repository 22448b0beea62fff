import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scriptOfCommands } from '@gatehouse/command-runner';
import { parseDeployState } from '@gatehouse/host-script';
import { latestOf, readRecords } from '@gatehouse/records';
import { runAction } from '@gatehouse/runner-harness';
import type { SsmEmulator } from '@gatehouse/ssm-emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { awsEnv, deploy, fleet, hostFiles } from '../../deploy-ssm/test/fleet';

const actionDir = join(import.meta.dirname, '..');
let emulator: SsmEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const runningTag = async (id: string) =>
  (await readFile(join(emulator!.hostDir(id), 'app', '.env'), 'utf8')).match(/^IMAGE_TAG=(.*)$/m)?.[1];
const stateOf = async (id: string) =>
  parseDeployState(await readFile(join(emulator!.hostDir(id), 'state', 'deploy-state.json'), 'utf8'));
/** The scripts the hosts were sent, decoded from AWS-RunShellScript's base64. */
const scripts = () => emulator!.commands().map((c) => scriptOfCommands(c.script));

function rollback(
  ids: string[],
  runId: string,
  options: { runnerTemp?: string; inputs?: Record<string, string> } = {},
) {
  return runAction({
    actionDir,
    ...(options.runnerTemp ? { runnerTemp: options.runnerTemp } : {}),
    inputs: {
      'instance-ids': ids.join(','),
      'app-dir': 'app',
      'state-dir': 'state',
      mode: 'image',
      environment: 'dev',
      ...options.inputs,
    },
    github: { runId },
    env: awsEnv(emulator!),
    timeoutMs: 90_000,
  });
}

/**
 * Six hosts on v2 (after v1). v3 rolls out one host at a time with max-errors 0, and host 2
 * fails after its image tag was written: hosts 1 and 2 run v3, hosts 3 to 6 were never touched.
 */
async function sixHostsHalfOnV3(runnerTemp: string) {
  const f = await fleet(6);
  emulator = f.emulator;
  const all = f.ids.join(',');
  expect(
    (await deploy(emulator, { 'instance-ids': all, 'image-tag': 'v1' }, { github: { runId: '1' } })).errors,
  ).toEqual([]);
  expect(
    (await deploy(emulator, { 'instance-ids': all, 'image-tag': 'v2' }, { github: { runId: '2' } })).errors,
  ).toEqual([]);
  const untouched = await hostFiles(emulator, f.ids.slice(2));
  const v3 = await deploy(
    emulator,
    {
      'instance-ids': all,
      'image-tag': 'v3',
      'max-concurrency': '1',
      'max-errors': '0',
      commands: `[ "$AWS_SSM_INSTANCE_ID" != ${f.ids[1]} ] || { echo "v3 will not start here" >&2; exit 3; }`,
    },
    { runnerTemp, github: { runId: '3' } },
  );
  expect(v3.exitCode).toBe(1);
  expect(JSON.parse(v3.outputs['changed-hosts']!).map((c: { host: string }) => c.host)).toEqual(
    f.ids.slice(0, 2),
  );
  expect(await runningTag(f.ids[0]!)).toBe('v3');
  expect(await runningTag(f.ids[1]!)).toBe('v3');
  expect(await hostFiles(emulator, f.ids.slice(2))).toEqual(untouched);
  return { ids: f.ids, untouched };
}

describe('rollback of a stopped rollout', () => {
  it('in the same job, from deploy-ssm’s record: the two changed hosts go back to v2, the rest are untouched', async () => {
    const runnerTemp = await mkdtemp(join(tmpdir(), 'gatehouse-job-'));
    const { ids, untouched } = await sixHostsHalfOnV3(runnerTemp);
    const run = await rollback(ids, '3', { runnerTemp, inputs: { reason: 'deploy-ssm failed' } });
    expect(run.errors).toEqual([]);
    for (const id of ids) expect(await runningTag(id)).toBe('v2');
    expect(await hostFiles(emulator!, ids.slice(2))).toEqual(untouched);
    expect(JSON.parse(run.outputs['changed-hosts']!)).toEqual([
      { host: ids[0], previous: expect.objectContaining({ imageTag: 'v3', runId: '3' }), wave: 1 },
      { host: ids[1], previous: expect.objectContaining({ imageTag: 'v2', runId: '2' }), wave: 1 },
    ]);
    expect(run.outputs['rolled-back-to']).toBe('v2');
    for (const id of ids.slice(0, 2)) {
      expect((await stateOf(id)).current).toMatchObject({ imageTag: 'v2', outcome: 'rollback', runId: '3' });
    }
    // v1, v2 and v3's commands, then the rollback's read and change, each on the two changed hosts only.
    const sent = emulator!.commands();
    expect(sent.slice(-2).map((c) => c.instanceIds.sort())).toEqual([ids.slice(0, 2), ids.slice(0, 2)]);
    expect(run.log).toContain('Undoing run 3 on 2 host(s): deploy-ssm in this job changed them');
  }, 120_000);

  it('dispatched later, from each host’s own state: the run that wrote the newest entries is undone', async () => {
    const { ids, untouched } = await sixHostsHalfOnV3(await mkdtemp(join(tmpdir(), 'gatehouse-job-')));
    const run = await rollback(ids, '4');
    expect(run.errors).toEqual([]);
    for (const id of ids) expect(await runningTag(id)).toBe('v2');
    expect(await hostFiles(emulator!, ids.slice(2))).toEqual(untouched);
    expect(run.log).toContain(
      'Undoing run 3 on 2 host(s): run 3 wrote the newest entry in deploy-state.json',
    );
    // The read went to every target (read only); the change to the two hosts run 3 changed.
    expect(
      emulator!
        .commands()
        .slice(-2)
        .map((c) => c.instanceIds.length),
    ).toEqual([6, 2]);
    expect(scripts().at(-2)).not.toContain('flock -x');
  }, 120_000);

  it('refuses, naming them, when the changed hosts disagree on what they ran before', async () => {
    const f = await fleet(2);
    emulator = f.emulator;
    const [a, b] = f.ids as [string, string];
    await deploy(emulator, { 'instance-ids': a, 'image-tag': 'v1' }, { github: { runId: '1' } });
    await deploy(emulator, { 'instance-ids': b, 'image-tag': 'v0' }, { github: { runId: '2' } });
    const runnerTemp = await mkdtemp(join(tmpdir(), 'gatehouse-job-'));
    await deploy(
      emulator,
      { 'instance-ids': `${a},${b}`, 'image-tag': 'v2' },
      { runnerTemp, github: { runId: '3' } },
    );
    const before = await hostFiles(emulator, f.ids);
    const run = await rollback(f.ids, '3', { runnerTemp });
    expect(run.errors).toEqual([
      `Rollback refused: the hosts run 3 changed disagree on the version they ran before it (${a}: tag v1 (previous); ${b}: tag v0 (previous)). Name the version with input 'to'; nothing was changed.`,
    ]);
    expect(await hostFiles(emulator, f.ids)).toEqual(before);
    const told = await rollback(f.ids, '3', { runnerTemp, inputs: { to: 'v1' } });
    expect(told.errors).toEqual([]);
    expect([await runningTag(a), await runningTag(b)]).toEqual(['v1', 'v1']);
  }, 120_000);
});

describe('rollback: what the hosts now run', () => {
  it('reports the restored entry however much the commands print (never the 2,500-character listing copy)', async () => {
    const f = await fleet(2);
    emulator = f.emulator;
    const all = f.ids.join(',');
    await deploy(emulator, { 'instance-ids': all, 'image-tag': 'v1' }, { github: { runId: '1' } });
    await deploy(emulator, { 'instance-ids': all, 'image-tag': 'v2' }, { github: { runId: '2' } });
    const chatty = 'head -c 5000 /dev/zero | tr "\\0" x; echo';
    const run = await rollback(f.ids, '5', { inputs: { commands: chatty } });
    expect(run.errors).toEqual([]);
    expect(JSON.parse(run.outputs.deployed!)).toMatchObject({
      imageTag: 'v1',
      outcome: 'rollback',
      runId: '5',
    });
    // Past what GetCommandInvocation keeps (24,000): read from the host's deploy-state.json instead.
    await deploy(emulator, { 'instance-ids': all, 'image-tag': 'v3' }, { github: { runId: '6' } });
    const flood = 'head -c 30000 /dev/zero | tr "\\0" y; echo';
    const sentBefore = emulator.commands().length;
    const again = await rollback(f.ids, '7', { inputs: { commands: flood } });
    expect(again.errors).toEqual([]);
    expect(JSON.parse(again.outputs.deployed!)).toMatchObject({
      imageTag: 'v1',
      outcome: 'rollback',
      runId: '7',
    });
    expect(emulator.commands().length - sentBefore).toBe(3);
    expect(emulator.commands().at(-1)?.instanceIds).toHaveLength(1);
  }, 120_000);
});

describe('dry run', () => {
  it('deploy-ssm: resolves, reads each host’s state, prints the plan and the script, and changes nothing', async () => {
    const f = await fleet(5);
    emulator = f.emulator;
    const all = f.ids.join(',');
    await deploy(emulator, { 'instance-ids': all, 'image-tag': 'v1' });
    const before = await hostFiles(emulator, f.ids);
    const run = await deploy(emulator, {
      'instance-ids': all,
      'image-tag': 'v2',
      waves: '1, 100%',
      'dry-run': 'true',
      commands: 'docker compose up -d --wait',
      'verify-url': 'http://127.0.0.1:8080/health',
    });
    expect(run.errors).toEqual([]);
    expect(await hostFiles(emulator, f.ids)).toEqual(before);
    expect(run.outputs).toMatchObject({ status: 'dry-run', 'changed-hosts': '[]', 'command-id': '' });
    expect(run.log).toContain(`Wave 1 of 2: 1 host(s): ${f.ids[0]}`);
    for (const id of f.ids) expect(run.log).toContain(`  ${id}: v1 → v2`);
    expect(run.log).toContain("GH_OUTCOME='success'");
    expect(run.log).toContain('<deploy commands, base64-encoded: shown below>');
    expect(run.log).toContain('----- deploy commands -----\ndocker compose up -d --wait');
    expect(run.log).toContain('Each host checks: http://127.0.0.1:8080/health answers 2xx');
    // One command went out: the read-only state read.
    expect(scripts().slice(1)).toHaveLength(1);
    expect(scripts()[1]).not.toContain('flock');
    const job = readRecords(join(run.runnerTemp, 'gatehouse'));
    expect(job.problems).toEqual([]);
    expect(latestOf(job, 'deploy-ssm')).toMatchObject({ status: 'dry-run', dryRun: true, changedHosts: [] });
  }, 120_000);

  it('rollback: prints each changed host’s from → to and the script, and changes nothing', async () => {
    const f = await fleet(3);
    emulator = f.emulator;
    const all = f.ids.join(',');
    await deploy(emulator, { 'instance-ids': all, 'image-tag': 'v1' }, { github: { runId: '1' } });
    await deploy(emulator, { 'instance-ids': all, 'image-tag': 'v2' }, { github: { runId: '2' } });
    const before = await hostFiles(emulator, f.ids);
    const run = await rollback(f.ids, '9', { inputs: { 'dry-run': 'true' } });
    expect(run.errors).toEqual([]);
    expect(await hostFiles(emulator, f.ids)).toEqual(before);
    expect(run.outputs).toMatchObject({ status: 'dry-run', 'rolled-back-to': 'v1', 'changed-hosts': '[]' });
    for (const id of f.ids) expect(run.log).toContain(`  ${id}: v2 → v1`);
    expect(run.log).toContain("GH_OUTCOME='rollback'");
    expect(
      scripts()
        .slice(2)
        .every((s) => !s.includes('flock -x')),
    ).toBe(true);
  }, 120_000);
});
