import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  EC2_BASELINE,
  EC2_HEAD,
  EC2_HOSTS,
  EC2_IMAGE,
  EC2_LEGACY_TABLES,
  type Ec2World,
  ec2Unavailable,
  runExample,
  startEc2World,
} from '@gatehouse/local-world';
import { jobOf, type RunResult } from '@gatehouse/workflow-runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepCoverage } from '../support/step-coverage';
import { deployJob, outcomes, step, summaryText } from './world-state';

/**
 * examples/systems/ec2-flask-alembic.yml, the incident's system, run end to end: the example's own
 * image job, then deploy.yml against two SSM hosts running docker compose, a dev database made
 * before Alembic (real PostgreSQL), `flask db` from Debian's Flask-Migrate inside a one-off
 * container of the new image, and the service behind an http→https 301.
 */
const coverage = stepCoverage(import.meta.url);
const unavailable = await ec2Unavailable();
const [HOST_1, HOST_2] = EC2_HOSTS;

interface PreflightHost {
  host: string;
  passed: boolean;
  checks: { check: string; verdict: string; reason: string }[];
}

const preflightReport = (result: RunResult): PreflightHost[] =>
  JSON.parse(step(deployJob(result), 'preflight').outputs.report ?? '[]');
const databaseCheck = (result: RunResult, host: string) =>
  preflightReport(result)
    .find((h) => h.host === host)
    ?.checks.find((c) => c.check === 'database');

async function tablesOf(ec2: Ec2World): Promise<string[]> {
  const rows = await ec2.world.databases.dev!.query(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
  );
  return rows.map((row) => String(row.tablename));
}

async function envFile(ec2: Ec2World, host: string, name: string): Promise<string> {
  return readFile(join(ec2.world.hostDir(host), 'opt/app', name), 'utf8');
}

