/**
 * Fleet rollout: N emulated hosts (real bash each), each host's deploy the real host script with
 * commands `sleep 2` and a verify-command, max-concurrency 100, max-errors 0. In waves
 * `1, 10%, 100%`, side by side with a single wave (`100%`) of the same fleet in the same run:
 *
 * - wall time against its limit: the sum over waves of ⌈wave hosts / max-concurrency⌉ rounds
 *   times the longest host time in the wave (the script from start to end as the emulator saw
 *   it: the 2 s deploy, its verification, and what bash costs on this machine when 100 hosts
 *   share its cores). The nominal limit, with every host taking exactly 2 s, is shown beside it;
 * - status calls per poll while nothing finished (max), and SSM calls in total;
 * - the most hosts the emulator saw running at once;
 * - with the second host of wave 2 failing, how many hosts the rollout changed.
 *
 * Targets: status calls per poll ≤ 1 while nothing finished; running never above
 * max-concurrency; wall time within 1.5× its limit at N = 1,000.
 * Run: npx tsx bench/fleet-rollout.ts   (SIZES=10,100 for a quick look)
 */

import { cpus, loadavg } from 'node:os';
import {
  type CommandRunner,
  createRunner,
  parseWaves,
  planWaves,
  runRollout,
} from '../packages/command-runner/src/index';
import { buildDeployScript, changedHosts, rolloutOutcomes } from '../packages/host-script/src/index';
import { type RemoteEmulator, startRemoteEmulator } from './support/remote-emulator';

const SIZES = (process.env.SIZES ?? '10,100,500,1000').split(',').map(Number);
const CONCURRENCY = 100;
const HOST_SECONDS = 2;
const WAVES = '1, 10%, 100%';

interface Figures {
  waves: number[];
  /** Host times as the emulator saw them (start to end of each script), median and longest. */
  hostMedianMs: number;
  hostLongestMs: number;
  wallMs: number;
  limitMs: number;
  nominalMs: number;
  quietCallsMax: number;
  calls: number;
  maxRunning: number;
  succeeded: boolean;
  changed: number;
}

function hostIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `i-${(i + 1).toString(16).padStart(17, '0')}`);
}

function useEmulator(emulator: RemoteEmulator): void {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SSM: emulator.endpoint,
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_REGION: 'eu-west-1',
  });
}

function script(failing?: string): string {
  return buildDeployScript({
    mode: 'image',
    version: { imageTag: 'v2' },
    appDir: 'app',
    stateDir: 'state',
    commands: failing
      ? `sleep ${HOST_SECONDS}; [ "$AWS_SSM_INSTANCE_ID" != ${failing} ]`
      : `sleep ${HOST_SECONDS}`,
    run: { runId: 'bench', actor: 'bench', environment: 'bench' },
    lockTimeoutSeconds: 60,
    historySize: 20,
    verify: { command: 'true', timeoutSeconds: 60 },
  });
}

