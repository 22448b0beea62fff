/**
 * The world of the four environment workflows (examples/workflows): the `acme/api` service in
 * dev, stage and prod, each on its own SSM hosts tagged `app=api` and `env=<environment>`, with a
 * checkout of the sample app in /opt/app that `docker compose` builds and runs, its own database
 * (marker dev, stage or production), its own URL and its own secrets.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type RunResult,
  type WorkflowEvent,
  workflowDispatchEvent,
  workflowRunEvent,
} from '@gatehouse/workflow-runner';
import type { Commit, FileChanges } from '../app-repository';
import type { DatabaseEngine } from '../databases';
import { type FillIn, onHost } from '../fill-in';
import type { Reporter } from '../report';
import {
  BREAK_STORIES,
  type Break,
  DEPLOY_BREAK_VARIABLE,
  type ReleaseSpec,
  sampleApp,
  sampleAppFiles,
} from '../sample-app';
import type { Service } from '../service';
import { startWorld, type World } from '../world';

export type ApiEnvironment = 'dev' | 'stage' | 'prod';
export const API_ENVIRONMENTS: readonly ApiEnvironment[] = ['dev', 'stage', 'prod'];

export interface EnvironmentSetup {
  /** The GitHub environment (and the `env` tag). */
  name: ApiEnvironment;
  /** What the app calls it: APP_ENV on the hosts, the database's marker, /health/deep's `environment`. */
  appEnv: string;
  /** The URL the examples carry for it. */
  placeholderUrl: string;
  hosts: string[];
}

export const ENVIRONMENTS: Readonly<Record<ApiEnvironment, EnvironmentSetup>> = {
  dev: {
    name: 'dev',
    appEnv: 'dev',
    placeholderUrl: 'https://dev.api.example.com',
    hosts: ['i-0dddd000000000001', 'i-0dddd000000000002'],
  },
  stage: {
    name: 'stage',
    appEnv: 'stage',
    placeholderUrl: 'https://stage.api.example.com',
    hosts: ['i-05555000000000001'],
  },
  prod: {
    name: 'prod',
    appEnv: 'production',
    placeholderUrl: 'https://api.example.com',
    hosts: ['i-0ffff000000000001', 'i-0ffff000000000002'],
  },
};

/** Where the examples keep the app and its deploy state on a host. */
export const APP_DIR = '/opt/app';
export const STATE_DIR = '/var/lib/app';

export const WORKFLOWS = {
  dev: 'examples/workflows/deploy-dev.yml',
  stage: 'examples/workflows/deploy-stage.yml',
  prod: 'examples/workflows/deploy-prod.yml',
  rollback: 'examples/workflows/rollback.yml',
} as const;

/** Each environment workflow's placeholders (its fill-in table's left column). */
export const PLACEHOLDERS: Readonly<Record<(typeof WORKFLOWS)[keyof typeof WORKFLOWS], readonly string[]>> = {
  [WORKFLOWS.dev]: [ENVIRONMENTS.dev.placeholderUrl, APP_DIR, STATE_DIR],
  [WORKFLOWS.stage]: [ENVIRONMENTS.stage.placeholderUrl, APP_DIR, STATE_DIR],
  [WORKFLOWS.prod]: [ENVIRONMENTS.prod.placeholderUrl, APP_DIR, STATE_DIR],
  [WORKFLOWS.rollback]: [
    ENVIRONMENTS.dev.placeholderUrl,
    ENVIRONMENTS.stage.placeholderUrl,
    ENVIRONMENTS.prod.placeholderUrl,
    APP_DIR,
    STATE_DIR,
  ],
};

/** How a run is shown: the example's own run step by step, others in one line. */
export interface RunContext {
  reporter: Reporter;
  main?: boolean;
}

