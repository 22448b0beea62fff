/**
 * Cold start of each action bundle: process time from spawn to exit on a valid input, against
 * bare `node -e 0`, as a median ratio over RUNS interleaved runs. A figure to watch, not a target:
 * most of it is @actions/core loading @actions/http-client and undici (for OIDC) at import time.
 *
 * Run: pnpm bench:cold-start   (RUNS=20 to change the count)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionNames, repoRoot } from '../scripts/actions';

const RUNS = Math.max(10, Number(process.env.RUNS ?? 15));
const temp = mkdtempSync(join(tmpdir(), 'gatehouse-cold-start-'));
const SHA = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

function runnerEnv(inputs: Record<string, string>, event: object, eventName: string): NodeJS.ProcessEnv {
  const files = Object.fromEntries(
    ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_STATE', 'GITHUB_ENV'].map((name) => {
      const file = join(temp, name.toLowerCase());
      writeFileSync(file, '');
      return [name, file];
    }),
  );
  const eventPath = join(temp, `${eventName}.json`);
  writeFileSync(eventPath, JSON.stringify(event));
  return {
    PATH: process.env.PATH,
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_SHA: SHA,
    GITHUB_REPOSITORY: 'example/service',
    RUNNER_TEMP: temp,
    ...files,
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  };
}

/** A valid input per action that finishes without any server; others are measured loading only. */
const scenarios: Record<string, { what: string; env: NodeJS.ProcessEnv; expectExit: number }> = {
  'resolve-ref': {
    what: 'push event (valid)',
    env: runnerEnv(
      {
        environment: 'dev',
        'allowed-events': 'push,workflow_dispatch,release',
        'protected-environments': 'prod',
      },
      { ref: 'refs/heads/main', after: SHA },
      'push',
    ),
    expectExit: 0,
  },
};

function time(args: string[], env: NodeJS.ProcessEnv, expectExit: number): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const elapsed = performance.now() - started;
  if (result.status !== expectExit) {
    throw new Error(`${args.join(' ')} exited ${result.status}, expected ${expectExit}: ${result.stderr}`);
  }
  return elapsed;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

console.log(`cold start, median of ${RUNS} interleaved runs (node ${process.version})\n`);
console.log('action              scenario                          bundle ms   node -e 0 ms   ratio');
for (const name of actionNames()) {
  const bundle = join(repoRoot, 'actions', name, 'dist', 'index.js');
  if (!existsSync(bundle)) continue;
  // Without a scenario: no inputs, so the action stops at its first required input — load time only.
  const scenario = scenarios[name] ?? {
    what: 'load only (config error)',
    env: runnerEnv({}, {}, 'push'),
    expectExit: 1,
  };
  const bundleTimes: number[] = [];
  const baseTimes: number[] = [];
  time([bundle], scenario.env, scenario.expectExit); // warm the file cache, as a runner's disk would be
  for (let i = 0; i < RUNS; i++) {
    baseTimes.push(time(['-e', '0'], { PATH: process.env.PATH }, 0));
    bundleTimes.push(time([bundle], scenario.env, scenario.expectExit));
  }
  const b = median(bundleTimes);
  const n = median(baseTimes);
  console.log(
    `${name.padEnd(19)} ${scenario.what.padEnd(33)} ${b.toFixed(1).padStart(9)}   ${n.toFixed(1).padStart(12)}   ${(b / n).toFixed(2)}×`,
  );
}
