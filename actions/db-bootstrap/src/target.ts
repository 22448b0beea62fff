import type { Snapshot } from './database';

/**
 * What the run brings the database to, and how to tell it got there. Most tools name their newest
 * migration, and the database is there when its version has that name. Django keeps one chain per
 * app and has no such name: its plan (`showmigrations --plan`) marks each migration applied or
 * not, and the database is at the head when nothing is pending.
 */
export type Target =
  /** `expected-version`, or the newest migration the head command printed. */
  | { kind: 'version'; version: string }
  /** The plan the head command printed, in the order the tool applies it. */
  | { kind: 'plan'; migrations: PlannedMigration[] }
  /** A custom tool with neither `expected-version` nor a head command. */
  | { kind: 'unknown' };

export interface PlannedMigration {
  name: string;
  applied: boolean;
  /** The migrations it depends on (Django prints them at verbosity 2). */
  parents: string[];
}

/** Django's `showmigrations --plan`: `[X]  app.name` or `[ ]  app.name ... (parent, parent)`. */
const PLAN_LINE = /^\[( |X)\]\s+(\S+)(?: \.\.\. \((.*)\))?$/;

/**
 * The head command's standard output: a plan when its lines are marked `[X]` / `[ ]` (or it says
 * `(no migrations)`), else the first word of its last line. Undefined when it printed nothing.
 */
export function parseHead(stdout: string): Target | undefined {
  const lines = stdout
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const planned = lines.flatMap((line) => {
    const match = PLAN_LINE.exec(line);
    return match ? [match] : [];
  });
  if (planned.length > 0) {
    return {
      kind: 'plan',
      migrations: planned.map(([, mark, name, parents]) => ({
        name: name!,
        applied: mark === 'X',
        parents: parents ? parents.split(', ') : [],
      })),
    };
  }
  if (lines.length === 1 && lines[0] === '(no migrations)') return { kind: 'plan', migrations: [] };
  const version = lines.at(-1)?.split(/\s+/)[0];
  return version === undefined ? undefined : { kind: 'version', version };
}

export function pendingOf(target: Target): string[] {
  return target.kind === 'plan' ? target.migrations.filter((m) => !m.applied).map((m) => m.name) : [];
}

/**
 * What stays pending once `baseline` and everything it depends on are marked applied, as
 * `migrate --fake <app> <migration>` does. Undefined when the plan has no such migration.
 */
export function pendingAfterFake(
  migrations: readonly PlannedMigration[],
  baseline: string,
): string[] | undefined {
  const byName = new Map(migrations.map((m) => [m.name, m]));
  if (!byName.has(baseline)) return undefined;
  const faked = new Set<string>();
  const stack = [baseline];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (faked.has(name)) continue;
    faked.add(name);
    stack.push(...(byName.get(name)?.parents ?? []));
  }
  return migrations.filter((m) => !m.applied && !faked.has(m.name)).map((m) => m.name);
}

/** Whether the database is at the target; undefined when no target is known. */
export function reached(target: Target, snapshot: Snapshot): boolean | undefined {
  if (target.kind === 'version') return snapshot.version === target.version;
  if (target.kind === 'plan') return snapshot.versionTableExists && pendingOf(target).length === 0;
  return undefined;
}

/** Whether migrating is still needed once a legacy database is stamped with `baseline`. */
export function migrateAfterStamp(target: Target, baseline: string): boolean {
  if (target.kind === 'version') return target.version !== baseline;
  if (target.kind === 'plan') return (pendingAfterFake(target.migrations, baseline) ?? [baseline]).length > 0;
  return true;
}

/** For messages: `0002_orders`, or `the head (pending: shop.0002_sku)`. */
export function describeTarget(target: Target): string {
  if (target.kind === 'version') return target.version;
  if (target.kind === 'unknown') return 'an unknown head';
  const pending = pendingOf(target);
  return pending.length === 0 ? 'the head (nothing pending)' : `the head (pending: ${pending.join(', ')})`;
}

export function targetVersion(target: Target): string | undefined {
  return target.kind === 'version' ? target.version : undefined;
}
