import * as core from '@actions/core';
import { ActionFailure, appendSummary, writeResultRecord } from '@gatehouse/action-kit';
import { shellQuote } from '@gatehouse/command-runner';
import { type ApplyOutcome, type Backup, type Database, lastLineFirstWord, type Snapshot } from './database';
import { classify, plan, type SchemaState } from './plan';
import type { Settings } from './settings';

export interface Deps {
  /** Opens the database where the settings say; connection errors name host and port only. */
  open: () => Promise<Database>;
  /** UTC timestamp for backup names, e.g. 20260220T101500123Z. */
  now: () => Date;
}

export type ActionTaken =
  | 'none'
  | 'verified'
  | 'baseline-stamped'
  | 'migrated'
  | 'baseline-stamped-and-migrated'
  | 'refused'
  | 'failed';

export interface Outcome {
  'schema-state': SchemaState;
  'action-taken': ActionTaken;
  'version-before': string;
  'version-after': string;
  'backup-file': string;
}

export async function run(settings: Settings, deps: Deps): Promise<Outcome> {
  const db = await deps.open();
  try {
    return await bootstrap(settings, deps, db);
  } finally {
    await db.close();
  }
}

async function bootstrap(settings: Settings, deps: Deps, db: Database): Promise<Outcome> {
  const before = await db.snapshot();
  const state = classify(before);
  core.info(
    `db-bootstrap: ${db.where}: schema is ${state}${before.version ? ` at ${before.version}` : ''} (${before.tables.length} tables)`,
  );
  const target = await targetVersion(settings, db);
  const result = (taken: ActionTaken, after: Snapshot, backup?: Backup): Outcome => ({
    'schema-state': state,
    'action-taken': taken,
    'version-before': before.version ?? '',
    'version-after': after.version ?? '',
    'backup-file': backup?.file ?? '',
  });

  if (settings.mode === 'verify') {
    // Read only: "migration first, code after" pipelines refuse code whose migration is not applied.
    if (target === undefined || before.version !== target) {
      await finish(settings, result('refused', before), { target });
      throw new ActionFailure(
        `The database at ${db.where} is ${state}${before.version ? ` at version ${before.version}` : ' with no version'}, ` +
          `but ${target ?? 'a known head'} is expected (mode: verify changes nothing; run the migration first).`,
      );
    }
    return finish(settings, result('verified', before), { target });
  }

  const decision = plan(state, before, {
    target,
    baseline: settings.baseline,
    legacyTables: settings.legacyTables,
  });
  if (decision.kind === 'refuse') {
    await finish(settings, result('refused', before), { target });
    throw new ActionFailure(`${db.where}: ${decision.reason} Nothing was changed.`);
  }
  const change = decision.kind === 'change';
  const stamp = change && decision.stamp ? withBaseline(settings.commands.stamp, settings) : undefined;
  const migrate = change && decision.migrate ? settings.commands.migrate : undefined;
  const backupWanted = settings.backup === 'always' || (settings.backup === 'auto' && change);
  if (!change && !backupWanted) {
    core.info(`db-bootstrap: already at ${target}; nothing to do.`);
    return finish(settings, result('none', before), { target });
  }

  const outcome = await db.apply({
    expected: before,
    ...(backupWanted ? { backup: backupPlan(settings, deps.now()) } : {}),
    ...(stamp ? { stamp } : {}),
    ...(migrate ? { migrate } : {}),
  });
  reportBackup(outcome.backup);
  if (outcome.changedMeanwhile) {
    throw new ActionFailure(
      `The database at ${db.where} changed while this run waited for the lock (another bootstrap or a deploy ` +
        `migrated it: now ${classify(outcome.changedMeanwhile)}${outcome.changedMeanwhile.version ? ` at ${outcome.changedMeanwhile.version}` : ''}). Nothing was changed; run again.`,
    );
  }
  const after = await db.snapshot();
  if (outcome.failed) {
    await finish(settings, result('failed', after, outcome.backup), { target, outcome });
    throw new ActionFailure(failureMessage(db, outcome, after));
  }
  const taken: ActionTaken =
    stamp && migrate
      ? 'baseline-stamped-and-migrated'
      : stamp
        ? 'baseline-stamped'
        : migrate
          ? 'migrated'
          : 'none';
  if (target !== undefined && after.version !== target) {
    await finish(settings, result(taken, after, outcome.backup), { target, outcome });
    throw new ActionFailure(
      `After ${taken}, the database at ${db.where} is at ${after.version ?? 'no version'}, not ${target}.` +
        (outcome.backup ? ` Backup: ${outcome.backup.file}. Restore: ${outcome.backup.restoreCommand}` : ''),
    );
  }
  core.info(`db-bootstrap: ${taken}; version ${before.version ?? '(none)'} → ${after.version ?? '(none)'}`);
  return finish(settings, result(taken, after, outcome.backup), { target, outcome });
}

