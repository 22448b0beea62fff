import { formatDuration } from '@gatehouse/action-kit/duration';
import { abbreviate, type CommandRunner, type WaveResult } from '@gatehouse/command-runner';
import type { DeployStateEntry } from './deploy-state';
import { type HostOutcome, outcomeOf, shortVersion, succeeded, withReverification } from './host-report';
import { buildStateReadScript, parseScriptReport, parseStateReport } from './report';

/** The per-host outcomes of a rollout, wave by wave, the bake's re-verification folded in. */
export function rolloutOutcomes(waves: readonly WaveResult[]): HostOutcome[] {
  return waves.flatMap((wave) =>
    wave.results.map((result) =>
      withReverification(
        outcomeOf(result, wave.index),
        wave.reverified?.find((again) => again.host === result.host),
      ),
    ),
  );
}

/** One wave in a line: hosts, outcome, duration, and what was verified on them. */
export function waveLine(wave: WaveResult, of: number, verified: string): string {
  const hosts = `${wave.hosts.length} host(s): ${abbreviate(wave.hosts)}`;
  if (wave.outcome === 'not-started') return `Wave ${wave.index} of ${of}: not started (${hosts})`;
  const took = wave.durationMs === undefined ? '' : ` in ${formatDuration(wave.durationMs)}`;
  const bake = wave.bakedMs
    ? `; baked ${formatDuration(wave.bakedMs)}${wave.reverified ? ', verified again' : ''}`
    : '';
  return `Wave ${wave.index} of ${of}: ${wave.outcome}${took} (${hosts}); verification: ${verified || 'none (no verify-command or verify-url)'}${bake}`;
}

/** The waves as a markdown table for the job summary. */
export function wavesTable(waves: readonly WaveResult[], verified: string): string {
  return [
    '| wave | hosts | outcome | took | verification |',
    '|---|---|---|---|---|',
    ...waves.map((wave) => {
      const took = wave.durationMs === undefined ? '-' : formatDuration(wave.durationMs);
      const what =
        wave.outcome === 'not-started'
          ? '-'
          : `${verified || 'none'}${wave.bakedMs ? ` (again after a ${formatDuration(wave.bakedMs)} bake)` : ''}`;
      return `| ${wave.index} | ${wave.hosts.length}: ${abbreviate(wave.hosts).replace(/\|/g, '\\|')} | ${wave.outcome} | ${took} | ${what.replace(/\|/g, '\\|')} |`;
    }),
  ].join('\n');
}

/** The waves for outputs and records: each wave's hosts, outcome and duration. */
export function wavesRecord(waves: readonly WaveResult[]) {
  return waves.map((wave) => ({
    wave: wave.index,
    hosts: wave.hosts,
    outcome: wave.outcome,
    durationMs: wave.durationMs ?? null,
    ...(wave.bakedMs ? { bakedMs: wave.bakedMs } : {}),
  }));
}

/**
 * The script as a person should read it in a plan: exactly what each host runs, except that the
 * base64 of the user's commands is replaced by a pointer to them in clear (GitHub masks secrets
 * in clear text, not in their base64).
 */
export function scriptForDisplay(script: string, encoded: Record<string, string | undefined>): string {
  let shown = script;
  for (const [name, text] of Object.entries(encoded)) {
    if (!text) continue;
    shown = shown
      .split(Buffer.from(text, 'utf8').toString('base64'))
      .join(`<${name}, base64-encoded: shown below>`);
  }
  const blocks = Object.entries(encoded)
    .filter(([, text]) => text)
    .map(([name, text]) => `----- ${name} -----\n${text}`);
  return [shown, ...blocks].join('\n');
}

/** What one host runs now, read from its deploy-state.json by a read-only script. */
export interface HostState {
  host: string;
  /** undefined: no state file; an `error` when it could not be read. */
  state?: ReturnType<typeof parseStateReport>;
  error?: string;
}

/** Reads deploy-state.json on `hosts` with a read-only script: changes nothing on any host. */
export async function readHostStates(
  runner: CommandRunner,
  hosts: readonly string[],
  options: { stateDir: string; maxConcurrency: string; deliveryTimeoutMs: number; comment: string },
): Promise<HostState[]> {
  const result = await runner.run({
    script: buildStateReadScript(options.stateDir),
    comment: options.comment,
    executionTimeoutMs: 120_000,
    deliveryTimeoutMs: options.deliveryTimeoutMs,
    maxConcurrency: options.maxConcurrency,
    maxErrors: '100%',
    hosts,
  });
  return result.hosts.map((host) => {
    if (host.status !== 'Success') {
      const detail = host.stderr.trim().split('\n').at(-1) || host.stdout.trim().split('\n').at(-1) || '';
      return { host: host.host, error: `${host.statusDetails}${detail ? `: ${detail}` : ''}` };
    }
    try {
      return { host: host.host, state: parseStateReport(host.stdout) };
    } catch (error) {
      return { host: host.host, error: (error as Error).message };
    }
  });
}

/**
 * The entry the hosts now run, as the host script recorded it: from GetCommandInvocation's copy
 * of one host's output (24,000 characters), or, when even that was cut, from that host's state.
 * Never from the invocation listing's 2,500-character copy.
 */
export async function recordedEntry(
  runner: CommandRunner,
  outcomes: readonly HostOutcome[],
  options: { stateDir: string; runId: string; deliveryTimeoutMs: number },
): Promise<DeployStateEntry | null> {
  const host = outcomes.find(succeeded)?.result;
  if (!host) return null;
  const whole = await runner.fullOutput(host);
  const deployed = parseScriptReport(`${whole.stdout}\n${whole.stderr}`).deployed;
  if (deployed) return deployed;
  const [read] = await readHostStates(runner, [host.host], {
    stateDir: options.stateDir,
    maxConcurrency: '1',
    deliveryTimeoutMs: options.deliveryTimeoutMs,
    comment: 'gatehouse: read deploy-state.json (read only)',
  });
  const current = read?.state?.current;
  return current && current.runId === options.runId ? current : null;
}

/** The version hosts ran before, when they agree; `differ` when they do not. */
export function commonVersion(entries: readonly (DeployStateEntry | null)[]): {
  entry: DeployStateEntry | null;
  differ: boolean;
} {
  const key = (e: DeployStateEntry | null) => (e ? shortVersion(e) : '(none)');
  const first = entries[0] ?? null;
  return { entry: first, differ: entries.some((e) => key(e) !== key(first)) };
}