describe.skipIf(unavailable)(
  `examples/systems/ec2-flask-alembic.yml in the local world${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let ec2: Ec2World;
    beforeAll(async () => {
      ec2 = await startEc2World();
    });
    afterAll(async () => {
      await ec2?.close();
    });
    const example = async (options: { break?: string; variant?: string } = {}) => {
      const run = await runExample('ec2-flask-alembic', { world: ec2, ...options });
      coverage.record(run.runs.map((r) => r.result));
      return run;
    };
    let good = '';

    it('runs the incident end to end: legacy database baselined and migrated, image deployed by tag, smoke-checked through http→https with a POST, deep-checked', async () => {
      const r0 = ec2.good.sha;
      const { result } = await example();
      good = result.event.sha;
      expect(result.jobs.map((j) => [j.key, j.result])).toEqual([
        ['image', 'success'],
        ['deploy/deploy', 'success'],
        ['deploy', 'success'],
      ]);

      // The image job built the commit and pushed it with the job's token, which no record holds.
      const image = `${EC2_IMAGE}:${good}`;
      const docker = ec2.world.standIns.invocations({ tool: 'docker', host: 'runner' });
      expect(docker.map((i) => [i.argv.slice(0, 3).join(' '), i.exitCode])).toEqual([
        ['login ghcr.io -u', 0],
        [`build -t ${image}`, 0],
        [`push ${image}`, 0],
      ]);
      expect(ec2.world.standIns.docker.registry()[image]).toBeDefined();
      expect(JSON.stringify(ec2.world.standIns.invocations())).not.toContain(ec2.world.githubToken);

      // The marker query reaches psql intact: each host's app container reads dev's marker.
      for (const host of EC2_HOSTS) {
        expect(databaseCheck(result, host)).toMatchObject({
          verdict: 'pass',
          reason: expect.stringContaining('environment marker is dev'),
        });
      }

      // Legacy → baseline stamped → migrated, after a verified backup on the migration host.
      const job = deployJob(result);
      expect(step(job, 'db').outputs).toMatchObject({
        'schema-state': 'legacy',
        'action-taken': 'baseline-stamped-and-migrated',
        'version-after': EC2_HEAD,
      });
      const backup = step(job, 'db').outputs['backup-file']!;
      expect(backup.startsWith(join(ec2.world.hostDir(HOST_1), 'var/backups/api/'))).toBe(true);
      const listing = await promisify(execFile)('pg_restore', ['--list', backup]);
      for (const table of EC2_LEGACY_TABLES)
        expect(listing.stdout).toMatch(new RegExp(`TABLE public ${table} `));
      const dev = ec2.world.databases.dev!;
      expect(await dev.query('SELECT version_num FROM alembic_version')).toEqual([{ version_num: EC2_HEAD }]);
      expect(await dev.query('SELECT count(*)::int AS n FROM users WHERE display_name IS NULL')).toEqual([
        { n: 2 },
      ]);
      expect(await dev.query('SELECT count(*)::int AS n FROM transactions')).toEqual([{ n: 2 }]);
      // flask db ran in one-off containers of the new image, on the tagged host only.
      const flask = (host: string) =>
        ec2.world.standIns
          .invocations({ tool: 'docker', host })
          .filter((i) => i.argv[0] === 'run' && i.argv.join(' ').includes('flask db'));
      expect(flask(HOST_1).map((i) => i.argv.find((a) => a.startsWith('flask db')))).toEqual([
        'flask db heads',
        `flask db stamp '${EC2_BASELINE}'`,
        'flask db upgrade',
      ]);
      for (const run of flask(HOST_1)) expect(run.details).toMatchObject({ image, network: 'host' });
      expect(flask(HOST_2)).toEqual([]);

      // Deployed by tag: compose runs the new image, the tag read from .env.prod; .env is left as it was.
      expect(ec2.running()).toEqual({ [HOST_1]: image, [HOST_2]: image });
      for (const host of EC2_HOSTS) {
        expect(await envFile(ec2, host, '.env.prod')).toContain(`IMAGE_TAG=${good}\n`);
        expect(await envFile(ec2, host, '.env')).toContain(`IMAGE_TAG=${r0}\n`);
        const up = ec2.world.standIns
          .invocations({ tool: 'docker', host })
          .filter((i) => i.argv.slice(0, 4).join(' ') === 'compose --env-file .env.prod up')
          .at(-1)!;
        expect(up.details).toMatchObject({
          variables: { IMAGE_TAG: join(ec2.world.hostDir(host), 'opt/app/.env.prod') },
        });
      }

      // Every smoke check went http → 301 → https, and the POST stayed a POST with its body.
      const smoke = JSON.parse(step(job, 'smoke').outputs.report!) as { checks: { chain: string }[] };
      expect(smoke.checks.map((c) => c.chain)).toEqual([
        expect.stringMatching(/^GET http:\/\/127\.0\.0\.1:\d+\/healthz → 301 → GET https:.*\/healthz → 200$/),
        expect.stringMatching(
          /^POST http:\/\/127\.0\.0\.1:\d+\/graphql → 301 → POST https:.*\/graphql → 400$/,
        ),
        expect.stringMatching(/^GET http:.*\/api\/me → 301 → GET https:.*\/api\/me → 401$/),
      ]);
      expect(JSON.parse(step(job, 'deep').outputs.report!)).toMatchObject({
        sha: good,
        schemaVersion: EC2_HEAD,
      });
      expect(step(job, 'summary').outputs.outcome).toBe('deployed');
      expect(summaryText(result)).toContain('dev: deployed');
      // The deep health token and the database password stay out of everything a person reads.
      const password = decodeURIComponent(new URL(dev.url).password);
      for (const secret of [ec2.deepToken, password]) {
        expect(result.log).not.toContain(secret);
        expect(summaryText(result)).not.toContain(secret);
      }
    });

    it("a release configured with stage's database: critical at once, every host back on the previous tag, the gates again", async () => {
      const { result, runs } = await example({ break: 'wrong-env' });
      expect(runs).toHaveLength(1);
      const bad = result.event.sha;
      const job = deployJob(result);
      expect(outcomes(job)).toMatchObject({
        preflight: 'success',
        db: 'success',
        deploy: 'success',
        smoke: 'success',
        deep: 'failure',
        rollback: 'success',
        'smoke-after-rollback': 'success',
        'deep-after-rollback': 'success',
        summary: 'success',
      });
      expect(step(job, 'deep').outputs.verdict).toBe('critical');
      expect(step(job, 'rollback').outputs['rolled-back-to']).toBe(good);
      // Rollback wrote the previous tag back into .env.prod, and compose read it from there.
      expect(ec2.running()).toEqual({ [HOST_1]: `${EC2_IMAGE}:${good}`, [HOST_2]: `${EC2_IMAGE}:${good}` });
      for (const host of EC2_HOSTS) {
        expect(await envFile(ec2, host, '.env.prod')).toContain(`IMAGE_TAG=${good}\n`);
        const images = ec2.world.standIns
          .invocations({ tool: 'docker', host })
          .filter((i) => i.argv.slice(0, 4).join(' ') === 'compose --env-file .env.prod up')
          .slice(-2)
          .map((i) => (i.details as { running: { web: { image: string } } }).running.web.image);
        expect(images).toEqual([`${EC2_IMAGE}:${bad}`, `${EC2_IMAGE}:${good}`]);
      }
      expect(JSON.parse(step(job, 'deep-after-rollback').outputs.report!)).toMatchObject({ sha: good });
      expect(step(job, 'summary').outputs.outcome).toBe('rolled-back');
      expect(summaryText(result)).toContain('dev: rolled back');
    });

    it('a release whose image never becomes healthy: compose up --wait fails, the hosts go back to the previous tag', async () => {
      const { result } = await example({ break: 'deploy' });
      const bad = result.event.sha;
      const job = deployJob(result);
      expect(outcomes(job)).toMatchObject({
        deploy: 'failure',
        smoke: 'skipped',
        rollback: 'success',
        'smoke-after-rollback': 'success',
        'deep-after-rollback': 'success',
      });
      for (const host of EC2_HOSTS) {
        const up = ec2.world.standIns
          .invocations({ tool: 'docker', host })
          .filter((i) => i.argv.slice(0, 4).join(' ') === 'compose --env-file .env.prod up');
        expect(up.at(-2)).toMatchObject({ exitCode: 1 });
        expect((up.at(-2)!.details as { running: { web: { image: string } } }).running.web.image).toBe(
          `${EC2_IMAGE}:${bad}`,
        );
      }
      expect(ec2.running()).toEqual({ [HOST_1]: `${EC2_IMAGE}:${good}`, [HOST_2]: `${EC2_IMAGE}:${good}` });
      expect(step(job, 'summary').outputs.outcome).toBe('rolled-back');
    });

    it("a host whose .env.prod names stage's database: preflight's marker query stops the run before any migration", async () => {
      const tables = await tablesOf(ec2);
      const before = ec2.running();
      const migrateRuns = () =>
        ec2.world.standIns
          .invocations({ tool: 'docker' })
          .filter((i) => i.argv.join(' ').includes('flask db')).length;
      const flaskBefore = migrateRuns();
      const { result } = await example({ variant: 'wrong-database' });
      const job = deployJob(result);
      expect(outcomes(job)).toMatchObject({ preflight: 'failure', db: 'skipped', deploy: 'skipped' });
      expect(databaseCheck(result, HOST_1)).toMatchObject({ verdict: 'pass' });
      expect(databaseCheck(result, HOST_2)).toMatchObject({
        verdict: 'fail',
        reason: expect.stringContaining('stage'),
      });
      expect(migrateRuns()).toBe(flaskBefore);
      expect(await tablesOf(ec2)).toEqual(tables);
      expect(ec2.running()).toEqual(before);
      expect(step(job, 'summary').outputs.outcome).toBe('failed-before-change');
    });
  },
);

describe.skipIf(unavailable)('ec2-flask-alembic.yml with db-migrations=true on both dev hosts', () => {
  let ec2: Ec2World;
  beforeAll(async () => {
    ec2 = await startEc2World({ migrationTagOnBoth: true });
  });
  afterAll(async () => {
    await ec2?.close();
  });

  it('db-bootstrap names both hosts and changes nothing: no backup, no stamp, no deploy', async () => {
    const tables = await tablesOf(ec2);
    const before = ec2.running();
    const run = await runExample('ec2-flask-alembic', { world: ec2, variant: 'two-migration-hosts' });
    coverage.record(run.runs.map((r) => r.result));
    const job = jobOf(run.result, 'deploy/deploy');
    expect(outcomes(job)).toMatchObject({ preflight: 'success', db: 'failure', deploy: 'skipped' });
    const error = step(job, 'db').annotations.find((a) => a.level === 'error')!.message;
    expect(error).toContain('exactly one host');
    expect(error).toContain(HOST_1);
    expect(error).toContain(HOST_2);
    expect(await tablesOf(ec2)).toEqual(tables);
    expect(tables).not.toContain('alembic_version');
    const invocations = ec2.world.standIns.invocations({ tool: 'docker' });
    expect(invocations.filter((i) => i.argv.join(' ').includes('flask db'))).toEqual([]);
    expect(invocations.filter((i) => i.argv.join(' ').includes('pg_dump'))).toEqual([]);
    expect(ec2.running()).toEqual(before);
    expect(step(job, 'summary').outputs.outcome).toBe('failed-before-change');
  });
});
