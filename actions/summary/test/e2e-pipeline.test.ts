import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type PostgresServer, startPostgres } from '@gatehouse/postgres-test-server';
import type { ActionRun } from '@gatehouse/runner-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// db-bootstrap's own Alembic project and its check for PostgreSQL and Alembic on this machine.
import {
  alembic,
  alembicDir,
  databaseName,
  tempDir,
  unavailableReason,
} from '../../db-bootstrap/test/helpers';
import { Job } from './pipeline/job';
import { pinRecords } from './pipeline/pin';
import { ENVIRONMENT, HOSTS, RELEASES, startWorld, type World } from './pipeline/world';

/**
 * The three summaries a person on call reads (a deploy, a rollback, a failure before any change),
 * from the result records the real bundles write in one job, run step by step as the reusable
 * workflow runs them: two SSM hosts (emulated), a real PostgreSQL migrated by Alembic, a service on
 * 127.0.0.1. The records are kept as fixtures (what changes from run to run pinned, see pin.ts), so
 * a writer that changes its record changes a reviewed file; the summaries are reviewed snapshots.
 */
const unavailable = await unavailableReason();
const ENV_FILE = 'APP_ENV=prod\nDATABASE_URL=postgresql://app@db.prod.internal/app\nIMAGE_TAG=\n';

function expectRan(run: ActionRun, succeeded: boolean): void {
  if (succeeded) expect(run.errors).toEqual([]);
  expect(run.succeeded).toBe(succeeded);
}

