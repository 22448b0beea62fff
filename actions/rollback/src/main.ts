import {
  ConfigurationError,
  input,
  readResultRecords,
  resultRecordDir,
  runMain,
} from '@gatehouse/action-kit';
import { createRunner } from '@gatehouse/command-runner';
import { githubLookups } from './github';
import { run } from './run';
import { readSettings } from './settings';

await runMain(async () => {
  const settings = readSettings();
  const env = process.env;
  const dir = resultRecordDir();
  const records = dir ? await readResultRecords(dir) : {};
  const recorded = records['resolve-ref']?.environment;
  const environment = settings.environment ?? (typeof recorded === 'string' ? recorded : undefined);
  if (!environment) {
    throw new ConfigurationError("Input 'environment' is empty and no resolve-ref record names one.");
  }
  await run(settings, {
    runner: await createRunner(settings.targets),
    run: {
      runId: env.GITHUB_RUN_ID ?? 'local',
      actor: env.GITHUB_ACTOR ?? 'unknown',
      environment,
      repository: env.GITHUB_REPOSITORY ?? '',
    },
    github: async () => {
      const token = input.secretString('token');
      if (!token) {
        throw new ConfigurationError(
          `Input 'token' is needed to resolve 'to: ${settings.to}' through the GitHub API.`,
        );
      }
      return githubLookups({
        token,
        repository: env.GITHUB_REPOSITORY ?? '',
        apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
      });
    },
    records,
    region: settings.targets.awsRegion ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
  });
});
