import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fail, type ToolContext } from '../runtime/context';
import { FlagError, parseFlags } from '../runtime/flags';
import { passthrough } from '../runtime/passthrough';
import { exists } from '../runtime/state';
import { acquireLock, type Database, ensureDatabaseExists, openDatabase, runScript, sql } from './database';
import { findSchema, loadEnvFiles, readSchema } from './schema';

/**
 * Prisma 6's CLI (docs: prisma.io "Prisma CLI reference" → migrate deploy, migrate resolve, db seed;
 * prisma/prisma-engines schema-engine `apply_migrations.rs`, `mark_migration_applied.rs`,
 * `sql_migration_persistence.rs`) for PostgreSQL, through the real psql:
 * - `migrate deploy`: under Prisma's advisory lock, creates `_prisma_migrations` on an empty
 *   database (a database with other tables and no such table is P3005), refuses to go on past a
 *   failed migration (P3009), then applies every `prisma/migrations/<name>/migration.sql` not yet
 *   recorded, in name order, each recorded with its SHA-256 checksum; a failing one is recorded
 *   with its error in `logs` and stops the run with P3018.
 * - `migrate resolve --applied <name>` records a migration as applied without running it (creating
 *   the table even on a non-empty database, for baselining); P3008 when it already is, P3017 when
 *   there is no such migration. `--rolled-back <name>` marks a failed one rolled back.
 * - `db seed` runs package.json `prisma.seed` through the shell.
 * Prisma's CLI cannot run here (it downloads engine binaries when installed), hence this stand-in.
 * Not modelled: `migrate dev/reset/status/diff`, `db push/pull`, `generate`, other providers,
 * `prisma.config.ts`, checksum drift warnings, migration_lock.toml provider checks.
 */
export const PRISMA_VERSION = '6.19.0';

export async function prismaCli(ctx: ToolContext, argv: string[]): Promise<number> {
  const [first, second, ...rest] = argv;
  if (first === '--version' || first === '-v' || first === 'version') {
    ctx.out(`prisma                  : ${PRISMA_VERSION} (stand-in)\n`);
    return 0;
  }
  const command = `${first ?? ''} ${second ?? ''}`.trim();
  switch (command) {
    case 'migrate deploy':
      return migrateDeploy(ctx, rest);
    case 'migrate resolve':
      return migrateResolve(ctx, rest);
    case 'db seed':
      return dbSeed(ctx, rest);
    default:
      fail(1, `prisma stand-in: \`prisma ${command}\` is not modelled (see testing/stand-ins/README.md)`);
  }
}

function flags(argv: string[], long: Record<string, boolean>) {
  try {
    return parseFlags(argv, { long });
  } catch (error) {
    if (error instanceof FlagError)
      fail(1, `! ${error.message.replace(/^unknown flag: /, 'unknown or unexpected option: ')}`);
    throw error;
  }
}

interface Context {
  db: Database;
  migrationsDir: string;
  displayDir: string;
}

async function open(ctx: ToolContext, schemaFlag: string | undefined): Promise<Context> {
  const env = { ...ctx.env };
  const path = findSchema(ctx.cwd, schemaFlag);
  loadEnvFiles(ctx.cwd, join(path, '..'), env);
  const schema = readSchema(ctx.cwd, path, env);
  const db = openDatabase(schema.url, env);
  ctx.out(`Prisma schema loaded from ${schema.displayPath}\n`);
  ctx.out(`Datasource "db": PostgreSQL database "${db.name}", schema "${db.schema}" at "${db.server}"\n`);
  const migrationsDir = join(schema.dir, 'migrations');
  return { db, migrationsDir, displayDir: relative(ctx.cwd, migrationsDir) || migrationsDir };
}

interface FsMigration {
  name: string;
  script: string;
}

function listFsMigrations(c: Context): FsMigration[] {
  if (!exists(c.migrationsDir)) return [];
  return readdirSync(c.migrationsDir)
    .filter((name) => statSync(join(c.migrationsDir, name)).isDirectory())
    .sort()
    .map((name) => {
      const file = join(c.migrationsDir, name, 'migration.sql');
      if (!exists(file)) {
        fail(
          1,
          `Error: P3015\n\nCould not find the migration file at ${join(c.displayDir, name, 'migration.sql')}. Please delete the directory or restore the migration file.`,
        );
      }
      return { name, script: readFileSync(file, 'utf8') };
    });
}

interface DbMigration {
  id: string;
  name: string;
  finishedAt: string;
  rolledBackAt: string;
  startedAt: string;
  logs: string;
}

