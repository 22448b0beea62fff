import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '@gatehouse/action-kit';
import { fail, type ToolContext } from '../runtime/context';
import { FlagError, parseFlags } from '../runtime/flags';
import { exists, readJson, withLock, writeJson } from '../runtime/state';

/**
 * The Railway CLI (docs: docs.railway.com "CLI" → `railway up`; railwayapp/cli `src/commands/up.rs`)
 * for `railway up [--ci] [--detach] --service S --environment E` with a project token in
 * RAILWAY_TOKEN, as CI uses it. The world holds one project: its token, environments and services
 * (railway/project.json). `up` uploads the working directory; the stand-in records which commit
 * that directory is (`git rev-parse HEAD`, and whether the tree had uncommitted changes, since
 * Railway deploys the files, not the commit) as the service's new deployment, which then serves.
 * A commit the world marks as failing deploys as "Deploy failed" (exit 1) and serves nothing new.
 * Not modelled: account tokens and `railway link`, other commands, build logs, redeploys.
 */
export interface RailwayProject {
  token: string;
  environments: string[];
  services: string[];
  /** Commits whose deploys fail. */
  failingCommits?: string[];
}

export interface RailwayDeployment {
  id: string;
  service: string;
  environment: string;
  commit: string | undefined;
  /** The uploaded tree had changes not in `commit`. */
  dirty: boolean;
  status: 'SUCCESS' | 'FAILED';
  at: string;
}

export function railwayFiles(railwayDir: string) {
  return {
    project: join(railwayDir, 'project.json'),
    deployments: join(railwayDir, 'deployments.jsonl'),
    serving: join(railwayDir, 'serving.json'),
  };
}

export function readDeployments(railwayDir: string): RailwayDeployment[] {
  const file = railwayFiles(railwayDir).deployments;
  if (!exists(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as RailwayDeployment);
}

export async function railwayCli(ctx: ToolContext, argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === '--version' || command === '-V') {
    ctx.out('railway 4.10.0 (stand-in)\n');
    return 0;
  }
  if (command !== 'up')
    fail(
      1,
      `railway stand-in: \`railway ${command ?? ''}\` is not modelled (see testing/stand-ins/README.md)`,
    );
  let flags: ReturnType<typeof parseFlags>;
  try {
    flags = parseFlags(args, {
      long: {
        ci: false,
        detach: false,
        service: true,
        environment: true,
        project: true,
        message: true,
        verbose: false,
        json: false,
        yes: false,
      },
      short: { c: 'ci', d: 'detach', s: 'service', e: 'environment', p: 'project', m: 'message', y: 'yes' },
    });
  } catch (error) {
    // clap's usage errors exit 2.
    if (error instanceof FlagError) fail(2, `error: ${error.message}`);
    throw error;
  }
  if (flags.positionals.length)
    fail(1, 'railway stand-in: `railway up <path>` is not modelled (run it in the folder to deploy)');
  if (flags.values.has('project')) fail(1, 'railway stand-in: --project (account tokens) is not modelled');
  const files = railwayFiles(ctx.world.railway);
  const project = readJson<RailwayProject | undefined>(files.project, undefined);
  const token = ctx.env.RAILWAY_TOKEN;
  if (!token) fail(1, 'Not signed in.');
  if (!project || token !== project.token) {
    fail(
      1,
      "Invalid RAILWAY_TOKEN. Please check that it is valid and has access to the resource you're trying to use.",
    );
  }
  const environment = flags.last('environment') ?? ctx.env.RAILWAY_ENVIRONMENT;
  if (!environment) {
    fail(
      1,
      'No environment specified. Set RAILWAY_ENVIRONMENT_ID, use --environment, or run `railway environment` to link one.',
    );
  }
  if (!project.environments.includes(environment)) {
    fail(
      1,
      `Environment "${environment}" not found.\nRun \`railway environment\` to connect to an environment.`,
    );
  }
  const service = flags.last('service') ?? ctx.env.RAILWAY_SERVICE;
  if (!service) fail(1, 'No service linked\nRun `railway service` to link a service');
  if (!project.services.includes(service)) fail(1, `Service "${service}" not found.`);

  const head = await runCommand('git', ['rev-parse', 'HEAD'], { cwd: ctx.cwd });
  const commit = head.exitCode === 0 ? head.stdout.trim() : undefined;
  const status = await runCommand('git', ['status', '--porcelain'], { cwd: ctx.cwd });
  const dirty = status.exitCode === 0 && status.stdout.trim() !== '';
  const failed = commit !== undefined && (project.failingCommits ?? []).includes(commit);
  const deployment: RailwayDeployment = {
    id: randomUUID(),
    service,
    environment,
    commit,
    dirty,
    status: failed ? 'FAILED' : 'SUCCESS',
    at: new Date().toISOString(),
  };
  withLock(join(ctx.world.locks, 'railway'), () => {
    mkdirSync(ctx.world.railway, { recursive: true });
    appendFileSync(files.deployments, `${JSON.stringify(deployment)}\n`);
    if (!failed) {
      writeJson(files.serving, {
        ...readJson<Record<string, string>>(files.serving, {}),
        [`${environment}/${service}`]: deployment.id,
      });
    }
  });
  ctx.details = { service, environment, commit, dirty, status: deployment.status, deployment: deployment.id };
  ctx.out('Indexing...\nUploading...\n');
  ctx.out(`  Build Logs: https://railway.com/project/stand-in/service/${service}?id=${deployment.id}\n`);
  if (flags.has('detach')) return 0;
  const ci = flags.has('ci') || ctx.env.CI === 'true' || flags.has('json');
  if (!ci && !process.stdout.isTTY) return 0;
  if (ci) ctx.out('CI mode enabled\n');
  if (failed) {
    ctx.out('Deploy failed\n');
    return 1;
  }
  ctx.out('Deploy complete\n');
  return 0;
}
