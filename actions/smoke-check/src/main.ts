import { runMain } from '@gatehouse/action-kit';
import { createProber, realClock } from '@gatehouse/http-probe';
import { run } from './run';
import { readSettings } from './settings';

await runMain(async () => {
  const settings = readSettings();
  // One prober (one connection pool) for the whole run: concurrent checks share connections.
  const prober = createProber(settings.http.prober);
  try {
    await run(settings, { prober, clock: realClock });
  } finally {
    await prober.close();
  }
});
