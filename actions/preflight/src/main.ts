import { runMain } from '@gatehouse/action-kit';
import { createRunner } from '@gatehouse/command-runner';
import { run } from './run';
import { readSettings } from './settings';

await runMain(async () => {
  const settings = readSettings();
  await run(settings, {
    runner: await createRunner(settings.targets),
    checkDatabase: async (url, query, expected) =>
      (await import('./database-marker')).checkDatabaseMarker(url, query, expected),
  });
});
