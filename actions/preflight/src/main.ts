import { runMain } from '@gatehouse/action-kit';
import { createRunner } from '@gatehouse/command-runner';
import { run as runWith } from './run';
import { readSettings } from './settings';

/** preflight: is every target host fit to deploy to; changes nothing. Importing this module does nothing. */
export async function run(): Promise<void> {
  await runMain(async () => {
    const settings = readSettings();
    await runWith(settings, {
      runner: await createRunner(settings.targets),
      checkDatabase: async (url, query, expected) =>
        (await import('./database-marker')).checkDatabaseMarker(url, query, expected),
    });
  });
}
