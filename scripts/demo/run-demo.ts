import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import {
  APP_DIR,
  type ApiWorld,
  type DatabaseEngine,
  ENVIRONMENTS,
  type FillIn,
  onHost,
  printingReporter,
  renderSummaries,
  STATE_DIR,
  startApiWorld,
} from '@gatehouse/local-world';
import type { RunResult } from '@gatehouse/workflow-runner';
import { type Expectation, expectDeployed, expectRolledBack } from './expectations';
import { type DemoRelease, RELEASES } from './releases';

/**
 * The local demo: `.github/workflows/deploy.yml` itself, called by scripts/demo/deploy-dev.yml as
 * examples/workflows/deploy-dev.yml calls it, four times against the local world (two dev hosts
 * over SSM, compose building the app on each, the GitHub API, a legacy dev database and stage's).
 * Release 1 meets the legacy schema (stamped, migrated) and deploys; release 2 deploys; release 3's
 * deep health fails, so it is rolled back to release 2 on its own; release 4 talks to stage's
 * database, the deep gate says critical at once, and it is rolled back too.
 */
export const DEMO_CALLER = 'scripts/demo/deploy-dev.yml';

export interface DemoOptions {
  /** Default: Debian's PostgreSQL when installed (backups verified with pg_dump), else embedded PGlite. */
  engine?: DatabaseEngine;
  /** A credential in every secret the runs get (database owner password, smoke and deep tokens). */
  secret?: string;
  /** Only the first N releases (a test of the embedded database runs one). */
  releases?: number;
  /** Where the demo's own lines go (the terminal by default). */
  log?: (line: string) => void;
  /** Called with everything still in place, before the world is taken down (tests scan it). */
  beforeClose?: (api: ApiWorld, runs: readonly RunResult[]) => Promise<void>;
}

export interface ScenarioResult {
  release: DemoRelease;
  run: RunResult;
  expectations: Expectation[];
}

export interface DemoResult {
  ok: boolean;
  scenarios: ScenarioResult[];
  durationMs: number;
}

/** The sample app declares node-pg-migrate as a file: package: the workspace's own install. */
function appFiles(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const tool = realpathSync(dirname(require.resolve('node-pg-migrate/package.json')));
  const manifest = {
    name: 'sample-api',
    private: true,
    devDependencies: { 'node-pg-migrate': `file:${tool}` },
  };
  return { 'package.json': `${JSON.stringify(manifest, null, 2)}\n` };
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const secret = options.secret ?? `demo${Math.random().toString(36).slice(2)}`;
  const started = performance.now();

  log('Gatehouse demo: .github/workflows/deploy.yml, called as examples/workflows/deploy-dev.yml calls it,');
  log('deploying four releases to dev in a world on this machine.\n');
  const api = await startApiWorld({
    secret,
    appFiles: appFiles(),
    ...(options.engine ? { engine: options.engine } : {}),
  });
  const { world } = api;
  const dev = api.services.dev;
  world.environmentSecrets.dev = { ...world.environmentSecrets.dev, DATABASE_URL: world.databases.dev!.url };
  world.vars.SERVICE_CA_FILE = world.caFile;
  if (world.engine === 'embedded') world.vars.DB_BACKUP = 'never';
  const fillIns: FillIn[] = [
    { placeholder: ENVIRONMENTS.dev.placeholderUrl, value: dev.httpUrl },
    { placeholder: APP_DIR, value: onHost(APP_DIR) },
    { placeholder: STATE_DIR, value: onHost(STATE_DIR) },
  ];
  log(`The world (${seconds(performance.now() - started)}):`);
  log(`  dev hosts ${ENVIRONMENTS.dev.hosts.join(', ')} (SSM emulator, tags app=api env=dev), each with a`);
  log('  checkout of the app in /opt/app that docker compose (a stand-in) builds and runs;');
  log(`  the service at ${dev.httpUrl}, which redirects to https (a private CA);`);
  log(
    `  the dev and stage databases (${world.engine === 'postgres' ? "Debian's PostgreSQL" : 'embedded PGlite: no pg_dump, so no backups'}); dev's is legacy: tables made by hand, no migrations table;`,
  );
  log(
    `  the GitHub API for ${world.repository} (stub), secrets DATABASE_URL, SMOKE_HEADERS, DEEP_HEALTH_HEADERS.`,
  );

  const reporter = printingReporter(log, { summaries: false });
  const scenarios: ScenarioResult[] = [];
  let lastGood = '';
  try {
    for (const [index, release] of RELEASES.slice(0, options.releases ?? RELEASES.length).entries()) {
      const commit = await api.release(release.spec);
      log(`\nRelease ${index + 1} (${commit.version}, commit ${commit.sha.slice(0, 7)}): ${release.title}.`);
      const title = `deploy dev · push of ${commit.version}`;
      reporter.runStarted(title, true);
      const run = await world.run({
        workflow: DEMO_CALLER,
        fillIns,
        event: world.pushEvent(commit),
        onLine: (line) => reporter.line(line, true),
      });
      reporter.runFinished(title, run, true);
      const expectations =
        release.expect === 'deployed'
          ? await expectDeployed(api, run, release, {
              state: index === 0 ? 'legacy' : 'versioned',
              action: index === 0 ? 'baseline-stamped-and-migrated' : 'migrated',
            })
          : await expectRolledBack(api, run, release.spec.break === 'deep' ? 'fail' : 'critical', lastGood);
      if (release.expect === 'deployed') lastGood = commit.sha;
      for (const e of expectations.filter((x) => !x.holds)) log(`    ✗ expected: ${e.what}; saw ${e.seen}`);
      const held = expectations.filter((e) => e.holds).length;
      log(
        `  ${held === expectations.length ? '✓' : '✗'} ${held} of ${expectations.length} expectations held`,
      );
      scenarios.push({ release, run, expectations });
    }
    const last = scenarios.at(-1)?.run;
    if (last) log(renderSummaries(last));
    await options.beforeClose?.(
      api,
      scenarios.map((s) => s.run),
    );
  } finally {
    await api.close();
  }

  const ok =
    scenarios.length === (options.releases ?? RELEASES.length) &&
    scenarios.every((s) => s.expectations.every((e) => e.holds));
  const durationMs = performance.now() - started;
  const all = scenarios.flatMap((s) => s.expectations);
  log(
    `\n${ok ? '✓' : '✗'} ${all.filter((e) => e.holds).length} of ${all.length} expectations held in ${seconds(durationMs)}.`,
  );
  return { ok, scenarios, durationMs };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