async function rollout(n: number, waveSpec: string, failWave2: boolean): Promise<Figures> {
  const ids = hostIds(n);
  // In its own process, as SSM is: its host processes do not hold up the dispatcher's event loop.
  const emulator = await startRemoteEmulator(ids);
  try {
    useEmulator(emulator);
    const polls: { calls: number; finished: number }[] = [];
    const runner: CommandRunner = await createRunner(
      { target: 'ssm', instanceIds: ids, instanceTags: [] },
      { onPoll: (calls, finished) => polls.push({ calls, finished }) },
    );
    const hosts = await runner.resolveHosts();
    const waves = planWaves(hosts, parseWaves(waveSpec));
    // The host that fails: the second of wave 2 in the waved plan, the same host in the single wave.
    const waved = planWaves(hosts, parseWaves(WAVES));
    const failing = failWave2 ? (waved[1]?.[1] ?? waved[1]?.[0]) : undefined;
    await emulator.resetStats();
    const started = performance.now();
    const result = await runRollout(runner, {
      waves,
      script: script(failing),
      bakeMs: 0,
      concurrency: CONCURRENCY,
      maxErrors: 0,
      executionTimeoutMs: 600_000,
      deliveryTimeoutMs: 600_000,
    });
    const wallMs = performance.now() - started;
    const quiet = polls.filter((p) => p.finished === 0).map((p) => p.calls);
    const hostMs = new Map(
      (await emulator.invocations()).map((inv) => [
        inv.instanceId,
        (inv.endedAt ?? 0) - (inv.startedAt ?? 0),
      ]),
    );
    const rounds = (w: string[]) => Math.ceil(w.length / CONCURRENCY);
    const stats = await emulator.stats();
    const times = [...hostMs.values()].sort((a, b) => a - b);
    return {
      waves: waves.map((w) => w.length),
      hostMedianMs: times[Math.floor(times.length / 2)] ?? 0,
      hostLongestMs: times.at(-1) ?? 0,
      wallMs,
      limitMs: waves.reduce((sum, w) => sum + rounds(w) * Math.max(...w.map((h) => hostMs.get(h) ?? 0)), 0),
      nominalMs: waves.reduce((sum, w) => sum + rounds(w) * HOST_SECONDS * 1000, 0),
      quietCallsMax: quiet.length > 0 ? Math.max(...quiet) : 0,
      calls: stats.total,
      maxRunning: stats.maxRunning,
      succeeded: result.succeeded,
      changed: changedHosts(rolloutOutcomes(result.waves)).length,
    };
  } finally {
    await emulator.close();
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const pad = (cells: (string | number)[]) => `| ${cells.map(String).join(' | ')} |`;
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : '-');

const loadBefore = loadavg()[0]!;
const rows: string[] = [];
const verdicts: string[] = [];
for (const n of SIZES) {
  const waved = await rollout(n, WAVES, false);
  const single = await rollout(n, '100%', false);
  const wavedFailing = await rollout(n, WAVES, true);
  const singleFailing = await rollout(n, '100%', true);
  for (const [name, ok, failing] of [
    ['waves 1, 10%, 100%', waved, wavedFailing],
    ['single wave', single, singleFailing],
  ] as const) {
    rows.push(
      pad([
        n,
        name,
        ok.waves.join(' + '),
        `${s(ok.wallMs)} / ${s(ok.limitMs)} (${ratio(ok.wallMs, ok.limitMs)}); nominal ${s(ok.nominalMs)} (${ratio(ok.wallMs, ok.nominalMs)})`,
        `${s(ok.hostMedianMs)} / ${s(ok.hostLongestMs)}`,
        ok.quietCallsMax,
        ok.calls,
        ok.maxRunning,
        `${failing.changed} of ${n}`,
        ok.succeeded && !failing.succeeded ? 'ok' : 'UNEXPECTED',
      ]),
    );
  }
  rows.push(
    pad([
      n,
      'waves ÷ single',
      '',
      `${ratio(waved.wallMs, single.wallMs)} wall`,
      '',
      '',
      `${ratio(waved.calls, single.calls)}`,
      '',
      `${ratio(wavedFailing.changed, singleFailing.changed)}`,
      '',
    ]),
  );
  const quiet = Math.max(waved.quietCallsMax, single.quietCallsMax);
  const running = Math.max(waved.maxRunning, single.maxRunning);
  verdicts.push(
    `N=${n}: status calls per poll while nothing finished ${quiet} ≤ 1 ${quiet <= 1 ? 'PASS' : 'FAIL'}; ` +
      `most running ${running} ≤ ${CONCURRENCY} ${running <= CONCURRENCY ? 'PASS' : 'FAIL'}` +
      (n === 1000
        ? `; wall within 1.5× its limit: waves ${ratio(waved.wallMs, waved.limitMs)} ${waved.wallMs <= 1.5 * waved.limitMs ? 'PASS' : 'FAIL'}, ` +
          `single ${ratio(single.wallMs, single.limitMs)} ${single.wallMs <= 1.5 * single.limitMs ? 'PASS' : 'FAIL'}; ` +
          `against the nominal 2 s hosts: waves ${ratio(waved.wallMs, waved.nominalMs)} ${waved.wallMs <= 1.5 * waved.nominalMs ? 'PASS' : 'FAIL'}, ` +
          `single ${ratio(single.wallMs, single.nominalMs)} ${single.wallMs <= 1.5 * single.nominalMs ? 'PASS' : 'FAIL'}`
        : ''),
  );
}

console.log(
  `Fleet rollout: each host runs the deploy script with \`sleep ${HOST_SECONDS}\` and a verify-command; ` +
    `max-concurrency ${CONCURRENCY}, max-errors 0; one run each. ${cpus().length} cores; load average ` +
    `${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after (the emulated hosts share this machine's cores)\n`,
);
console.log(
  pad([
    'N',
    'rollout',
    'waves (hosts)',
    'wall / limit (measured host time); nominal 2 s hosts',
    'host time median / longest',
    'status calls per poll, nothing finished (max)',
    'SSM calls in total',
    'most running at once',
    'hosts changed, wave-2 failure',
    'result',
  ]),
);
console.log(pad(['---', '---', '---', '---', '---', '---', '---', '---', '---', '---']));
for (const row of rows) console.log(row);
console.log('');
for (const v of verdicts) console.log(v);
