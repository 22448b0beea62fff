import { ConfigurationError, core, input, runMain } from '@gatehouse/action-kit';
import { githubDeployments } from './deployments';
import { OUTCOMES } from './outcome';
import { MAX_BYTES_DEFAULT } from './render';
import { type Deps, finish, type Settings, start } from './run';

function readSettings(): Settings {
  const outcome = input.optionalString('outcome');
  return {
    phase: input.choice('phase', ['start', 'finish'], 'finish'),
    environment: input.optionalString('environment'),
    sha: input.optionalString('sha'),
    ref: input.optionalString('ref'),
    imageTag: input.optionalString('image-tag'),
    outcome: outcome === undefined ? undefined : input.choice('outcome', OUTCOMES, 'deployed'),
    jobStatus: input.optionalString('job-status'),
    deployment: input.boolean('deployment', false),
    environmentUrl: input.optionalString('environment-url'),
    recordsDir: input.requiredString('records-dir'),
    historyFile: input.optionalString('history-file'),
    historySize: input.integer('history-size', { default: 200, min: 1, max: 100_000 })!,
    maxRows: input.integer('max-rows', { default: 50, min: 1, max: 10_000 })!,
    maxBytes: MAX_BYTES_DEFAULT,
  };
}

/** Checked before anything runs, so a missing token fails the start step, not the deploy's end. */
function readToken(deployment: boolean): string {
  const token = input.secretString('token');
  if (deployment && !token) {
    throw new ConfigurationError(
      "Input 'token' is empty but 'deployment' is true; pass a token with deployments: write.",
    );
  }
  return token ?? '';
}

function deps(env: NodeJS.ProcessEnv, token: string): Deps {
  return {
    info: {
      serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
      repository: env.GITHUB_REPOSITORY ?? '',
      runId: env.GITHUB_RUN_ID,
      runAttempt: env.GITHUB_RUN_ATTEMPT,
      actor: env.GITHUB_ACTOR,
      region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
    },
    deployments: async () =>
      githubDeployments({
        token,
        repository: env.GITHUB_REPOSITORY ?? '',
        apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
        warn: core.warning,
      }),
    now: () => new Date(),
  };
}

await runMain(async () => {
  const settings = readSettings();
  const dependencies = deps(process.env, readToken(settings.deployment));
  if (settings.phase === 'start') await start(settings, dependencies);
  else await finish(settings, dependencies);
});
