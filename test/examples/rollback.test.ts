import { type ApiWorld, runExample, startApiWorld } from '@gatehouse/local-world';
import { jobOf } from '@gatehouse/workflow-runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepCoverage } from '../support/step-coverage';
import { deploymentsOf, deployStates, outcomes, served, step, summaryText } from './world-state';

const coverage = stepCoverage(import.meta.url);
let api: ApiWorld;
beforeAll(async () => {
  api = await startApiWorld();
});
afterAll(async () => {
  await api?.close();
});

async function example(options: { break?: string; variant?: string } = {}) {
  const run = await runExample('rollback', { world: api, ...options });
  coverage.record(run.runs.map((r) => r.result));
  return run;
}

/** The commits the story deployed to dev before the rollback, oldest first. */
function deployedBefore(
  runs: { result: { workflow: { name: string }; event: { sha: string }; conclusion: string } }[],
) {
  return runs
    .filter((r) => r.result.workflow.name === 'deploy dev' && r.result.conclusion === 'success')
    .map((r) => r.result.event.sha);
}

describe('examples/workflows/rollback.yml in the local world', () => {
  it('without a version: every host goes back to the version it recorded before, then the gates pass', async () => {
    const { result, runs } = await example();
    const [first, second] = deployedBefore(runs);
    expect(result.event.payload.inputs).toEqual({ environment: 'dev', version: '' });
    const job = jobOf(result, 'rollback');
    expect(job.environment?.name).toBe('dev');
    expect(job.concurrency).toEqual({ group: 'deploy-dev', cancelInProgress: false });
    expect(outcomes(job)).toMatchObject({ rollback: 'success', urls: 'success' });
    expect(job.steps.filter((s) => s.phase === 'main').every((s) => s.ran && s.outcome === 'success')).toBe(
      true,
    );
    expect(step(job, 'rollback').outputs['rolled-back-to']).toBe(first);
    expect(await served(api, 'dev')).toEqual([first, first]);
    for (const state of await deployStates(api, 'dev')) {
      expect(state.current).toMatchObject({ sha: first, outcome: 'rollback' });
      expect(state.previous?.sha).toBe(second);
    }
    expect(await served(api, 'stage')).toEqual([undefined]);
    const summary = summaryText(result);
    expect(summary).toContain('dev: rolled back');
    // No deploy ran in this job: the headline says what a person did, not that a deploy failed.
    expect(summary).toContain(`Dev was rolled back to ${first!.slice(0, 7)} on 2 hosts (manual rollback by`);
    expect(summary).not.toContain('The deploy of');
    // The environment's Deployments end on the version it runs now: the deploy of it, then this.
    expect(deploymentsOf(api, 'dev', first!).at(-1)).toEqual(['success']);
    expect(step(jobOf(result, 'rollback'), 'Summary').outputs).toMatchObject({ outcome: 'rolled-back' });
  });

  it('with a version: dev goes to that commit', async () => {
    const { result, runs } = await example({ variant: 'version' });
    const named = result.event.payload.inputs as { version: string };
    const deployed = deployedBefore(runs);
    expect(deployed).not.toContain(named.version);
    expect(step(jobOf(result, 'rollback'), 'rollback').outputs['rolled-back-to']).toBe(named.version);
    expect(await served(api, 'dev')).toEqual([named.version, named.version]);
    expect(result.conclusion).toBe('success');
  });

  it('to a version that cannot start on the hosts: the rollback fails, naming why, and the gates do not run', async () => {
    const before = await served(api, 'dev');
    const { result } = await example({ break: 'deploy' });
    const job = jobOf(result, 'rollback');
    expect(result.conclusion).toBe('failure');
    expect(outcomes(job)).toMatchObject({ rollback: 'failure', urls: 'skipped', Summary: 'success' });
    expect(step(job, 'rollback').annotations[0]?.message).toMatch(
      /required variable SEARCH_URL is missing a value/,
    );
    // Each host keeps the version it ran before the rollback was asked for.
    const after = await served(api, 'dev');
    expect(after[0]).toBeDefined();
    expect(after).not.toContain((result.event.payload.inputs as { version: string }).version);
    expect(before).not.toEqual(after);
    expect(summaryText(result)).toMatch(
      /The rollback of dev to [0-9a-f]{7} \(manual rollback by .*\) failed/,
    );
    const named = (result.event.payload.inputs as { version: string }).version;
    expect(deploymentsOf(api, 'dev', named).at(-1)).toEqual(['failure']);
  });
});
