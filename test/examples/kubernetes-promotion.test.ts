import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  K8S_HEAD,
  type K8sWorld,
  k8sUnavailable,
  runExample,
  silentReporter,
  startK8sWorld,
} from '@gatehouse/local-world';
import { jobOf, type RunResult } from '@gatehouse/workflow-runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepCoverage } from '../support/step-coverage';
import { outcomes, step, summaryText } from './world-state';

/**
 * examples/systems/kubernetes.yml, dispatched per environment (kubectl stand-in cluster, Prisma
 * stand-in installed by the example's own `npm ci`, real PostgreSQL, real gpg): the encrypted
 * backup artifact and the promotion chain dev → stage → prod. Its failure paths are in
 * kubernetes-rollback.test.ts, in a world of their own.
 */
const coverage = stepCoverage(import.meta.url);
const unavailable = k8sUnavailable();
const run = promisify(execFile);

const migrations = async (k8s: K8sWorld, database: string) =>
  (
    await k8s.world.databases[database]!.query(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name',
    )
  ).map((row) => String(row.migration_name));

describe.skipIf(unavailable)(
  `examples/systems/kubernetes.yml: backups and promotion${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let k8s: K8sWorld;
    beforeAll(async () => {
      k8s = await startK8sWorld();
    });
    afterAll(async () => {
      await k8s?.close();
    });
    const example = async (options: { break?: string; variant?: string } = {}) => {
      const story = await runExample('kubernetes', { world: k8s, ...options });
      coverage.record(story.runs.map((r) => r.result));
      return story;
    };
    const job = (result: RunResult) => jobOf(result, 'deploy');

    it('dev: migrate and seed after a backup encrypted to DB_BACKUP_PUBLIC_KEY and kept as an artifact, then apply and the gates', async () => {
      const revisionBefore = k8s.deployment('dev')!.revision;
      const { result } = await example();
      const sha = result.event.sha;
      expect(result.conclusion).toBe('success');
      const deploy = job(result);
      expect(deploy.environment?.name).toBe('dev');
      // npm ci installed the locked prisma (the stand-in), which migrated and seeded dev's database.
      expect(step(deploy, 'db').outputs).toMatchObject({
        'schema-state': 'versioned',
        'action-taken': 'migrated',
        'version-after': K8S_HEAD,
      });
      expect(await migrations(k8s, 'dev')).toEqual(['20240101000000_init', K8S_HEAD]);
      expect(
        await k8s.world.databases.dev!.query('SELECT code, price_cents FROM plans ORDER BY code'),
      ).toEqual([
        { code: 'free', price_cents: 0 },
        { code: 'pro', price_cents: 0 },
      ]);
      const prisma = k8s.world.standIns.invocations({ tool: 'prisma', host: 'runner' });
      expect(prisma.slice(-2).map((i) => i.argv.join(' '))).toEqual(['migrate deploy', 'db seed']);

      // The backup left the runner only encrypted, and the private key turns it back into a dump.
      const name = `db-backup-dev-${result.runId}-1`;
      const [artifact] = k8s.world.artifacts.list({ runId: result.runId, name });
      expect(artifact?.files).toEqual([expect.stringMatching(/^db-bootstrap-\d+T\d+Z\.dump\.gpg$/)]);
      expect(artifact!.retentionDays).toBe(30);
      const encrypted = join(k8s.world.artifacts.pathOf(artifact!), artifact!.files[0]!);
      const backupDir = join(step(deploy, 'db').outputs['backup-file']!, '..');
      expect(await readdir(backupDir)).toEqual([artifact!.files[0]]);
      const scratch = await mkdtemp(join(tmpdir(), 'gatehouse-k8s-restore-'));
      try {
        const dump = join(scratch, 'backup.dump');
        await run('gpg', ['--batch', '--quiet', '--output', dump, '--decrypt', encrypted], {
          env: { ...process.env, GNUPGHOME: k8s.gnupgHome },
        });
        const listing = await run('pg_restore', ['--list', dump]);
        expect(listing.stdout).toMatch(/TABLE public plans /);
        expect(listing.stdout).toMatch(/TABLE public _prisma_migrations /);
        // Without the private key, the artifact is not a dump.
        await expect(run('pg_restore', ['--list', encrypted])).rejects.toThrow();
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
      expect(summaryText(result)).toContain(`gh run download ${result.runId} --repo acme/web --name ${name}`);

      // Applied with the commit as the image tag, rolled out, and serving it.
      expect(k8s.deployment('dev')).toMatchObject({
        revision: revisionBefore + 1,
        images: [`ghcr.io/acme/web:${sha}`],
        changeCause: `gatehouse ${sha} run ${result.runId}`,
      });
      expect(step(deploy, 'deploy').outputs).toEqual({
        'revision-before': String(revisionBefore),
        changed: 'true',
      });
      expect(k8s.serving('dev')).toBe(sha);
      expect(outcomes(deploy)).toMatchObject({ smoke: 'success', deep: 'success', rollback: 'skipped' });
      expect(step(deploy, 'Summary').outputs.outcome).toBe('deployed');
      expect(k8s.world.artifacts.list({ runId: result.runId, name: 'deploy-history-dev' })).toHaveLength(1);
    });

    it('promotes dev → stage → prod: each environment takes the commit the one before it ran', async () => {
      const { result, runs } = await example({ variant: 'promote' });
      const sha = result.event.sha;
      expect(runs.map((r) => [job(r.result).environment?.name, r.result.conclusion])).toEqual([
        ['dev', 'success'],
        ['stage', 'success'],
        ['prod', 'success'],
      ]);
      const [, stage] = runs;
      expect(step(job(stage!.result), 'ref').outputs).toMatchObject({ sha, source: 'dispatch-branch' });
      expect(step(job(result), 'ref').outputs).toMatchObject({ sha, source: 'protected-default' });
      for (const env of ['dev', 'stage', 'prod'] as const) expect(k8s.serving(env)).toBe(sha);
      expect(await migrations(k8s, 'production')).toEqual(['20240101000000_init', K8S_HEAD]);
      const deployments = (env: string) =>
        k8s.world.github.deployments
          .filter((d) => d.environment === env && d.sha === sha)
          .map((d) => d.statuses.at(-1)?.state);
      expect([deployments('dev'), deployments('stage'), deployments('prod')]).toEqual([
        ['success'],
        ['success'],
        ['success'],
      ]);
    });

    it('refuses prod a commit stage never ran, and stage one dev never ran, before anything changes', async () => {
      const prodBefore = k8s.deployment('prod')!.revision;
      const stageBefore = k8s.deployment('stage')!.revision;
      const productionMigrations = await migrations(k8s, 'production');
      const { result, runs } = await example({ variant: 'unpromoted' });
      const fresh = result.event.sha;
      expect(runs.map((r) => job(r.result).environment?.name)).toEqual(['dev', 'prod']);
      const prod = job(result);
      expect(outcomes(prod)).toMatchObject({
        ref: 'failure',
        db: 'skipped',
        deploy: 'skipped',
        rollback: 'skipped',
        'Why nothing was rolled back': 'skipped',
      });
      expect(step(prod, 'ref').annotations[0]!.message).toContain(
        `Commit ${fresh} has not been deployed successfully to 'stage'`,
      );
      expect(k8s.deployment('prod')!.revision).toBe(prodBefore);
      expect(await migrations(k8s, 'production')).toEqual(productionMigrations);
      expect(step(prod, 'Summary').outputs.outcome).toBe('failed-before-change');

      // Stage, dispatched for a commit dev never ran, is refused the same way.
      const unseen = await k8s.release();
      const stage = await k8s.dispatch('stage', '', { reporter: silentReporter });
      coverage.record(stage);
      expect(step(job(stage), 'ref').annotations[0]!.message).toContain(
        `Commit ${unseen.sha} has not been deployed successfully to 'dev'`,
      );
      expect(k8s.deployment('stage')!.revision).toBe(stageBefore);
    });
  },
);
