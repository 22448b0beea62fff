/**
 * The world of examples/systems/ec2-flask-alembic.yml: the incident's system. Two dev EC2 hosts
 * reached through SSM (tagged app=api, env=dev; the first also db-migrations=true), each running
 * `docker compose` in /opt/app with `image: ghcr.io/acme/api:${IMAGE_TAG}` and the app's settings
 * in .env.prod; a dev database created by hand before anyone ran Alembic (users, audit_events,
 * transactions, no alembic_version) and stage's; the service behind an http→https 301.
 *
 * Releases are commits of a Flask app with Flask-Migrate (fixtures/flask-api): r0 is the app as
 * it ran before Gatehouse (no migrations; its image was pushed and started by hand, and the hand
 * deploys left a `.env` naming it), r1 adds the Alembic baseline 69f75d73808e and c3f8d2a1b9e4.
 * The example's own `image` job builds and pushes each release's image; `flask db` really runs in
 * a one-off container of that image (the docker stand-in runs this machine's programs with the
 * image's files), against the real PostgreSQL. A release's `deploy` break is an image whose health
 * check never passes, so `docker compose up --wait` fails on the hosts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresUnavailableReason } from '@gatehouse/postgres-test-server';
import type { RunResult } from '@gatehouse/workflow-runner';
import { type FillIn, onHost } from '../fill-in';
import type { Break } from '../sample-app';
import type { Service } from '../service';
import { startWorld, type World } from '../world';
import type { RunContext } from './api-world';
import { outcomeOf, runCopied } from './copied-example';
import { DEBIAN_PYTHON_PACKAGES, findAppPython, pythonBin } from './debian-python';
import { fixtureText, fixtureTree } from './fixtures';
import { hostShell } from './host-shell';
import { type ReleaseSpec, releaseLine, type SystemRelease } from './releases';
import { systemApp, systemManifest } from './system-app';

export const EC2_EXAMPLE = 'examples/systems/ec2-flask-alembic.yml';
export const EC2_HOSTS = ['i-0ec2a000000000001', 'i-0ec2a000000000002'] as const;
export const EC2_IMAGE = 'ghcr.io/acme/api';
const APP_DIR = '/opt/app';
const STATE_DIR = '/var/lib/app';
const BACKUP_DIR = '/var/backups/api';
const ENV_PROD = `${APP_DIR}/.env.prod`;
export const EC2_BASELINE = '69f75d73808e';
export const EC2_HEAD = 'c3f8d2a1b9e4';
export const EC2_LEGACY_TABLES = ['users', 'audit_events', 'transactions'];

/** The example's placeholders, in the order of its fill-in table. */
export const EC2_PLACEHOLDERS = [
  'https://dev.api.example.com',
  'http://dev.api.example.com',
  ENV_PROD,
  APP_DIR,
  STATE_DIR,
  BACKUP_DIR,
] as const;

/** The compose file on each host, as the team wrote it (the image's tag from the env file). */
const COMPOSE_FILE = `services:
  web:
    image: ${EC2_IMAGE}:\${IMAGE_TAG}
    env_file: .env.prod
    healthcheck:
      test: ["CMD", "curl", "-fsS", "http://127.0.0.1:8000/healthz"]
      interval: 5s
    restart: unless-stopped
`;

export type Ec2Release = SystemRelease;

export interface Ec2WorldOptions {
  /** Both hosts carry db-migrations=true (a replaced host's tag left on its successor, say). */
  migrationTagOnBoth?: boolean;
}

