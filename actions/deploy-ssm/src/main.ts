import { log, runMain } from '@gatehouse/action-kit';
import { runContext } from '@gatehouse/action-kit/run-context';
import { createRunner } from '@gatehouse/command-runner';
import { runIdentity } from '@gatehouse/host-script';
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
    const context = runContext();
    await runWith(settings, {
      runner,
      run: {
        ...runIdentity(context, settings.environment),
        repository: context.repository || 'unknown',
        sha: context.sha ?? '',
      },
      now: () => new Date(),
    });
  });
}
