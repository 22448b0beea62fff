/**
 * SSM fan-out: how the command runner waits on N hosts, against the usual alternative — the SDK's
 * `waitUntilCommandExecuted` on each host — in the same run, on the SSM emulator, for N = 1, 10,
 * 100, 500 hosts running a 2 s script. Figures: SSM calls per poll and in total, detection lag
 * (last invocation finished → the waiter returns) and wall time. Then a run with the emulator
 * throttling at 5 requests/s, which must not fail.
 *
 * Targets: calls per poll ≤ ⌈N/50⌉ + 1; median detection lag ≤ 1 s; no failure when throttled.
 * Run: npx tsx bench/ssm-fanout.ts   (SIZES=1,10 REPS=1 for a quick look)
 */
import { SendCommandCommand, SSMClient, waitUntilCommandExecuted } from '@aws-sdk/client-ssm';
import { type SsmEmulator, startSsmEmulator } from '@gatehouse/ssm-emulator';
import { createRunner } from '../packages/command-runner/src/index';

const SIZES = (process.env.SIZES ?? '1,10,100,500').split(',').map(Number);
const REPS = Number(process.env.REPS ?? 3);
const SCRIPT = 'sleep 2';

interface Figures {
  callsPerPollMax: number;
  callsTotal: number;
  lagMs: number;
  wallMs: number;
  failed: boolean;
}

function hostIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `i-${(i + 1).toString(16).padStart(17, '0')}`);
}

function useEmulator(emulator: SsmEmulator): void {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SSM: emulator.endpoint,
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_REGION: 'eu-west-1',
  });
}

async function lastFinished(emulator: SsmEmulator, ids: string[]): Promise<number> {
  const done = await Promise.all(ids.map((id) => emulator.waitForCommand(id)));
  return Math.max(...done.map((d) => d.lastFinishedAt));
}

/** Gatehouse's runner: paged ListCommandInvocations, 0.5 s polls backing off to 5 s. */
async function gatehouse(emulator: SsmEmulator, ids: string[]): Promise<Figures> {
  useEmulator(emulator);
  const polls: number[] = [];
  const commandIds: string[] = [];
  const runner = await createRunner(
    { target: 'ssm', instanceIds: ids, instanceTags: [] },
    { onPoll: (calls) => polls.push(calls) },
  );
  emulator.resetStats();
  const started = performance.now();
  const result = await runner.run({
    script: SCRIPT,
    executionTimeoutMs: 600_000,
    maxConcurrency: '50',
    maxErrors: '0',
    onSent: (id) => void commandIds.push(id),
  });
  const returnedAt = Date.now();
  const wallMs = performance.now() - started;
  const finishedAt = await lastFinished(emulator, commandIds);
  return {
    callsPerPollMax: Math.max(...polls),
    callsTotal: emulator.stats().total,
    lagMs: returnedAt - finishedAt,
    wallMs,
    failed: !result.succeeded || result.hosts.length !== ids.length,
  };
}

