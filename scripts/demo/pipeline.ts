import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ActionRun, runAction } from '@gatehouse/runner-harness';
import { repoRoot } from '../actions';
import { BASELINE, type DemoRelease, headOf, LEGACY_TABLES } from './releases';
import { ENVIRONMENT, HOSTS, REPOSITORY, type World } from './world';

/**
 * One run of the dev deploy job, step by step in the reusable workflow's order, each step the
 * built bundle run through the runner harness in one shared RUNNER_TEMP (so summary finds every
 * step's result record):
 *
 *   resolve-ref → preflight → db-bootstrap → deploy-ssm → smoke-check → health-deep-gate → summary
 *   and when deploy, smoke or the gate fails: rollback → smoke-check → health-deep-gate → summary.
 */
export interface StepRun {
  /** The step as the demo prints it, e.g. `smoke-check (after rollback)`. */
  label: string;
  action: string;
  run: ActionRun;
  durationMs: number;
}

export interface PipelineRun {
  release: DemoRelease;
  runnerTemp: string;
  steps: StepRun[];
  /** The last run of a step, by label. */
  step(label: string): ActionRun | undefined;
  rolledBack: boolean;
  /** The summary as markdown, and the file it was written to. */
  markdown: string;
  summaryFile: string;
  durationMs: number;
}

export interface PipelineOptions {
  /** Sent as `Authorization: Bearer …` by the smoke checks and the deep gate. */
  secret: string;
  runId: number;
  /** How long the deep gate retries an unhealthy answer: short, so the broken release fails fast. */
  gateTimeout: string;
}

const SMOKE_CHECKS = `
- path: /healthz
  expect-status: 200
- name: graphql answers a query
  path: /graphql
  method: POST
  body: '{"query":"{ __typename }"}'
  expect-status: 200
  expect-json: { data.__typename: Query }
- name: graphql rejects an empty query
  path: /graphql
  method: POST
  body: '{}'
  expect-status: 400
`;

/** The user's deploy commands on each host; the sample service reads the tag from app/.env. */
const HOST_COMMANDS = 'echo "$DEPLOY_IMAGE_TAG ($DEPLOY_SHA) started for $DEPLOY_ENVIRONMENT" > started';

