/**
 * The world of examples/systems/kubernetes.yml: one dispatched workflow for dev, stage and prod on
 * a Kubernetes cluster (the kubectl stand-in at https://k8s.acme.test, namespaces web-dev,
 * web-stage, web-prod; rollout waits scaled so a 10m timeout passes in about a second), each
 * GitHub environment with its own DATABASE_URL and KUBECONFIG secrets and DB_BACKUP_PUBLIC_KEY
 * variable (an OpenPGP key the world made; the private half stays with the world, as with the
 * people who restore). Dev runs r0 before the story starts; stage and prod run nothing yet.
 *
 * The app (fixtures/k8s-web) is a Prisma project whose `prisma` devDependency is `file:vendor/prisma`,
 * a link to the Prisma stand-in's package, with the lock file npm wrote for it: the example's own
 * `npm ci` installs it on the runner, and its migrations and seed run against the environment's
 * real PostgreSQL. One ingress address serves the environments by path (/dev, /stage, /prod), each
 * answered for the image the cluster serves there. A release's `deploy` break is an image whose
 * pods never become ready.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '@gatehouse/action-kit/command';
import { postgresUnavailableReason } from '@gatehouse/postgres-test-server';
import { type RunResult, workflowDispatchEvent } from '@gatehouse/workflow-runner';
import type { FillIn } from '../fill-in';
import type { Break } from '../sample-app';
import type { AppHandler, ServedVersion, Service } from '../service';
import { startWorld, type World } from '../world';
import type { RunContext } from './api-world';
import { copiedPath, runCopied } from './copied-example';
import { fixtureText, fixtureTree } from './fixtures';
import { type ReleaseSpec, releaseLine, type SystemRelease } from './releases';
import { systemApp, systemManifest } from './system-app';

export const K8S_EXAMPLE = 'examples/systems/kubernetes.yml';
export const K8S_SERVER = 'https://k8s.acme.test';
export const K8S_IMAGE = 'ghcr.io/acme/web';
export const K8S_ENVIRONMENTS = ['dev', 'stage', 'prod'] as const;
export type K8sEnvironment = (typeof K8S_ENVIRONMENTS)[number];
export const K8S_INIT = '20240101000000_init';
export const K8S_HEAD = '20240401000000_plan-prices';
/** What the app calls each environment (APP_ENV, the database's marker). */
export const K8S_APP_ENV: Readonly<Record<K8sEnvironment, string>> = {
  dev: 'dev',
  stage: 'stage',
  prod: 'production',
};
export const K8S_PLACEHOLDERS = ['https://web.example.com', 'https://{0}.web.example.com'] as const;

export const K8S_BREAKS: Readonly<Record<Break, string>> = {
  deploy: 'ships an image whose pods never become ready: `kubectl rollout status` times out',
  smoke: 'answers /healthz with 500',
  deep: 'reports its payments dependency failing in /health/deep',
  'wrong-env': "is configured with another environment's database",
};

export interface K8sWorld {
  world: World;
  /** The ingress: `<httpsUrl>/<environment>` is each environment's BASE_URL. */
  ingress: Service;
  fillIns: FillIn[];
  /** GNUPGHOME holding the backup key's private half (for a restore). */
  gnupgHome: string;
  publicKey: string;
  release(spec?: ReleaseSpec): Promise<SystemRelease>;
  /** The example dispatched for an environment (git_ref empty: the dispatched branch, main). */
  dispatch(environment: K8sEnvironment, gitRef: string, context: RunContext): Promise<RunResult>;
  /** The cluster's view of the environment's Deployment (revision, images, what serves). */
  deployment(environment: K8sEnvironment): ReturnType<World['standIns']['kubernetes']['deployment']>;
  /** The commit the environment serves (the tag of the image its ready pods run). */
  serving(environment: K8sEnvironment): string | undefined;
  describe(release: SystemRelease): string;
  runs: { title: string; result: RunResult }[];
  close(): Promise<void>;
}

export function k8sUnavailable(): string | undefined {
  return postgresUnavailableReason();
}

/**
 * The runner's npm: offline, and a registry on a closed port should it try anyway, so `npm ci`
 * installs only what the lock file links and nothing is fetched.
 */
const RUNNER_NPM = {
  npm_config_offline: 'true',
  npm_config_registry: 'http://127.0.0.1:9/',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};

