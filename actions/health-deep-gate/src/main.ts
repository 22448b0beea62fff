import { runMain } from '@gatehouse/action-kit';
import { createProber, realClock } from '@gatehouse/http-probe';
import { run } from './run';
import { readSettings } from './settings';

await runMain(async () => {
  const settings = readSettings();
  const prober = createProber(settings.http.prober);
  try {
    await run(settings, { prober, clock: realClock });
  } finally {
    await prober.close();
  }
});