export interface Ec2World {
  world: World;
  service: Service;
  /** The hosts db-bootstrap may run on (tagged db-migrations=true). */
  migrationHosts: readonly string[];
  /** The deep health token (DEEP_HEALTH_HEADERS of environment dev). */
  deepToken: string;
  fillIns: FillIn[];
  /** The last release deployed successfully (r0 until a deploy succeeds). */
  good: Ec2Release;
  /** Commits and pushes the next release (r1, r2…), with the Alembic migrations. */
  release(spec?: ReleaseSpec): Promise<Ec2Release>;
  /** The example run for the push of a release. */
  deploy(release: Ec2Release, context: RunContext & { text?: string }): Promise<RunResult>;
  /** The image each host's compose runs now. */
  running(): Record<string, string | undefined>;
  /** Points a host's .env.prod at another environment's database, and restarts its app (someone copied stage's file). */
  misconfigureHost(host: string, database: string): Promise<void>;
  describe(release: Ec2Release): string;
  /** Every run of the example in this world, oldest first (keys naming the example file). */
  runs: { title: string; result: RunResult }[];
  close(): Promise<void>;
}

/** Why this world cannot start here, or undefined. */
export async function ec2Unavailable(): Promise<string | undefined> {
  const postgres = postgresUnavailableReason();
  if (postgres) return postgres;
  return (await findAppPython())
    ? undefined
    : `no python3 with Flask-Migrate (Debian: ${DEBIAN_PYTHON_PACKAGES})`;
}

export const EC2_BREAKS: Readonly<Record<Break, string>> = {
  deploy: 'ships an image whose health check never passes: `docker compose up --wait` fails on the hosts',
  smoke: 'answers an empty GraphQL query with 200 (a broken contract)',
  deep: 'reports its payments dependency failing in /health/deep',
  'wrong-env': "is configured with stage's database",
};

