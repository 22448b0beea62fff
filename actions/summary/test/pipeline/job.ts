import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ActionRun, runAction } from '@gatehouse/runner-harness';
import { DEPLOY_COMMANDS, ENVIRONMENT, HOSTS, type Release, VERIFY_COMMAND, type World } from './world';

const actionsDir = join(import.meta.dirname, '..', '..', '..');
export const RUN_ID = '4242';

/**
 * One deploy job, step by step as the reusable workflow (.github/workflows/deploy.yml) wires it,
 * each step the built bundle run through the runner harness in one RUNNER_TEMP, under the step id
 * the workflow gives it (GITHUB_ACTION), so each writes its result record as it would there.
 */
export class Job {
  readonly steps: { id: string; run: ActionRun }[] = [];

  private constructor(
    readonly world: World,
    readonly runnerTemp: string,
    readonly release: Release,
    private readonly identity: { runId: string; actor: string },
  ) {}

  static async start(
    world: World,
    release: Release,
    identity = { runId: RUN_ID, actor: 'octocat' },
  ): Promise<Job> {
    return new Job(world, await mkdtemp(join(tmpdir(), 'gatehouse-pipeline-')), release, identity);
  }

  async step(id: string, action: string, inputs: Record<string, string>): Promise<ActionRun> {
    const run = await runAction({
      actionDir: join(actionsDir, action),
      runnerTemp: this.runnerTemp,
      inputs,
      github: {
        eventName: 'push',
        event: {
          ref: 'refs/heads/main',
          after: this.release.sha,
          repository: { full_name: 'example/service', default_branch: 'main' },
        },
        ref: 'refs/heads/main',
        sha: this.release.sha,
        repository: 'example/service',
        serverUrl: 'https://github.com',
        runId: this.identity.runId,
        actor: this.identity.actor,
      },
      env: {
        GITHUB_ACTION: id,
        AWS_ENDPOINT_URL_SSM: this.world.emulator.endpoint,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
      },
      timeoutMs: 120_000,
    });
    this.steps.push({ id, run });
    return run;
  }

  private readonly hosts = { 'instance-ids': HOSTS.join(','), 'app-dir': 'app', 'state-dir': 'state' };

  resolveRef(): Promise<ActionRun> {
    return this.step('ref', 'resolve-ref', { environment: ENVIRONMENT });
  }

  summaryStart(): Promise<ActionRun> {
    return this.step('summary-start', 'summary', { phase: 'start' });
  }

  preflight(): Promise<ActionRun> {
    return this.step('preflight', 'preflight', {
      ...this.hosts,
      'git-checkout': 'false',
      'required-vars': 'APP_ENV,DATABASE_URL',
      'expected-environment': ENVIRONMENT,
      'require-commands': 'flock,base64',
      'min-free-disk': '10M',
    });
  }

  database(inputs: Record<string, string>): Promise<ActionRun> {
    return this.step('db', 'db-bootstrap', { target: 'local', tool: 'alembic', ...inputs });
  }

  deploy(release: Release = this.release, id = 'deploy'): Promise<ActionRun> {
    return this.step(id, 'deploy-ssm', {
      ...this.hosts,
      environment: ENVIRONMENT,
      mode: 'image',
      image: 'ghcr.io/example/service',
      'image-tag': release.tag,
      ref: 'refs/heads/main',
      sha: release.sha,
      commands: DEPLOY_COMMANDS,
      'verify-command': VERIFY_COMMAND,
      waves: '1, 100%',
    });
  }

  smoke(id: string, expectedSha: string): Promise<ActionRun> {
    return this.step(id, 'smoke-check', {
      'base-url': this.world.serviceUrl,
      checks: [
        '- path: /healthz',
        '  expect-status: 200',
        '- name: orders need a token',
        '  path: /api/orders',
        '  expect-status: 401',
      ].join('\n'),
      'expected-sha': expectedSha,
      'sha-json-path': 'version',
      timeout: '20s',
    });
  }

  deep(id: string, expectedSha: string): Promise<ActionRun> {
    return this.step(id, 'health-deep-gate', {
      url: `${this.world.serviceUrl}/health/deep`,
      'expected-environment': ENVIRONMENT,
      'expected-sha': expectedSha,
      'required-checks': 'database',
      timeout: '20s',
    });
  }

  rollback(reason: string): Promise<ActionRun> {
    return this.step('rollback', 'rollback', {
      ...this.hosts,
      mode: 'image',
      image: 'ghcr.io/example/service',
      commands: DEPLOY_COMMANDS,
      'verify-command': VERIFY_COMMAND,
      environment: ENVIRONMENT,
      'max-errors': '100%',
      reason,
    });
  }

  summaryFinish(jobStatus: 'success' | 'failure'): Promise<ActionRun> {
    return this.step('summary', 'summary', {
      'job-status': jobStatus,
      'environment-url': 'https://prod.example.com',
      'history-file': join(this.runnerTemp, 'deploy-history', 'deploy-history.jsonl'),
    });
  }
}
