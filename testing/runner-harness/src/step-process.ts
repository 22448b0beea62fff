import { processTable, runCommand } from '@gatehouse/action-kit/command';
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

/**
 * Runs one step process on action-kit's process runner, feeding each line of its stdout and
 * stderr to `output` as it arrives. The step ends with its process, as on the runner, even if
 * something it started in the background still holds the output open.
 */
export async function runStepProcess(options: StepProcessOptions): Promise<StepProcessResult> {
  const started = performance.now();
  let pid: number | undefined;
  const timers: NodeJS.Timeout[] = [];
  let killed = false;
  // The runner signals the step's process alone, and kills the whole tree only if it lingers.
  const signal = (name: NodeJS.Signals) => {
    if (pid !== undefined) tryKill(pid, name);
  };
  const cancel = () => {
    signal('SIGINT');
    timers.push(setTimeout(() => signal('SIGTERM'), 7500));
    timers.push(setTimeout(() => pid !== undefined && killTree(pid), 10_000));
  };
  try {
    const result = await runCommand(options.file, options.args, {
      cwd: options.cwd,
      env: options.env,
      killGraceMs: 0,
      endOnExit: true,
      onLine: (line, stream) => options.output.write(stream, `${line}\n`),
      onSpawn: (spawned) => {
        pid = spawned;
        if (options.cancel?.aborted) cancel();
        else options.cancel?.addEventListener('abort', cancel, { once: true });
        if (options.killAfterMs !== undefined) {
          timers.push(
            setTimeout(() => {
              killed = true;
              killTree(spawned);
            }, options.killAfterMs),
          );
        }
      },
    });
    return {
      exitCode: result.signal ? null : result.exitCode,
      signal: result.signal,
      durationMs: performance.now() - started,
      killed,
      processGroup: pid,
    };
  } finally {
    for (const timer of timers) clearTimeout(timer);
    options.cancel?.removeEventListener('abort', cancel);
    options.output.end();
  }
}

function tryKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * SIGKILL to a process, its group, and every descendant and its group (found through /proc): the
 * runner kills a step's process tree, which reaches the commands it ran in groups of their own.
 */
function killTree(root: number): void {
  const children = new Map<number, number[]>();
  for (const { pid, ppid } of processTable() ?? []) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  for (const pid of tree) {
    tryKill(-pid, 'SIGKILL');
    tryKill(pid, 'SIGKILL');
  }
}

/**
 * Which of `pids` still run (a zombie waiting to be reaped does not): what a test checks after a
 * step to prove that nothing it started outlived it.
 */
export function stillRunning(pids: readonly number[]): number[] {
  const running = new Set(
    (processTable() ?? []).filter((p) => p.state !== 'Z' && p.state !== 'X').map((p) => p.pid),
  );
  return pids.filter((pid) => running.has(pid));
}
