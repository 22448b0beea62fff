import * as core from '@actions/core';
import { ActionFailure, ConfigurationError, errorMessage, log } from '@gatehouse/action-kit';
import { shellQuote } from '@gatehouse/command-runner';
import { type ApplyRequest, type Database, failedStep, type Snapshot } from './database';
import { classify, plan, type SchemaState } from './plan';
import {
  type ActionTaken,
  finish,
  type Outcome,
  type Progress,
  reportBackup,
  restoreAdvice,
  tailLines,
} from './report';
import type { Settings } from './settings';
import { describeTarget, parseHead, pendingAfterFake, pendingOf, reached, type Target } from './target';

export interface Deps {
  /** Opens the database where the settings say; connection errors name host and port only. */
  open: () => Promise<Database>;
  /** UTC timestamp for backup names, e.g. 20260220T101500123Z. */
  now: () => Date;
}

/** A refusal, or a failure the action exists to catch, with the action it counts as. */
class Stop extends ActionFailure {
  constructor(
    readonly taken: 'refused' | 'failed',
    message: string,
  ) {
    super(message);
  }
}

export async function run(settings: Settings, deps: Deps): Promise<Outcome> {
  const progress: Progress = {};
  let db: Database | undefined;
  try {
    db = await deps.open();
    const taken = await bootstrap(settings, deps, db, progress);
    return await finish(settings, progress, taken);
  } catch (error) {
    if (!(error instanceof Stop) && progress.applyStarted && db) {
      // Killed or cut off mid-apply: say where the database is now, if it still answers.
      progress.latest = await db.snapshot().catch(() => progress.latest);
    }
    await finish(
      settings,
      progress,
      error instanceof Stop ? error.taken : 'failed',
      errorMessage(error),
    ).catch((recordError: unknown) =>
      core.warning(`db-bootstrap: could not record the result: ${errorMessage(recordError)}`),
    );
    throw error;
  } finally {
    await db?.close();
  }
}

async function bootstrap(
  settings: Settings,
  deps: Deps,
  db: Database,
  progress: Progress,
): Promise<ActionTaken> {
  const before = await db.snapshot();
  const state = classify(before);
  Object.assign(progress, { before, latest: before, state });
  log.info(
    `db-bootstrap: ${db.where}: schema is ${state}${before.version ? ` at ${before.version}` : ''} (${before.tables.length} tables)`,
  );
  const target = await readTarget(settings, db);
  progress.target = target;
  log.info(`db-bootstrap: target is ${describeTarget(target)}`);

  if (settings.mode === 'verify') {
    // Read only: "migration first, code after" pipelines refuse code whose migration is not applied.
    if (reached(target, before) !== true)
      throw new Stop('refused', verifyMessage(settings, db, state, before, target));
    return 'verified';
  }

  checkBaselineInPlan(settings, state, target);
  const decision = plan(state, before, {
    target,
    baseline: settings.baseline,
    legacyTables: settings.legacyTables,
  });
  if (decision.kind === 'refuse')
    throw new Stop('refused', `${db.where}: ${decision.reason} Nothing was changed.`);
  const change = decision.kind === 'change';
  const stamp = change && decision.stamp ? withBaseline(settings.commands.stamp, settings) : undefined;
  const migrate = change && decision.migrate ? settings.commands.migrate : undefined;
  const backupWanted = settings.backup === 'always' || (settings.backup === 'auto' && change);
  if (!change && !backupWanted) {
    log.info(`db-bootstrap: already at ${describeTarget(target)}; nothing to do.`);
    return 'none';
  }

  progress.applyStarted = true;
  return carryOut(settings, db, progress, target, {
    expected: before,
    ...(backupWanted ? { backup: backupPlan(settings, deps.now()) } : {}),
    ...(stamp ? { stamp } : {}),
    ...(migrate ? { migrate } : {}),
  });
}

/** Under the lock: back up, stamp, migrate; then show what the tools did and check the target. */
async function carryOut(
  settings: Settings,
  db: Database,
  progress: Progress,
  target: Target,
  request: ApplyRequest,
): Promise<ActionTaken> {
  const outcome = await db.apply(request);
  progress.applied = outcome;
  if (outcome.lockTimedOut) {
    throw new Stop(
      'failed',
      `Another db-bootstrap holds the lock on the database at ${db.where}; gave up after waiting 'lock-timeout'. Nothing was changed.`,
    );
  }
  if (outcome.changedMeanwhile) {
    const now = outcome.changedMeanwhile;
    progress.latest = now;
    throw new Stop(
      'failed',
      `The database at ${db.where} changed while this run waited for the lock (another bootstrap or a deploy ` +
        `migrated it: now ${classify(now)}${now.version ? ` at ${now.version}` : ''}). Nothing was changed; run again.`,
    );
  }
  reportBackup(outcome.backup);
  for (const { step, command, run } of outcome.steps) {
    // The tool's own output: shown whole, but no line of it can act as a workflow command.
    log.verbatimGroup(
      `db-bootstrap: ${step}: ${command} (exit ${run.exitCode})`,
      run.output.trimEnd() || '(no output)',
    );
  }
  if (outcome.backup) progress.restoreCommand = db.restoreCommand(outcome.backup, outcome.leftovers ?? []);
  const after = await db.snapshot();
  progress.latest = after;
  if (outcome.interrupted) {
    throw new Stop(
      'failed',
      `${outcome.interrupted}\nThe database is now at ${after.version ?? 'no version'}. ${restoreAdvice(outcome, progress.restoreCommand)}`,
    );
  }
  const failed = failedStep(outcome);
  if (failed) {
    throw new Stop(
      'failed',
      [
        `The ${failed.step} command failed on ${db.where} (exit ${failed.run.exitCode}); the database is now at ${after.version ?? 'no version'}.`,
        restoreAdvice(outcome, progress.restoreCommand),
        `Output:\n${tailLines(failed.run.output)}`,
      ].join('\n'),
    );
  }
  const ran = new Set(outcome.steps.map((s) => s.step));
  const taken: ActionTaken =
    ran.has('stamp') && ran.has('migrate')
      ? 'baseline-stamped-and-migrated'
      : ran.has('stamp')
        ? 'baseline-stamped'
        : ran.has('migrate')
          ? 'migrated'
          : 'none';
  const missed = await missedTarget(settings, db, target, after);
  if (missed) {
    throw new Stop(
      'failed',
      `After ${taken}, the database at ${db.where} ${missed}. ${restoreAdvice(outcome, progress.restoreCommand)}`,
    );
  }
  log.info(
    `db-bootstrap: ${taken}; version ${request.expected.version ?? '(none)'} → ${after.version ?? '(none)'}`,
  );
  return taken;
}

