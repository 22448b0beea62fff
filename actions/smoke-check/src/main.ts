import { runMain } from '@gatehouse/action-kit';
import { createProber, realClock } from '@gatehouse/http-probe';
import { run as runWith } from './run';
import { readSettings } from './settings';

/** smoke-check: HTTP contracts, retried until they hold. Importing this module does nothing. */
export async function run(): Promise<void> {
  await runMain(async () => {
    const settings = readSettings();
    // One prober (one connection pool) for the whole run: concurrent checks share connections.
    const prober = createProber(settings.http.prober);
    try {
      await runWith(settings, { prober, clock: realClock });
    } finally {
      await prober.close();
    }
  });
}
