import type { CommandRunner, HostResult, RunRequest } from '../types';

export interface RolloutRequest {
  /** The hosts of each wave, in order (see `planWaves`). */
  waves: readonly (readonly string[])[];
  /** The script each host runs: the change, then its on-host verification. */
  script: string;
  /** Verification alone, run again on a wave's hosts at the end of its bake; absent: none set. */
  verifyScript?: string;
  /** How long to wait after a wave passes before the next starts (not after the last). */
  bakeMs: number;
  /** The whole rollout's limits, as numbers of hosts. */
  concurrency: number;
  maxErrors: number;
  comment?: string;
  executionTimeoutMs: number;
  deliveryTimeoutMs?: number;
  /** Each command as soon as it is sent, so a post step can cancel it. */
  onSent?: (commandId: string) => void | Promise<void>;
  /** After each wave, for its log and summary lines. */
  onWave?: (wave: WaveResult, of: number) => void;
  log?: (line: string) => void;
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

export interface WaveResult {
  /** 1-based. */
  index: number;
  hosts: string[];
  outcome: 'passed' | 'failed' | 'not-started';
  durationMs?: number;
  /** One per host of the wave: the change and its first verification. */
  results: HostResult[];
  /** The verification run again at the end of the bake, when there was one. */
  reverified?: HostResult[];
  bakedMs?: number;
}

export interface RolloutResult {
  waves: WaveResult[];
  commandIds: string[];
  succeeded: boolean;
}

const sleepFor = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/**
 * Waves, one after the other. A wave fails when any of its hosts fails (its change, its
 * verification, or its verification again after the bake); no later wave starts. Within a wave
 * the runner holds `concurrency` and `maxErrors` over all its hosts.
 */
export async function runRollout(runner: CommandRunner, request: RolloutRequest): Promise<RolloutResult> {
  const now = request.now ?? Date.now;
  const sleep = request.sleep ?? sleepFor;
  const waves: WaveResult[] = [];
  const commandIds: string[] = [];
  const limits = {
    maxConcurrency: String(Math.max(1, request.concurrency)),
    maxErrors: String(Math.max(0, request.maxErrors)),
  };
  const base: Omit<RunRequest, 'script' | 'hosts'> = {
    ...limits,
    comment: request.comment,
    executionTimeoutMs: request.executionTimeoutMs,
    deliveryTimeoutMs: request.deliveryTimeoutMs,
    signal: request.signal,
    onSent: async (commandId) => {
      commandIds.push(commandId);
      await request.onSent?.(commandId);
    },
  };
  let stopped = false;
  for (const [i, hosts] of request.waves.entries()) {
    const index = i + 1;
    if (stopped) {
      waves.push({ index, hosts: [...hosts], outcome: 'not-started', results: hosts.map(notStarted) });
      continue;
    }
    request.log?.(`Wave ${index} of ${request.waves.length} starting: ${hosts.length} host(s)`);
    const started = now();
    const result = await runner.run({ ...base, script: request.script, hosts });
    const wave: WaveResult = { index, hosts: [...hosts], outcome: 'passed', results: result.hosts };
    if (!result.succeeded) wave.outcome = 'failed';
    const last = index === request.waves.length;
    if (wave.outcome === 'passed' && !last && request.bakeMs > 0) {
      request.log?.(`Wave ${index} passed; baking for ${Math.round(request.bakeMs / 1000)}s before the next`);
      await sleep(request.bakeMs, request.signal);
      wave.bakedMs = request.bakeMs;
      if (request.verifyScript) {
        const again = await runner.run({ ...base, script: request.verifyScript, hosts });
        wave.reverified = again.hosts;
        if (!again.succeeded) wave.outcome = 'failed';
      }
    }
    wave.durationMs = now() - started;
    waves.push(wave);
    request.onWave?.(wave, request.waves.length);
    if (wave.outcome === 'failed') stopped = true;
  }
  if (stopped) {
    for (const wave of waves.filter((w) => w.outcome === 'not-started')) request.onWave?.(wave, waves.length);
  }
  return { waves, commandIds, succeeded: !stopped };
}

function notStarted(host: string): HostResult {
  return {
    host,
    status: 'Cancelled',
    statusDetails: 'NotSent',
    exitCode: null,
    stdout: '',
    stderr: '',
    outputTruncated: false,
    started: false,
  };
}