const TABLE = '_prisma_migrations';
const CREATE_TABLE = `CREATE TABLE "${TABLE}" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

async function must(ctx: Context, text: string, variables: Record<string, string> = {}) {
  const result = await sql(ctx.db, text, variables);
  if (!result.ok) fail(1, `Error: ${result.message}`);
  return result.stdout;
}

async function tableNames(c: Context): Promise<string[]> {
  const out = await must(
    c,
    'SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1;',
  );
  return out.split('\n').filter(Boolean);
}

async function dbMigrations(c: Context): Promise<DbMigration[]> {
  const out = await must(
    c,
    `SELECT json_build_object('id', id, 'name', migration_name, 'finishedAt', coalesce(to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US "UTC"'), ''), 'rolledBackAt', coalesce(rolled_back_at::text, ''), 'startedAt', to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US "UTC"'), 'logs', coalesce(logs, '')) FROM "${TABLE}" ORDER BY started_at ASC;`,
  );
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as DbMigration);
}

function checksum(script: string): string {
  return createHash('sha256').update(script).digest('hex');
}

async function migrateDeploy(ctx: ToolContext, argv: string[]): Promise<number> {
  const f = flags(argv, { schema: true, help: false });
  const c = await open(ctx, f.last('schema'));
  const created = await ensureDatabaseExists(c.db);
  if (created) ctx.out(`\n${created}\n`);
  const migrations = listFsMigrations(c);
  ctx.out(
    migrations.length
      ? `\n${migrations.length} migration${migrations.length > 1 ? 's' : ''} found in prisma/migrations\n\n`
      : '\nNo migration found in prisma/migrations\n\n',
  );
  const lock = ctx.env.PRISMA_SCHEMA_DISABLE_ADVISORY_LOCK ? undefined : await acquireLock(c.db);
  const applied: string[] = [];
  try {
    const tables = await tableNames(c);
    if (!tables.includes(TABLE)) {
      if (tables.length) {
        fail(
          1,
          'Error: P3005\n\nThe database schema is not empty. Read more about how to baseline an existing production database: https://pris.ly/d/migrate-baseline',
        );
      }
      await must(c, CREATE_TABLE);
    }
    const recorded = await dbMigrations(c);
    const failed = recorded.filter((m) => !m.finishedAt && !m.rolledBackAt);
    if (failed.length) {
      const details = failed
        .map(
          (m) =>
            `The \`${m.name}\` migration started at ${m.startedAt} failed${m.logs.trim() ? ` with the following logs:\n${m.logs.trim()}` : ''}`,
        )
        .join('\n');
      fail(
        1,
        `Error: P3009\n\nmigrate found failed migrations in the target database, new migrations will not be applied. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n${details}\n`,
      );
    }
    const done = new Set(recorded.filter((m) => !m.rolledBackAt).map((m) => m.name));
    for (const migration of migrations.filter((m) => !done.has(m.name))) {
      ctx.out(`Applying migration \`${migration.name}\`\n`);
      const id = randomUUID();
      await must(
        c,
        `INSERT INTO "${TABLE}" (id, checksum, started_at, migration_name) VALUES (:'id', :'checksum', now(), :'name');`,
        {
          id,
          checksum: checksum(migration.script),
          name: migration.name,
        },
      );
      const result = await runScript(c.db, migration.script);
      if (!result.ok) {
        const logs = `Database error code: ${result.code}\n\nDatabase error:\n${result.message}`;
        await must(c, `UPDATE "${TABLE}" SET logs = :'logs' WHERE id = :'id';`, { id, logs });
        ctx.details = { applied, failed: migration.name, code: result.code };
        fail(
          1,
          `Error: P3018\n\nA migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\nMigration name: ${migration.name}\n\n${logs}\n`,
        );
      }
      await must(c, `UPDATE "${TABLE}" SET applied_steps_count = applied_steps_count + 1 WHERE id = :'id';`, {
        id,
      });
      await must(c, `UPDATE "${TABLE}" SET finished_at = now() WHERE id = :'id';`, { id });
      applied.push(migration.name);
    }
  } finally {
    await lock?.release();
  }
  ctx.details = { applied };
  if (applied.length === 0) {
    ctx.out('No pending migrations to apply.\n');
    return 0;
  }
  ctx.out(
    `\nThe following migration(s) have been applied:\n\nmigrations/\n${applied.map((name) => `  └─ ${name}/\n    └─ migration.sql`).join('\n')}\n\nAll migrations have been successfully applied.\n`,
  );
  return 0;
}

