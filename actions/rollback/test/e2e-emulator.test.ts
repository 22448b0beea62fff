import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '@gatehouse/action-kit';
import { scriptOfCommands } from '@gatehouse/command-runner';
import { buildDeployScript, parseDeployState } from '@gatehouse/host-script';
import { writeRecord } from '@gatehouse/records';
import { runAction } from '@gatehouse/runner-harness';
import { type SsmEmulator, startSsmEmulator } from '@gatehouse/ssm-emulator';
import { afterEach, describe, expect, it } from 'vitest';

const actionDir = join(import.meta.dirname, '..');
const summaryDir = join(import.meta.dirname, '..', '..', 'summary');
const H1 = 'i-0a1b2c3d4e5f60718';
const H2 = 'i-0f9e8d7c6b5a40312';
// The user's deploy commands: the "service" is a file naming the tag it runs; tag `bad` cannot start.
const COMMANDS = [
  'if [ "$DEPLOY_IMAGE_TAG" = bad ]; then echo "compose up failed for $DEPLOY_IMAGE_TAG" >&2; exit 3; fi',
  'echo "$DEPLOY_IMAGE_TAG" > running',
].join('\n');

let emulator: SsmEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** A real deploy on an emulated host's directory, by the same host script deploy-ssm sends. */
async function deploy(host: string, imageTag: string): Promise<void> {
  const script = buildDeployScript({
    mode: 'image',
    version: { imageTag },
    appDir: 'app',
    stateDir: 'state',
    commands: COMMANDS,
    run: { runId: `seed-${imageTag}`, actor: 'octocat', environment: 'dev' },
    lockTimeoutSeconds: 10,
    historySize: 20,
  });
  const result = await runCommand('bash', ['-s'], { input: script, cwd: emulator!.hostDir(host) });
  expect(result.exitCode, result.stderr).toBe(0);
}

/** The SSM runner sends the script encoded; this is the script the host ran. */
const decoded = scriptOfCommands;

const stateFile = (host: string) => join(emulator!.hostDir(host), 'state', 'deploy-state.json');
const readState = async (host: string) => parseDeployState(await readFile(stateFile(host), 'utf8'));
const running = async (host: string) =>
  (await readFile(join(emulator!.hostDir(host), 'app', 'running'), 'utf8')).trim();

async function rollback(inputs: Record<string, string> = {}, runnerTemp?: string) {
  return runAction({
    actionDir,
    runnerTemp,
    inputs: {
      'instance-ids': `${H1},${H2}`,
      'app-dir': 'app',
      'state-dir': 'state',
      mode: 'image',
      commands: COMMANDS,
      environment: 'dev',
      ...inputs,
    },
    github: { repository: 'example/service', runId: '4242' },
    env: {
      AWS_ENDPOINT_URL_SSM: emulator!.endpoint,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    },
    timeoutMs: 90_000,
  });
}

