import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';

export type OutputStream = 'stdout' | 'stderr';

export interface CommandResult {
  /** The exit code; 128 + the signal's number when a signal ended it (as a shell reports it). */
  exitCode: number;
  /** The signal that ended the process, if one did. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** `timeoutMs` passed: the process group was stopped. */
  timedOut: boolean;
  /** `signal` aborted: the process group was stopped. */
  aborted: boolean;
}

export interface CommandOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to the command's standard input, then closed (e.g. a script for `bash -s`); empty by default. */
  input?: string;
  /** Then the process group is stopped: SIGTERM, and SIGKILL after `killGraceMs`. */
  timeoutMs?: number;
  /** Aborting stops the process group as a timeout does. */
  signal?: AbortSignal;
  /** From SIGTERM to SIGKILL when the group is stopped (default 5 s); 0 sends SIGKILL at once. */
  killGraceMs?: number;
  /** Each line of output as it arrives, split as the runner splits a process's output (at \n, \r\n or \r). */
  onLine?: (line: string, stream: OutputStream) => void;
  /** Called once the process started, with its pid, which is also its process group's id. */
  onSpawn?: (pid: number) => void;
  /**
   * End when the process itself exits (after reading what it wrote), even if something it started
   * in the background still holds its output open, as the GitHub runner ends a step. By default
   * the run ends when the output closes, as the SSM agent's does.
   */
  endOnExit?: boolean;
}

const DEFAULT_KILL_GRACE_MS = 5000;
/** After the process exits, how long its output may still take to arrive (`endOnExit`). */
const DRAIN_AFTER_EXIT_MS = 500;
/** How long a group may take to go after SIGKILL (a process in uninterruptible sleep) before we stop waiting. */
const GONE_AFTER_KILL_MS = 5000;

/**
 * The one process runner for what @actions/exec cannot do: a timeout, cancellation, and killing
 * the whole process group — @actions/exec has neither a timeout nor a group to kill, so `sleep 60 &`
 * in a timed-out script would outlive it. Plain tool calls that need none of that use
 * @actions/exec (resolve-ref's git lookups).
 *
 * Each command runs in a process group of its own. A timeout or an abort stops the group: SIGTERM
 * to every process in it, SIGKILL to what is left once the grace has passed, and the result only
 * when none of it runs any more (so a lock it held is free). When
 * this process is signalled (the runner cancels a step with SIGINT to the step's process alone,
 * then SIGTERM), every running group is stopped the same way before this process ends by that
 * signal, so nothing a step started outlives it. Arguments as an array (never a shell string);
 * the exit code is returned rather than thrown so callers decide what a failure means.
 */
