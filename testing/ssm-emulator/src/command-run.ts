import { resolve } from 'node:path';
import { type RunningScript, runScript, type ScriptExit } from './host-process';
import { COUNTS_AS_ERROR, type InvocationState, TERMINAL } from './statuses';
import type { SentCommand } from './types';

export interface Invocation {
  instanceId: string;
  state: InvocationState;
  exitCode: number | null;
  startedAt?: number;
  endedAt?: number;
  stdout: string;
  stderr: string;
}

/** What a command needs to know about the fleet while it runs. */
export interface Fleet {
  isRegistered(id: string): boolean;
  isOnline(id: string): boolean;
  hostDir(id: string): string;
  /** PATH for the host's scripts. */
  hostPath(id: string): string | undefined;
  /** Consumes the agent-death fault for this host: ms after start at which its agent dies. */
  takeAgentDeath(id: string): number | undefined;
  agentDied(id: string): void;
  /** An invocation went In Progress, or left it: the fleet-wide count of running invocations. */
  invocationRunning(delta: 1 | -1): void;
}

export interface RunLimits {
  concurrency: number;
  errorLimit: number;
  startDelayMs: number;
  region: string;
  /** The document's workingDirectory, resolved against the host's directory. */
  workingDirectory?: string;
}

interface Live {
  process: RunningScript;
  timers: NodeJS.Timeout[];
  reason?: 'timeout' | 'cancel' | 'agent-died';
}

/**
 * One command across its hosts, scheduled as SSM does: at most `concurrency` invocations in
 * progress; once errors exceed MaxErrors no new host starts (the rest end Terminated); hosts not
 * started within the delivery timeout end Delivery Timed Out. Everything is event-driven (one
 * timer per running script, three per command), so 500 hosts cost nothing while they wait.
 */
export class CommandRun {
  readonly invocations: Invocation[];
  private readonly live = new Map<Invocation, Live>();
  private readonly commandTimers: NodeJS.Timeout[] = [];
  private readonly waiters: ((lastFinishedAt: number) => void)[] = [];
  private nextToStart = 0;
  private running = 0;
  private errors = 0;
  private delivered = false;
  stopped = false;
  cancelRequested = false;

  constructor(
    readonly sent: SentCommand,
    private readonly scriptFile: string,
    private readonly fleet: Fleet,
    private readonly limits: RunLimits,
  ) {
    this.invocations = sent.resolvedInstanceIds.map((instanceId) => ({
      instanceId,
      state: 'pending',
      exitCode: null,
      stdout: '',
      stderr: '',
    }));
  }

  start(): void {
    const { requestedAt, timeoutSeconds, executionTimeoutSeconds } = this.sent;
    this.after(this.limits.startDelayMs, () => this.deliver());
    // Not picked up within TimeoutSeconds: it will never run.
    this.after(requestedAt + timeoutSeconds * 1000 - Date.now(), () => this.endPending('deliveryTimedOut'));
    // SSM's ExpiresAfter: whatever has not reported by then (an agent that died) is Delivery Timed Out.
    this.after(requestedAt + (timeoutSeconds + executionTimeoutSeconds) * 1000 - Date.now(), () =>
      this.expire(),
    );
    this.checkDone();
  }

  invocation(instanceId: string): Invocation | undefined {
    return this.invocations.find((inv) => inv.instanceId === instanceId);
  }

  isDone(): boolean {
    return this.invocations.every((inv) => TERMINAL.has(inv.state));
  }

  counts(): { completed: number; errors: number; deliveryTimedOut: number } {
    let completed = 0;
    let deliveryTimedOut = 0;
    for (const inv of this.invocations) {
      if (TERMINAL.has(inv.state)) completed++;
      if (inv.state === 'deliveryTimedOut') deliveryTimedOut++;
    }
    return { completed, errors: this.errors, deliveryTimedOut };
  }

  /**
   * CancelCommand: pending invocations end Cancelled at once, running ones go Cancelling until
   * killed. A command already over stays as it ended.
   */
  cancel(instanceIds?: string[]): void {
    if (this.isDone()) return;
    const only = instanceIds && instanceIds.length > 0 ? new Set(instanceIds) : undefined;
    if (!only) this.cancelRequested = true;
    for (const inv of this.invocations) {
      if (only && !only.has(inv.instanceId)) continue;
      if (inv.state === 'pending') this.settle(inv, 'cancelled');
      const live = this.live.get(inv);
      if (live && inv.state === 'inProgress') {
        inv.state = 'cancelling';
        live.reason = 'cancel';
        live.process.kill();
      }
    }
    this.checkDone();
  }

