/**
 * The local world: everything a deploy workflow reaches, started on this machine, and the one way
 * to run a workflow file against it.
 *
 * - SSM hosts (the emulator), tagged as the examples select them, whose bash finds the stand-in
 *   tools (docker and compose, kubectl, railway, prisma) first on PATH; each host's files live in
 *   its folder, which is its `/` (see `onHost`).
 * - The deploying repository: a real git repository of the app (`world.app`), whose commits are
 *   the releases; `actions/checkout` and the hosts clone it, and the GitHub API stub knows each
 *   commit, branch and tag as it is pushed, every workflow run, and every artifact a run uploaded.
 * - Databases per environment (real PostgreSQL when installed, else embedded), services behind an
 *   http→https 301 with the world's CA, secrets and variables as GitHub environments hold them.
 *
 * `world.run()` runs a workflow file — filled in with the example's values — on GitHub's parser and
 * expression engine (@gatehouse/workflow-runner), with the runner's machine pointed at the world.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type GithubApiStub, startGithubApiStub } from '@gatehouse/github-api-stub';
import { type SsmEmulator, startSsmEmulator } from '@gatehouse/ssm-emulator';
import { createWorld as createStandIns, type StandInWorld } from '@gatehouse/stand-ins';
import {
  ArtifactStore,
  pushEvent,
  type RunLogLine,
  type RunResult,
  runWorkflow,
  type WorkflowEvent,
} from '@gatehouse/workflow-runner';
import { parse } from 'yaml';
import { AppRepository, type Commit, type FileChanges } from './app-repository';
import {
  type DatabaseEngine,
  type DatabaseHost,
  type DatabaseSpec,
  defaultEngine,
  markerSql,
  startDatabaseHost,
  type WorldDatabase,
} from './databases';
import { applyFillIns, type FillIn } from './fill-in';
import { createHostLoopback } from './host-loopback';
import { legacySchemaSql } from './sample-app';
import {
  createCertificate,
  type Service,
  type ServiceCertificate,
  type ServiceSpec,
  startService,
} from './service';
import { composeServing, envFileTagServing, gitCheckoutServing } from './serving';

/** The Gatehouse checkout this package lives in: its actions and workflows are what runs. */
export const GATEHOUSE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface HostSpec {
  /** An instance (`i-` + 17 hex) or managed-node (`mi-…`) id. */
  id: string;
  tags?: Record<string, string>;
  /** Files on the host by path from its `/` (e.g. `opt/app/.env`). */
  files?: Record<string, string>;
}

export interface WorldOptions {
  /** `owner/name` of the deploying repository. Default `acme/api`. */
  repository?: string;
  hosts: readonly HostSpec[];
  databases?: readonly DatabaseSpec[];
  /** Default: real PostgreSQL when Debian's server is installed, else embedded. */
  engine?: DatabaseEngine;
  /**
   * The owner's password in every database's `url` (a secret: it must never be printed). Apps on
   * hosts use `runtimeUrl`, with a password of its own. Default random.
   */
  databasePassword?: string;
  /** Where the world keeps its state. Default a new temporary folder, removed on close. */
  dir?: string;
  /**
   * Folders of programs every host and the runner find after the stand-ins, before this machine's
   * PATH (e.g. a Python that has the app's packages, where another Python comes first on PATH).
   */
  path?: readonly string[];
  /**
   * The repository's CI: every pushed commit gets a completed, successful check run of each name
   * (another workflow's jobs), as `require-checks` reads them. Default: the checks the prod example
   * requires. A test fails one with `world.github.updateCheckRun`.
   */
  ciChecks?: readonly string[];
}

/** The checks examples/workflows/deploy-prod.yml requires (its `require-checks`). */
export const CI_CHECKS = ['Lint & Type Check', 'Run Tests', 'Build Docker Image'] as const;

