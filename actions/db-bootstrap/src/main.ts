import { runMain } from '@gatehouse/action-kit';
import type { Database } from './database';
import { type Deps, run as runWith } from './run';
import { readSettings, type Settings } from './settings';

/** The database where the settings say, with its heavy parts (pg, the AWS SDK) loaded on use. */
function deps(settings: Settings): Deps {
  const open = async (): Promise<Database> => {
    const { location } = settings;
    const common = { lockTimeoutMs: settings.lockTimeoutMs, commandTimeoutMs: settings.commandTimeoutMs };
    if (location.kind === 'url') {
      const { connectLocal } = await import('./local-database');
      return connectLocal({
        ...common,
        url: location.url,
        tool: settings.commands,
        workingDirectory: settings.appDir,
      });
    }
    const { createRunner } = await import('@gatehouse/command-runner');
    const { hostDatabase } = await import('./host-database');
    return hostDatabase({
      ...common,
      runner: await createRunner(location.targets),
      appDir: settings.appDir,
      prefix: location.prefix,
      urlVariable: location.urlVariable,
      versionTable: settings.commands.versionTable,
      versionQuery: settings.commands.versionQuery,
    });
  };
  return { open, now: () => new Date() };
}

/**
 * db-bootstrap: legacy schema → baseline stamp → migrate → verify, backup first.
 * Importing this module does nothing.
 */
export async function run(): Promise<void> {
  await runMain(async () => {
    const settings = readSettings();
    await runWith(settings, deps(settings));
  });
}
