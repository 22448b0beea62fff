import { core, runMain } from '@gatehouse/action-kit';
import { createRunner } from '@gatehouse/command-runner';
import { run } from './run';
import { readSettings } from './settings';

await runMain(async () => {
  const settings = readSettings();
  const runner = await createRunner(settings.targets, {
    cloudwatchLogGroup: settings.cloudwatchLogGroup,
    outputS3Bucket: settings.outputS3Bucket,
    log: (line) => core.info(line),
  });
  const env = process.env;
  await run(settings, {
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
