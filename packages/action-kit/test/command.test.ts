import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type OutputStream, runCommand } from '../src/command';

/** Alive, as a process that still runs: gone, or a zombie waiting to be reaped, counts as dead. */
export function isRunning(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return false;
  try {
    const state = readFileSync(stat, 'utf8').split(') ')[1]?.[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

const started: number[] = [];
afterEach(() => {
  // A failing test must not leave its sleepers behind.
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
});

/** The pids a script printed, one a line, remembered for clean-up. */
function pidsOf(stdout: string): number[] {
  const pids = stdout
    .split('\n')
    .filter((line) => /^\d+$/.test(line))
    .map(Number);
  started.push(...pids);
  return pids;
}

describe('runCommand', () => {
  it('feeds standard input, sets cwd and env, and returns output and exit code', async () => {
    const dir = await realpath(await mkdtemp(join(tmpdir(), 'gatehouse-command-')));
    const result = await runCommand('bash', ['-s'], {
      input: 'pwd; echo "$GREETING"; echo oops >&2; exit 3\n',
      cwd: dir,
      env: { PATH: process.env.PATH, GREETING: 'hello' },
    });
    expect(result).toEqual({
      exitCode: 3,
      signal: null,
      stdout: `${dir}\nhello\n`,
      stderr: 'oops\n',
      timedOut: false,
      aborted: false,
    });
  });

  it('streams lines as the runner cuts them (\\n, \\r\\n, \\r), the last one without an end too', async () => {
    const lines: [string, OutputStream][] = [];
    await runCommand('bash', ['-c', String.raw`printf 'a\nb\r\nc\rd'; printf 'e\n' >&2`], {
      onLine: (line, stream) => lines.push([line, stream]),
    });
    expect(lines.filter(([, s]) => s === 'stdout').map(([l]) => l)).toEqual(['a', 'b', 'c', 'd']);
    expect(lines.filter(([, s]) => s === 'stderr').map(([l]) => l)).toEqual(['e']);
  });

  it('reports the signal that ended the process, and 128 + its number as the exit code', async () => {
    const result = await runCommand('bash', ['-c', 'kill -TERM $$']);
    expect(result).toMatchObject({ exitCode: 143, signal: 'SIGTERM' });
  });

  it('on a timeout, stops the whole group: nothing the command started in the background survives', async () => {
    const result = await runCommand(
      'bash',
      ['-c', 'sleep 600 >/dev/null 2>&1 & echo $!; sleep 600 </dev/null >/dev/null 2>&1 & echo $!; wait'],
      { timeoutMs: 1000 },
    );
    expect(result.timedOut).toBe(true);
    const pids = pidsOf(result.stdout);
    expect(pids).toHaveLength(2);
    expect(pids.filter(isRunning)).toEqual([]);
  });

  it('on an abort, stops the whole group too', async () => {
    const abort = new AbortController();
    const result = await runCommand(
      'bash',
      ['-c', 'sleep 600 >/dev/null 2>&1 & echo $!; echo started; wait'],
      {
        signal: abort.signal,
        onLine: (line) => {
          if (line === 'started') abort.abort();
        },
      },
    );
    expect(result).toMatchObject({ aborted: true, timedOut: false });
    const pids = pidsOf(result.stdout);
    expect(pids).toHaveLength(1);
    expect(pids.filter(isRunning)).toEqual([]);
  });

  it('kills what ignores SIGTERM once the grace has passed', async () => {
    const abort = new AbortController();
    const result = await runCommand(
      'bash',
      ['-c', "trap '' TERM; sleep 600 >/dev/null 2>&1 & echo $!; echo started; wait"],
      {
        signal: abort.signal,
        killGraceMs: 200,
        onLine: (line) => {
          if (line === 'started') abort.abort();
        },
      },
    );
    expect(result).toMatchObject({ aborted: true, signal: 'SIGKILL', exitCode: 137 });
    expect(pidsOf(result.stdout).filter(isRunning)).toEqual([]);
  });

  it('rejects when the program cannot be started', async () => {
    await expect(runCommand('gatehouse-no-such-program', [])).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
