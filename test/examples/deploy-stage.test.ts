import { type ApiWorld, runExample, startApiWorld } from '@gatehouse/local-world';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepCoverage } from '../support/step-coverage';
import { deployJob, deploymentsOf, deployStates, outcomes, served, step, summaryText } from './world-state';

const coverage = stepCoverage(import.meta.url);
let api: ApiWorld;
beforeAll(async () => {
  api = await startApiWorld();
});
afterAll(async () => {
  await api?.close();
});

async function example(options: { break?: string } = {}) {
  const run = await runExample('deploy-stage', { world: api, ...options });
  coverage.record(run.runs.map((r) => r.result));
  return run;
}

describe('examples/workflows/deploy-stage.yml in the local world', () => {
  let good = '';

  it('runs after deploy dev through workflow_run and deploys the commit dev deployed', async () => {
    const { result, runs } = await example();
    const [dev] = runs;
    good = dev!.result.event.sha;
    expect(runs.map((r) => [r.result.workflow.name, r.result.event.name, r.result.conclusion])).toEqual([
      ['deploy dev', 'push', 'success'],
      ['deploy stage', 'workflow_run', 'success'],
    ]);
    const trigger = result.event.payload.workflow_run as { id: number; head_sha: string; name: string };
    expect(trigger).toMatchObject({ id: dev!.result.runId, head_sha: good, name: 'deploy dev' });
    const job = deployJob(result);
    expect(job.environment?.name).toBe('stage');
    expect(step(job, 'ref').outputs).toMatchObject({ sha: good, source: 'input' });
    expect(await served(api, 'stage')).toEqual([good]);
    expect(await served(api, 'dev')).toEqual([good, good]);
    expect((await deployStates(api, 'stage'))[0]!.current).toMatchObject({ sha: good, outcome: 'success' });
    expect(deploymentsOf(api, 'stage', good)).toEqual([['in_progress', 'success']]);
    expect(summaryText(result)).toContain('stage: deployed');
  });

  it('deploys the commit that dev run deployed, not what main points at by then', async () => {
    const first = await api.release();
    const devRun = await api.deployDev(first, { reporter: silent });
    const later = await api.release();
    expect(api.world.app.head!.sha).toBe(later.sha);
    const stageRun = await api.promoteToStage(devRun, { reporter: silent });
    coverage.record([devRun, stageRun]);
    expect(stageRun.event.sha).toBe(later.sha);
    expect(step(deployJob(stageRun), 'ref').outputs.sha).toBe(first.sha);
    expect(await served(api, 'stage')).toEqual([first.sha]);
    good = first.sha;
  });

  it('a failed dev deploy promotes nothing: the stage job is skipped', async () => {
    const broken = await api.release({ break: 'wrong-env', breakIn: ['dev'] });
    const devRun = await api.deployDev(broken, { reporter: silent });
    const stageRun = await api.promoteToStage(devRun, { reporter: silent });
    coverage.record([devRun, stageRun]);
    expect(devRun.conclusion).toBe('failure');
    expect(stageRun.jobs.map((j) => [j.key, j.result])).toEqual([['deploy', 'skipped']]);
    expect(await served(api, 'stage')).toEqual([good]);
  });

  it('a release that passes dev and breaks in stage: stage goes back to the release before', async () => {
    const { result, runs } = await example({ break: 'deploy' });
    expect(runs.map((r) => [r.result.workflow.name, r.result.conclusion])).toEqual([
      ['deploy dev', 'success'],
      ['deploy stage', 'failure'],
    ]);
    const bad = result.event.payload.workflow_run as { head_sha: string };
    const job = deployJob(result);
    expect(outcomes(job)).toMatchObject({
      deploy: 'failure',
      rollback: 'success',
      'smoke-after-rollback': 'success',
      'deep-after-rollback': 'success',
    });
    expect(step(job, 'rollback').outputs['rolled-back-to']).toBe(good);
    expect(await served(api, 'stage')).toEqual([good]);
    expect(await served(api, 'dev')).toEqual([bad.head_sha, bad.head_sha]);
    expect(summaryText(result)).toContain('stage: rolled back');
  });
});

const silent = { say() {}, runStarted() {}, line() {}, runFinished() {} };
