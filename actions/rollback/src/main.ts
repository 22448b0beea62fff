import * as core from '@actions/core';
import { ConfigurationError, runMain } from '@gatehouse/action-kit';
import { createRunner } from '@gatehouse/command-runner';
import { runOrigin } from '@gatehouse/github-client';
import { rollbackEnvironment } from './environment';
import { githubLookups } from './github';
import { readEarlierSteps } from './job-records';
import { run as runWith } from './run';
import { readSettings } from './settings';

/**
 * rollback: back to the previous stable version recorded on the host (or a named one).
 * Importing this module does nothing.
 */
export async function run(): Promise<void> {
  await runMain(async () => {
    const settings = readSettings();
    const env = process.env;
    const records = readEarlierSteps(core.warning);
    const environment = rollbackEnvironment(settings.environment, records.resolveRef);
    await runWith(settings, {
      runner: await createRunner(settings.targets),
      run: {
        runId: env.GITHUB_RUN_ID ?? 'local',
        actor: env.GITHUB_ACTOR ?? 'unknown',
        environment,
        repository: env.GITHUB_REPOSITORY ?? '',
      },
      github: async () => {
        if (!settings.token) {
          throw new ConfigurationError(
            `Input 'token' is needed to resolve 'to: ${settings.to}' through the GitHub API.`,
          );
        }
        return githubLookups({
          token: settings.token,
          repository: env.GITHUB_REPOSITORY ?? '',
          apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
          trust: settings.trust,
          origin: runOrigin(env),
        });
      },
      records,
      region: settings.targets.awsRegion ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
    });
  });
}
