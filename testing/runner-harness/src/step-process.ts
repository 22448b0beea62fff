import { spawn } from 'node:child_process';
import type { StepOutput } from './step-output';

export interface StepProcessOptions {
  file: string;
  args: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string>>;
  output: StepOutput;
  /** Cancels the step as the runner does: SIGINT, SIGTERM 7.5 s later, the whole tree 2.5 s after. */
  cancel?: AbortSignal;
  /** Kills the process tree at once after this long (a harness safety net, not a runner behaviour). */
  killAfterMs?: number;
}

export interface StepProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  durationMs: number;
  /** `killAfterMs` elapsed. */
  killed: boolean;
  /** The step's process group: what it left running is killed with it at the end of the job. */
  processGroup: number | undefined;
}

/** Runs one step process, feeding its stdout and stderr to `output` as they arrive. */
export function runStepProcess(options: StepProcessOptions): Promise<StepProcessResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // Its own process group, so the tree can be killed when signals are not enough.
    const child = spawn(options.file, [...options.args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const timers: NodeJS.Timeout[] = [];
    let killed = false;
    const killTree = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const cancel = () => {
      child.kill('SIGINT');
      timers.push(setTimeout(() => child.kill('SIGTERM'), 7500));
      timers.push(setTimeout(killTree, 10_000));
    };
    if (options.cancel?.aborted) cancel();
    else options.cancel?.addEventListener('abort', cancel, { once: true });
    if (options.killAfterMs !== undefined) {
      timers.push(
        setTimeout(() => {
          killed = true;
          killTree();
        }, options.killAfterMs),
      );
    }
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => options.output.write('stdout', chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => options.output.write('stderr', chunk));
    child.on('error', (error) => {
      for (const timer of timers) clearTimeout(timer);
      reject(error);
    });
    let settled = false;
    const settle = (exitCode: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      options.cancel?.removeEventListener('abort', cancel);
      options.output.end();
      resolve({ exitCode, signal, durationMs: performance.now() - started, killed, processGroup: child.pid });
    };
    child.on('close', settle);
    // A process it started in the background may hold the pipes open: the step ends with its
    // process, as on the runner, once what was already written has been read.
    child.on('exit', (exitCode, signal) => {
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        settle(exitCode, signal);
      }, 500).unref();
    });
  });
}
