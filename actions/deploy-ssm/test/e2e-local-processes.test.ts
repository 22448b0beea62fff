import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, stillRunning } from '@gatehouse/runner-harness';
import { afterEach, describe, expect, it } from 'vitest';
import { actionDir, IMAGE_INPUTS } from './fleet';

/**
 * With `target: local`, the deploy script and everything it starts die with it: on
 * execution-timeout, and when the job is cancelled (the runner sends SIGINT to the step's process
 * alone). Each script writes the pids of its bash and of its sleepers to a file; after the step,
 * none of them may still run.
 */
const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
});

async function pidsIn(file: string): Promise<number[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const pids = text.split('\n').filter(Boolean).map(Number);
  started.push(...pids.filter((pid) => !started.includes(pid)));
  return pids;
}

/** Polls a state of the world (never a duration). */
async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** The bash of the script, a sleeper holding its output (the issue's `sleep 6 & sleep 6; wait`), and one not. */
function sleepers(pids: string): string {
  return [
    `echo $$ >> '${pids}'`,
    `sleep 600 & echo $! >> '${pids}'`,
    `sleep 600 </dev/null >/dev/null 2>&1 & echo $! >> '${pids}'`,
    'wait',
  ].join('\n');
}

async function localInputs(): Promise<{ inputs: Record<string, string>; pids: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-local-processes-'));
  const pids = join(dir, 'pids');
  return {
    pids,
    inputs: {
      ...IMAGE_INPUTS,
      target: 'local',
      'app-dir': join(dir, 'app'),
      'state-dir': join(dir, 'state'),
      commands: sleepers(pids),
    },
  };
}

describe('deploy-ssm bundle, target local: nothing the deploy started outlives it', () => {
  it('on execution-timeout, stops the whole process group and reports the timeout', async () => {
    const { inputs, pids } = await localInputs();
    // Long enough for the script to reach the commands on a busy machine; the sleepers outlast it.
    const run = await runAction({
      actionDir,
      inputs: { ...inputs, 'execution-timeout': '5s' },
      timeoutMs: 120_000,
    });
    const written = await pidsIn(pids);
    expect(written).toHaveLength(3);
    expect(stillRunning(written)).toEqual([]);
    expect(run.exitCode).toBe(1);
    expect(JSON.parse(run.outputs.results!)).toEqual([
      expect.objectContaining({
        host: 'local',
        status: 'ExecutionTimedOut',
        statusDetails: 'ExecutionTimedOut',
      }),
    ]);
    expect(run.errors).toEqual([
      expect.stringContaining('ran longer than execution-timeout and was stopped'),
    ]);
  });

  it('when the job is cancelled (SIGINT to the step), stops the group before the step ends', async () => {
    const { inputs, pids } = await localInputs();
    const cancel = new AbortController();
    const running = runAction({ actionDir, inputs, cancel: cancel.signal, timeoutMs: 120_000 });
    await until(async () => (await pidsIn(pids)).length === 3);
    cancel.abort();
    const run = await running;
    expect(stillRunning(await pidsIn(pids))).toEqual([]);
    // The step ended by the runner's SIGINT itself, not by the later SIGTERM or the tree kill.
    expect(run.phases.find((phase) => phase.phase === 'main')).toMatchObject({ signal: 'SIGINT' });
    expect(run.warnings).toContain(
      'The job was cancelled while the local deploy ran; it was stopped with the job.',
    );
  });
});
