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

  it('deploys main to prod once stage has deployed it, a canary host first', async () => {
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
    // waves 1, 25%, 100%: one canary host, checked on the host itself (verify-url on its own
    // port), then the other; 25% of two hosts adds none, so that wave is skipped.
    const waves = JSON.parse(step(job, 'deploy').outputs.waves!) as { hosts: string[]; outcome: string }[];
    expect(waves.map((w) => [w.hosts.length, w.outcome])).toEqual([
      [1, 'passed'],
      [1, 'passed'],
    ]);
    const sent = step(job, 'deploy')
      .outputs['command-id']!.split(',')
      .map((id) => api.world.emulator.commands().find((c) => c.commandId === id)!);
    // The canary's deploy, its check again after the bake, then the other host's deploy.
    const [canary, other] = waves.map((w) => w.hosts);
    expect(sent.map((c) => c.resolvedInstanceIds)).toEqual([canary, canary, other]);
    expect(step(job, 'deploy').log.join('\n')).toMatch(/127\.0\.0\.1:8000\/healthz/);
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

  it('refuses a commit whose CI failed (require-checks), before anything is touched', async () => {
    const toProd = () =>
      api.world.emulator
        .commands()
        .filter((c) => c.resolvedInstanceIds.some((id) => ENVIRONMENTS.prod.hosts.includes(id))).length;
    const sentBefore = toProd();
    const servedBefore = await served(api, 'prod');
    const { result, runs } = await example({ break: 'ci-failed' });
    const failedCi = result.event.sha;
    // dev and stage took it: they deploy on push and after dev, whatever CI says.
    expect(runs.map((r) => [r.result.workflow.name, r.result.conclusion])).toEqual([
      ['deploy dev', 'success'],
      ['deploy stage', 'success'],
      ['deploy prod', 'failure'],
    ]);
    const job = deployJob(result);
    expect(outcomes(job)).toMatchObject({ ref: 'failure', preflight: 'skipped', deploy: 'skipped' });
    const message = step(job, 'ref')
      .annotations.map((a) => a.message)
      .join('\n');
    expect(message).toMatch(/Run Tests \(check run\): failure/);
    expect(message).toContain('/actions/runs/');
    expect(step(job, 'summary').outputs.outcome).toBe('failed-before-change');
    expect(deploymentsOf(api, 'prod', failedCi)).toEqual([]);
    expect(await served(api, 'prod')).toEqual(servedBefore);
    expect(toProd()).toBe(sentBefore);
  });
  it('a release that fails on the canary: the other host is never sent it, and only the canary goes back', async () => {
    const before = await served(api, 'prod');
    const sentBefore = api.world.emulator.commands().length;
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
    const waves = JSON.parse(step(job, 'deploy').outputs.waves!) as { hosts: string[]; outcome: string }[];
    expect(waves.map((w) => w.outcome)).toEqual(['failed', 'not-started']);
    const [canary, other] = waves.map((w) => w.hosts[0]!);
    // The second wave was never sent anything: not the release, not the rollback. (preflight's
    // and rollback's read-only reads of deploy-state.json go to the hosts they name.)
    const toOther = api.world.emulator
      .commands()
      .slice(sentBefore)
      .filter((c) => c.resolvedInstanceIds.includes(other!))
      .map((c) => c.comment);
    expect(toOther.length).toBeGreaterThan(0);
    for (const comment of toOther) expect(comment).toMatch(/\(read only\)$/);
    const failure = step(job, 'deploy')
      .annotations.map((a) => a.message)
      .join('\n');
    expect(failure).toContain(`This run changed 1 host(s), the ones rollback moves back: ${canary}`);
    // The tool's own words, not only "the deploy script failed", without the script's narration.
    expect(failure).toMatch(/exit 15\) — last output: .*required variable SEARCH_URL is missing a value/);
    expect(failure).not.toMatch(/last output:.*gatehouse: the deploy failed/);
    // rollback moved the canary alone, back to the release before.
    const rollbackIds = step(job, 'rollback').outputs['command-id']!.split(',');
    const rollbackSent = api.world.emulator.commands().filter((c) => rollbackIds.includes(c.commandId));
    expect(rollbackSent.flatMap((c) => c.resolvedInstanceIds)).toEqual([canary]);
    expect(step(job, 'rollback').outputs['rolled-back-to']).toBe(before[0]);
    expect(await served(api, 'prod')).toEqual(before);
    const states = await deployStates(api, 'prod');
    for (const state of states) expect(state.current.sha).toBe(before[0]);
    expect(deploymentsOf(api, 'prod', bad)).toEqual([['in_progress', 'failure']]);
    // The headline names the host that failed, not the one the stopped rollout never reached.
    const summary = summaryText(result);
    expect(summary).toContain('prod: rolled back');
    expect(summary).toContain(`because the deploy failed on ${canary}.`);
  });
});