describe('rollback bundle against the SSM emulator', () => {
  it('rolls every host back to its recorded previous version, through the deploy host script', async () => {
    emulator = await startSsmEmulator({ hosts: [H1, H2] });
    for (const host of [H1, H2]) {
      await deploy(host, 'v1');
      await deploy(host, 'v2');
    }
    const runnerTemp = await mkdtemp(join(tmpdir(), 'gatehouse-rollback-'));
    const backup = '/var/backups/app/dev 2025-05-02.dump';
    const restore = `pg_restore --clean --if-exists --single-transaction --no-owner '--dbname=postgresql://app@db/app' '${backup}'`;
    // The same job's db-bootstrap step: it migrated 41 → 42 after taking a backup.
    await writeRecord(
      'db-bootstrap',
      {
        status: 'succeeded',
        reason: null,
        mode: 'apply',
        tool: 'alembic',
        schemaState: 'versioned',
        actionTaken: 'migrated',
        versionBefore: '41',
        versionAfter: '42',
        targetVersion: null,
        pendingBefore: null,
        backupFile: backup,
        restoreCommand: restore,
        leftovers: [],
        failedStep: null,
      },
      { env: { RUNNER_TEMP: runnerTemp } },
    );

    const run = await rollback({ reason: 'smoke-check failed' }, runnerTemp);
    expect(run.errors).toEqual([]);
    expect(run.succeeded).toBe(true);
    expect(run.outputs).toMatchObject({ 'rolled-back-to': 'v1', status: 'success' });
    const results = JSON.parse(run.outputs.results!);
    expect(results.map((r: { host: string; status: string }) => [r.host, r.status]).sort()).toEqual([
      [H1, 'Success'],
      [H2, 'Success'],
    ]);
    for (const host of [H1, H2]) {
      expect(await running(host)).toBe('v1');
      const state = await readState(host);
      expect(state.current).toMatchObject({ imageTag: 'v1', outcome: 'rollback', runId: '4242' });
      expect(state.previous).toMatchObject({ imageTag: 'v2', outcome: 'success' });
    }
    // The deploy script itself ran: one read-only command, then one that holds the deploy lock.
    const sent = emulator.commands().map((c) => decoded(c.script));
    expect(sent).toHaveLength(2);
    expect(sent[1]).toContain('flock -x');
    expect(sent[1]).toContain("GH_OUTCOME='rollback'");
    expect(sent[0]).not.toContain('flock');
    // Never touches the database, but says where the backup is and how to restore it.
    expect(run.notices).toEqual([expect.stringContaining(`restore it with: ${restore}`)]);

    // The summary of the same job reads the rollback's record.
    const summary = await runAction({
      actionDir: summaryDir,
      runnerTemp,
      inputs: { 'job-status': 'failure' },
    });
    expect(summary.succeeded).toBe(true);
    expect(summary.outputs.outcome).toBe('rolled-back');
    expect(summary.summary).toContain('## ↩️ dev: rolled back');
    expect(summary.summary).toContain('### Rollback to `tag v1` — ✅ success\n\nBecause: smoke-check failed');
    expect(summary.summary).toContain(restore);
  });

  it('first deploy: no previous version, so nothing is changed', async () => {
    emulator = await startSsmEmulator({ hosts: [H1, H2] });
    for (const host of [H1, H2]) await deploy(host, 'v1');
    const before = await readFile(stateFile(H1), 'utf8');
    const run = await rollback();
    expect(run.succeeded).toBe(false);
    expect(run.errors).toEqual([
      `Rollback refused: no previous stable version recorded on ${H1}, ${H2}; nothing was changed.`,
    ]);
    expect(emulator.commands()).toHaveLength(1);
    expect(await readFile(stateFile(H1), 'utf8')).toBe(before);
    expect(await running(H1)).toBe('v1');
  });

  it('moves only the hosts the newest rollout changed; a host it never touched stays as it is', async () => {
    emulator = await startSsmEmulator({ hosts: [H1, H2] });
    await deploy(H1, 'v1');
    await deploy(H1, 'v2');
    const run = await rollback();
    expect(run.errors).toEqual([]);
    expect(await running(H1)).toBe('v1');
    await expect(readFile(stateFile(H2))).rejects.toThrow();
    expect(JSON.parse(run.outputs['changed-hosts']!).map((c: { host: string }) => c.host)).toEqual([H1]);
    expect(run.log).toContain('Undoing run seed-v2 on 1 host(s)');
  });

  it('hosts that disagree on their previous version: refused, naming which host has what', async () => {
    emulator = await startSsmEmulator({ hosts: [H1, H2] });
    await deploy(H1, 'v1');
    await deploy(H1, 'v2');
    await deploy(H2, 'v0');
    await deploy(H2, 'v2');
    const run = await rollback();
    expect(run.succeeded).toBe(false);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(
      'the hosts run seed-v2 changed disagree on the version they ran before it',
    );
    expect(run.errors[0]).toContain(`${H1}: tag v1 (previous)`);
    expect(run.errors[0]).toContain(`${H2}: tag v0 (previous)`);
    expect(run.errors[0]).toContain('nothing was changed');
    expect(emulator.commands()).toHaveLength(1);
    expect(await running(H1)).toBe('v2');
    expect(await running(H2)).toBe('v2');
  });

  it("the rollback's own commands failing: a clear error, and deploy-state.json stays whole and true", async () => {
    emulator = await startSsmEmulator({ hosts: [H1, H2] });
    for (const host of [H1, H2]) await deploy(host, 'v2');
    const run = await rollback({ to: 'bad' });
    expect(run.succeeded).toBe(false);
    expect(run.outputs.status).toBe('failed');
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/^Rollback to bad failed on 2 of 2 host\(s\): /);
    expect(run.errors[0]).toContain(`${H1}: the rollback script failed (Failed, exit 3)`);
    expect(run.errors[0]).toContain('compose up failed for bad');
    expect(run.errors[0]).toContain('rollback-failed');
    for (const host of [H1, H2]) {
      const state = await readState(host);
      expect(state.current).toMatchObject({ imageTag: 'v2', outcome: 'success' });
      expect(state.history[0]).toMatchObject({ imageTag: 'bad', outcome: 'rollback-failed' });
      expect(await running(host)).toBe('v2');
    }
    // Asked again with no `to`, the hosts' records point at the failed rollback's target: not guessed away.
    const again = await rollback();
    expect(again.errors[0]).toContain(`Rollback to bad failed`);
  });

  it('refuses to roll back a host that is already rolled back, unless told where to go', async () => {
    emulator = await startSsmEmulator({ hosts: [H1] });
    await deploy(H1, 'v1');
    await deploy(H1, 'v2');
    expect((await rollback({ 'instance-ids': H1 })).succeeded).toBe(true);
    const again = await rollback({ 'instance-ids': H1 });
    expect(again.errors[0]).toContain(`already rolled back (${H1} runs tag v1)`);
    expect(await running(H1)).toBe('v1');
    const told = await rollback({ 'instance-ids': H1, to: 'v0' });
    expect(told.succeeded).toBe(true);
    expect(await running(H1)).toBe('v0');
  });
});