async function migrateResolve(ctx: ToolContext, argv: string[]): Promise<number> {
  const f = flags(argv, { applied: true, 'rolled-back': true, schema: true, help: false });
  const appliedName = f.last('applied');
  const rolledBackName = f.last('rolled-back');
  if (!appliedName && !rolledBackName)
    fail(
      1,
      '! --applied or --rolled-back must be part of the command like:\nprisma migrate resolve --applied 20201231000000_example',
    );
  const c = await open(ctx, f.last('schema'));
  const lock = ctx.env.PRISMA_SCHEMA_DISABLE_ADVISORY_LOCK ? undefined : await acquireLock(c.db);
  try {
    const hasTable = (await tableNames(c)).includes(TABLE);
    if (appliedName) {
      const migration = listFsMigrations(c).find((m) => m.name === appliedName);
      if (!migration) {
        fail(
          1,
          `Error: P3017\n\nThe migration ${appliedName} could not be found. Please make sure that the migration exists, and that you included the whole name of the directory. (example: "20201207184859_initial_migration")`,
        );
      }
      // Baselining: the table is created even on a database that already has tables.
      if (!hasTable) await must(c, CREATE_TABLE);
      const relevant = (await dbMigrations(c)).filter((m) => m.name === appliedName);
      if (relevant.some((m) => m.finishedAt)) {
        fail(
          1,
          `Error: P3008\n\nThe migration \`${appliedName}\` is already recorded as applied in the database.`,
        );
      }
      for (const m of relevant.filter((m) => !m.rolledBackAt)) {
        await must(c, `UPDATE "${TABLE}" SET rolled_back_at = now() WHERE id = :'id';`, { id: m.id });
      }
      await must(
        c,
        `INSERT INTO "${TABLE}" (id, checksum, logs, started_at, finished_at, migration_name) VALUES (:'id', :'checksum', '', now(), now(), :'name');`,
        { id: randomUUID(), checksum: checksum(migration.script), name: appliedName },
      );
      ctx.details = { applied: appliedName };
      ctx.out(`\nMigration ${appliedName} marked as applied.\n`);
      return 0;
    }
    const relevant = hasTable ? (await dbMigrations(c)).filter((m) => m.name === rolledBackName) : [];
    if (relevant.length === 0) {
      fail(
        1,
        `Error: P3011\n\nMigration \`${rolledBackName}\` cannot be rolled back because it was never applied to the database. Hint: did you pass in the whole migration name? (example: "20201207184859_initial_migration")`,
      );
    }
    const failed = relevant.filter((m) => !m.finishedAt && !m.rolledBackAt);
    if (failed.length === 0) {
      fail(
        1,
        `Error: P3012\n\nMigration \`${rolledBackName}\` cannot be rolled back because it is not in a failed state.`,
      );
    }
    for (const m of failed)
      await must(c, `UPDATE "${TABLE}" SET rolled_back_at = now() WHERE id = :'id';`, { id: m.id });
    ctx.details = { rolledBack: rolledBackName };
    ctx.out(`\nMigration ${rolledBackName} marked as rolled back.\n`);
    return 0;
  } finally {
    await lock?.release();
  }
}

async function dbSeed(ctx: ToolContext, argv: string[]): Promise<number> {
  const separator = argv.indexOf('--');
  const extra = separator >= 0 ? argv.slice(separator + 1) : [];
  flags(separator >= 0 ? argv.slice(0, separator) : argv, { schema: true, help: false });
  const pkgFile = join(ctx.cwd, 'package.json');
  const seed = exists(pkgFile)
    ? (JSON.parse(readFileSync(pkgFile, 'utf8')) as { prisma?: { seed?: string } }).prisma?.seed
    : undefined;
  if (!seed) {
    ctx.out(
      '⚠️ No seed command configured\n\nTo seed your database, add a seed property to the prisma section in your package.json file.\n',
    );
    return 0;
  }
  const env = { ...ctx.env };
  loadEnvFiles(ctx.cwd, exists(join(ctx.cwd, 'prisma')) ? join(ctx.cwd, 'prisma') : undefined, env);
  const command = [seed, ...extra].join(' ');
  ctx.out(`Running seed command \`${command}\` ...\n`);
  const result = await passthrough(['sh', '-c', command], { cwd: ctx.cwd, env, stdin: 'ignore' });
  const exitCode = 'exitCode' in result ? result.exitCode : 127;
  ctx.details = { seed: command, exitCode };
  if (exitCode !== 0) {
    fail(
      1,
      `\nAn error occurred while running the seed command:\nError: Command failed with exit code ${exitCode}: ${command}`,
    );
  }
  ctx.out('\n🌱  The seed command has been executed.\n');
  return 0;
}
