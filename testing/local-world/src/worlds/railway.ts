/**
 * The world of examples/systems/railway-supabase.yml: an API service on Railway (the railway
 * stand-in's project: token, environment `production`, service `api`) on a Supabase PostgreSQL
 * whose migrations the team applies before merging the code that needs them ("migration first,
 * code after"): the real node-pg-migrate, run by the world as the team runs it. Staging's Supabase
 * is there for the release that is configured with the wrong one.
 *
 * Railway serves the commit of its newest successful `railway up` in production; the service
 * answers for that commit with the app's contract (/health, /api/me behind a login, /health/deep
 * behind DEEP_HEALTH_HEADERS' token, checks supabase and redis, schema version from pgmigrations).
 * When the deployment that serves has crashed, Railway's edge answers 503 for it. A release's
 * `deploy` break is a commit whose Railway build fails.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '@gatehouse/action-kit/command';
import { postgresUnavailableReason } from '@gatehouse/postgres-test-server';
import type { RunResult } from '@gatehouse/workflow-runner';
import type { Commit } from '../app-repository';
import type { FillIn } from '../fill-in';
import type { Break } from '../sample-app';
import type { Service } from '../service';
import { startWorld, type World } from '../world';
import type { RunContext } from './api-world';
import { runCopied } from './copied-example';
import { fixtureTree } from './fixtures';
import { type ReleaseSpec, releaseLine, type SystemRelease } from './releases';
import { systemApp, systemManifest } from './system-app';

export const RAILWAY_EXAMPLE = 'examples/systems/railway-supabase.yml';
export const RAILWAY_PLACEHOLDERS = ['https://api.example.com'] as const;
export const RAILWAY_SERVICE = 'api';
export const RAILWAY_ENVIRONMENT = 'production';
export const AVATARS_MIGRATION = '1710000000000_profile-avatars';

const NODE_PG_MIGRATE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'node_modules',
  '.bin',
  'node-pg-migrate',
);

export const RAILWAY_BREAKS: Readonly<Record<Break, string>> = {
  deploy: 'fails its Railway build: `railway up` reports the deploy failed',
  smoke: 'lets /api/me through without a login (a broken contract)',
  deep: 'reports its payments dependency failing in /health/deep (the gate waits out its 5m timeout)',
  'wrong-env': "is configured with staging's Supabase: /health/deep says CRITICAL",
};

export interface RailwayWorld {
  world: World;
  service: Service;
  fillIns: FillIn[];
  /** RAILWAY_TOKEN, DEEP_HEALTH_HEADERS' token. */
  tokens: { railway: string; deep: string };
  good: SystemRelease;
  /** The next release; with `migration`, it ships the avatars migration (r1 does). */
  release(spec?: ReleaseSpec): Promise<SystemRelease>;
  /** Applies a release's migrations to Supabase, as the team does before merging. */
  applyMigrations(release: Commit): Promise<void>;
  /** The deployment that serves now crashes: Railway's edge answers 503 until a new one serves. */
  crash(): void;
  deploy(
    release: SystemRelease,
    context: RunContext & { env?: Record<string, string | undefined> },
  ): Promise<RunResult>;
  /** The commit Railway serves in production. */
  serving(): string | undefined;
  describe(release: SystemRelease): string;
  runs: { title: string; result: RunResult }[];
  close(): Promise<void>;
}

export function railwayUnavailable(): string | undefined {
  return postgresUnavailableReason();
}

