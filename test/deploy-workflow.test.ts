import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { onHost, startWorld, type World } from '@gatehouse/local-world';
import { jobOf, type RunResult, stepOf } from '@gatehouse/workflow-runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepCoverage } from './support/step-coverage';

/**
 * .github/workflows/deploy.yml run for what the environment examples do not use: a custom migration
 * tool on the host that db-instance-tags picks (running from the image about to be deployed), tags
 * that pick several hosts, and db-target local without the DATABASE_URL secret.
 */
const coverage = stepCoverage(import.meta.url);

const MIGRATOR = 'i-0aaaa000000000001';
const OTHER = 'i-0aaaa000000000002';
const IMAGE = 'ghcr.io/acme/api';

/** The app of these runs: SQL files and two shell scripts, the team's own migration tool. */
const APP = {
  'db/0001_init.sql':
    'CREATE TABLE IF NOT EXISTS app_settings (key text PRIMARY KEY, value text NOT NULL);\n',
  'db/0002_orders.sql': 'CREATE TABLE orders (id serial PRIMARY KEY, total_cents integer NOT NULL);\n',
  'bin/migrate.sh': `#!/bin/sh
# Applies every db/*.sql not recorded in schema_migrations, each in one transaction with its record.
set -eu
psql -X -q -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -c 'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY)'
for file in db/*.sql; do
  version=$(basename "$file" .sql)
  done=$(psql -X -A -t -d "$DATABASE_URL" -c "SELECT 1 FROM schema_migrations WHERE version = '$version'")
  [ -n "$done" ] || psql -X -q -1 -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f "$file" -c "INSERT INTO schema_migrations VALUES ('$version')"
done
`,
  'bin/stamp.sh': `#!/bin/sh
# Records a version as applied without running it.
set -eu
psql -X -q -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -c 'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY)' -c "INSERT INTO schema_migrations VALUES ('$1')"
`,
  '.gitignore': '.env\n',
};

function caller(db: string): string {
  return `name: deploy dev
on: push
permissions: {}
jobs:
  deploy:
    uses: gatehouse-dev/gatehouse/.github/workflows/deploy.yml@v1
    permissions: { contents: read, id-token: write, deployments: write, actions: read, checks: read, statuses: read }
    with:
      environment: dev
      aws-role-arn: arn:aws:iam::123456789012:role/gatehouse-deploy-dev
      aws-region: us-east-1
      instance-tags: |
        app=api
        env=dev
      app-dir: opt/app
      state-dir: var/lib/app
      mode: image
      image: ${IMAGE}
${db
  .trim()
  .split('\n')
  .map((line) => `      ${line}`)
  .join('\n')}
    secrets: inherit
`;
}

/** The custom tool, from the image about to be deployed ({0}), with the host's .env. */
const CUSTOM_TOOL = `db-tool: custom
db-command-prefix: docker run --rm -i --env-file .env ${IMAGE}:{0}
db-version-table: schema_migrations
db-version-query: SELECT version FROM schema_migrations ORDER BY version DESC LIMIT 1
db-migrate-command: sh bin/migrate.sh
db-stamp-command: sh bin/stamp.sh {baseline}
db-head-command: ls db | sed 's/[.]sql$//' | sort | tail -n 1
db-baseline: '0001_init'
db-legacy-tables: app_settings`;