/** Pins the records, keeps them as the scenario's fixtures, and runs the summary's finish step. */
async function summarise(job: Job, scenario: string, jobStatus: 'success' | 'failure', files: string[]) {
  const dir = join(job.runnerTemp, 'gatehouse');
  const names = await pinRecords(dir);
  expect(names.sort()).toEqual([...files].sort());
  for (const name of names) {
    await expect(await readFile(join(dir, name), 'utf8')).toMatchFileSnapshot(`fixtures/${scenario}/${name}`);
  }
  const summary = await job.summaryFinish(jobStatus);
  expect(summary.errors).toEqual([]);
  expect(summary.warnings).toEqual([]);
  expect(summary.succeeded).toBe(true);
  expect(summary.outputs.markdown?.trimEnd()).toBe(summary.summary.trimEnd());
  await expect(summary.summary).toMatchFileSnapshot(`__snapshots__/${scenario}.snap.md`);
  const history = (await readFile(join(job.runnerTemp, 'deploy-history', 'deploy-history.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  return { summary, history };
}

describe.skipIf(unavailable)(
  `summary of a whole job, from the records the bundles write${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let server: PostgresServer;
    let world: World | undefined;
    beforeAll(async () => {
      server = await startPostgres();
    });
    afterAll(async () => {
      await world?.close();
      await server?.stop();
    });

    /** Hosts running v2.3.1 (deployed yesterday by another run), a database one migration behind. */
    async function prod(envFiles: Record<string, string> = {}) {
      await world?.close();
      world = await startWorld(Object.fromEntries(HOSTS.map((h) => [h, envFiles[h] ?? ENV_FILE])));
      const earlier = await Job.start(world, RELEASES.running, { runId: '4100', actor: 'release-bot' });
      expectRan(await earlier.deploy(), true);
      const database = databaseName('summary');
      await server.createDatabase(database);
      await alembic(server.urlFor(database), 'upgrade', '0001_baseline');
      return {
        world,
        db: {
          'database-url': server.urlFor(database),
          'app-dir': alembicDir,
          'backup-dir': await tempDir('summary-backups'),
        },
      };
    }

    it('a deploy: migrated, deployed in two waves, both gates passed', async () => {
      const { world, db } = await prod();
      const job = await Job.start(world, RELEASES.good);
      const sha = RELEASES.good.sha;
      expectRan(await job.resolveRef(), true);
      expectRan(await job.summaryStart(), true);
      expectRan(await job.preflight(), true);
      expectRan(await job.database(db), true);
      expectRan(await job.deploy(), true);
      expectRan(await job.smoke('smoke', sha), true);
      expectRan(await job.deep('deep', sha), true);
      const { summary, history } = await summarise(job, 'deployed', 'success', [
        'resolve-ref.json',
        'summary.json',
        'preflight.json',
        'db-bootstrap.json',
        'deploy-ssm.json',
        'smoke-check.json',
        'health-deep-gate.json',
      ]);
      expect(summary.outputs.outcome).toBe('deployed');
      expect(history).toEqual([
        expect.objectContaining({
          environment: ENVIRONMENT,
          outcome: 'deployed',
          sha,
          hosts: 2,
          'failed-hosts': [],
          'command-id': '7f3c2a9e-1b4d-4c8e-9a51-2d6f0e8b7c31,2b9d4e61-0c3a-4f7e-8d15-6a2c9e0f1b47',
          'run-url': 'https://github.com/example/service/actions/runs/4242',
        }),
      ]);
    }, 300_000);

    it('the app reports another environment: the deep gate fails at once, rollback, the gates pass again', async () => {
      const { world, db } = await prod();
      const job = await Job.start(world, RELEASES.wrongDatabase);
      const sha = RELEASES.wrongDatabase.sha;
      expectRan(await job.resolveRef(), true);
      expectRan(await job.summaryStart(), true);
      expectRan(await job.preflight(), true);
      expectRan(await job.database(db), true);
      expectRan(await job.deploy(), true);
      expectRan(await job.smoke('smoke', sha), true);
      const deep = await job.deep('deep', sha);
      expectRan(deep, false);
      const wrong = "the app reports environment 'stage', expected 'prod'";
      expect(deep.errors.join('\n')).toContain(wrong);
      const rollback = await job.rollback(`health-deep-gate verdict ${deep.outputs.verdict}`);
      expectRan(rollback, true);
      const back = JSON.parse(rollback.outputs.deployed!).sha;
      expect(back).toBe(RELEASES.running.sha);
      expectRan(await job.smoke('smoke-after-rollback', back), true);
      expectRan(await job.deep('deep-after-rollback', back), true);
      const { summary, history } = await summarise(job, 'rolled-back', 'failure', [
        'resolve-ref.json',
        'summary.json',
        'preflight.json',
        'db-bootstrap.json',
        'deploy-ssm.json',
        'smoke-check.json',
        'health-deep-gate.json',
        'rollback.json',
        'smoke-check.2.json',
        'health-deep-gate.2.json',
      ]);
      expect(summary.outputs.outcome).toBe('rolled-back');
      // In the summary and in its log line, not only in the failed step's log.
      expect(summary.summary).toContain(wrong);
      expect(summary.log).toContain(wrong);
      expect(history[0]).toMatchObject({ outcome: 'rolled-back', 'rolled-back-to': 'c00dbbc · tag v2.3.1' });
    }, 300_000);

    it('a failure before any change: preflight finds a host without its database URL', async () => {
      const { world } = await prod({ [HOSTS[1]!]: 'APP_ENV=prod\nIMAGE_TAG=\n' });
      const job = await Job.start(world, RELEASES.good);
      expectRan(await job.resolveRef(), true);
      expectRan(await job.summaryStart(), true);
      expectRan(await job.preflight(), false);
      const { summary, history } = await summarise(job, 'failed-before-change', 'failure', [
        'resolve-ref.json',
        'summary.json',
        'preflight.json',
      ]);
      expect(summary.outputs.outcome).toBe('failed-before-change');
      expect(history[0]).toMatchObject({ outcome: 'failed-before-change', hosts: 0, 'command-id': null });
    }, 300_000);

    it('keeps no fixture a scenario no longer writes', async () => {
      const fixtures = join(import.meta.dirname, 'fixtures');
      const kept = Object.fromEntries(
        await Promise.all(
          (await readdir(fixtures)).map(async (scenario) => [
            scenario,
            (await readdir(join(fixtures, scenario))).length,
          ]),
        ),
      );
      expect(kept).toEqual({ deployed: 7, 'rolled-back': 10, 'failed-before-change': 3 });
    });
  },
);