export async function startK8sWorld(): Promise<K8sWorld> {
  const root = await mkdtemp(join(tmpdir(), 'gatehouse-k8s-world-'));
  let world: World | undefined;
  const gnupgHome = join(root, 'gnupg');
  try {
    world = await startWorld({
      repository: 'acme/web',
      hosts: [],
      databases: K8S_ENVIRONMENTS.map((env) => ({
        name: K8S_APP_ENV[env],
        setupSql: fixtureText('k8s-web/existing-schema.sql'),
      })),
      engine: 'postgres',
      dir: join(root, 'world'),
    });
    return await setUp(world, root, gnupgHome);
  } catch (error) {
    await world?.close();
    await stopGpgAgent(gnupgHome);
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

async function setUp(world: World, root: string, gnupgHome: string): Promise<K8sWorld> {
  const { kubernetes } = world.standIns;
  kubernetes.addCluster(K8S_SERVER, {
    namespaces: K8S_ENVIRONMENTS.map((env) => `web-${env}`),
    timeScale: 600,
  });
  const publicKey = await backupKey(gnupgHome);

  // The repository links its prisma devDependency to the stand-in's package, locked by npm.
  const appFiles = fixtureTree('k8s-web/app');
  await mkdir(join(world.app.dir, 'vendor'), { recursive: true });
  await symlink(world.standIns.prisma.packageDir, join(world.app.dir, 'vendor', 'prisma'));
  await writeFile(join(world.app.dir, 'package.json'), appFiles['package.json']!);
  const lock = await runCommand('npm', ['install', '--package-lock-only', '--ignore-scripts'], {
    cwd: world.app.dir,
    env: { ...process.env, ...RUNNER_NPM },
  });
  if (lock.exitCode !== 0) throw new Error(`npm could not lock the app's dependencies: ${lock.stderr}`);
  const tree = {
    ...appFiles,
    'package-lock.json': await readFile(join(world.app.dir, 'package-lock.json'), 'utf8'),
  };

  const r0Commit = await world.push(
    {
      ...Object.fromEntries(Object.entries(tree).filter(([path]) => !path.includes(K8S_HEAD))),
      ...systemManifest({ version: 'r0' }),
    },
    'r0: the web app as it runs in dev',
    'r0',
  );
  const r0: SystemRelease = { ...r0Commit, version: 'r0' };
  const checkout = join(root, 'r0');
  await world.app.cloneInto(checkout, r0.sha);
  world.standIns.prisma.install(checkout);
  for (const env of K8S_ENVIRONMENTS) {
    await shell(world, checkout, `npx --no prisma migrate resolve --applied ${K8S_INIT}`, {
      DATABASE_URL: world.databases[K8S_APP_ENV[env]]!.url,
    });
  }
  // Dev runs r0, applied by hand before the workflow existed.
  await writeFile(join(root, 'kubeconfig'), kubernetes.kubeconfig(K8S_SERVER));
  await shell(
    world,
    checkout,
    `for f in k8s/*.yaml; do echo ---; sed "s|:IMAGE_TAG|:${r0.sha}|g" "$f"; done | kubectl apply -n web-dev -f - && kubectl rollout status -n web-dev deployment/web --timeout=1m`,
    { KUBECONFIG: join(root, 'kubeconfig') },
  );

  const servingOf = (env: K8sEnvironment): ServedVersion | undefined => {
    const image = kubernetes.deployment(K8S_SERVER, `web-${env}`, 'web')?.servingImages[0];
    const sha = image?.slice(image.lastIndexOf(':') + 1);
    if (!sha) return undefined;
    const database = world.databases[K8S_APP_ENV[env]]!;
    return { host: env, sha, env: { APP_ENV: K8S_APP_ENV[env], DATABASE_URL: database.url } };
  };
  const app = systemApp({
    show: (sha, path) => world.app.show(sha, path),
    databases: world.databases,
    health: '/healthz',
    checks: ['database'],
    schemaVersionSql:
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name DESC LIMIT 1',
    smokeBreak: 'health',
  });
  const ingress: AppHandler = async (request) => {
    const url = new URL(request.path, 'https://ingress.invalid');
    const match = /^\/(dev|stage|prod)(\/.*)?$/.exec(url.pathname);
    if (!match) return { status: 404, body: 'default backend - 404' };
    const served = servingOf(match[1] as K8sEnvironment);
    if (!served) return { status: 503, body: `no ready endpoints for web in web-${match[1]}` };
    return app({ ...request, path: `${match[2] ?? '/'}${url.search}` }, served);
  };
  const service = await world.startService({
    name: 'ingress',
    hosts: ['ingress'],
    // The ingress always answers; which environment's pods do is decided by the path, above.
    serving: async (host) => ({ host, sha: '', env: {} }),
    app: ingress,
  });

  for (const env of K8S_ENVIRONMENTS) {
    world.environmentSecrets[env] = {
      DATABASE_URL: world.databases[K8S_APP_ENV[env]]!.url,
      KUBECONFIG: kubernetes.kubeconfig(K8S_SERVER, { namespace: `web-${env}` }),
    };
    world.environmentVars[env] = { DB_BACKUP_PUBLIC_KEY: publicKey };
  }
  const fillIns: FillIn[] = [
    { placeholder: K8S_PLACEHOLDERS[0], value: `${service.httpsUrl}/prod` },
    { placeholder: K8S_PLACEHOLDERS[1], value: `${service.httpsUrl}/{0}` },
  ];
  const releases = releaseLine(world, {
    tree,
    wrongDatabase: 'stage',
    stories: K8S_BREAKS,
    breakDeploy: (commit) => world.standIns.docker.markUnhealthy(`${K8S_IMAGE}:${commit.sha}`),
  });

  const k8s: K8sWorld = {
    world,
    ingress: service,
    fillIns,
    gnupgHome,
    publicKey,
    release: (spec = {}) => releases.next(spec),
    runs: [],
    async dispatch(environment, gitRef, context) {
      const head = world.app.head!;
      const title = `deploy web (Kubernetes) · ${environment}, git_ref '${gitRef}'${gitRef ? '' : ` (main, at ${head.tag ?? head.sha.slice(0, 7)})`}`;
      const result = await runCopied(world, {
        example: K8S_EXAMPLE,
        fillIns,
        event: workflowDispatchEvent({
          sha: head.sha,
          inputs: { environment, git_ref: gitRef },
          workflow: copiedPath(K8S_EXAMPLE),
          repository: world.repository,
        }),
        title,
        reporter: context.reporter,
        ...(context.main ? { main: true } : {}),
        env: RUNNER_NPM,
      });
      k8s.runs.push({ title, result });
      return result;
    },
    deployment: (environment) => kubernetes.deployment(K8S_SERVER, `web-${environment}`, 'web'),
    serving: (environment) => servingOf(environment)?.sha,
    describe: (release) => releases.describe(release),
    async close() {
      await world.close();
      await stopGpgAgent(gnupgHome);
      await rm(root, { recursive: true, force: true });
    },
  };
  return k8s;
}

async function shell(world: World, cwd: string, script: string, env: Record<string, string>): Promise<void> {
  const result = await runCommand('bash', ['--noprofile', '--norc', '-euo', 'pipefail', '-c', script], {
    cwd,
    env: { ...world.standIns.env(), ...RUNNER_NPM, ...env },
  });
  if (result.exitCode !== 0)
    throw new Error(`${script} failed: ${result.stderr.trim() || result.stdout.trim()}`);
}

/** An OpenPGP key for the backups, made in `home`; returns its armored public half. */
async function backupKey(home: string): Promise<string> {
  await mkdir(home, { recursive: true, mode: 0o700 });
  const gpg = (args: string[]) =>
    runCommand('gpg', ['--batch', '--quiet', ...args], { env: { ...process.env, GNUPGHOME: home } });
  const made = await gpg([
    '--passphrase',
    '',
    '--quick-generate-key',
    `Web backups ${randomBytes(4).toString('hex')} <backups@acme.invalid>`,
    'future-default',
    'default',
    'never',
  ]);
  if (made.exitCode !== 0) throw new Error(`gpg could not make the backup key: ${made.stderr}`);
  const exported = await gpg(['--armor', '--export']);
  if (exported.exitCode !== 0 || !exported.stdout.includes('PUBLIC KEY')) {
    throw new Error(`gpg could not export the backup key: ${exported.stderr}`);
  }
  return exported.stdout;
}

async function stopGpgAgent(home: string): Promise<void> {
  await runCommand('gpgconf', ['--kill', 'gpg-agent'], { env: { ...process.env, GNUPGHOME: home } }).catch(
    () => undefined,
  );
}