export interface ApiWorld {
  world: World;
  services: Readonly<Record<ApiEnvironment, Service>>;
  /** The commit each environment last deployed successfully (what it should serve). */
  deployed: Partial<Record<ApiEnvironment, Commit>>;
  /** Tokens in the environments' secrets (smoke edge header, deep health). */
  tokens: Readonly<Record<ApiEnvironment, { smoke: string; deep: string }>>;
  /** The placeholders of the environment workflows and this world's values. */
  fillIns: FillIn[];
  /** Pushes the next release of the sample app (`r1`, `r2`…) and returns its commit. */
  release(spec?: Omit<ReleaseSpec, 'version'>): Promise<Release>;
  /** The fill-in table of one of the environment workflows. */
  fillInsFor(workflow: string): FillIn[];
  /** Runs one of the environment workflows, shown through the reporter; a successful deploy is remembered. */
  run(workflow: string, event: WorkflowEvent, title: string, context: RunContext): Promise<RunResult>;
  /** deploy-dev.yml on the push of a release. */
  deployDev(release: Release, context: RunContext): Promise<RunResult>;
  /** deploy-stage.yml on the `workflow_run` of a finished deploy-dev run. */
  promoteToStage(devRun: RunResult, context: RunContext): Promise<RunResult>;
  /** deploy-prod.yml dispatched with `git_ref` (empty: main). */
  deployProd(gitRef: string, context: RunContext): Promise<RunResult>;
  /** rollback.yml dispatched for an environment, with an optional version. */
  rollback(environment: ApiEnvironment, version: string, context: RunContext): Promise<RunResult>;
  /**
   * Makes `environment` serve a good release, deploying one through the environments before it
   * when it does not (stage takes only what dev ran; prod only what stage ran).
   */
  ensureServing(environment: ApiEnvironment, context: RunContext): Promise<void>;
  /** The commit every host of the environment serves, when they agree and it is not broken there. */
  servingGood(environment: ApiEnvironment): Promise<Commit | undefined>;
  /** The story's line for a release. */
  describe(release: Release): string;
  /** The world's runs from index `from` on, for an ExampleRun. */
  runsSince(from: number): { title: string; result: RunResult }[];
  close(): Promise<void>;
}

export interface Release extends Commit {
  version: string;
  spec: ReleaseSpec;
}

export interface ApiWorldOptions {
  /**
   * In every secret GitHub holds for the runs (the database owner's password, the smoke and deep
   * health tokens) and nowhere else, so a test can look for it everywhere. Default random.
   */
  secret?: string;
  /** Files every release of the sample app carries besides its own (e.g. a package.json). */
  appFiles?: FileChanges;
  /** Default: real PostgreSQL when installed, else embedded. */
  engine?: DatabaseEngine;
  dir?: string;
}

