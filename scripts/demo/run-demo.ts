import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMasks } from '@gatehouse/runner-harness';
import { type Expectation, expectDeployed, expectRolledBack } from './expectations';
import { markdownToText } from './markdown-text';
import { type PipelineRun, runPipeline, type StepRun } from './pipeline';
import { type DemoRelease, RELEASES } from './releases';
import { startWorld, type World } from './world';

/**
 * The local end-to-end demo: the dev pipeline, run four times against a world on this machine.
 * Release 1 meets a legacy schema (stamped, migrated) and deploys; release 2 deploys; release 3's
 * deep health fails, so it is rolled back to release 2 on its own; release 4 points at stage's
 * database, the deep gate says `critical` at once, and it is rolled back too.
 */
export interface DemoOptions {
  /** Where summaries and the deploy history go; emptied first. */
  outputDir?: string;
  /** A credential handed to the whole pipeline (database password, smoke-check token). */
  secret?: string;
  /** Where the demo's own lines go (the terminal by default). */
  log?: (line: string) => void;
  /** Called with everything still in place, before the world is taken down (tests scan it). */
  beforeClose?: (world: World, runs: PipelineRun[]) => Promise<void>;
}

export interface ScenarioResult {
  title: string;
  run: PipelineRun;
  expectations: Expectation[];
}

export interface DemoResult {
  ok: boolean;
  scenarios: ScenarioResult[];
  outputDir: string;
  durationMs: number;
}

export const DEFAULT_OUTPUT_DIR = join(tmpdir(), 'gatehouse', 'demo-output');

interface Scenario {
  release: DemoRelease;
  gateTimeout: string;
  expect: (world: World, run: PipelineRun) => Promise<Expectation[]>;
  printSummary?: boolean;
}

const SCENARIOS: Scenario[] = [
  {
    release: RELEASES.first,
    gateTimeout: '15s',
    expect: (world, run) =>
      expectDeployed(world, run, { state: 'legacy', action: 'baseline-stamped-and-migrated' }),
  },
  {
    release: RELEASES.second,
    gateTimeout: '15s',
    expect: (world, run) => expectDeployed(world, run, { state: 'versioned', action: 'migrated' }),
  },
  {
    release: RELEASES.broken,
    // A failing dependency is retried until this passes: short, so the demo stays quick.
    gateTimeout: '8s',
    expect: (world, run) => expectRolledBack(world, run, 'fail', RELEASES.second),
    printSummary: true,
  },
  {
    release: RELEASES.wrongDatabase,
    gateTimeout: '15s',
    expect: (world, run) => expectRolledBack(world, run, 'critical', RELEASES.second),
    printSummary: true,
  },
];

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const outputDir = options.outputDir ?? DEFAULT_OUTPUT_DIR;
  const secret = options.secret ?? `demo-${Math.random().toString(36).slice(2)}`;
  const started = performance.now();
  await rm(outputDir, { recursive: true, force: true });

  log('Gatehouse demo: the dev deploy pipeline, end to end, on this machine\n');
  const world = await startWorld({ secret, outputDir });
  log(`setup ${seconds(performance.now() - started)}: 2 SSM hosts (emulated), dev and stage databases`);
  log(
    `      (embedded PostgreSQL; dev holds a legacy schema), the sample service at ${world.service.httpUrl}`,
  );
  log('      (redirects to https), the GitHub API (stub).');
  log(
    '      db-bootstrap runs with backup: never — pg_dump needs a PostgreSQL install, the demo has none.\n',
  );

  const scenarios: ScenarioResult[] = [];
  try {
    for (const [index, scenario] of SCENARIOS.entries()) {
      const { release } = scenario;
      log(`${release.title}: tag ${release.tag}, commit ${release.sha.slice(0, 7)}`);
      const run = await runPipeline(world, release, {
        secret,
        runId: 4200 + index,
        gateTimeout: scenario.gateTimeout,
      });
      for (const step of run.steps) log(stepLine(step));
      const expectations = await scenario.expect(world, run);
      for (const e of expectations.filter((x) => !x.holds)) log(`    ✗ expected: ${e.what}; saw ${e.seen}`);
      const held = expectations.filter((e) => e.holds).length;
      log(
        `  ${held === expectations.length ? '✓' : '✗'} ${held} of ${expectations.length} expectations held · ${seconds(run.durationMs)}`,
      );
      if (scenario.printSummary) {
        log(`\n  The summary (markdown in ${run.summaryFile}):\n`);
        log(indent(markdownToText(run.markdown), '  │ '));
      }
      log('');
      scenarios.push({ title: release.title, run, expectations });
    }
    await options.beforeClose?.(
      world,
      scenarios.map((s) => s.run),
    );
  } finally {
    await world.close();
  }

  const ok =
    scenarios.length === SCENARIOS.length && scenarios.every((s) => s.expectations.every((e) => e.holds));
  const durationMs = performance.now() - started;
  const all = scenarios.flatMap((s) => s.expectations);
  log(
    `${ok ? '✓' : '✗'} ${all.filter((e) => e.holds).length} of ${all.length} expectations held in ${seconds(durationMs)}.`,
  );
  log(`Summaries and the deploy history: ${outputDir}`);
  return { ok, scenarios, outputDir, durationMs };
}

/** One line per step: what it found, as its outputs say; the first error when it failed. */
function stepLine(step: StepRun): string {
  const o = step.run.outputs;
  const details: Record<string, () => string> = {
    'resolve-ref': () => `${o.sha?.slice(0, 7)} ${o.ref} (${o.source})`,
    preflight: () => `passed: ${o.passed}`,
    'db-bootstrap': () =>
      `${o['schema-state']} → ${o['action-taken']}; version ${o['version-before'] || '(none)'} → ${o['version-after'] || '(none)'}`,
    'deploy-ssm': () => `${o.status}; ${JSON.parse(o.results ?? '[]').length} hosts`,
    'smoke-check': () => `passed: ${o.passed}`,
    'health-deep-gate': () => `verdict: ${o.verdict}`,
    rollback: () => `${o.status}; back to ${o['rolled-back-to']}`,
    summary: () => `outcome: ${o.outcome}; GitHub deployment ${o['deployment-id'] || '(none)'}`,
  };
  const detail = details[step.action]?.() ?? '';
  const error = step.run.errors[0]
    ? `\n      ${applyMasks(step.run.errors[0].split('\n')[0]!, step.run.masks)}`
    : '';
  return `  ${step.run.succeeded ? '✓' : '✗'} ${step.label.padEnd(34)} ${seconds(step.durationMs).padStart(6)}  ${detail}${error}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`.trimEnd())
    .join('\n');
}