/** `expected-version`, else what the tool's head command prints, else unknown. */
async function readTarget(settings: Settings, db: Database): Promise<Target> {
  if (settings.expectedVersion) return { kind: 'version', version: settings.expectedVersion };
  if (!settings.commands.head) return { kind: 'unknown' };
  const head = await db.tool(settings.commands.head);
  const target = head.exitCode === 0 ? parseHead(head.stdout) : undefined;
  if (target === undefined) {
    throw new ActionFailure(
      `Cannot find the migration head on ${db.where}: '${settings.commands.head}' exited ${head.exitCode}` +
        `${head.exitCode === 0 ? ' and printed nothing' : ''}. Output: ${tailLines(head.output, 1500)}`,
    );
  }
  return target;
}

/** Why the database is not at the target after the run, or undefined when it is. */
async function missedTarget(
  settings: Settings,
  db: Database,
  target: Target,
  after: Snapshot,
): Promise<string | undefined> {
  if (target.kind === 'version') {
    return after.version === target.version
      ? undefined
      : `is at ${after.version ?? 'no version'}, not ${target.version}`;
  }
  if (target.kind === 'unknown') return undefined;
  const pending = pendingOf(await readTarget(settings, db));
  return pending.length === 0 ? undefined : `still has migrations pending: ${pending.join(', ')}`;
}

function verifyMessage(
  settings: Settings,
  db: Database,
  state: SchemaState,
  before: Snapshot,
  target: Target,
) {
  const now = `The database at ${db.where} is ${state}${before.version ? ` at version ${before.version}` : ' with no version'}`;
  const rule = ' (mode: verify changes nothing; run the migration first).';
  if (target.kind === 'version') return `${now}, but ${target.version} is expected${rule}`;
  if (target.kind === 'plan')
    return `${now}, but migrations are pending: ${pendingOf(target).join(', ')}${rule}`;
  return (
    `${now}, and no version to verify against is known: set 'expected-version' ` +
    `(tool '${settings.tool}' has no head command; 'head-command' can name one).`
  );
}

/** Django's `migrate --fake` takes any migration of the plan; a name not in it would fail as the stamp. */
function checkBaselineInPlan(settings: Settings, state: SchemaState, target: Target): void {
  const baseline = settings.baseline;
  if (state !== 'legacy' || target.kind !== 'plan' || !baseline) return;
  if (pendingAfterFake(target.migrations, baseline) !== undefined) return;
  throw new ConfigurationError(
    `Input 'baseline' is ${baseline}, which is not a migration of the plan that '${settings.commands.head}' prints ` +
      `(${target.migrations.map((m) => m.name).join(', ') || 'no migrations'}). Name the migration, as app.name, ` +
      'that matches the legacy schema.',
  );
}

function withBaseline(command: string, settings: Settings): string {
  if (!command)
    throw new ActionFailure(
      `The database is legacy but tool '${settings.tool}' has no stamp command; set 'stamp-command'.`,
    );
  const baseline = settings.baseline ?? '';
  const dot = baseline.indexOf('.');
  if (dot <= 0 && /\{baseline-(app|name)\}/.test(command)) {
    throw new ConfigurationError(
      `Input 'baseline' must be app.migration (e.g. shop.0001_initial) for the stamp command '${command}', got '${baseline}'.`,
    );
  }
  // Each part reaches the command as one quoted word, whatever it contains.
  return command
    .split('{baseline}')
    .join(shellQuote(baseline))
    .split('{baseline-app}')
    .join(shellQuote(baseline.slice(0, dot)))
    .split('{baseline-name}')
    .join(shellQuote(baseline.slice(dot + 1)));
}

function backupPlan(settings: Settings, now: Date) {
  return {
    dir: settings.backupDir,
    prefix: 'db-bootstrap',
    timestamp: now.toISOString().replace(/[-:.]/g, ''),
    keep: settings.backupKeep,
  };
}