export async function startRailwayWorld(): Promise<RailwayWorld> {
  const root = await mkdtemp(join(tmpdir(), 'gatehouse-railway-world-'));
  let world: World | undefined;
  try {
    world = await startWorld({
      repository: 'acme/api',
      hosts: [],
      databases: [
        { name: 'supabase', marker: 'production', setupSql: '' },
        { name: 'supabase_staging', marker: 'staging', setupSql: '' },
      ],
      engine: 'postgres',
      dir: join(root, 'world'),
    });
    return await setUp(world, root);
  } catch (error) {
    await world?.close();
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

async function setUp(world: World, root: string): Promise<RailwayWorld> {
  const appFiles = fixtureTree('railway-api/app');
  const tokens = {
    railway: `rw-${randomBytes(12).toString('hex')}`,
    deep: `deep-${randomBytes(9).toString('hex')}`,
  };
  const failing: string[] = [];
  const configure = () =>
    world.standIns.railway.configure({
      token: tokens.railway,
      environments: [RAILWAY_ENVIRONMENT, 'staging'],
      services: [RAILWAY_SERVICE],
      failingCommits: failing,
    });
  configure();
  const supabase = world.databases.supabase!;
  let checkouts = 0;
  const checkout = async (sha: string) => {
    const dir = join(root, 'checkouts', String(++checkouts));
    await world.app.cloneInto(dir, sha);
    return dir;
  };
  const applyMigrations = async (commit: Commit) => {
    const dir = await checkout(commit.sha);
    const result = await runCommand(NODE_PG_MIGRATE, ['up', '--migrations-dir', 'migrations'], {
      cwd: dir,
      env: { ...process.env, DATABASE_URL: supabase.url },
    });
    if (result.exitCode !== 0)
      throw new Error(`node-pg-migrate up failed: ${result.stderr || result.stdout}`);
  };

  const r0Commit = await world.push(
    {
      ...Object.fromEntries(Object.entries(appFiles).filter(([path]) => !path.includes(AVATARS_MIGRATION))),
      ...systemManifest({ version: 'r0' }),
    },
    'r0: the API as Railway serves it',
    'r0',
  );
  const r0: SystemRelease = { ...r0Commit, version: 'r0' };
  await applyMigrations(r0);
  const up = await runCommand(
    'railway',
    ['up', '--ci', '--service', RAILWAY_SERVICE, '--environment', RAILWAY_ENVIRONMENT],
    { cwd: await checkout(r0.sha), env: { ...world.standIns.env(), RAILWAY_TOKEN: tokens.railway } },
  );
  if (up.exitCode !== 0) throw new Error(`railway up of r0 failed: ${up.stderr}`);

  const crashed = new Set<string>();
  const servingDeployment = () => world.standIns.railway.serving(RAILWAY_ENVIRONMENT, RAILWAY_SERVICE);
  const service = await world.startService({
    name: 'railway',
    hosts: ['railway'],
    serving: async (host) => {
      const deployment = servingDeployment();
      if (!deployment?.commit || crashed.has(deployment.id)) return undefined;
      return {
        host,
        sha: deployment.commit,
        env: { APP_ENV: RAILWAY_ENVIRONMENT, DATABASE_URL: supabase.url },
      };
    },
    app: systemApp({
      show: (sha, path) => world.app.show(sha, path),
      databases: world.databases,
      health: '/health',
      protectedPath: '/api/me',
      checks: ['supabase', 'redis'],
      databaseCheck: 'supabase',
      deepHeader: { name: 'Authorization', value: `Bearer ${tokens.deep}` },
      schemaVersionSql: 'SELECT name FROM pgmigrations ORDER BY run_on DESC, id DESC LIMIT 1',
      smokeBreak: 'login',
    }),
  });
  world.environmentSecrets[RAILWAY_ENVIRONMENT] = {
    SUPABASE_DB_URL: supabase.url,
    DEEP_HEALTH_HEADERS: `Authorization: Bearer ${tokens.deep}`,
    RAILWAY_TOKEN: tokens.railway,
  };
  const fillIns = [{ placeholder: RAILWAY_PLACEHOLDERS[0], value: service.httpsUrl }];
  const releases = releaseLine(world, {
    tree: appFiles,
    wrongDatabase: 'supabase_staging',
    stories: RAILWAY_BREAKS,
    breakDeploy(commit) {
      failing.push(commit.sha);
      configure();
    },
  });

  const railway: RailwayWorld = {
    world,
    service,
    fillIns,
    tokens,
    good: r0,
    release: (spec = {}) => releases.next(spec),
    applyMigrations,
    crash() {
      const deployment = servingDeployment();
      if (deployment) crashed.add(deployment.id);
    },
    runs: [],
    async deploy(release, context) {
      const title = `deploy api (Railway) · push of ${release.version}`;
      const result = await runCopied(world, {
        example: RAILWAY_EXAMPLE,
        fillIns,
        event: world.pushEvent(release),
        title,
        reporter: context.reporter,
        ...(context.main ? { main: true } : {}),
        // The runner's npm installs nothing from the network: an `npm install --global` that
        // runs fails, and could only ever write into the world's own prefix.
        env: {
          npm_config_offline: 'true',
          npm_config_registry: 'http://127.0.0.1:9/',
          npm_config_prefix: join(root, 'npm-global'),
          npm_config_update_notifier: 'false',
          ...context.env,
        },
      });
      railway.runs.push({ title, result });
      if (result.conclusion === 'success') railway.good = release;
      return result;
    },
    serving: () => servingDeployment()?.commit,
    describe: (release) => releases.describe(release),
    async close() {
      await world.close();
      await rm(root, { recursive: true, force: true });
    },
  };
  return railway;
}