export function runCommand(
  file: string,
  args: readonly string[],
  options: CommandOptions = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const grace = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
    const output = { stdout: '', stderr: '' };
    const lines = {
      stdout: lineSplitter('stdout', options.onLine),
      stderr: lineSplitter('stderr', options.onLine),
    };
    let stopped: StopReason | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let settled = false;

    const group: RunningGroup = {
      stop(why, force) {
        stopped ??= why;
        if (child.pid === undefined) return;
        if (force || grace === 0) return signalGroup(child.pid, 'SIGKILL');
        if (killTimer) return;
        signalGroup(child.pid, 'SIGTERM');
        killTimer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), grace);
      },
    };
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => group.stop('timeout', false), options.timeoutMs);
    const onAbort = () => group.stop('abort', false);
    const finish = async (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      // A stopped group is waited for until none of it runs (what ignores SIGTERM gets SIGKILL once
      // the grace is over), so a lock it held is free and nothing of it writes on when we return.
      if (stopped && child.pid !== undefined) await groupGone(child.pid, grace + GONE_AFTER_KILL_MS);
      clearTimeout(killTimer);
      lines.stdout.end();
      lines.stderr.end();
      untrack(group);
      resolve({
        exitCode: code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1),
        signal,
        ...output,
        timedOut: stopped === 'timeout',
        aborted: stopped === 'abort',
      });
    };

    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream].setEncoding('utf8').on('data', (chunk: string) => {
        output[stream] += chunk;
        lines[stream].write(chunk);
      });
    }
    child.on('error', (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      untrack(group);
      reject(error);
    });
    child.on('spawn', () => {
      track(group);
      if (child.pid !== undefined) options.onSpawn?.(child.pid);
      if (options.signal?.aborted) onAbort();
      else options.signal?.addEventListener('abort', onAbort, { once: true });
    });
    child.on('close', (code, signal) => void finish(code, signal));
    if (options.endOnExit) {
      child.on('exit', (code, signal) => {
        setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
          void finish(code, signal);
        }, DRAIN_AFTER_EXIT_MS).unref();
      });
    }
    child.stdin.on('error', () => {
      // The program may exit without reading its input; that is its exit code's story, not ours.
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Resolves once no process of the group runs any more, or after `withinMs`. */
async function groupGone(pgid: number, withinMs: number): Promise<void> {
  const until = Date.now() + withinMs;
  while (Date.now() < until && groupRuns(pgid)) await new Promise((done) => setTimeout(done, 25));
}

/**
 * Whether a process of the group still runs. Where /proc is, a zombie does not count: a killed
 * process whose parent died waits for init to reap it, which some inits do only every second or two.
 */
function groupRuns(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  const table = processTable();
  return table === undefined || table.some((p) => p.pgrp === pgid && p.state !== 'Z' && p.state !== 'X');
}

export interface ProcessEntry {
  pid: number;
  ppid: number;
  pgrp: number;
  /** R, S, D, Z (zombie)… as /proc/<pid>/stat says. */
  state: string;
}

/** Every process of this machine, from /proc; undefined where there is none (not Linux). */
export function processTable(): ProcessEntry[] | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const table: ProcessEntry[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state = '', ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.push({ pid: Number(entry), ppid: Number(ppid), pgrp: Number(pgrp), state });
    } catch {
      // Gone while we looked.
    }
  }
  return table;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The whole group is gone already.
  }
}

/** Output cut into lines as .NET's `StreamReader.ReadLine` cuts a process's output on the runner. */
function lineSplitter(stream: OutputStream, onLine: CommandOptions['onLine']) {
  let pending = '';
  return {
    write(chunk: string) {
      if (!onLine) return;
      pending += chunk;
      for (;;) {
        const at = pending.search(/[\r\n]/);
        if (at < 0) return;
        // A `\r` at the end may be the first half of `\r\n`: wait for the next chunk.
        if (pending[at] === '\r' && at === pending.length - 1) return;
        const width = pending[at] === '\r' && pending[at + 1] === '\n' ? 2 : 1;
        onLine(pending.slice(0, at), stream);
        pending = pending.slice(at + width);
      }
    },
    end() {
      const rest = pending.endsWith('\r') ? pending.slice(0, -1) : pending;
      pending = '';
      if (onLine && rest !== '') onLine(rest, stream);
    },
  };
}

type StopReason = 'timeout' | 'abort' | 'cancel';

interface RunningGroup {
  /** SIGTERM to the group, then SIGKILL after the grace; `force`: SIGKILL now. */
  stop(why: StopReason, force: boolean): void;
}

/**
 * The groups running now, and what this process does when it is told to stop: Node's default for
 * SIGINT and SIGTERM ends this process at once, and the groups, which the signal never reached,
 * would run on unobserved. So while any group runs, the signal stops them first; once they have
 * closed, this process ends by that same signal, as it would have.
 */
const running = new Set<RunningGroup>();
let cancelledBy: NodeJS.Signals | undefined;
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function onStepSignal(signal: NodeJS.Signals): void {
  // A second signal (the runner's SIGTERM 7.5 s after its SIGINT) does not wait for the grace.
  const force = cancelledBy !== undefined;
  cancelledBy ??= signal;
  for (const group of running) group.stop('cancel', force);
}

function track(group: RunningGroup): void {
  if (running.size === 0) for (const signal of SIGNALS) process.on(signal, onStepSignal);
  running.add(group);
  if (cancelledBy) group.stop('cancel', false);
}

function untrack(group: RunningGroup): void {
  if (!running.delete(group) || running.size > 0) return;
  for (const signal of SIGNALS) process.off(signal, onStepSignal);
  if (cancelledBy) process.kill(process.pid, cancelledBy);
}
