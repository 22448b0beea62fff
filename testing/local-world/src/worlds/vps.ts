/**
 * The world of examples/systems/vps-compose-prisma.yml: a CRM backend on one VPS registered with
 * SSM as a managed node (mi-0123456789abcdef0, tagged env=prod), `docker compose -f
 * docker-compose.production.yml` in /opt/crm with `image: ghcr.io/acme/crm-backend:${IMAGE_TAG}`
 * filled in from the `.env` beside it, and a production database whose schema the old SSH
 * pipeline's `prisma migrate deploy` made (the init migration recorded in _prisma_migrations).
 *
 * Releases are commits of a Prisma app (fixtures/crm-prisma): r0 runs before the example (its image
 * pushed and started by hand), r1 on add the contact_tags migration. The repository carries
 * `node_modules/prisma` as `npm install` leaves it, pointing at the Prisma stand-in: the docker
 * stand-in does not run a Dockerfile's RUN lines, so this is how the image the example's own job
 * builds has Prisma in it, and `docker run … npx --no prisma migrate deploy` finds it there. A
 * release's `deploy` break is an image whose health check never passes.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
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
import { fixtureText, fixtureTree } from './fixtures';
import { hostShell } from './host-shell';
import { type ReleaseSpec, releaseLine, type SystemRelease } from './releases';
import { systemApp, systemManifest } from './system-app';

export const VPS_EXAMPLE = 'examples/systems/vps-compose-prisma.yml';
/** The managed node the example names: the world's VPS has that id, so it needs no filling in. */
export const VPS_HOST = 'mi-0123456789abcdef0';
export const VPS_IMAGE = 'ghcr.io/acme/crm-backend';
const APP_DIR = '/opt/crm';
const STATE_DIR = '/var/lib/crm';
const BACKUP_DIR = '/opt/crm/backups';
const ENV_FILE = '/opt/crm/.env';
export const VPS_INIT = '20240101000000_init';
export const VPS_HEAD = '20240301000000_contact_tags';

export const VPS_PLACEHOLDERS = [
  'https://crm.example.com',
  BACKUP_DIR,
  ENV_FILE,
  APP_DIR,
  STATE_DIR,
] as const;

const COMPOSE_FILE = `name: crm
services:
  backend:
    image: ${VPS_IMAGE}:\${IMAGE_TAG}
    env_file: .env
    healthcheck:
      test: ["CMD", "curl", "-fsS", "http://127.0.0.1:3000/health"]
      interval: 10s
    restart: unless-stopped
`;

export const VPS_BREAKS: Readonly<Record<Break, string>> = {
  deploy: 'ships an image whose health check never passes: `docker compose up --wait` fails on the VPS',
  smoke: 'lets /api/contacts through without a login (a broken contract)',
  deep: 'reports its payments dependency failing in /health/deep',
  'wrong-env': "is configured with the developers' database",
};

export interface VpsWorld {
  world: World;
  service: Service;
  fillIns: FillIn[];
  /** The last release deployed successfully (r0 until a deploy succeeds). */
  good: SystemRelease;
  release(spec?: ReleaseSpec): Promise<SystemRelease>;
  deploy(release: SystemRelease, context: RunContext): Promise<RunResult>;
  /** The image compose runs on the VPS now. */
  running(): string | undefined;
  /** The backups in /opt/crm/backups on the VPS, oldest first. */
  backups(): Promise<string[]>;
  describe(release: SystemRelease): string;
  runs: { title: string; result: RunResult }[];
  close(): Promise<void>;
}

export function vpsUnavailable(): string | undefined {
  return postgresUnavailableReason();
}

