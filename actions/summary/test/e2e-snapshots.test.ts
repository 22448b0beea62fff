import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '@gatehouse/runner-harness';
import { describe, expect, it } from 'vitest';

const actionDir = join(import.meta.dirname, '..');

/** A runner temp dir holding one job's result records, as the earlier steps would leave them. */
async function jobWith(fixture: string): Promise<string> {
  const runnerTemp = await mkdtemp(join(tmpdir(), 'gatehouse-summary-'));
  await cp(join(import.meta.dirname, 'fixtures', fixture), join(runnerTemp, 'gatehouse'), {
    recursive: true,
  });
  return runnerTemp;
}

async function summarise(fixture: string, jobStatus: string) {
  const runnerTemp = await jobWith(fixture);
  const run = await runAction({
    actionDir,
    runnerTemp,
    inputs: { 'job-status': jobStatus, 'history-file': join(runnerTemp, 'history', 'deploys.jsonl') },
    github: { repository: 'example/service', runId: '4242', serverUrl: 'https://github.com' },
    env: { AWS_REGION: 'eu-west-1' },
  });
  expect(run.errors).toEqual([]);
  expect(run.warnings).toEqual([]);
  expect(run.succeeded).toBe(true);
  const history = (await readFile(join(runnerTemp, 'history', 'deploys.jsonl'), 'utf8')).trim().split('\n');
  return { run, history: history.map((line) => JSON.parse(line)) };
}

describe('summary bundle: the three outcomes, against reviewed snapshots', () => {
  it('success: deployed', async () => {
    const { run, history } = await summarise('deployed', 'success');
    expect(run.outputs.outcome).toBe('deployed');
    expect(run.outputs.markdown?.trimEnd()).toBe(run.summary.trimEnd());
    await expect(run.summary).toMatchFileSnapshot('__snapshots__/deployed.snap.md');
    expect(history).toEqual([
      expect.objectContaining({
        environment: 'prod',
        outcome: 'deployed',
        sha: 'c2a6b03f190dfb2b4aa91f8af8d477a9bc3401dc',
        hosts: 2,
        'failed-hosts': [],
        'command-id': '7f3c2a9e-1b4d-4c8e-9a51-2d6f0e8b7c31',
        'run-url': 'https://github.com/example/service/actions/runs/4242',
      }),
    ]);
  });

  it('smoke failure, then rollback: rolled back', async () => {
    const { run, history } = await summarise('rolled-back', 'failure');
    expect(run.outputs.outcome).toBe('rolled-back');
    await expect(run.summary).toMatchFileSnapshot('__snapshots__/rolled-back.snap.md');
    expect(history[0]).toMatchObject({ outcome: 'rolled-back', 'rolled-back-to': 'c00dbbc · tag v2.3.1' });
  });

  it('failure before any change: preflight failed', async () => {
    const { run, history } = await summarise('failed-before-change', 'failure');
    expect(run.outputs.outcome).toBe('failed-before-change');
    await expect(run.summary).toMatchFileSnapshot('__snapshots__/failed-before-change.snap.md');
    expect(history[0]).toMatchObject({ outcome: 'failed-before-change', hosts: 0, 'command-id': null });
  });
});
