import { runMain } from '@gatehouse/action-kit';
import { createProber, realClock } from '@gatehouse/http-probe';
import { run as runWith } from './run';
import { readSettings } from './settings';

/**
 * health-deep-gate: deep health — dependencies, environment identity, schema, served commit.
 * Importing this module does nothing.
 */
export async function run(): Promise<void> {
  await runMain(async () => {
    const settings = readSettings();
    const prober = createProber(settings.http.prober);
    try {
      await runWith(settings, { prober, clock: realClock });
    } finally {
      await prober.close();
    }
  });
}
