import * as core from '@actions/core';
import { runMain } from '@gatehouse/action-kit';
import { githubDeployments } from './deployments';
import { type Deps, finish, start } from './run';
import { readSettings, type Settings } from './settings';

/**
 * summary: the job summary, the GitHub Deployment's status and the deploy history.
 * Importing this module does nothing.
 */
export async function run(): Promise<void> {
  await runMain(async () => {
    const settings = readSettings();
    const dependencies = deps(settings, process.env);
    if (settings.phase === 'start') await start(settings, dependencies);
    else await finish(settings, dependencies);
  });
}

function deps(settings: Settings, env: NodeJS.ProcessEnv): Deps {
  const { token } = settings;
  return {
    info: {
      serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
      repository: env.GITHUB_REPOSITORY ?? '',
      runId: env.GITHUB_RUN_ID,
      runAttempt: env.GITHUB_RUN_ATTEMPT,
      actor: env.GITHUB_ACTOR,
      triggeringActor: env.GITHUB_TRIGGERING_ACTOR,
      workflowRef: env.GITHUB_WORKFLOW_REF || undefined,
      region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
    },
    deployments: async () =>
      githubDeployments({
        token,
        repository: env.GITHUB_REPOSITORY ?? '',
        apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
        warn: core.warning,
      }),
    restoreHistory: async (environment, fileName) => {
      const { restoreHistory } = await import('./find-history');
      return restoreHistory({
        token,
        repository: env.GITHUB_REPOSITORY ?? '',
        apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
        trust: { workflows: settings.trustedWorkflows, refs: settings.trustedRefs },
        env,
        environment,
        fileName,
      });
    },
    now: () => new Date(),
  };
}
