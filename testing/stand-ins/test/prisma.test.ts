import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type PostgresServer,
  postgresUnavailableReason,
  startPostgres,
} from '@gatehouse/postgres-test-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, type StandInWorld } from '../src/index';
import { bash, folder } from './helpers';

const unavailable = postgresUnavailableReason();
const INIT = '20240101000000_init';
const ADD = '20240102000000_add_email';
const SCHEMA = `generator client {
  provider = "prisma-client-js"
}

datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
`;
const MIGRATIONS = {
  [`prisma/migrations/${INIT}/migration.sql`]:
    'CREATE TABLE "users" ("id" SERIAL PRIMARY KEY, "name" TEXT NOT NULL);\n',
  [`prisma/migrations/${ADD}/migration.sql`]: 'ALTER TABLE "users" ADD COLUMN "email" TEXT;\n',
  'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
};
// npx must never fetch: offline, and a registry on a closed port should it try anyway.
const OFFLINE = {
  npm_config_offline: 'true',
  npm_config_fetch_retries: '0',
  npm_config_registry: 'http://127.0.0.1:9/',
  npm_config_update_notifier: 'false',
};

describe.skipIf(unavailable)(
  `prisma stand-in on a real PostgreSQL${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let server: PostgresServer;
    let world: StandInWorld;
    let project: string;
    let url: string;
    let database: string;
    let counter = 0;
    beforeAll(async () => {
      server = await startPostgres();
    });
    afterAll(async () => server?.stop());
    beforeEach(async () => {
      world = await createWorld();
      database = `app_${++counter}`;
      url = await server.createDatabase(database);
      project = folder(world, 'checkout', {
        'prisma/schema.prisma': SCHEMA,
        ...MIGRATIONS,
        'package.json': JSON.stringify({ name: 'web', prisma: { seed: 'sh prisma/seed.sh' } }),
        'prisma/seed.sh': 'psql -X -q "$DATABASE_URL" -c "INSERT INTO users (name) VALUES (\'seeded\')"\n',
      });
      world.prisma.install(project);
    });
    afterEach(async () => world.close());

    const npx = (args: string, env: Record<string, string> = {}) =>
      bash(world, `npx --no prisma ${args}`, {
        cwd: project,
        env: { DATABASE_URL: url, ...OFFLINE, ...env },
      });
    const query = (sql: string) => server.psql(database, sql);

    it('applies every migration not yet recorded, in name order, recorded as Prisma records them', async () => {
      const result = await npx('migrate deploy');
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain(
        `2 migrations found in prisma/migrations\n\nApplying migration \`${INIT}\`\nApplying migration \`${ADD}\``,
      );
      expect(result.stdout).toContain('All migrations have been successfully applied.');
      const columns = await query(
        "SELECT column_name || ':' || data_type FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position",
      );
      expect(columns.trim().split('\n')).toEqual([
        'id:character varying',
        'checksum:character varying',
        'finished_at:timestamp with time zone',
        'migration_name:character varying',
        'logs:text',
        'rolled_back_at:timestamp with time zone',
        'started_at:timestamp with time zone',
        'applied_steps_count:integer',
      ]);
      const rows = await query(
        'SELECT migration_name, checksum, finished_at IS NOT NULL, logs IS NULL, applied_steps_count FROM _prisma_migrations ORDER BY started_at',
      );
      const sha = (name: string) =>
        createHash('sha256')
          .update(readFileSync(join(project, 'prisma', 'migrations', name, 'migration.sql')))
          .digest('hex');
      expect(rows.trim().split('\n')).toEqual([`${INIT}|${sha(INIT)}|t|t|1`, `${ADD}|${sha(ADD)}|t|t|1`]);
      expect(
        await query(
          "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'users'",
        ),
      ).toBe('id,name,email\n');

      const again = await npx('migrate deploy');
      expect(again.stdout).toContain('No pending migrations to apply.');
    });

    it('records a failing migration as failed, stops with P3018, and refuses to go on (P3009) until it is resolved', async () => {
      folder(world, 'checkout', {
        'prisma/migrations/20240103000000_broken/migration.sql':
          'CREATE TABLE "half" (id int);\nALTER TABLE "nope" ADD COLUMN x int;\n',
        'prisma/migrations/20240104000000_after/migration.sql': 'CREATE TABLE "after" (id int);\n',
      });
      const failed = await npx('migrate deploy');
      expect(failed.exitCode).toBe(1);
      expect(failed.stderr).toContain('Error: P3018\n\nA migration failed to apply.');
      expect(failed.stderr).toContain(
        'Migration name: 20240103000000_broken\n\nDatabase error code: 42P01\n\nDatabase error:\nERROR: relation "nope" does not exist',
      );
      // The script ran as one query: its first statement was rolled back with it; nothing after it ran.
      expect(await query("SELECT count(*) FROM pg_tables WHERE tablename IN ('half', 'after')")).toBe('0\n');
      expect(
        await query(
          "SELECT finished_at IS NULL, logs LIKE '%42P01%' FROM _prisma_migrations WHERE migration_name = '20240103000000_broken'",
        ),
      ).toBe('t|t\n');

      const blocked = await npx('migrate deploy');
      expect(blocked.exitCode).toBe(1);
      expect(blocked.stderr).toContain('Error: P3009');
      expect(blocked.stderr).toContain('The `20240103000000_broken` migration started at');

      writeFileSync(
        join(project, 'prisma/migrations/20240103000000_broken/migration.sql'),
        'CREATE TABLE "half" (id int);\n',
      );
      expect((await npx('migrate resolve --rolled-back 20240103000000_broken')).stdout).toContain(
        'Migration 20240103000000_broken marked as rolled back.',
      );
      const fixed = await npx('migrate deploy');
      expect(fixed.exitCode).toBe(0);
      expect(fixed.stdout).toContain(
        'Applying migration `20240103000000_broken`\nApplying migration `20240104000000_after`',
      );
    });

    it('refuses to migrate a database that has tables but no history (P3005); resolve --applied baselines it once (P3008)', async () => {
      await query('CREATE TABLE users (id SERIAL PRIMARY KEY, name TEXT NOT NULL);');
      const refused = await npx('migrate deploy');
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toContain('Error: P3005\n\nThe database schema is not empty.');

      const stamped = await npx(`migrate resolve --applied ${INIT}`);
      expect(stamped.exitCode).toBe(0);
      expect(stamped.stdout).toContain(`Migration ${INIT} marked as applied.`);
      expect(
        await query(
          'SELECT migration_name, applied_steps_count, finished_at IS NOT NULL FROM _prisma_migrations',
        ),
      ).toBe(`${INIT}|0|t\n`);
      const twice = await npx(`migrate resolve --applied ${INIT}`);
      expect(twice.exitCode).toBe(1);
      expect(twice.stderr).toContain(
        `Error: P3008\n\nThe migration \`${INIT}\` is already recorded as applied in the database.`,
      );
      const unknown = await npx('migrate resolve --applied 20990101000000_nope');
      expect(unknown.stderr).toContain('Error: P3017');

      const rest = await npx('migrate deploy');
      expect(rest.exitCode).toBe(0);
      expect(rest.stdout).toContain(`Applying migration \`${ADD}\``);
      expect(rest.stdout).not.toContain(`Applying migration \`${INIT}\``);
    });

    it('runs the seed command from package.json, with .env loaded as Prisma loads it', async () => {
      await npx('migrate deploy');
      writeFileSync(join(project, '.env'), `DATABASE_URL="${url}"\n`);
      const seeded = await bash(world, 'npx --no prisma db seed', { cwd: project, env: OFFLINE });
      expect(seeded.exitCode).toBe(0);
      expect(seeded.stdout).toContain('Running seed command `sh prisma/seed.sh` ...');
      expect(seeded.stdout).toContain('The seed command has been executed.');
      expect(await query('SELECT name FROM users')).toBe('seeded\n');
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'web' }));
      const none = await npx('db seed');
      expect(none).toMatchObject({ exitCode: 0 });
      expect(none.stdout).toContain('No seed command configured');
    });

    it('uses ?schema= as the search path, and says P1001 when the server is unreachable', async () => {
      await query('CREATE SCHEMA app;');
      expect(
        (await npx('migrate deploy', { DATABASE_URL: `${url}?schema=app&connection_limit=5` })).exitCode,
      ).toBe(0);
      expect(
        await query(
          "SELECT count(*) FROM pg_tables WHERE schemaname = 'app' AND tablename IN ('users', '_prisma_migrations')",
        ),
      ).toBe('2\n');
      const down = await npx('migrate deploy', { DATABASE_URL: 'postgresql://u:p@127.0.0.1:9/app' });
      expect(down.exitCode).toBe(1);
      expect(down.stderr).toContain("Error: P1001: Can't reach database server at `127.0.0.1:9`");
      expect(JSON.stringify(world.invocations({ tool: 'prisma' }))).not.toContain(server.password);
    });

    it('runs inside an image too: `docker run --env-file … npx --no prisma migrate deploy` (the VPS example)', async () => {
      writeFileSync(join(project, 'Dockerfile'), 'FROM node:20\nCOPY . .\n');
      writeFileSync(join(project, '.env.host'), `DATABASE_URL=${url}\n`);
      const result = await bash(
        world,
        'docker build -q -t ghcr.io/acme/crm:v1 . >/dev/null && docker run --rm -i --env-file .env.host -e npm_config_offline -e npm_config_registry -e npm_config_update_notifier ghcr.io/acme/crm:v1 npx --no prisma migrate deploy',
        { cwd: project, host: 'mi-0123456789abcdef0', env: OFFLINE },
      );
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain('All migrations have been successfully applied.');
      expect(world.invocations({ tool: 'prisma' }).at(-1)).toMatchObject({
        host: 'mi-0123456789abcdef0',
        details: { applied: [INIT, ADD] },
      });
    });
  },
);