  waitUntilDone(): Promise<number> {
    if (this.isDone()) return Promise.resolve(this.lastFinishedAt());
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Kills every running script (emulator shutdown). */
  dispose(): void {
    for (const timer of this.commandTimers) clearTimeout(timer);
    for (const live of this.live.values()) {
      for (const timer of live.timers) clearTimeout(timer);
      live.process.kill();
    }
  }

  private deliver(): void {
    this.delivered = true;
    this.pump();
  }

  private pump(): void {
    if (!this.delivered) return;
    while (this.nextToStart < this.invocations.length && !this.stopped && !this.cancelRequested) {
      const inv = this.invocations[this.nextToStart]!;
      if (inv.state !== 'pending') {
        this.nextToStart++;
        continue;
      }
      // An agent that does not answer never takes a slot: SSM gives up on it as Undeliverable.
      if (!this.fleet.isRegistered(inv.instanceId) || !this.fleet.isOnline(inv.instanceId)) {
        this.nextToStart++;
        this.settle(inv, 'undeliverable');
        continue;
      }
      if (this.running >= this.limits.concurrency) break;
      this.nextToStart++;
      this.launch(inv);
    }
    this.checkDone();
  }

  private launch(inv: Invocation): void {
    this.running++;
    inv.state = 'inProgress';
    inv.startedAt = Date.now();
    this.fleet.invocationRunning(1);
    const env = {
      PATH: this.fleet.hostPath(inv.instanceId),
      LANG: process.env.LANG ?? 'C.UTF-8',
      // Each host gets its own HOME, so per-user files (git config, caches) stay per host.
      HOME: this.fleet.hostDir(inv.instanceId),
      AWS_SSM_INSTANCE_ID: inv.instanceId,
      AWS_SSM_REGION_NAME: this.limits.region,
    };
    const cwd = resolve(this.fleet.hostDir(inv.instanceId), this.limits.workingDirectory ?? '.');
    const live: Live = { process: runScript(this.scriptFile, cwd, env), timers: [] };
    this.live.set(inv, live);
    live.timers.push(
      setTimeout(() => {
        live.reason ??= 'timeout';
        live.process.kill();
      }, this.sent.executionTimeoutSeconds * 1000),
    );
    const deathAfter = this.fleet.takeAgentDeath(inv.instanceId);
    if (deathAfter !== undefined) {
      live.timers.push(
        setTimeout(() => {
          live.reason ??= 'agent-died';
          this.fleet.agentDied(inv.instanceId);
          live.process.kill();
        }, deathAfter),
      );
    }
    void live.process.done.then((exit) => this.finish(inv, live, exit));
  }

  private finish(inv: Invocation, live: Live, exit: ScriptExit): void {
    for (const timer of live.timers) clearTimeout(timer);
    this.live.delete(inv);
    if (TERMINAL.has(inv.state)) return; // expired or disposed meanwhile
    if (live.reason === 'agent-died') {
      // The agent died with the script: SSM never hears back, so the invocation stays In Progress
      // (holding its concurrency slot) until the command expires. See `expire`.
      return;
    }
    this.running--;
    inv.stdout = exit.stdout;
    inv.stderr = exit.stderr;
    if (live.reason === 'cancel') this.settle(inv, 'cancelled');
    else if (live.reason === 'timeout') this.settle(inv, 'executionTimedOut');
    else {
      inv.exitCode = exit.exitCode;
      this.settle(inv, exit.exitCode === 0 ? 'success' : 'failed');
    }
    this.pump();
  }

  private settle(inv: Invocation, state: InvocationState): void {
    if (inv.state === 'inProgress' || inv.state === 'cancelling') this.fleet.invocationRunning(-1);
    inv.state = state;
    inv.endedAt = Date.now();
    if (COUNTS_AS_ERROR.has(state)) {
      this.errors++;
      if (this.errors > this.limits.errorLimit && !this.stopped) {
        this.stopped = true;
        this.endPending('terminated');
      }
    }
  }

  private endPending(state: InvocationState): void {
    for (const inv of this.invocations) if (inv.state === 'pending') this.settle(inv, state);
    this.checkDone();
  }

  private expire(): void {
    for (const inv of this.invocations) {
      if (TERMINAL.has(inv.state)) continue;
      const live = this.live.get(inv);
      if (live) {
        for (const timer of live.timers) clearTimeout(timer);
        live.process.kill();
        this.live.delete(inv);
      }
      this.settle(inv, 'deliveryTimedOut');
    }
    this.checkDone();
  }

  private after(ms: number, fn: () => void): void {
    this.commandTimers.push(setTimeout(fn, Math.max(0, ms)));
  }

  private checkDone(): void {
    if (!this.isDone()) return;
    for (const timer of this.commandTimers) clearTimeout(timer);
    const last = this.lastFinishedAt();
    for (const resolve of this.waiters.splice(0)) resolve(last);
  }

  private lastFinishedAt(): number {
    return Math.max(this.sent.requestedAt, ...this.invocations.map((inv) => inv.endedAt ?? 0));
  }
}
