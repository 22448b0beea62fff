import * as core from '@actions/core';
import { appendSummary, log } from '@gatehouse/action-kit';
import { type ActionTaken, writeRecord } from '@gatehouse/records';
import { type ApplyOutcome, type Backup, failedStep, type Snapshot } from './database';
import type { SchemaState } from './plan';
import type { Settings } from './settings';
import { pendingOf, type Target, targetVersion } from './target';

// What a run tells: its outputs, the result record, the job summary, and what a person runs to undo it.

/** The `action-taken` output. */
export type { ActionTaken };

export interface Outcome {
  /** Empty when the run stopped before it could look at the database. */
  'schema-state': SchemaState | '';
  'action-taken': ActionTaken;
  'version-before': string;
  'version-after': string;
  'backup-file': string;
}

/** What the run has learnt so far: whatever ends it, the outputs and the record say this much. */
export interface Progress {
  state?: SchemaState;
  before?: Snapshot;
  /** The database as last seen: `before` until something may have changed it. */
  latest?: Snapshot;
  target?: Target;
  applyStarted?: boolean;
  applied?: ApplyOutcome;
  restoreCommand?: string;
}

export function reportBackup(backup: Backup | undefined): void {
  if (!backup) return;
  log.info(
    `db-bootstrap: backup ${backup.file} (${backup.bytes} bytes, ${backup.entries} entries verified with pg_restore --list)`,
  );
  for (const name of backup.removed) log.info(`db-bootstrap: removed old backup ${name}`);
}

/** The backup, the command that puts the database back, and what that command removes first. */
export function restoreAdvice(outcome: ApplyOutcome, restoreCommand: string | undefined): string {
  if (!outcome.backup || !restoreCommand) return 'No backup was taken (backup: never).';
  const leftovers = outcome.leftovers;
  const created =
    leftovers === undefined
      ? ' What this run created after the backup could not be listed: pg_restore --clean leaves any such object in place.'
      : leftovers.length > 0
        ? ` This run created what pg_restore --clean alone would leave in place: ${leftovers.map(objectName).join(', ')}; the command below drops it first.`
        : '';
  return `Backup taken before any change: ${outcome.backup.file}.${created}\nTo put the database back as it was, run: ${restoreCommand}`;
}

/** `DROP TABLE IF EXISTS public.x CASCADE` → `TABLE public.x`. */
function objectName(drop: string): string {
  const match = /^DROP (.+?) IF EXISTS (.+) CASCADE$/.exec(drop);
  return match ? `${match[1]} ${match[2]}` : drop;
}

export function tailLines(text: string, max = 3000): string {
  const trimmed = text.trim();
  return trimmed.length > max ? `…${trimmed.slice(-max)}` : trimmed;
}

export async function finish(
  settings: Settings,
  progress: Progress,
  taken: ActionTaken,
  reason?: string,
): Promise<Outcome> {
  const backup = progress.applied?.backup;
  const outcome: Outcome = {
    'schema-state': progress.state ?? '',
    'action-taken': taken,
    'version-before': progress.before?.version ?? '',
    'version-after': progress.latest?.version ?? '',
    'backup-file': backup?.file ?? '',
  };
  for (const [name, value] of Object.entries(outcome)) core.setOutput(name, value);
  const target = progress.target;
  const failed = taken === 'failed' || taken === 'refused';
  await writeRecord('db-bootstrap', {
    status: failed ? 'failed' : 'succeeded',
    reason: reason?.split('\n')[0] ?? null,
    mode: settings.mode,
    tool: settings.tool,
    schemaState: progress.state ?? null,
    actionTaken: taken,
    versionBefore: progress.before?.version ?? null,
    versionAfter: progress.latest?.version ?? null,
    targetVersion: target ? (targetVersion(target) ?? null) : null,
    pendingBefore: target?.kind === 'plan' ? pendingOf(target) : null,
    backupFile: backup?.file ?? null,
    restoreCommand: progress.restoreCommand ?? null,
    leftovers: progress.applied?.leftovers ?? null,
    failedStep: progress.applied ? (failedStep(progress.applied)?.step ?? null) : null,
  });
  await appendSummary(
    `**db-bootstrap** · ${outcome['schema-state'] || 'unknown'} → ${taken}: ` +
      `\`${outcome['version-before'] || '(none)'}\` → \`${outcome['version-after'] || '(none)'}\`` +
      (backup ? ` · backup \`${backup.file}\`` : '') +
      (failed && reason ? `\n\n${reason.split('\n')[0]}` : ''),
  );
  return outcome;
}