export async function startApiWorld(options: ApiWorldOptions = {}): Promise<ApiWorld> {
  const secret = options.secret ?? randomBytes(9).toString('hex');
  const world = await startWorld({
    repository: 'acme/api',
    hosts: API_ENVIRONMENTS.flatMap((env) =>
      ENVIRONMENTS[env].hosts.map((id) => ({ id, tags: { app: 'api', env } })),
    ),
    databases: API_ENVIRONMENTS.map((env) => ({ name: ENVIRONMENTS[env].appEnv })),
    databasePassword: secret,
    ...(options.engine ? { engine: options.engine } : {}),
    ...(options.dir ? { dir: options.dir } : {}),
  });
  try {
    let version = 0;
    const appFiles = options.appFiles ?? {};
    const initial = await world.push(
      sampleAppFiles({ version: 'r0' }, appFiles),
      'r0: the app before Gatehouse',
      'r0',
    );
    const tokens = Object.fromEntries(
      API_ENVIRONMENTS.map((env) => [
        env,
        { smoke: `smoke-${env}-${secret}`, deep: `deep-${env}-${secret}` },
      ]),
    ) as Record<ApiEnvironment, { smoke: string; deep: string }>;
    const services = {} as Record<ApiEnvironment, Service>;
    for (const env of API_ENVIRONMENTS) {
      const setup = ENVIRONMENTS[env];
      await world.cloneOnHosts(setup.hosts, onHost(APP_DIR), initial.sha);
      for (const host of setup.hosts) {
        await world.writeHostFile(host, `${onHost(APP_DIR)}/.env`, hostEnvFile(world, setup));
        await world.writeHostFile(host, `${onHost(STATE_DIR)}/.keep`, '');
      }
      services[env] = await world.startService({
        name: env,
        hosts: setup.hosts,
        serving: world.serving.compose('web'),
        app: sampleApp({
          show: (sha, path) => world.app.show(sha, path),
          databases: world.databases,
          smokeHeader: { name: 'X-Smoke-Token', value: tokens[env].smoke },
          deepHeader: { name: 'Authorization', value: `Bearer ${tokens[env].deep}` },
        }),
      });
      world.environmentSecrets[env] = {
        SMOKE_HEADERS: `X-Smoke-Token: ${tokens[env].smoke}`,
        DEEP_HEALTH_HEADERS: `Authorization: Bearer ${tokens[env].deep}`,
      };
    }
    const fillIns: FillIn[] = [
      ...API_ENVIRONMENTS.map((env) => ({
        placeholder: ENVIRONMENTS[env].placeholderUrl,
        value: services[env].httpUrl,
      })),
      { placeholder: APP_DIR, value: onHost(APP_DIR) },
      { placeholder: STATE_DIR, value: onHost(STATE_DIR) },
    ];
    const dispatch = (workflow: string, inputs: Record<string, string>) =>
      workflowDispatchEvent({
        sha: world.app.head!.sha,
        inputs,
        workflow: workflow.replace(/^examples\/workflows\//, '.github/workflows/'),
        repository: world.repository,
      });
    const api: ApiWorld = {
      world,
      services,
      deployed: {},
      tokens,
      fillIns,
      async release(spec = {}) {
        version++;
        const full: ReleaseSpec = { ...spec, version: `r${version}` };
        if (full.break === 'deploy') await prepareDeployBreak(api, full.breakIn);
        const what = full.break
          ? `breaks (${full.break}) in ${(full.breakIn ?? ['every environment']).join(', ')}`
          : 'good';
        const commit = await world.push(
          sampleAppFiles(full, appFiles),
          `${full.version}: ${what}`,
          full.version,
        );
        return { ...commit, version: full.version, spec: full };
      },
      fillInsFor(workflow) {
        const placeholders = PLACEHOLDERS[workflow as keyof typeof PLACEHOLDERS];
        if (!placeholders) throw new Error(`${workflow} is not an environment workflow.`);
        return placeholders.map((placeholder) => fillIns.find((f) => f.placeholder === placeholder)!);
      },
      async run(workflow, event, title, context) {
        const main = context.main ?? false;
        context.reporter.runStarted(title, main);
        const result = await world.run({
          workflow,
          fillIns: api.fillInsFor(workflow),
          event,
          onLine: (line) => context.reporter.line(line, main),
        });
        context.reporter.runFinished(title, result, main);
        const env = API_ENVIRONMENTS.find((e) => workflow === WORKFLOWS[e as keyof typeof WORKFLOWS]);
        const caller = result.jobs.find((job) => job.key === 'deploy');
        if (env && caller?.outputs.outcome === 'deployed') {
          const sha = caller.outputs.sha!;
          api.deployed[env] = world.app.commits.find((c) => c.sha === sha) ?? { sha, message: '' };
        }
        return result;
      },
      deployDev(release, context) {
        return api.run(
          WORKFLOWS.dev,
          world.pushEvent(release),
          `deploy dev · push of ${release.version}`,
          context,
        );
      },
      promoteToStage(devRun, context) {
        const event = workflowRunEvent({
          run: devRun,
          sha: world.app.head!.sha,
          repository: world.repository,
        });
        return api.run(
          WORKFLOWS.stage,
          event,
          `deploy stage · after deploy dev run ${devRun.runId}`,
          context,
        );
      },
      deployProd(gitRef, context) {
        const main = world.app.head!;
        return api.run(
          WORKFLOWS.prod,
          dispatch(WORKFLOWS.prod, { git_ref: gitRef }),
          `deploy prod · dispatched with git_ref '${gitRef}'${gitRef ? '' : ` (main, at ${main.tag ?? main.sha.slice(0, 7)})`}`,
          context,
        );
      },
      rollback(environment, version, context) {
        return api.run(
          WORKFLOWS.rollback,
          dispatch(WORKFLOWS.rollback, { environment, version }),
          `rollback · ${environment}${version ? ` to ${version.length === 40 ? version.slice(0, 7) : version}` : ''}`,
          context,
        );
      },
      async servingGood(environment) {
        const served = Object.values(await services[environment].served());
        const sha = served[0]?.sha;
        if (!sha || served.some((s) => s?.sha !== sha)) return undefined;
        const manifest = await world.app.show(sha, 'service.json');
        const breaks = manifest ? (JSON.parse(manifest) as { breaks: Record<string, string[]> }).breaks : {};
        const appEnv = ENVIRONMENTS[environment].appEnv;
        const good = Object.values(breaks).every((where) => !where.includes('*') && !where.includes(appEnv));
        return good ? world.app.commits.find((c) => c.sha === sha) : undefined;
      },
      async ensureServing(environment, context) {
        if (await api.servingGood(environment)) return;
        const release = await api.release();
        context.reporter.say(`${api.describe(release)}, to have a good version running first.`);
        const devRun = await api.deployDev(release, { reporter: context.reporter });
        if (environment === 'dev') return;
        const stageRun = await api.promoteToStage(devRun, { reporter: context.reporter });
        if (environment === 'stage') return;
        if (stageRun.conclusion === 'success') await api.deployProd('', { reporter: context.reporter });
      },
      describe(release) {
        const { spec } = release;
        const where = (spec.breakIn ?? []).join(', ') || 'every environment';
        return spec.break
          ? `Pushed ${release.version} (${release.sha.slice(0, 7)}), which ${BREAK_STORIES[spec.break].replace('{env}', where)} — in ${where}`
          : `Pushed ${release.version} (${release.sha.slice(0, 7)}), a good release`;
      },
      runsSince: (from) => world.runs.slice(from).map((result) => ({ title: result.workflow.name, result })),
      close: () => world.close(),
    };
    return api;
  } catch (error) {
    await world.close();
    throw error;
  }
}

/** A host's /opt/app/.env: the app's settings for its environment, with its own credentials. */
function hostEnvFile(world: World, setup: EnvironmentSetup): string {
  const database = world.databases[setup.appEnv]!;
  return [
    `APP_ENV=${setup.appEnv}`,
    `DATABASE_URL=${database.runtimeUrl}`,
    `SECRET_KEY=${randomBytes(16).toString('hex')}`,
    '',
  ].join('\n');
}

/**
 * The `deploy`-broken release needs a setting that operations added everywhere except where it
 * breaks: the hosts of those environments lack it in their .env.
 */
async function prepareDeployBreak(api: ApiWorld, breakIn: readonly string[] | undefined): Promise<void> {
  const { world } = api;
  for (const env of API_ENVIRONMENTS) {
    const setup = ENVIRONMENTS[env];
    const breaks = !breakIn || breakIn.length === 0 || breakIn.includes(setup.appEnv);
    for (const host of setup.hosts) {
      const file = `${onHost(APP_DIR)}/.env`;
      const current = await readFile(join(world.hostDir(host), file), 'utf8');
      const without = current
        .split('\n')
        .filter((line) => !line.startsWith(`${DEPLOY_BREAK_VARIABLE}=`))
        .join('\n');
      const next = breaks
        ? without
        : `${without.trimEnd()}\n${DEPLOY_BREAK_VARIABLE}=http://search.internal:9200\n`;
      await world.writeHostFile(host, file, next);
    }
  }
}

export type { Break };