describe('npx --no prisma (npm 11) finds the stand-in only where npm looks', () => {
  let world: StandInWorld;
  beforeEach(async () => {
    world = await createWorld();
  });
  afterEach(async () => world.close());

  it('does not take `prisma` from PATH: npx looks in node_modules/.bin up the tree, then the registry', async () => {
    const project = folder(world, 'bare', { 'package.json': '{"name":"bare"}' });
    expect((await bash(world, 'command -v prisma', { cwd: project })).stdout.trim()).toBe(
      `${world.binDir}/prisma`,
    );
    const result = await bash(world, 'npx --no prisma version', { cwd: project, env: OFFLINE });
    expect(result.exitCode).not.toBe(0);
    expect(world.invocations({ tool: 'prisma' })).toEqual([]);
  });

  it('finds it after `npm install` of the stand-in package as a file: dependency, from any subfolder', async () => {
    const project = folder(world, 'npm', {
      'package.json': JSON.stringify({
        name: 'npm-project',
        devDependencies: { prisma: `file:${world.prisma.packageDir}` },
      }),
      'src/.keep': '',
    });
    const install = await bash(world, 'npm install --offline --no-audit --no-fund', {
      cwd: project,
      env: OFFLINE,
    });
    expect(install.exitCode).toBe(0);
    const result = await bash(world, 'npx --no prisma version', { cwd: `${project}/src`, env: OFFLINE });
    expect(result).toMatchObject({ exitCode: 0 });
    expect(result.stdout).toContain('(stand-in)');
  });
});
