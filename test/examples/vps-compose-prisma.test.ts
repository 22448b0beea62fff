import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  runExample,
  startVpsWorld,
  VPS_HEAD,
  VPS_HOST,
  VPS_IMAGE,
  type VpsWorld,
  vpsUnavailable,
} from '@gatehouse/local-world';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepCoverage } from '../support/step-coverage';
import { deployJob, outcomes, step, summaryText } from './world-state';

/**
 * examples/systems/vps-compose-prisma.yml end to end: the image job, then deploy.yml against one
 * VPS registered as an SSM managed node, Prisma's migrations from the new image in a one-off
 * container (the prisma stand-in on a real PostgreSQL), a verified pg_dump before every run.
 */
const coverage = stepCoverage(import.meta.url);
const unavailable = vpsUnavailable();

describe.skipIf(unavailable)(
  `examples/systems/vps-compose-prisma.yml in the local world${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let vps: VpsWorld;
    beforeAll(async () => {
      vps = await startVpsWorld();
    });
    afterAll(async () => {
      await vps?.close();
    });
    const example = async (options: { break?: string } = {}) => {
      const run = await runExample('vps-compose-prisma', { world: vps, ...options });
      coverage.record(run.runs.map((r) => r.result));
      return run;
    };
    const envFile = () => readFile(join(vps.world.hostDir(VPS_HOST), 'opt/crm/.env'), 'utf8');
    let good = '';

    it('backs up (verified), runs prisma migrate deploy from the new image, deploys it by tag, and the gates pass', async () => {
      const prismaBefore = vps.world.standIns.invocations({ tool: 'prisma' }).length;
      const { result } = await example();
      good = result.event.sha;
      const image = `${VPS_IMAGE}:${good}`;
      expect(result.jobs.map((j) => [j.key, j.result])).toEqual([
        ['image', 'success'],
        ['deploy/deploy', 'success'],
        ['deploy', 'success'],
      ]);
      const job = deployJob(result);
      expect(job.environment?.name).toBe('prod');
      expect(step(job, 'db').outputs).toMatchObject({
        'schema-state': 'versioned',
        'action-taken': 'migrated',
        'version-before': '20240101000000_init',
        'version-after': VPS_HEAD,
      });
      const backup = step(job, 'db').outputs['backup-file']!;
      expect(backup.startsWith(join(vps.world.hostDir(VPS_HOST), 'opt/crm/backups/'))).toBe(true);
      const listing = await promisify(execFile)('pg_restore', ['--list', backup]);
      expect(listing.stdout).toMatch(/TABLE public contacts /);
      expect(listing.stdout).toMatch(/TABLE public _prisma_migrations /);

      // Prisma ran from the new image, in a one-off container on the compose network.
      const prisma = vps.world.standIns.invocations({ tool: 'prisma' }).slice(prismaBefore);
      expect(prisma.map((i) => [i.host, i.argv.join(' ')])).toEqual([[VPS_HOST, 'migrate deploy']]);
      const container = vps.world.standIns
        .invocations({ tool: 'docker', host: VPS_HOST })
        .filter((i) => i.argv[0] === 'run' && i.argv.join(' ').includes('npx --no prisma migrate deploy'));
      expect(container).toHaveLength(1);
      expect(container[0]!.details).toMatchObject({ image, network: 'crm_default', interactive: true });
      const production = vps.world.databases.production!;
      expect(
        await production.query(
          'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name',
        ),
      ).toEqual([{ migration_name: '20240101000000_init' }, { migration_name: VPS_HEAD }]);
      expect(
        await production.query('SELECT count(*)::int AS n FROM contacts WHERE tags IS NOT NULL'),
      ).toEqual([{ n: 2 }]);

      expect(vps.running()).toBe(image);
      expect(await envFile()).toContain(`IMAGE_TAG=${good}\n`);
      expect(JSON.parse(step(job, 'smoke').outputs.report!)).toMatchObject({ passed: true });
      expect(JSON.parse(step(job, 'deep').outputs.report!)).toMatchObject({
        sha: good,
        schemaVersion: VPS_HEAD,
      });
      expect(summaryText(result)).toContain('prod: deployed');
      expect(await vps.backups()).toHaveLength(1);
    });

    it("a release configured with the developers' database: critical at once, rolled back by writing the previous tag back", async () => {
      const { result } = await example({ break: 'wrong-env' });
      const job = deployJob(result);
      expect(outcomes(job)).toMatchObject({
        db: 'success',
        deploy: 'success',
        smoke: 'success',
        deep: 'failure',
        rollback: 'success',
        'smoke-after-rollback': 'success',
        'deep-after-rollback': 'success',
      });
      // db-backup: always — a verified backup even with nothing to migrate.
      expect(step(job, 'db').outputs).toMatchObject({ 'action-taken': 'none', 'version-after': VPS_HEAD });
      expect(step(job, 'db').outputs['backup-file']).not.toBe('');
      expect(await vps.backups()).toHaveLength(2);
      expect(step(job, 'rollback').outputs['rolled-back-to']).toBe(good);
      expect(vps.running()).toBe(`${VPS_IMAGE}:${good}`);
      expect(await envFile()).toContain(`IMAGE_TAG=${good}\n`);
      expect(step(job, 'summary').outputs.outcome).toBe('rolled-back');
      expect(summaryText(result)).toContain('prod: rolled back');
    });

    it('a release whose image never becomes healthy: compose up --wait fails on the VPS, back on the previous tag', async () => {
      const { result } = await example({ break: 'deploy' });
      const job = deployJob(result);
      expect(outcomes(job)).toMatchObject({
        deploy: 'failure',
        rollback: 'success',
        'smoke-after-rollback': 'success',
        'deep-after-rollback': 'success',
      });
      const ups = vps.world.standIns
        .invocations({ tool: 'docker', host: VPS_HOST })
        .filter((i) => i.argv.join(' ').startsWith('compose -f docker-compose.production.yml up'));
      expect(ups.slice(-2).map((i) => i.exitCode)).toEqual([1, 0]);
      expect(vps.running()).toBe(`${VPS_IMAGE}:${good}`);
      expect(step(job, 'summary').outputs.outcome).toBe('rolled-back');
    });
  },
);
