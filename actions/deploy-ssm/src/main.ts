import { log, runMain } from '@gatehouse/action-kit';
import { createRunner } from '@gatehouse/command-runner';
import { run as runWith } from './run';
import { readSettings } from './settings';

/**
 * deploy-ssm: run the deploy on 1..N hosts through SSM (or the runner itself), recording state on
 * each host. Importing this module does nothing.
 */
export async function run(): Promise<void> {
  await runMain(async () => {
    const settings = readSettings();
    const runner = await createRunner(settings.targets, {
      cloudwatchLogGroup: settings.cloudwatchLogGroup,
      outputS3Bucket: settings.outputS3Bucket,
      log: log.info,
    });
    const env = process.env;
    await runWith(settings, {
      runner,
      run: {
        runId: env.GITHUB_RUN_ID ?? 'local',
        actor: env.GITHUB_ACTOR ?? 'unknown',
        environment: settings.environment,
        repository: env.GITHUB_REPOSITORY ?? 'unknown',
        sha: env.GITHUB_SHA ?? '',
      },
      now: () => new Date(),
    });
  });
}