export interface WorldRunOptions {
  /** A workflow file of the Gatehouse checkout, relative to it (e.g. `examples/workflows/deploy-dev.yml`). */
  workflow: string;
  /** The workflow's text, for a test's own caller that has no file (`workflow` then only names it). */
  text?: string;
  /** The example's placeholders and the world's values for them. */
  fillIns?: readonly FillIn[];
  event: WorkflowEvent;
  jobs?: readonly string[];
  assumeJobs?: Parameters<typeof runWorkflow>[0]['assumeJobs'];
  onLine?: (line: RunLogLine) => void;
  /** Laid over the world's machine environment for this run. */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface World {
  dir: string;
  /** `owner/name`, as `github.repository`. */
  repository: string;
  /** The GITHUB_TOKEN of every run (the stub accepts only it). */
  githubToken: string;
  app: AppRepository;
  emulator: SsmEmulator;
  standIns: StandInWorld;
  github: GithubApiStub;
  /** Artifacts of every run, shared (a later run downloads an earlier run's). */
  artifacts: ArtifactStore;
  engine: DatabaseEngine;
  databases: Readonly<Record<string, WorldDatabase>>;
  services: Readonly<Record<string, Service>>;
  /** The PEM file of the world's CA (for `ca-file`); the runner trusts it through NODE_EXTRA_CA_CERTS. */
  caFile: string;
  hosts: readonly HostSpec[];
  /** Repository secrets, and secrets per GitHub environment (edit them before a run). */
  secrets: Record<string, string>;
  environmentSecrets: Record<string, Record<string, string>>;
  vars: Record<string, string>;
  environmentVars: Record<string, Record<string, string>>;
  /** Every run so far, oldest first. */
  runs: RunResult[];

  /** A host's folder on this machine: its `/`. */
  hostDir(id: string): string;
  /** Writes a file on a host (path from its `/`). */
  writeHostFile(id: string, path: string, text: string): Promise<void>;
  /** Clones the app repository into `path` on each host (`origin` is the world's repository). */
  cloneOnHosts(ids: readonly string[], path: string, sha?: string): Promise<void>;
  /** Commits on the default branch and pushes it: GitHub then knows the commit, the branch and the tag. */
  push(changes: FileChanges, message: string, tag?: string): Promise<Commit>;
  /** A push event for a commit pushed on the default branch (`before` is the commit it followed). */
  pushEvent(commit: Commit): WorkflowEvent;
  /** Starts a service behind its http→https redirect. */
  startService(spec: ServiceSpec): Promise<Service>;
  /** Serving rules bound to this world. */
  serving: {
    compose(
      service: string,
      options?: Omit<Parameters<typeof composeServing>[1], 'service'>,
    ): ServiceSpec['serving'];
    gitCheckout(appDir: string, envFile?: string): ServiceSpec['serving'];
    envFileTag(options: Parameters<typeof envFileTagServing>[1]): ServiceSpec['serving'];
  };
  /** Runs a workflow file against the world (see WorldRunOptions). */
  run(options: WorldRunOptions): Promise<RunResult>;
  close(): Promise<void>;
}

/** The machine's CA bundle, if it has one (curl then trusts the world's CA besides the public roots). */
const SYSTEM_CA_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt'];

/**
 * Where a workflow file sits in the repository a run stands for: a person copies an example into
 * `.github/workflows/`, and the run's workflow_ref and its `path` in the Actions API name it there,
 * as the promotion guard and the deploy history's trust rules expect.
 */
export function installedPath(workflow: string): string {
  return `.github/workflows/${basename(workflow)}`;
}

export async function startWorld(options: WorldOptions): Promise<World> {
  const ownsDir = options.dir === undefined;
  const dir = options.dir ? resolve(options.dir) : await mkdtemp(join(tmpdir(), 'gatehouse-local-world-'));
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer().catch(() => undefined);
    if (ownsDir) await rm(dir, { recursive: true, force: true });
  };
  try {
    const repository = options.repository ?? 'acme/api';
    const githubToken = `ghs_${randomBytes(18).toString('hex')}`;
    const password = options.databasePassword ?? randomBytes(12).toString('hex');
    const engine = options.engine ?? defaultEngine();

    const standIns = await createStandIns({ root: join(dir, 'stand-ins') });
    const hostPath = [standIns.binDir, ...(options.path ?? []), process.env.PATH ?? ''].join(':');
    const loopback = await createHostLoopback(join(dir, 'host-network'), process.env.PATH ?? '');
    const emulator = await startSsmEmulator({
      rootDir: join(dir, 'hosts'),
      hosts: options.hosts.map((host) => ({
        id: host.id,
        tags: host.tags ?? {},
        path: `${loopback.binDir}:${hostPath}`,
      })),
    });
    closers.push(() => emulator.close());
    const hostDir = (id: string) => emulator.hostDir(id);
    const writeHostFile = async (id: string, path: string, text: string) => {
      const file = join(hostDir(id), path);
      if (relative(hostDir(id), file).startsWith('..')) throw new Error(`${path} is outside host ${id}`);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, text);
    };
    for (const host of options.hosts) {
      for (const [path, text] of Object.entries(host.files ?? {})) await writeHostFile(host.id, path, text);
    }

