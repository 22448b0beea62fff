import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '@gatehouse/runner-harness';
import type { SsmEmulator } from '@gatehouse/ssm-emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { actionDir, deploy, fleet, IMAGE_INPUTS } from './fleet';

let emulator: SsmEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('deploy-ssm bundle: targets', () => {
  it('sends more than 50 instance ids in chunks of 50 and waits on all of them', async () => {
    const f = await fleet(55);
    emulator = f.emulator;
    const run = await deploy(emulator, { 'instance-ids': f.ids.join(','), 'max-concurrency': '50' });
    expect(run.errors).toEqual([]);
    const sent = emulator.commands();
    expect(sent.map((c) => c.instanceIds.length)).toEqual([50, 5]);
    expect(run.outputs['command-id']).toBe(sent.map((c) => c.commandId).join(','));
    expect(run.state['command-ids']).toBe(sent.map((c) => c.commandId).join(','));
    expect(JSON.parse(run.outputs.results!)).toHaveLength(55);
  }, 120_000);

  it('names the S3 location of a failed host’s output when output-s3-bucket is set', async () => {
    const f = await fleet(1);
    emulator = f.emulator;
    const run = await deploy(emulator, {
      'instance-ids': f.ids[0],
      'output-s3-bucket': 'deploy-logs',
      commands: 'exit 4',
    });
    expect(run.exitCode).toBe(1);
    const [result] = JSON.parse(run.outputs.results!);
    expect(result.outputLocation).toMatch(
      new RegExp(`^https://.*deploy-logs.*${f.ids[0]}|^s3://deploy-logs/`),
    );
    expect(run.log).toContain(result.outputLocation);
    expect(emulator.commands()[0]?.outputS3BucketName).toBe('deploy-logs');
  });

  it('runs the same deploy on the runner itself with target: local', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-local-'));
    const inputs = {
      ...IMAGE_INPUTS,
      target: 'local',
      'app-dir': join(dir, 'app'),
      'state-dir': join(dir, 'state'),
      commands: 'echo "$DEPLOY_IMAGE_TAG" > deployed',
    };
    const first = await runAction({ actionDir, inputs });
    expect(first.errors).toEqual([]);
    const second = await runAction({ actionDir, inputs: { ...inputs, 'image-tag': 'v2' } });
    expect(second.errors).toEqual([]);
    expect(JSON.parse(second.outputs.previous!)).toMatchObject({ imageTag: 'v1' });
    expect(JSON.parse(second.outputs.results!)).toEqual([
      expect.objectContaining({ host: 'local', status: 'Success' }),
    ]);
    expect(await readFile(join(dir, 'app', 'deployed'), 'utf8')).toBe('v2\n');
  });
});
