/**
 * How soon a gate passes once the app is healthy. The app answers 503 until a random moment T
 * (1–5 s after the gate starts), then 200; lag = the moment the gate passes − T. Three gates wait
 * on the same app at the same time in each run:
 *   - gatehouse: the smoke-check polling loop (http-probe, default interval 5s);
 *   - seed shell loop: real bash running `curl` every 5 s, up to 30 attempts;
 *   - fixed 5 s delay: the popular URL health-check action's rule, retry every 5 s.
 * Target: gatehouse median lag ≤ 250 ms.
 *
 * Also: 20 checks against one server finish within 1.5× the time of one check (one connection
 * pool, all checks concurrent), against running the 20 one after another.
 *
 * Run: npx tsx bench/gate-latency.ts   (RUNS=30 for more runs; runs go BATCH at a time)
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProber, type Prober, pollAll, pollUntil, realClock } from '../packages/http-probe/src/index';

const RUNS = Math.max(20, Number(process.env.RUNS ?? 20));
const BATCH = Math.max(1, Number(process.env.BATCH ?? 5));
const proberOptions = { requestTimeoutMs: 10_000, redirect: 'preserve' as const, maxRedirects: 5 };
const smokeDefaults = { timeoutMs: 120_000, intervalMs: 5_000, consecutiveSuccesses: 1, clock: realClock };

/** An app that answers 503 until `healthyAt` (performance.now() scale), then 200. */
async function startApp(work = 0): Promise<{ url: string; server: Server; healthyAt: number }> {
  const app = { healthyAt: Number.POSITIVE_INFINITY } as { url: string; server: Server; healthyAt: number };
  app.server = createServer((_req, res) => {
    const answer = () => {
      res.writeHead(performance.now() >= app.healthyAt ? 200 : 503, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    };
    if (work > 0) setTimeout(answer, work);
    else answer();
  });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  app.url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/healthz`;
  return app;
}

function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Each gate resolves with the moment (performance.now()) it passed. */
async function gatehouseGate(url: string): Promise<number> {
  const prober = createProber(proberOptions);
  try {
    const outcome = await pollUntil(async () => {
      const result = await prober.probe({ method: 'GET', url, headers: {} });
      const ok = result.ok && result.response.status >= 200 && result.response.status < 300;
      return { verdict: ok ? 'pass' : 'retry', detail: null };
    }, smokeDefaults);
    if (outcome.state !== 'passed') throw new Error('gatehouse gate did not pass');
    return performance.now();
  } finally {
    await prober.close();
  }
}

const SEED_LOOP = `
for i in $(seq 1 30); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$1" || echo 000)
  if [ "$code" = "200" ]; then exit 0; fi
  sleep 5
done
exit 1`;

function seedShellGate(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', SEED_LOOP, 'seed-loop', url], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(performance.now()) : reject(new Error(`seed loop exit ${code}`)),
    );
  });
}

async function fixedDelayGate(url: string): Promise<number> {
  const prober = createProber(proberOptions);
  try {
    for (let attempt = 0; attempt < 60; attempt++) {
      const result = await prober.probe({ method: 'GET', url, headers: {} });
      if (result.ok && result.response.status === 200) return performance.now();
      await new Promise((resolve) => setTimeout(resolve, 5_000));
    }
    throw new Error('fixed-delay gate did not pass');
  } finally {
    await prober.close();
  }
}

const GATES = {
  gatehouse: gatehouseGate,
  'seed shell loop (curl, 5 s)': seedShellGate,
  'fixed 5 s delay': fixedDelayGate,
};
type GateName = keyof typeof GATES;

async function oneRun(): Promise<Record<GateName, number>> {
  const app = await startApp();
  const start = performance.now();
  const T = 1_000 + Math.random() * 4_000;
  app.healthyAt = start + T;
  try {
    const passed = await Promise.all(Object.values(GATES).map((gate) => gate(app.url)));
    const names = Object.keys(GATES) as GateName[];
    return Object.fromEntries(names.map((name, i) => [name, passed[i]! - app.healthyAt])) as Record<
      GateName,
      number
    >;
  } finally {
    await stop(app.server);
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const ms = (value: number) => `${Math.round(value)} ms`.padStart(9);

async function gateLatency(): Promise<boolean> {
  const lags: Record<GateName, number[]> = Object.fromEntries(
    Object.keys(GATES).map((name) => [name, []]),
  ) as never;
  for (let done = 0; done < RUNS; done += BATCH) {
    const batch = await Promise.all(Array.from({ length: Math.min(BATCH, RUNS - done) }, oneRun));
    for (const run of batch) for (const [name, lag] of Object.entries(run)) lags[name as GateName].push(lag);
  }
  const ours = percentile(lags.gatehouse, 50);
  console.log(
    `\nGate lag after the app becomes healthy (T random in 1–5 s, ${RUNS} runs, gates side by side)\n`,
  );
  console.log(
    `${'gate'.padEnd(30)}${'median'.padStart(9)}${'p90'.padStart(9)}${'max'.padStart(9)}   median ÷ gatehouse`,
  );
  for (const [name, values] of Object.entries(lags)) {
    const median = percentile(values, 50);
    console.log(
      `${name.padEnd(30)}${ms(median)}${ms(percentile(values, 90))}${ms(Math.max(...values))}   ${(median / ours).toFixed(1)}×`,
    );
  }
  const ok = ours <= 250;
  console.log(`\ntarget: gatehouse median lag ≤ 250 ms → ${Math.round(ours)} ms ${ok ? 'PASS' : 'FAIL'}`);
  return ok;
}

async function timeChecks(url: string, count: number, concurrent: boolean): Promise<number> {
  const prober: Prober = createProber(proberOptions);
  const attempt = async () => {
    const result = await prober.probe({ method: 'GET', url, headers: {} });
    return {
      verdict: result.ok && result.response.status === 200 ? ('pass' as const) : ('retry' as const),
      detail: null,
    };
  };
  const started = performance.now();
  if (concurrent)
    await pollAll(
      Array.from({ length: count }, () => attempt),
      smokeDefaults,
    );
  else for (let i = 0; i < count; i++) await pollUntil(attempt, smokeDefaults);
  const elapsed = performance.now() - started;
  await prober.close();
  return elapsed;
}

async function manyChecks(): Promise<boolean> {
  // 30 ms of "work" per request, as a real endpoint has; a fresh prober (cold pool) each time.
  const app = await startApp(30);
  app.healthyAt = 0;
  const REPS = 15;
  const one: number[] = [];
  const twenty: number[] = [];
  const sequential: number[] = [];
  for (let i = 0; i < REPS; i++) {
    one.push(await timeChecks(app.url, 1, true));
    twenty.push(await timeChecks(app.url, 20, true));
    sequential.push(await timeChecks(app.url, 20, false));
  }
  await stop(app.server);
  const base = percentile(one, 50);
  console.log(
    `\n20 checks against one server (30 ms per request, ${REPS} interleaved repetitions, medians)\n`,
  );
  console.log(`${'run'.padEnd(46)}${'median'.padStart(9)}   ÷ one check`);
  const rows: Array<[string, number[]]> = [
    ['1 check', one],
    ['20 checks, concurrent, one pool (gatehouse)', twenty],
    ['20 checks, one after another', sequential],
  ];
  for (const [name, values] of rows) {
    const median = percentile(values, 50);
    console.log(`${name.padEnd(46)}${ms(median)}   ${(median / base).toFixed(2)}×`);
  }
  const ratio = percentile(twenty, 50) / base;
  const ok = ratio <= 1.5;
  console.log(`\ntarget: 20 checks ≤ 1.5× one check → ${ratio.toFixed(2)}× ${ok ? 'PASS' : 'FAIL'}`);
  return ok;
}

const latencyOk = await gateLatency();
const checksOk = await manyChecks();
if (!latencyOk || !checksOk) process.exitCode = 1;