    const app = await AppRepository.create(join(dir, 'repository'));
    let nextCiRunId = 5001;
    // Repository id 1: what the runner's event payloads say (github.repository_id).
    const github = await startGithubApiStub({ repository, repositoryId: 1, token: githubToken });
    closers.push(() => github.close());

    const databaseHost: DatabaseHost | undefined =
      options.databases && options.databases.length > 0
        ? await startDatabaseHost(engine, password, randomBytes(12).toString('hex'))
        : undefined;
    if (databaseHost) closers.push(() => databaseHost.close());
    const databases: Record<string, WorldDatabase> = {};
    for (const spec of options.databases ?? []) {
      const marker = spec.marker ?? spec.name;
      databases[spec.name] = await databaseHost!.create(
        spec,
        `${spec.setupSql ?? legacySchemaSql(marker)}\n${markerSql(marker)}`,
      );
    }

    const certificate: ServiceCertificate = await createCertificate();
    const caFile = join(dir, 'world-ca.pem');
    await writeFile(caFile, certificate.cert);
    const system = SYSTEM_CA_BUNDLES.find((file) => existsSync(file));
    const curlBundle = join(dir, 'ca-bundle.pem');
    await writeFile(curlBundle, `${system ? await readFile(system, 'utf8') : ''}\n${certificate.cert}`);

    const repoRoot = join(dir, 'root');
    await mkdir(repoRoot, { recursive: true });
    await symlink(join(GATEHOUSE_ROOT, 'actions'), join(repoRoot, 'actions'), 'dir');
    // The reusable workflow, as `gatehouse-dev/gatehouse/.github/workflows/deploy.yml@v1` names it.
    await cp(join(GATEHOUSE_ROOT, '.github', 'workflows'), join(repoRoot, '.github', 'workflows'), {
      recursive: true,
    });
    const artifacts = await ArtifactStore.create(join(dir, 'artifacts'));
    const services: Record<string, Service> = {};
    let nextRunId = 7001;
    let runNumber = 0;

