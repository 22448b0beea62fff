/**
 * What each migration tool needs: where it records the applied version, and the commands that
 * stamp a baseline, migrate, and find the head. In the stamp command `{baseline}` is replaced by
 * the quoted baseline revision, and `{baseline-app}` / `{baseline-name}` by its parts before and
 * after the first dot (Django's `app.migration`). Commands run in the app dir, behind the command
 * prefix if any.
 */
export interface ToolCommands {
  versionTable: string;
  /** SQL returning the applied version(s); only run when the version table exists. */
  versionQuery: string;
  stamp: string;
  migrate: string;
  /**
   * Read-only: prints the newest migration (its last line's first word is taken), or the whole
   * plan marked `[X]` / `[ ]` as Django's `showmigrations --plan` does (see `target.ts`).
   * Empty: no head is known.
   */
  head: string;
}

export const PRESET_NAMES = [
  'alembic',
  'flask-migrate',
  'prisma',
  'django',
  'node-pg-migrate',
  'custom',
] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

const alembicVersion = 'SELECT version_num FROM alembic_version ORDER BY version_num';

export const PRESETS: Record<Exclude<PresetName, 'custom'>, ToolCommands> = {
  alembic: {
    versionTable: 'alembic_version',
    versionQuery: alembicVersion,
    stamp: 'alembic stamp {baseline}',
    migrate: 'alembic upgrade head',
    head: 'alembic heads',
  },
  'flask-migrate': {
    versionTable: 'alembic_version',
    versionQuery: alembicVersion,
    stamp: 'flask db stamp {baseline}',
    migrate: 'flask db upgrade',
    head: 'flask db heads',
  },
  prisma: {
    versionTable: '_prisma_migrations',
    versionQuery:
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name DESC LIMIT 1',
    stamp: 'npx --no prisma migrate resolve --applied {baseline}',
    migrate: 'npx --no prisma migrate deploy',
    head: "ls -1 prisma/migrations | grep -v '^migration_lock' | sort | tail -n 1",
  },
  django: {
    versionTable: 'django_migrations',
    // Django has one chain per app, so "the version" is the most recently applied migration.
    versionQuery: "SELECT app || '.' || name FROM django_migrations ORDER BY id DESC LIMIT 1",
    // `--fake` records the baseline and what it depends on without running them; the migrations
    // after it are left to the migrate step (`--fake-initial` would run them too, as the stamp).
    stamp: 'python manage.py migrate --no-input --fake {baseline-app} {baseline-name}',
    migrate: 'python manage.py migrate --no-input',
    // No single head: the plan, with each migration's dependencies (verbosity 2).
    head: 'python manage.py showmigrations --plan --verbosity 2',
  },
  'node-pg-migrate': {
    versionTable: 'pgmigrations',
    versionQuery: 'SELECT name FROM pgmigrations ORDER BY run_on DESC, id DESC LIMIT 1',
    stamp: 'npx --no node-pg-migrate up {baseline} --fake',
    migrate: 'npx --no node-pg-migrate up',
    head: "ls -1 migrations | sed 's/\\.[^.]*$//' | sort | tail -n 1",
  },
};
