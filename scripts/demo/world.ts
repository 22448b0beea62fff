import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGithubApiStub } from '@gatehouse/github-api-stub';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '@gatehouse/postgres-test-server';
import { type SsmEmulator, startSsmEmulator } from '@gatehouse/ssm-emulator';
import { repoRoot } from '../actions';
import { ALL_RELEASES, type DemoRelease, legacySchemaSql, MIGRATION_SQL } from './releases';
import { type SampleService, startSampleService } from './sample-service';

/**
 * Everything the pipeline runs against, on this machine: two emulated SSM hosts, the dev and stage
 * databases (embedded PostgreSQL), the sample service in front of the hosts, and the GitHub API.
 */
export const HOSTS = ['i-0d3e000000000a001', 'i-0d3e000000000a002'];
export const REPOSITORY = 'example/service';
export const ENVIRONMENT = 'dev';

export interface World {
  emulator: SsmEmulator;
  databases: { dev: EmbeddedPostgres; stage: EmbeddedPostgres };
  service: SampleService;
  github: Awaited<ReturnType<typeof startGithubApiStub>>;
  githubToken: string;
  /** The dev database's URL, with `secret` as its password (the database accepts any). */
  databaseUrl: string;
  /** Scratch space: checkouts, the CA file, runner temp dirs. */
  workDir: string;
  caFile: string;
  /** Where the summaries and the deploy history are written. */
  outputDir: string;
  /** The runner's checkout of a release (its migrations), where db-bootstrap runs the tool. */
  checkout(release: DemoRelease): string;
  close(): Promise<void>;
}

export interface WorldOptions {
  /** A credential the pipeline must never reveal: the database password and the smoke token. */
  secret: string;
  outputDir: string;
}

export async function startWorld(options: WorldOptions): Promise<World> {
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    const workDir = await mkdtemp(join(tmpdir(), 'gatehouse-demo-'));
    closers.push(() => rm(workDir, { recursive: true, force: true }));
    await mkdir(options.outputDir, { recursive: true });

    const emulator = await startSsmEmulator({
      hosts: HOSTS.map((id) => ({ id, tags: { env: ENVIRONMENT } })),
    });
    closers.push(() => emulator.close());
    for (const id of HOSTS) {
      await mkdir(join(emulator.hostDir(id), 'app'), { recursive: true });
      await writeFile(join(emulator.hostDir(id), 'app', '.env'), `APP_ENV=${ENVIRONMENT}\nIMAGE_TAG=\n`);
    }

    // db-bootstrap's connection waits on its advisory lock while node-pg-migrate connects: two at once.
    const dev = await startEmbeddedPostgres({ maxConnections: 4 });
    closers.push(() => dev.stop());
    const stage = await startEmbeddedPostgres();
    closers.push(() => stage.stop());
    await dev.query(legacySchemaSql('dev'));
    await stage.query(legacySchemaSql('stage'));

    const service = await startSampleService({
      hostDirs: HOSTS.map((id) => emulator.hostDir(id)),
      releases: ALL_RELEASES,
      databases: { dev: dev.query, stage: stage.query },
      appEnv: ENVIRONMENT,
    });
    closers.push(() => service.close());
    const caFile = join(workDir, 'service-ca.pem');
    await writeFile(caFile, service.caPem);

    const githubToken = 'ghs_demoToken';
    const github = await startGithubApiStub({
      repository: REPOSITORY,
      token: githubToken,
      branches: { main: ALL_RELEASES[ALL_RELEASES.length - 1]!.sha },
      commits: ALL_RELEASES.map((release) => release.sha),
    });
    closers.push(() => github.close());

    for (const release of ALL_RELEASES) await writeCheckout(join(workDir, 'checkouts', release.tag), release);

    const url = new URL(dev.url);
    url.password = encodeURIComponent(options.secret);
    return {
      emulator,
      databases: { dev, stage },
      service,
      github,
      githubToken,
      databaseUrl: url.toString(),
      workDir,
      caFile,
      outputDir: options.outputDir,
      checkout: (release) => join(workDir, 'checkouts', release.tag),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The part of a release's checkout the runner needs: its node-pg-migrate migrations, and the
 * installed tool (`npm ci` on a real runner; here the workspace's own install, linked).
 */
async function writeCheckout(dir: string, release: DemoRelease): Promise<void> {
  await mkdir(join(dir, 'migrations'), { recursive: true });
  const manifest = {
    name: 'service',
    private: true,
    dependencies: { 'node-pg-migrate': '^9.0.0', pg: '^8.0.0' },
  };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await symlink(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const name of release.migrations) {
    const sql = MIGRATION_SQL[name]!;
    await writeFile(
      join(dir, 'migrations', `${name}.sql`),
      `-- Up Migration\n${sql.up.trim()}\n\n-- Down Migration\n${sql.down.trim()}\n`,
    );
  }
}