    const world: World = {
      dir,
      repository,
      githubToken,
      app,
      emulator,
      standIns,
      github,
      artifacts,
      engine,
      databases,
      services,
      caFile,
      hosts: options.hosts,
      secrets: {},
      environmentSecrets: {},
      vars: {},
      environmentVars: {},
      runs: [],
      hostDir,
      writeHostFile,
      async cloneOnHosts(ids, path, sha) {
        for (const id of ids) await app.cloneInto(join(hostDir(id), path), sha);
      },
      async push(changes, message, tag) {
        const commit = await app.commit(changes, message, tag);
        github.addCommit({ sha: commit.sha, message, parents: commit.parent ? [commit.parent] : [] });
        github.setBranch(app.defaultBranch, commit.sha);
        if (tag) github.setTag(tag, commit.sha);
        // The CI run that push started, done and green: run ids below the world's own runs.
        const ciRun = nextCiRunId++;
        (options.ciChecks ?? CI_CHECKS).forEach((name, job) => {
          github.addCheckRun({
            name,
            head_sha: commit.sha,
            status: 'completed',
            conclusion: 'success',
            details_url: `https://github.com/${repository}/actions/runs/${ciRun}/job/${ciRun * 10 + job}`,
          });
        });
        return commit;
      },
      pushEvent(commit) {
        return pushEvent({
          sha: commit.sha,
          ref: `refs/heads/${app.defaultBranch}`,
          ...(commit.parent ? { before: commit.parent } : {}),
          message: commit.message,
          repository,
          defaultBranch: app.defaultBranch,
        });
      },
      async startService(spec) {
        if (services[spec.name]) throw new Error(`The world has a service ${spec.name} already.`);
        const service = await startService(spec, certificate);
        closers.push(() => service.close());
        if (spec.hostPort !== undefined) {
          for (const [host, url] of Object.entries(service.hostUrls))
            await loopback.map(host, spec.hostPort, url);
        }
        services[spec.name] = service;
        return service;
      },
      serving: {
        compose: (service, composeOptions = {}) => composeServing(standIns, { service, ...composeOptions }),
        gitCheckout: (appDir, envFile) => gitCheckoutServing(hostDir, appDir, envFile),
        envFileTag: (tagOptions) => envFileTagServing(hostDir, tagOptions),
      },
      async run(runOptions) {
        const source = runOptions.text ?? (await readFile(join(GATEHOUSE_ROOT, runOptions.workflow), 'utf8'));
        const text = runOptions.fillIns ? applyFillIns(source, runOptions.fillIns) : source;
        const target = join(repoRoot, runOptions.workflow);
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, text);
        const runId = nextRunId++;
        runNumber++;
        const { event } = runOptions;
        const installedAs = installedPath(runOptions.workflow);
        github.addWorkflowRun({
          id: runId,
          name: workflowName(text, runOptions.workflow),
          path: installedAs,
          head_branch: event.ref.replace(/^refs\/(heads|tags)\//, ''),
          head_sha: event.sha,
          event: event.name,
          status: 'in_progress',
          run_number: runNumber,
        });
        let result: RunResult | undefined;
        try {
          result = await runWorkflow({
            workflow: runOptions.workflow,
            installedAs,
            repoRoot,
            event,
            ...(runOptions.jobs ? { jobs: runOptions.jobs } : {}),
            ...(runOptions.assumeJobs ? { assumeJobs: runOptions.assumeJobs } : {}),
            secrets: world.secrets,
            environmentSecrets: world.environmentSecrets,
            vars: world.vars,
            environmentVars: world.environmentVars,
            gitRepository: app.dir,
            env: {
              PATH: hostPath,
              AWS_ENDPOINT_URL_SSM: emulator.endpoint,
              AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: emulator.endpoint,
              // A self-hosted runner that trusts the company CA: Node and curl both do.
              NODE_EXTRA_CA_CERTS: caFile,
              CURL_CA_BUNDLE: curlBundle,
              ...runOptions.env,
            },
            github: { apiUrl: github.url, token: githubToken, runId, runNumber },
            artifacts,
            workDir: join(dir, 'runs', String(runId)),
            ...(runOptions.onLine ? { onLine: runOptions.onLine } : {}),
          });
        } finally {
          // A run that threw (GitHub would not have started it) must not stay in progress.
          github.updateWorkflowRun(runId, {
            status: 'completed',
            conclusion: result?.conclusion ?? 'failure',
          });
        }
        await mirrorArtifacts(world, runId);
        world.runs.push(result);
        return result;
      },
      close,
    };
    return world;
  } catch (error) {
    await close();
    throw error;
  }
}

function workflowName(text: string, file: string): string {
  const name = (parse(text) as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : file;
}

/** What GitHub shows of a run's artifacts through its API: the same files, zipped, under the same id. */
async function mirrorArtifacts(world: World, runId: number): Promise<void> {
  for (const artifact of world.artifacts.list({ runId })) {
    if (world.artifacts.isExpired(artifact)) continue;
    const files: Record<string, Uint8Array> = {};
    for (const file of artifact.files)
      files[file] = await readFile(join(world.artifacts.pathOf(artifact), file));
    world.github.addArtifact({ id: artifact.id, name: artifact.name, run_id: runId, files });
  }
}

/**
 * For a command line that holds a world: Ctrl-C (or SIGTERM) closes it first — a PostgreSQL server
 * and the hosts' scripts would otherwise outlive the process — then exits as interrupted.
 * Returns the function that stops listening.
 */
export function closeOnSignals(close: () => Promise<unknown>): () => void {
  let closing = false;
  // Not `once`: a wrapper (pnpm, tsx) relays the same Ctrl-C again, and Node's default for that
  // second one would exit before the world is down.
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    console.error(`\n${signal}: taking the local world down…`);
    close().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
