import {
  AVATARS_MIGRATION,
  type RailwayWorld,
  railwayUnavailable,
  runExample,
  startRailwayWorld,
} from '@gatehouse/local-world';
import { jobOf, type RunResult } from '@gatehouse/workflow-runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepCoverage } from '../support/step-coverage';
import { outcomes, step, summaryText } from './world-state';

/**
 * examples/systems/railway-supabase.yml end to end: the steps on the runner, the railway stand-in
 * for Railway's CLI and platform, a real PostgreSQL for Supabase with node-pg-migrate's table,
 * and /health/deep behind DEEP_HEALTH_HEADERS.
 */
const coverage = stepCoverage(import.meta.url);
const unavailable = railwayUnavailable();
const UP = ['up', '--ci', '--service', 'api', '--environment', 'production'];

describe.skipIf(unavailable)(
  `examples/systems/railway-supabase.yml in the local world${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let railway: RailwayWorld;
    beforeAll(async () => {
      railway = await startRailwayWorld();
    });
    afterAll(async () => {
      await railway?.close();
    });
    const example = async (options: { break?: string; variant?: string } = {}) => {
      const run = await runExample('railway-supabase', { world: railway, ...options });
      coverage.record(run.runs.map((r) => r.result));
      return run;
    };
    const job = (result: RunResult) => jobOf(result, 'deploy');
    const ups = () =>
      railway.world.standIns.invocations({ tool: 'railway' }).filter((i) => i.argv[0] === 'up');
    let good = '';

    it("verifies Supabase has the migration, remembers the serving commit with the gate's headers, deploys with the railway CLI from PATH", async () => {
      const before = railway.serving()!;
      const calls = railway.world.standIns.invocations({ tool: 'railway' }).length;
      const { result } = await example();
      good = result.event.sha;
      expect(result.conclusion).toBe('success');
      const deploy = job(result);
      expect(deploy.environment?.name).toBe('production');
      expect(step(deploy, "The database already has this commit's migrations").outputs).toMatchObject({
        'action-taken': 'verified',
        'version-after': AVATARS_MIGRATION,
      });
      // The serving commit, read with DEEP_HEALTH_HEADERS from /health/deep.
      expect(step(deploy, 'before').outputs).toEqual({ sha: before });
      expect(step(deploy, 'before').log.join('\n')).toContain(`Railway serves ${before} (HTTP 200)`);
      // The CLI from PATH (the stand-in), no npm install, and exactly the arguments the example gives.
      const cli = step(deploy, 'Railway CLI');
      expect(cli.log.join('\n')).toContain(`${railway.world.standIns.binDir}/railway`);
      expect(cli.log.join('\n')).not.toMatch(/npm (error|warn)|added \d+ package/);
      const railwayCalls = railway.world.standIns.invocations({ tool: 'railway' }).slice(calls);
      expect(railwayCalls.map((i) => i.argv)).toEqual([['--version'], UP]);
      expect(railwayCalls[1]!.env).toMatchObject({ RAILWAY_TOKEN: '<set>' });
      expect(railway.serving()).toBe(good);
      expect(outcomes(deploy)).toMatchObject({ smoke: 'success', deep: 'success', rollback: 'skipped' });
      expect(JSON.parse(step(deploy, 'deep').outputs.report!)).toMatchObject({ sha: good });
      expect(step(deploy, 'Summary').outputs.outcome).toBe('deployed');
      expect(result.log).not.toContain(railway.tokens.deep);
      expect(result.log).not.toContain(railway.tokens.railway);
    });

    it('CRITICAL from /health/deep: rolled back at once by redeploying the remembered commit, then the deep gate again', async () => {
      const { result } = await example({ break: 'wrong-env' });
      const bad = result.event.sha;
      const deploy = job(result);
      expect(step(deploy, 'before').outputs.sha).toBe(good);
      expect(outcomes(deploy)).toMatchObject({
        deploy: 'success',
        smoke: 'success',
        deep: 'failure',
        rollback: 'success',
        'Why nothing was rolled back': 'skipped',
        'Deep health gate after the rollback': 'success',
      });
      expect(step(deploy, 'deep').outputs.verdict).toBe('critical');
      expect((JSON.parse(step(deploy, 'deep').outputs.report!) as { attempts: number }).attempts).toBe(1);
      expect(step(deploy, 'rollback').outputs['rolled-back-to']).toBe(good);
      expect(
        railway.world.standIns.railway
          .deployments()
          .slice(-2)
          .map((d) => [d.commit, d.status]),
      ).toEqual([
        [bad, 'SUCCESS'],
        [good, 'SUCCESS'],
      ]);
      expect(ups().at(-1)!.argv).toEqual(UP);
      expect(railway.serving()).toBe(good);
      expect(step(deploy, 'Summary').outputs.outcome).toBe('rolled-back');
      // A deploy that was rolled back (the platform's own rollback), not a rollback by hand.
      expect(summaryText(result)).toContain(`The deploy of ${bad.slice(0, 7)} was rolled back because`);
    });

    it('a failed Railway deploy: the remembered commit is deployed again, and the deep gate passes on it', async () => {
      const { result } = await example({ break: 'deploy' });
      const deploy = job(result);
      expect(outcomes(deploy)).toMatchObject({
        deploy: 'failure',
        smoke: 'skipped',
        rollback: 'success',
        'Deep health gate after the rollback': 'success',
      });
      expect(
        ups()
          .slice(-2)
          .map((i) => i.exitCode),
      ).toEqual([1, 0]);
      expect(railway.serving()).toBe(good);
      expect(step(deploy, 'Summary').outputs.outcome).toBe('rolled-back');
    });

    it('a stale DEEP_HEALTH_HEADERS token: /health/deep answers 401 without a commit, so nothing is deployed', async () => {
      const deploys = ups().length;
      const { result } = await example({ variant: 'wrong-headers' });
      const deploy = job(result);
      expect(outcomes(deploy)).toMatchObject({
        before: 'failure',
        'Railway CLI': 'skipped',
        deploy: 'skipped',
        rollback: 'skipped',
        'Why nothing was rolled back': 'skipped',
      });
      expect(step(deploy, 'before').annotations.map((a) => a.message)).toEqual([
        expect.stringContaining('answered HTTP 401 without a commit'),
        'Process completed with exit code 1.',
      ]);
      expect(ups()).toHaveLength(deploys);
      expect(railway.serving()).toBe(good);
      expect(step(deploy, 'Summary').outputs.outcome).toBe('failed-before-change');
    });

    it('a migration nobody applied to Supabase: db-bootstrap verify refuses it and changes nothing', async () => {
      const deploys = ups().length;
      const { result } = await example({ variant: 'migration-not-applied' });
      const deploy = job(result);
      expect(step(deploy, "The database already has this commit's migrations")).toMatchObject({
        outcome: 'failure',
        outputs: expect.objectContaining({ 'action-taken': 'refused', 'version-after': AVATARS_MIGRATION }),
      });
      expect(outcomes(deploy)).toMatchObject({ before: 'skipped', deploy: 'skipped' });
      const columns = await railway.world.databases.supabase!.query(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'profiles' AND column_name = 'bio'",
      );
      expect(columns).toEqual([]);
      expect(ups()).toHaveLength(deploys);
      expect(step(deploy, 'Summary').outputs.outcome).toBe('failed-before-change');
    });

    it('without railway on PATH the CLI step installs it with npm (here offline: it fails, and nothing is deployed)', async () => {
      const release = await railway.release();
      await railway.applyMigrations(release);
      const deploys = ups().length;
      const path = process.env.PATH!.split(':').filter((dir) => dir !== railway.world.standIns.binDir);
      const result = await railway.deploy(release, {
        reporter: { say() {}, runStarted() {}, line() {}, runFinished() {} },
        env: { PATH: path.join(':') },
      });
      coverage.record(result);
      const deploy = job(result);
      expect(outcomes(deploy)).toMatchObject({
        before: 'success',
        'Railway CLI': 'failure',
        deploy: 'skipped',
      });
      expect(step(deploy, 'Railway CLI').log.join('\n')).toMatch(/npm error/);
      expect(ups()).toHaveLength(deploys);
    });

    it('the service is down before the deploy: a warning that nothing can be rolled back, and when the deploy fails, "No way back"', async () => {
      const deploys = railway.world.standIns.railway.deployments().length;
      const { result } = await example({ variant: 'service-down', break: 'deploy' });
      const deploy = job(result);
      expect(step(deploy, 'before').outputs).toEqual({});
      expect(step(deploy, 'before').annotations).toEqual([
        expect.objectContaining({
          level: 'warning',
          message: expect.stringContaining('HTTP 503, the service is down or this is its first deploy'),
        }),
      ]);
      expect(outcomes(deploy)).toMatchObject({
        deploy: 'failure',
        rollback: 'skipped',
        'Why nothing was rolled back': 'success',
        'Deep health gate after the rollback': 'skipped',
      });
      expect(step(deploy, 'Why nothing was rolled back').annotations.map((a) => a.properties.title)).toEqual([
        'No way back',
      ]);
      expect(
        railway.world.standIns.railway
          .deployments()
          .slice(deploys)
          .map((d) => d.status),
      ).toEqual(['FAILED']);
      expect(step(deploy, 'Summary').outputs.outcome).toBe('failed');
      expect(summaryText(result)).toContain('no commit to roll back to');
    });
  },
);
