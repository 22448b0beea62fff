import * as core from '@actions/core';
import { ConfigurationError, runMain } from '@gatehouse/action-kit';
import { runContext } from '@gatehouse/action-kit/run-context';
import { createRunner } from '@gatehouse/command-runner';
import { runOrigin } from '@gatehouse/github-client';
import { runIdentity } from '@gatehouse/host-script';
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
    const context = runContext();
    const records = readEarlierSteps(core.warning);
    const environment = rollbackEnvironment(settings.environment, records.resolveRef);
    await runWith(settings, {
      runner: await createRunner(settings.targets),
      run: { ...runIdentity(context, environment), repository: context.repository },
      github: async () => {
        if (!settings.token) {
          throw new ConfigurationError(
            `Input 'token' is needed to resolve 'to: ${settings.to}' through the GitHub API.`,
          );
        }
        return githubLookups({
          token: settings.token,
          repository: context.repository,
          apiUrl: context.apiUrl,
          trust: settings.trust,
          origin: runOrigin(process.env),
        });
      },
      records,
      region: settings.targets.awsRegion ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION,
    });
  });
}