let world: World;
let sha = '';
beforeAll(async () => {
  world = await startWorld({
    hosts: [
      { id: MIGRATOR, tags: { app: 'api', env: 'dev', 'db-migrations': 'true' } },
      { id: OTHER, tags: { app: 'api', env: 'dev' } },
    ],
    // The marker table only: a database made before any migration tool.
    databases: [{ name: 'dev', setupSql: '' }],
  });
  const commit = await world.push(APP, 'the app', 'r1');
  sha = commit.sha;
  // What the image job of a real pipeline does: the commit's files, pushed as ghcr.io/acme/api:<sha>.
  world.standIns.docker.publish(`${IMAGE}:${sha}`, world.app.dir, { revision: sha });
  await world.cloneOnHosts([MIGRATOR, OTHER], 'opt/app');
  for (const host of [MIGRATOR, OTHER]) {
    await world.writeHostFile(
      host,
      'opt/app/.env',
      `APP_ENV=dev\nDATABASE_URL=${world.databases.dev!.url}\n`,
    );
    await world.writeHostFile(host, `${onHost('/var/lib/app')}/.keep`, '');
  }
});
afterAll(async () => {
  await world?.close();
});

async function run(db: string): Promise<RunResult> {
  const result = await world.run({
    workflow: 'test/callers/deploy-dev.yml',
    text: caller(db),
    event: world.pushEvent(world.app.head!),
  });
  coverage.record(result);
  return result;
}

const tables = async () =>
  (
    await world.databases.dev!.query(
      "SELECT string_agg(tablename, ',' ORDER BY tablename) AS t FROM pg_tables WHERE schemaname = 'public'",
    )
  )[0]?.t;

describe('deploy.yml with a database step', () => {
  it('tags that select several migration hosts are refused by name, before any change', async () => {
    const result = await run(`${CUSTOM_TOOL}\ndb-instance-tags: app=api`);
    const job = jobOf(result, 'deploy/deploy');
    const db = stepOf(job, 'db');
    expect(db.outcome).toBe('failure');
    const message = db.annotations.map((a) => a.message).join('\n');
    expect(message).toContain(MIGRATOR);
    expect(message).toContain(OTHER);
    expect(stepOf(job, 'deploy').ran).toBe(false);
    expect(stepOf(job, 'summary').outputs.outcome).toBe('failed-before-change');
    expect(await tables()).toBe('app_settings');
  });

  it('a custom tool runs on the one host db-instance-tags picks, from the image about to be deployed', async () => {
    const earlier = world.standIns.invocations().length;
    const result = await run(`${CUSTOM_TOOL}\ndb-instance-tags: db-migrations=true`);
    const job = jobOf(result, 'deploy/deploy');
    expect(result.conclusion).toBe('success');
    expect(stepOf(job, 'db').outputs).toMatchObject({
      'schema-state': 'legacy',
      'action-taken': 'baseline-stamped-and-migrated',
      'version-before': '',
      'version-after': '0002_orders',
    });
    expect(await tables()).toBe('app_settings,orders,schema_migrations');
    // The tool ran in containers of the new image on the migration host only.
    const runs = world.standIns
      .invocations()
      .slice(earlier)
      .filter((i) => i.tool === 'docker' && i.argv[0] === 'run');
    expect(runs.length).toBeGreaterThan(0);
    expect(new Set(runs.map((i) => i.host))).toEqual(new Set([MIGRATOR]));
    expect(runs.every((i) => i.argv.includes(`${IMAGE}:${sha}`))).toBe(true);
    // The deploy itself went to both hosts and wrote the tag where compose would read it.
    for (const host of [MIGRATOR, OTHER]) {
      expect(await readFile(join(world.hostDir(host), 'opt/app/.env'), 'utf8')).toContain(`IMAGE_TAG=${sha}`);
    }
  });

  it("db-target local without the DATABASE_URL secret stops before any change, naming 'database-url'", async () => {
    const result = await run(
      `db-tool: custom\ndb-target: local\n${CUSTOM_TOOL.split('\n').slice(2).join('\n')}`,
    );
    const job = jobOf(result, 'deploy/deploy');
    const db = stepOf(job, 'db');
    expect(db.outcome).toBe('failure');
    expect(db.annotations[0]?.message).toMatch(/Input 'database-url' is empty/);
    expect(stepOf(job, 'deploy').ran).toBe(false);
    expect(stepOf(job, 'summary').outputs.outcome).toBe('failed-before-change');
  });
});
