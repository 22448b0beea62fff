import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, stillRunning } from '@gatehouse/runner-harness';
import { afterEach, describe, expect, it } from 'vitest';

const actionDir = join(import.meta.dirname, '..');

/** A platform's rollback command, run on the runner, dies with its step when it outlasts execution-timeout. */
const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
});

describe('rollback bundle, target local: nothing the command started outlives it', () => {
  it('on execution-timeout, stops the whole process group and reports the timeout', async () => {
    const pids = join(await mkdtemp(join(tmpdir(), 'gatehouse-rollback-processes-')), 'pids');
    const run = await runAction({
      actionDir,
      inputs: {
        target: 'local',
        environment: 'dev',
        to: 'v7',
        'execution-timeout': '5s',
        command: [
          `echo $$ >> '${pids}'`,
          `sleep 600 & echo $! >> '${pids}'`,
          `sleep 600 </dev/null >/dev/null 2>&1 & echo $! >> '${pids}'`,
          'wait',
        ].join('\n'),
      },
      timeoutMs: 120_000,
    });
    const written = (await readFile(pids, 'utf8')).split('\n').filter(Boolean).map(Number);
    started.push(...written);
    expect(written).toHaveLength(3);
    expect(stillRunning(written)).toEqual([]);
    expect(run.outputs.status).toBe('failed');
    expect(JSON.parse(run.outputs.results!)).toEqual([
      expect.objectContaining({ host: 'local', status: 'ExecutionTimedOut' }),
    ]);
  });
});
