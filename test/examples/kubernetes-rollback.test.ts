import { type K8sWorld, k8sUnavailable, runExample, startK8sWorld } from '@gatehouse/local-world';
import { jobOf, type RunResult } from '@gatehouse/workflow-runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepCoverage } from '../support/step-coverage';
import { outcomes, step, summaryText } from './world-state';

/**
 * examples/systems/kubernetes.yml's failure paths: rollback to the revision recorded before the
 * apply only when the apply changed the pod template (the kubectl stand-in keeps revisions as
 * the Deployment controller does), "No way back" on a first deploy, and a backup key that is
 * missing or unusable stopping the run before the database is touched.
 */
const coverage = stepCoverage(import.meta.url);
const unavailable = k8sUnavailable();

describe.skipIf(unavailable)(
  `examples/systems/kubernetes.yml: failures and rollback${unavailable ? ` (skipped: ${unavailable})` : ''}`,
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
    /** The kubectl calls a run made, as `verb…` strings with the namespace. */
    const kubectlSince = (from: number) =>
      k8s.world.standIns
        .invocations({ tool: 'kubectl' })
        .slice(from)
        .map((i) => i.argv.join(' '));
    const kubectlCount = () => k8s.world.standIns.invocations({ tool: 'kubectl' }).length;

    it('a first deploy that fails its gate: no revision to go back to, "No way back", nothing undone', async () => {
      expect(k8s.deployment('stage')).toBeUndefined();
      const { result, runs } = await example({ variant: 'first-deploy' });
      expect(runs.map((r) => [job(r.result).environment?.name, r.result.conclusion])).toEqual([
        ['dev', 'success'],
        ['stage', 'failure'],
      ]);
      const deploy = job(result);
      expect(step(deploy, 'deploy').outputs).toEqual({ 'revision-before': '', changed: 'true' });
      expect(outcomes(deploy)).toMatchObject({
        deep: 'failure',
        rollback: 'skipped',
        'Why nothing was rolled back': 'success',
        'Smoke checks after the rollback': 'skipped',
      });
      const why = step(deploy, 'Why nothing was rolled back').annotations;
      expect(why.map((a) => [a.level, a.properties.title])).toEqual([['error', 'No way back']]);
      expect(why[0]!.message).toContain('deployment/web did not exist in web-stage before this run');
      expect(k8s.deployment('stage')!.revision).toBe(1);
      expect(step(deploy, 'Summary').outputs.outcome).toBe('failed');
    });

    it('a rollout that never becomes ready: undone to the recorded revision, rolled out, the gates again', async () => {
      const before = k8s.deployment('dev')!;
      const from = kubectlCount();
      const { result } = await example({ break: 'deploy' });
      const bad = result.event.sha;
      const deploy = job(result);
      expect(step(deploy, 'deploy').outputs).toEqual({
        'revision-before': String(before.revision),
        changed: 'true',
      });
      expect(outcomes(deploy)).toMatchObject({
        deploy: 'failure',
        smoke: 'skipped',
        rollback: 'success',
        'Why nothing was rolled back': 'skipped',
        'Smoke checks after the rollback': 'success',
        'Deep health gate after the rollback': 'success',
      });
      expect(kubectlSince(from).filter((c) => c.startsWith('rollout undo'))).toEqual([
        `rollout undo -n web-dev deployment/web --to-revision=${before.revision}`,
      ]);
      // The previous template is back as the newest revision, and it is what serves.
      expect(k8s.deployment('dev')).toMatchObject({ revision: before.revision + 2, images: before.images });
      expect(k8s.deployment('dev')!.revisions.map((r) => r.images[0])).toContain(`ghcr.io/acme/web:${bad}`);
      expect(k8s.serving('dev')).toBe(before.images[0]!.split(':').at(-1));
      expect(step(deploy, 'rollback').outputs['rolled-back-to']).toBe(String(before.revision));
      expect(step(deploy, 'Summary').outputs.outcome).toBe('rolled-back');
      // A deploy that was rolled back, not a rollback by hand: the bad commit's Deployment failed.
      expect(summaryText(result)).toContain(`The deploy of ${bad.slice(0, 7)} was rolled back because`);
      const deployments = k8s.world.github.deployments.filter(
        (d) => d.environment === 'dev' && d.sha === bad,
      );
      expect(deployments.map((d) => d.statuses.map((s) => s.state))).toEqual([['in_progress', 'failure']]);
    });

    it("a release on another environment's database: critical at once, undone to the recorded revision, the gates again", async () => {
      const before = k8s.deployment('dev')!;
      const from = kubectlCount();
      const { result } = await example({ break: 'wrong-env' });
      const deploy = job(result);
      expect(outcomes(deploy)).toMatchObject({
        deploy: 'success',
        smoke: 'success',
        deep: 'failure',
        rollback: 'success',
        'Smoke checks after the rollback': 'success',
        'Deep health gate after the rollback': 'success',
      });
      expect(step(deploy, 'deep').outputs.verdict).toBe('critical');
      expect(kubectlSince(from).filter((c) => c.startsWith('rollout undo'))).toEqual([
        `rollout undo -n web-dev deployment/web --to-revision=${before.revision}`,
      ]);
      expect(k8s.serving('dev')).toBe(before.images[0]!.split(':').at(-1));
      expect(step(deploy, 'Summary').outputs.outcome).toBe('rolled-back');
    });

    it('an apply the API server refuses changed nothing: no rollout undo, the revision unchanged, "Nothing to roll back"', async () => {
      const before = k8s.deployment('dev')!;
      const from = kubectlCount();
      const { result } = await example({ variant: 'bad-manifest' });
      const deploy = job(result);
      expect(step(deploy, 'deploy').outputs).toEqual({
        'revision-before': String(before.revision),
        changed: 'false',
      });
      expect(outcomes(deploy)).toMatchObject({
        deploy: 'failure',
        rollback: 'skipped',
        'Why nothing was rolled back': 'success',
      });
      expect(step(deploy, 'Why nothing was rolled back').annotations.map((a) => a.properties.title)).toEqual([
        'Nothing to roll back',
      ]);
      expect(kubectlSince(from).filter((c) => c.startsWith('rollout undo'))).toEqual([]);
      expect(k8s.deployment('dev')).toMatchObject({ revision: before.revision, images: before.images });
      expect(step(deploy, 'Summary').outputs.outcome).toBe('failed');
    });

    for (const [variant, title] of [
      ['no-backup-key', 'No backup key'],
      ['bad-backup-key', 'Bad backup key'],
    ] as const) {
      it(`${variant}: the run stops before db-bootstrap touches the database`, async () => {
        const prismaBefore = k8s.world.standIns.invocations({ tool: 'prisma' }).length;
        const revision = k8s.deployment('dev')!.revision;
        const { result } = await example({ variant });
        const deploy = job(result);
        expect(outcomes(deploy)).toMatchObject({
          'The backup can be kept (encryption key)': 'failure',
          db: 'skipped',
          backup: 'skipped',
          deploy: 'skipped',
        });
        expect(
          step(deploy, 'The backup can be kept (encryption key)').annotations.map((a) => a.properties.title),
        ).toContain(title);
        expect(k8s.world.standIns.invocations({ tool: 'prisma' })).toHaveLength(prismaBefore);
        expect(k8s.deployment('dev')!.revision).toBe(revision);
        expect(k8s.world.artifacts.list({ runId: result.runId }).map((a) => a.name)).not.toContainEqual(
          expect.stringMatching(/^db-backup-/),
        );
        expect(step(deploy, 'Summary').outputs.outcome).toBe('failed-before-change');
        // The variable is back for the next run.
        expect(k8s.world.environmentVars.dev!.DB_BACKUP_PUBLIC_KEY).toBe(k8s.publicKey);
      });
    }
  },
);