/** `expected-version`, else the tool's own head (read-only command), else unknown. */
async function targetVersion(settings: Settings, db: Database): Promise<string | undefined> {
  if (settings.expectedVersion) return settings.expectedVersion;
  if (!settings.commands.head) return undefined;
  const head = await db.tool(settings.commands.head);
  const version = head.exitCode === 0 ? lastLineFirstWord(head.output) : undefined;
  if (version === undefined) {
    throw new ActionFailure(
      `Cannot find the migration head on ${db.where}: '${settings.commands.head}' exited ${head.exitCode}. Output: ${head.output.trim()}`,
    );
  }
  return version;
}

function withBaseline(command: string, settings: Settings): string {
  if (!command)
    throw new ActionFailure(
      `The database is legacy but tool '${settings.tool}' has no stamp command; set 'stamp-command'.`,
    );
  // The baseline reaches the command as one quoted word, whatever it contains.
  return command.split('{baseline}').join(shellQuote(settings.baseline ?? ''));
}

function backupPlan(settings: Settings, now: Date) {
  return {
    dir: settings.backupDir,
    prefix: 'db-bootstrap',
    timestamp: now.toISOString().replace(/[-:.]/g, ''),
    keep: settings.backupKeep,
  };
}

function reportBackup(backup: Backup | undefined): void {
  if (!backup) return;
  core.info(
    `db-bootstrap: backup ${backup.file} (${backup.bytes} bytes, ${backup.entries} entries verified with pg_restore --list)`,
  );
  for (const name of backup.removed) core.info(`db-bootstrap: removed old backup ${name}`);
}

function failureMessage(db: Database, outcome: ApplyOutcome, after: Snapshot): string {
  const failed = outcome.failed!;
  return [
    `The ${failed.step} command failed on ${db.where} (exit ${failed.run.exitCode}); the database is now at ${after.version ?? 'no version'}.`,
    outcome.backup
      ? `Backup taken before any change: ${outcome.backup.file}. Restore with: ${outcome.backup.restoreCommand}`
      : 'No backup was taken (backup: never).',
    `Output:\n${failed.run.output.trim()}`,
  ].join('\n');
}

async function finish(
  settings: Settings,
  outcome: Outcome,
  extra: { target: string | undefined; outcome?: ApplyOutcome },
): Promise<Outcome> {
  for (const [name, value] of Object.entries(outcome)) core.setOutput(name, value);
  const backup = extra.outcome?.backup;
  await writeResultRecord('db-bootstrap', {
    ...outcome,
    mode: settings.mode,
    tool: settings.tool,
    targetVersion: extra.target ?? null,
    backupPath: backup?.file ?? null,
    restoreCommand: backup?.restoreCommand ?? null,
    failedStep: extra.outcome?.failed?.step ?? null,
  });
  await appendSummary(
    `**db-bootstrap** · ${outcome['schema-state']} → ${outcome['action-taken']}: ` +
      `\`${outcome['version-before'] || '(none)'}\` → \`${outcome['version-after'] || '(none)'}\`` +
      (backup ? ` · backup \`${backup.file}\`` : ''),
  );
  return outcome;
}