export async function runPipeline(
  world: World,
  release: DemoRelease,
  options: PipelineOptions,
): Promise<PipelineRun> {
  const started = performance.now();
  const runnerTemp = await mkdtemp(join(world.workDir, `runner-${release.tag}-`));
  const steps: StepRun[] = [];
  const github = {
    eventName: 'push',
    event: {
      ref: 'refs/heads/main',
      after: release.sha,
      repository: { full_name: REPOSITORY, default_branch: 'main' },
    },
    ref: 'refs/heads/main',
    sha: release.sha,
    repository: REPOSITORY,
    apiUrl: world.github.url,
    token: world.githubToken,
    runId: String(options.runId),
    workspace: world.checkout(release),
  };
  const env = {
    AWS_ENDPOINT_URL_SSM: world.emulator.endpoint,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'demo',
    AWS_SECRET_ACCESS_KEY: 'demo',
  };
  const step = async (action: string, inputs: Record<string, string>, label = action) => {
    const t0 = performance.now();
    const run = await runAction({
      actionDir: join(repoRoot, 'actions', action),
      inputs,
      github,
      runnerTemp,
      env,
      timeoutMs: 120_000,
    });
    steps.push({ label, action, run, durationMs: performance.now() - t0 });
    return run;
  };
  const hosts = { 'instance-ids': HOSTS.join(','), 'app-dir': 'app', 'state-dir': 'state' };
  const smoke = (sha: string, label?: string) =>
    step(
      'smoke-check',
      {
        'base-url': world.service.httpUrl,
        checks: SMOKE_CHECKS,
        headers: `Authorization: Bearer ${options.secret}`,
        'ca-file': world.caFile,
        'expected-sha': sha,
        'sha-json-path': 'version',
        timeout: '10s',
        interval: '1s',
      },
      label,
    );
  const gate = (sha: string, schema: string, label?: string) =>
    step(
      'health-deep-gate',
      {
        url: `${world.service.httpUrl}/health/deep`,
        headers: `Authorization: Bearer ${options.secret}`,
        'ca-file': world.caFile,
        'expected-environment': ENVIRONMENT,
        'expected-sha': sha,
        'min-schema-version': schema,
        'required-checks': 'database,payments',
        timeout: options.gateTimeout,
        interval: '1s',
      },
      label,
    );

  // The job: each step runs only when every step before it succeeded, as in the workflow.
  const job: (() => Promise<ActionRun>)[] = [
    () => step('resolve-ref', { environment: ENVIRONMENT }),
    () =>
      step('preflight', {
        ...hosts,
        'git-checkout': 'false',
        'required-vars': 'APP_ENV',
        'expected-environment': ENVIRONMENT,
        'require-commands': 'flock,base64',
        'min-free-disk': '10M',
        timeout: '1m',
      }),
    () =>
      step('db-bootstrap', {
        target: 'local',
        'database-url': world.databaseUrl,
        'app-dir': world.checkout(release),
        tool: 'node-pg-migrate',
        baseline: BASELINE,
        'legacy-tables': LEGACY_TABLES.join(','),
        // pg_dump is not there without the Debian packages; real pipelines keep `auto`.
        backup: 'never',
        'lock-timeout': '30s',
        timeout: '2m',
      }),
    () =>
      step('deploy-ssm', {
        ...hosts,
        mode: 'image',
        image: 'ghcr.io/example/service',
        'image-tag': release.tag,
        ref: 'refs/heads/main',
        sha: release.sha,
        environment: ENVIRONMENT,
        commands: HOST_COMMANDS,
        'delivery-timeout': '30s',
        'execution-timeout': '2m',
        'lock-timeout': '30s',
      }),
    () => smoke(release.sha),
    () => gate(release.sha, headOf(release)),
  ];
  let failed: StepRun | undefined;
  for (const next of job) {
    if (!(await next()).succeeded) {
      failed = steps[steps.length - 1];
      break;
    }
  }
  const deployRan = steps.some((s) => s.action === 'deploy-ssm');

  let rolledBack = false;
  if (failed && deployRan) {
    const rollback = await step('rollback', {
      ...hosts,
      mode: 'image',
      image: 'ghcr.io/example/service',
      commands: HOST_COMMANDS,
      environment: ENVIRONMENT,
      reason: rollbackReason(failed),
      'lock-timeout': '30s',
    });
    rolledBack = rollback.succeeded;
    if (rolledBack) {
      const back = JSON.parse(rollback.outputs.deployed ?? 'null') as { sha?: string } | null;
      const sha = back?.sha ?? '';
      // The version now served is older; the schema stays where db-bootstrap left it.
      if ((await smoke(sha, 'smoke-check (after rollback)')).succeeded) {
        await gate(sha, '', 'health-deep-gate (after rollback)');
      }
    }
  }

  const summary = await step('summary', {
    'job-status': failed ? 'failure' : 'success',
    deployment: 'true',
    token: world.githubToken,
    'environment-url': world.service.httpsUrl,
    'history-file': join(world.outputDir, 'deploy-history.jsonl'),
  });
  const markdown = summary.outputs.markdown ?? '';
  const summaryFile = join(world.outputDir, `summary-${release.tag}.md`);
  await writeFile(summaryFile, markdown);
  return {
    release,
    runnerTemp,
    steps,
    step: (label) => steps.filter((s) => s.label === label).pop()?.run,
    rolledBack,
    markdown,
    summaryFile,
    durationMs: performance.now() - started,
  };
}

/** Why the job rolls back, in the failed step's own words (the gates' records are rewritten after). */
function rollbackReason(failed: StepRun): string {
  const { verdict, report } = failed.run.outputs;
  if (!verdict) return `${failed.label} failed`;
  let reasons: string[] = [];
  try {
    reasons = (JSON.parse(report ?? '{}') as { reasons?: string[] }).reasons ?? [];
  } catch {
    // A report that does not parse leaves just the verdict.
  }
  return `${failed.label} said ${verdict}${reasons.length > 0 ? `: ${reasons.join('; ')}` : ''}`;
}