/** The usual alternative: send the same commands, then the SDK waiter on every host at once. */
async function perHostWaiter(emulator: SsmEmulator, ids: string[]): Promise<Figures> {
  useEmulator(emulator);
  const client = new SSMClient({});
  emulator.resetStats();
  const started = performance.now();
  const pairs: { commandId: string; host: string }[] = [];
  const commandIds: string[] = [];
  for (let i = 0; i < ids.length; i += 50) {
    const chunk = ids.slice(i, i + 50);
    const sent = await client.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: chunk,
        Parameters: { commands: [SCRIPT] },
        MaxConcurrency: '50',
        MaxErrors: '0',
      }),
    );
    const commandId = sent.Command!.CommandId!;
    commandIds.push(commandId);
    for (const host of chunk) pairs.push({ commandId, host });
  }
  let failed = false;
  await Promise.all(
    pairs.map(({ commandId, host }) =>
      waitUntilCommandExecuted(
        { client, maxWaitTime: 600 },
        { CommandId: commandId, InstanceId: host },
      ).catch(() => {
        failed = true;
      }),
    ),
  );
  const returnedAt = Date.now();
  const wallMs = performance.now() - started;
  const finishedAt = await lastFinished(emulator, commandIds);
  const gets = emulator.stats().calls.GetCommandInvocation ?? 0;
  return {
    // Each waiter round is one GetCommandInvocation per host.
    callsPerPollMax: ids.length,
    callsTotal: emulator.stats().total,
    lagMs: returnedAt - finishedAt,
    wallMs,
    failed: failed || gets < ids.length,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function measure(
  n: number,
  how: (e: SsmEmulator, ids: string[]) => Promise<Figures>,
  reps: number,
): Promise<Figures> {
  const runs: Figures[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const ids = hostIds(n);
    const emulator = await startSsmEmulator({ hosts: ids });
    try {
      runs.push(await how(emulator, ids));
    } finally {
      await emulator.close();
    }
  }
  return {
    callsPerPollMax: Math.max(...runs.map((r) => r.callsPerPollMax)),
    callsTotal: median(runs.map((r) => r.callsTotal)),
    lagMs: median(runs.map((r) => r.lagMs)),
    wallMs: median(runs.map((r) => r.wallMs)),
    failed: runs.some((r) => r.failed),
  };
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(1)}×` : '-');
const pad = (cells: (string | number)[]) => `| ${cells.map(String).join(' | ')} |`;

const rows: string[] = [];
const verdicts: string[] = [];
for (const n of SIZES) {
  const ours = await measure(n, gatehouse, REPS);
  const theirs = await measure(n, perHostWaiter, n >= 500 ? 1 : REPS);
  const budget = Math.ceil(n / 50) + 1;
  rows.push(
    pad([
      n,
      `${ours.callsPerPollMax} / ${theirs.callsPerPollMax} (${ratio(theirs.callsPerPollMax, ours.callsPerPollMax)})`,
      `${ours.callsTotal} / ${theirs.callsTotal} (${ratio(theirs.callsTotal, ours.callsTotal)})`,
      `${s(ours.lagMs)} / ${s(theirs.lagMs)} (${ratio(theirs.lagMs, ours.lagMs)})`,
      `${s(ours.wallMs)} / ${s(theirs.wallMs)} (${ratio(theirs.wallMs, ours.wallMs)})`,
      ours.failed || theirs.failed ? `FAILED (ours ${ours.failed}, waiter ${theirs.failed})` : 'ok',
    ]),
  );
  verdicts.push(
    `N=${n}: calls per poll ${ours.callsPerPollMax} ≤ ${budget} ${ours.callsPerPollMax <= budget ? 'PASS' : 'FAIL'}; ` +
      `median detection lag ${s(ours.lagMs)} ≤ 1 s ${ours.lagMs <= 1000 ? 'PASS' : 'FAIL'}`,
  );
}

console.log(
  `SSM fan-out: ${SCRIPT} on N emulated hosts; gatehouse runner / per-host waitUntilCommandExecuted (waiter ÷ ours); medians of ${REPS} runs (1 for the waiter at N=500)\n`,
);
console.log(pad(['N', 'calls per poll (max)', 'calls in total', 'detection lag', 'wall time', 'result']));
console.log(pad(['---', '---', '---', '---', '---', '---']));
for (const row of rows) console.log(row);
console.log('');
for (const v of verdicts) console.log(v);

// Throttling: every operation above 5 requests/s answers ThrottlingException.
const throttledN = Math.max(...SIZES);
const ids = hostIds(throttledN);
const emulator = await startSsmEmulator({ hosts: ids, faults: { throttleAboveRps: 5 } });
try {
  const ours = await gatehouse(emulator, ids);
  const throttled = emulator.stats().throttled;
  console.log(
    `\nThrottled at 5 requests/s, N=${throttledN}: ${ours.failed ? 'FAILED' : 'succeeded'}; ` +
      `${ours.callsTotal} calls (${throttled} throttled and retried by the SDK's adaptive mode), ` +
      `detection lag ${s(ours.lagMs)}, wall ${s(ours.wallMs)} — ${ours.failed ? 'FAIL' : 'PASS'}`,
  );
} finally {
  await emulator.close();
}