export async function startEc2World(options: Ec2WorldOptions = {}): Promise<Ec2World> {
  const python = await findAppPython();
  if (!python) throw new Error(`The EC2 world needs ${(await ec2Unavailable()) ?? 'Flask-Migrate'}.`);
  const root = await mkdtemp(join(tmpdir(), 'gatehouse-ec2-world-'));
  let world: World | undefined;
  try {
    const [first, second] = EC2_HOSTS;
    const tags = { app: 'api', env: 'dev' };
    world = await startWorld({
      repository: 'acme/api',
      hosts: [
        { id: first, tags: { ...tags, 'db-migrations': 'true' } },
        { id: second, tags: options.migrationTagOnBoth ? { ...tags, 'db-migrations': 'true' } : tags },
      ],
      databases: [
        { name: 'dev', setupSql: fixtureText('flask-api/legacy-schema.sql') },
        { name: 'stage', setupSql: fixtureText('flask-api/legacy-schema.sql') },
      ],
      engine: 'postgres',
      path: [await pythonBin(join(root, 'python-bin'), python)],
      dir: join(root, 'world'),
    });
    return await setUp(world, root, options);
  } catch (error) {
    await world?.close();
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

async function setUp(world: World, root: string, options: Ec2WorldOptions): Promise<Ec2World> {
  const appFiles = fixtureTree('flask-api/app');
  const withoutMigrations = Object.fromEntries(
    Object.entries(appFiles).filter(([path]) => !path.startsWith('migrations/')),
  );
  const r0Commit = await world.push(
    { ...withoutMigrations, ...systemManifest({ version: 'r0' }) },
    'r0: the API before Alembic',
    'r0',
  );
  const r0: Ec2Release = { ...r0Commit, version: 'r0' };
  // r0's image was built and pushed before Gatehouse, and started by hand on both hosts.
  const context = join(root, 'r0-image');
  await world.app.cloneInto(context, r0.sha);
  world.standIns.docker.publish(`${EC2_IMAGE}:${r0.sha}`, context, { revision: r0.sha });

  const database = world.databases.dev!;
  for (const host of EC2_HOSTS) {
    await world.writeHostFile(host, `${onHost(APP_DIR)}/compose.yaml`, COMPOSE_FILE);
    await world.writeHostFile(host, `${onHost(ENV_PROD)}`, envProd(database.url, r0.sha));
    await world.writeHostFile(
      host,
      `${onHost(APP_DIR)}/.env`,
      `# Left by the hand deploys before Gatehouse.\nIMAGE_TAG=${r0.sha}\n`,
    );
    await world.writeHostFile(host, `${onHost(STATE_DIR)}/.keep`, '');
    await hostShell(world, host, onHost(APP_DIR), 'docker compose --env-file .env.prod up -d --wait web');
  }

  const deepToken = `deep-${randomBytes(9).toString('hex')}`;
  const service = await world.startService({
    name: 'dev',
    hosts: EC2_HOSTS,
    serving: world.serving.compose('web'),
    app: systemApp({
      show: (sha, path) => world.app.show(sha, path),
      databases: world.databases,
      health: '/healthz',
      protectedPath: '/api/me',
      graphql: true,
      checks: ['database', 'redis'],
      deepHeader: { name: 'Authorization', value: `Bearer ${deepToken}` },
      schemaVersionSql: 'SELECT version_num FROM alembic_version',
      smokeBreak: 'graphql',
    }),
  });
  world.environmentSecrets.dev = { DEEP_HEALTH_HEADERS: `Authorization: Bearer ${deepToken}` };

  const migrationHosts = options.migrationTagOnBoth ? [...EC2_HOSTS] : [EC2_HOSTS[0]];
  const migrationHost = world.hostDir(EC2_HOSTS[0]);
  const values: Record<(typeof EC2_PLACEHOLDERS)[number], string> = {
    'https://dev.api.example.com': service.httpsUrl,
    'http://dev.api.example.com': service.httpUrl,
    // Absolute on the migration host: `docker run --env-file` and the backups are read there.
    [ENV_PROD]: join(migrationHost, onHost(ENV_PROD)),
    [APP_DIR]: onHost(APP_DIR),
    [STATE_DIR]: onHost(STATE_DIR),
    [BACKUP_DIR]: join(migrationHost, onHost(BACKUP_DIR)),
  };
  const fillIns = EC2_PLACEHOLDERS.map((placeholder) => ({ placeholder, value: values[placeholder] }));

  const releases = releaseLine(world, {
    tree: appFiles,
    wrongDatabase: 'stage',
    stories: EC2_BREAKS,
    breakDeploy: (commit) => world.standIns.docker.markUnhealthy(`${EC2_IMAGE}:${commit.sha}`),
  });
  const ec2: Ec2World = {
    world,
    service,
    migrationHosts,
    deepToken,
    fillIns,
    good: r0,
    release: (spec = {}) => releases.next(spec),
    runs: [],
    async deploy(release, context) {
      const title = `deploy api (EC2) · push of ${release.version}`;
      const result = await runCopied(world, {
        example: EC2_EXAMPLE,
        fillIns,
        event: world.pushEvent(release),
        title,
        reporter: context.reporter,
        ...(context.main ? { main: true } : {}),
        ...(context.text ? { text: context.text } : {}),
      });
      ec2.runs.push({ title, result });
      if (outcomeOf(result) === 'deployed') ec2.good = release;
      return result;
    },
    running() {
      return Object.fromEntries(
        EC2_HOSTS.map((host) => [host, world.standIns.docker.running(host, 'web')?.image]),
      );
    },
    async misconfigureHost(host, name) {
      const file = join(world.hostDir(host), onHost(ENV_PROD));
      const current = await readFile(file, 'utf8');
      const url = world.databases[name]!.url;
      await world.writeHostFile(
        host,
        onHost(ENV_PROD),
        current.replace(/^DATABASE_URL=.*$/m, `DATABASE_URL=${url}`),
      );
      await hostShell(world, host, onHost(APP_DIR), 'docker compose --env-file .env.prod up -d --wait web');
    },
    describe: (release) => releases.describe(release),
    async close() {
      await world.close();
      await rm(root, { recursive: true, force: true });
    },
  };
  return ec2;
}

/** The app's settings on a host; docker run --env-file reads them literally, so no quotes. */
function envProd(databaseUrl: string, imageTag: string): string {
  return [
    'APP_ENV=dev',
    `DATABASE_URL=${databaseUrl}`,
    `SECRET_KEY=${randomBytes(16).toString('hex')}`,
    `JWT_SECRET_KEY=${randomBytes(16).toString('hex')}`,
    `IMAGE_TAG=${imageTag}`,
    '',
  ].join('\n');
}