export async function startVpsWorld(): Promise<VpsWorld> {
  const root = await mkdtemp(join(tmpdir(), 'gatehouse-vps-world-'));
  let world: World | undefined;
  try {
    world = await startWorld({
      repository: 'acme/crm',
      hosts: [{ id: VPS_HOST, tags: { env: 'prod' } }],
      databases: [
        { name: 'production', setupSql: fixtureText('crm-prisma/existing-schema.sql') },
        { name: 'crm_dev', marker: 'dev', setupSql: fixtureText('crm-prisma/existing-schema.sql') },
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

async function setUp(world: World, root: string): Promise<VpsWorld> {
  const appFiles = fixtureTree('crm-prisma/app');
  const r0Files = Object.fromEntries(Object.entries(appFiles).filter(([path]) => !path.includes(VPS_HEAD)));
  // What `npm install` leaves in the build context: the prisma package (here, the stand-in).
  world.standIns.prisma.install(world.app.dir);
  const r0Commit = await world.push(
    { ...r0Files, ...systemManifest({ version: 'r0' }) },
    'r0: the CRM as the SSH pipeline deployed it',
    'r0',
  );
  const r0: SystemRelease = { ...r0Commit, version: 'r0' };
  const context = join(root, 'r0-image');
  await world.app.cloneInto(context, r0.sha);
  world.standIns.docker.publish(`${VPS_IMAGE}:${r0.sha}`, context, { revision: r0.sha });
  // The old pipeline's migrate deploy recorded init; the same record, through the stand-in.
  for (const name of ['production', 'crm_dev']) {
    const url = world.databases[name]!.url;
    await hostShell(
      world,
      VPS_HOST,
      '',
      `cd ${JSON.stringify(context)} && DATABASE_URL=${JSON.stringify(url)} npx --no prisma migrate resolve --applied ${VPS_INIT}`,
    );
  }

  await world.writeHostFile(VPS_HOST, `${onHost(APP_DIR)}/docker-compose.production.yml`, COMPOSE_FILE);
  await world.writeHostFile(
    VPS_HOST,
    onHost(ENV_FILE),
    [
      'APP_ENV=production',
      `DATABASE_URL=${world.databases.production!.url}`,
      'JWT_SECRET=jwt-secret-of-the-vps',
      'WHATSAPP_TOKEN=whatsapp-token-of-the-vps',
      `IMAGE_TAG=${r0.sha}`,
      '',
    ].join('\n'),
  );
  await world.writeHostFile(VPS_HOST, `${onHost(STATE_DIR)}/.keep`, '');
  await hostShell(
    world,
    VPS_HOST,
    onHost(APP_DIR),
    'docker compose -f docker-compose.production.yml up -d --wait backend',
  );

  const service = await world.startService({
    name: 'crm',
    hosts: [VPS_HOST],
    serving: world.serving.compose('backend'),
    app: systemApp({
      show: (sha, path) => world.app.show(sha, path),
      databases: world.databases,
      health: '/health',
      protectedPath: '/api/contacts',
      checks: ['database', 'redis'],
      schemaVersionSql:
        'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name DESC LIMIT 1',
      smokeBreak: 'login',
    }),
  });

  const hostDir = world.hostDir(VPS_HOST);
  const values: Record<(typeof VPS_PLACEHOLDERS)[number], string> = {
    'https://crm.example.com': service.httpsUrl,
    // Absolute on the VPS: `docker run --env-file` and the backups are read there.
    [BACKUP_DIR]: join(hostDir, onHost(BACKUP_DIR)),
    [ENV_FILE]: join(hostDir, onHost(ENV_FILE)),
    [APP_DIR]: onHost(APP_DIR),
    [STATE_DIR]: onHost(STATE_DIR),
  };
  const fillIns = VPS_PLACEHOLDERS.map((placeholder) => ({ placeholder, value: values[placeholder] }));
  const releases = releaseLine(world, {
    tree: appFiles,
    wrongDatabase: 'crm_dev',
    stories: VPS_BREAKS,
    breakDeploy: (commit) => world.standIns.docker.markUnhealthy(`${VPS_IMAGE}:${commit.sha}`),
  });

  const vps: VpsWorld = {
    world,
    service,
    fillIns,
    good: r0,
    release: (spec = {}) => releases.next(spec),
    runs: [],
    async deploy(release, context) {
      const title = `deploy crm (VPS) · push of ${release.version}`;
      const result = await runCopied(world, {
        example: VPS_EXAMPLE,
        fillIns,
        event: world.pushEvent(release),
        title,
        reporter: context.reporter,
        ...(context.main ? { main: true } : {}),
      });
      vps.runs.push({ title, result });
      if (outcomeOf(result) === 'deployed') vps.good = release;
      return result;
    },
    running: () => world.standIns.docker.running(VPS_HOST, 'backend')?.image,
    async backups() {
      const names = await readdir(join(hostDir, onHost(BACKUP_DIR))).catch(() => []);
      return names.filter((name) => name.endsWith('.dump')).sort();
    },
    describe: (release) => releases.describe(release),
    async close() {
      await world.close();
      await rm(root, { recursive: true, force: true });
    },
  };
  return vps;
}
