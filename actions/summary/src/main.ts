import * as core from '@actions/core';
import { runMain } from '@gatehouse/action-kit';
import { type RunContext, runContext } from '@gatehouse/action-kit/run-context';
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
    const dependencies = deps(settings, runContext(), process.env);
    if (settings.phase === 'start') await start(settings, dependencies);
    else await finish(settings, dependencies);
  });
}

function deps(settings: Settings, run: RunContext, env: NodeJS.ProcessEnv): Deps {
  const { token } = settings;
  return {
    info: {
      serverUrl: run.serverUrl,
      repository: run.repository,
      runId: run.runId,
      runAttempt: run.runAttempt,
      actor: run.actor,
      triggeringActor: run.triggeringActor,
      workflowRef: run.workflowRef,
      region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
    },
    deployments: async () =>
      githubDeployments({
        token,
        repository: run.repository,
        apiUrl: run.apiUrl,
        warn: core.warning,
      }),
    restoreHistory: async (environment, fileName) => {
      const { restoreHistory } = await import('./find-history');
      return restoreHistory({
        token,
        repository: run.repository,
        apiUrl: run.apiUrl,
        trust: { workflows: settings.trustedWorkflows, refs: settings.trustedRefs },
        env,
        environment,
        fileName,
      });
    },
    now: () => new Date(),
  };
}
