import { type ApiWorld, ENVIRONMENTS, runExample, startApiWorld } from '@gatehouse/local-world';
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
  const run = await runExample('deploy-prod', { world: api, ...options });
  coverage.record(run.runs.map((r) => r.result));
  return run;
}

describe('examples/workflows/deploy-prod.yml in the local world', () => {
  let good = '';

  it('deploys main to prod once stage has deployed it, one host at a time', async () => {
    const { result, runs } = await example();
    good = result.event.sha;
    expect(runs.map((r) => [r.result.workflow.name, r.result.event.name, r.result.conclusion])).toEqual([
      ['deploy dev', 'push', 'success'],
      ['deploy stage', 'workflow_run', 'success'],
      ['deploy prod', 'workflow_dispatch', 'success'],
    ]);
    const job = deployJob(result);
    expect(job.environment?.name).toBe('prod');
    // An empty git_ref in a protected environment is the default branch, whatever the dispatch ran on.
    expect(step(job, 'ref').outputs).toMatchObject({
      sha: good,
      ref: 'refs/heads/main',
      source: 'protected-default',
    });
    expect(outcomes(job)).toMatchObject({ deploy: 'success', smoke: 'success', deep: 'success' });
    // The guard found stage's deployment, recorded by the stage run in this world.
    expect(deploymentsOf(api, 'stage', good)).toEqual([['in_progress', 'success']]);
    expect(deploymentsOf(api, 'prod', good)).toEqual([['in_progress', 'success']]);
    expect(await served(api, 'prod')).toEqual([good, good]);
    for (const state of await deployStates(api, 'prod')) expect(state.current.sha).toBe(good);
    // max-concurrency 1: SSM ran the hosts one after the other.
    const deploy = api.world.emulator
      .commands()
      .find((c) => c.commandId === step(job, 'deploy').outputs['command-id']);
    expect(deploy?.maxConcurrency).toBe('1');
    expect(summaryText(result)).toContain('prod: deployed');
  });

  it('the promotion guard refuses a commit stage never deployed, before anything is touched', async () => {
    const toProd = () =>
      api.world.emulator
        .commands()
        .filter((c) => c.resolvedInstanceIds.some((id) => ENVIRONMENTS.prod.hosts.includes(id))).length;
    const sentBefore = toProd();
    const { result, runs } = await example({ break: 'unpromoted' });
    const fresh = result.event.sha;
    expect(runs.map((r) => r.result.workflow.name)).toEqual(['deploy dev', 'deploy prod']);
    const job = deployJob(result);
    expect(outcomes(job)).toMatchObject({
      ref: 'failure',
      'summary-start': 'skipped',
      preflight: 'skipped',
      deploy: 'skipped',
      rollback: 'skipped',
      summary: 'success',
    });
    expect(step(job, 'ref').annotations.map((a) => a.message)).toEqual([
      expect.stringContaining(`Commit ${fresh} has not been deployed successfully to 'stage'`),
    ]);
    expect(step(job, 'summary').outputs.outcome).toBe('failed-before-change');
    // The skipped deploy step's name does not read "Deploy  to every host".
    expect(step(job, 'deploy').name).toBe('Deploy (no commit resolved) to every host');
    expect(deploymentsOf(api, 'prod', fresh)).toEqual([]);
    expect(await served(api, 'prod')).toEqual([good, good]);
    expect(toProd()).toBe(sentBefore);
    expect(summaryText(result)).toContain('failed before changing anything');
  });
});
