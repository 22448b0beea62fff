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
  const run = await runExample('deploy-dev', { world: api, ...options });
  coverage.record(run.runs.map((r) => r.result));
  return run;
}

describe('examples/workflows/deploy-dev.yml in the local world', () => {
  let good = '';

  it('a push to main deploys that commit to both dev hosts through deploy.yml (workflow_call)', async () => {
    const { result } = await example();
    good = result.event.sha;
    expect(result.event.name).toBe('push');
    expect(result.jobs.map((j) => [j.key, j.result])).toEqual([
      ['deploy/deploy', 'success'],
      ['deploy', 'success'],
    ]);
    const job = deployJob(result);
    expect(job.workflow).toBe('.github/workflows/deploy.yml');
    expect(job.environment?.name).toBe('dev');
    expect(outcomes(job)).toMatchObject({
      ref: 'success',
      'summary-start': 'success',
      preflight: 'success',
      db: 'skipped',
      deploy: 'success',
      smoke: 'success',
      deep: 'success',
      rollback: 'skipped',
      summary: 'success',
    });
    expect(step(job, 'ref').outputs.sha).toBe(good);
    // The caller gets the reusable workflow's outputs.
    expect(result.jobs.find((j) => j.key === 'deploy')?.outputs).toEqual({ sha: good, outcome: 'deployed' });

    // What the hosts really run: compose's container, built from the checkout of that commit.
    expect(await served(api, 'dev')).toEqual([good, good]);
    expect((await deployStates(api, 'dev')).map((s) => [s.current.sha, s.current.outcome])).toEqual([
      [good, 'success'],
      [good, 'success'],
    ]);
    expect(await served(api, 'stage')).toEqual([undefined]);
    expect(deploymentsOf(api, 'dev', good)).toEqual([['in_progress', 'success']]);

    // Every smoke check went through the http→https 301, and the POST stayed a POST.
    const chains = (
      JSON.parse(step(job, 'smoke').outputs.report!) as { checks: { chain: string }[] }
    ).checks.map((c) => c.chain);
    expect(chains).toHaveLength(3);
    for (const chain of chains) expect(chain).toMatch(/ → 301 → (GET|POST) https:\/\/127\.0\.0\.1:\d+\//);
    expect(chains.filter((c) => c.startsWith('POST'))).toEqual([
      expect.stringMatching(/→ 301 → POST https:.*\/graphql → 400$/),
    ]);
    expect(summaryText(result)).toContain('dev: deployed');

    // The run's deploy history artifact, as the Actions API shows it to a later run.
    const base = api.world.github.url;
    const headers = { authorization: `Bearer ${api.world.githubToken}` };
    const listed = (await (
      await fetch(`${base}/repos/acme/api/actions/runs/${result.runId}/artifacts`, { headers })
    ).json()) as { artifacts: { name: string; archive_download_url: string }[] };
    expect(listed.artifacts.map((a) => a.name)).toEqual(['deploy-history-dev']);
    const zip = Buffer.from(
      await (await fetch(listed.artifacts[0]!.archive_download_url, { headers })).arrayBuffer(),
    );
    expect(zip.subarray(0, 2).toString()).toBe('PK');
    expect(zip.includes(Buffer.from('deploy-history.jsonl'))).toBe(true);
  });

  it("a release pointed at another environment's database: critical at once, rolled back, the gates again", async () => {
    const { result, runs } = await example({ break: 'wrong-env' });
    expect(runs).toHaveLength(1);
    const bad = result.event.sha;
    expect(result.conclusion).toBe('failure');
    const job = deployJob(result);
    expect(outcomes(job)).toMatchObject({
      deploy: 'success',
      smoke: 'success',
      deep: 'failure',
      rollback: 'success',
      'smoke-after-rollback': 'success',
      'deep-after-rollback': 'success',
      summary: 'success',
    });
    expect(step(job, 'deep').outputs.verdict).toBe('critical');
    expect((JSON.parse(step(job, 'deep').outputs.report!) as { attempts: number }).attempts).toBe(1);
    expect(step(job, 'rollback').outputs['rolled-back-to']).toBe(good);
    expect(JSON.parse(step(job, 'deep-after-rollback').outputs.report!)).toMatchObject({ sha: good });
    expect(step(job, 'summary').outputs.outcome).toBe('rolled-back');

    expect(await served(api, 'dev')).toEqual([good, good]);
    for (const state of await deployStates(api, 'dev')) {
      expect(state.current).toMatchObject({ sha: good, outcome: 'rollback' });
      expect(state.history.slice(0, 2).map((e) => [e.sha, e.outcome])).toEqual([
        [good, 'rollback'],
        [bad, 'success'],
      ]);
    }
    expect(deploymentsOf(api, 'dev', bad)).toEqual([['in_progress', 'failure']]);
    const summary = summaryText(result);
    expect(summary).toContain('dev: rolled back');
    expect(summary).toMatch(/critical/i);
  });

  it('a release whose deploy command fails on the hosts: rolled back, nothing else changed', async () => {
    const before = await served(api, 'dev');
    const { result } = await example({ break: 'deploy' });
    const bad = result.event.sha;
    const job = deployJob(result);
    expect(outcomes(job)).toMatchObject({
      deploy: 'failure',
      smoke: 'skipped',
      deep: 'skipped',
      rollback: 'success',
      'smoke-after-rollback': 'success',
      'deep-after-rollback': 'success',
    });
    expect(step(job, 'deploy').outputs['command-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(step(job, 'rollback').outputs['rolled-back-to']).toBe(before[0]);
    // compose refused the release on both hosts: it needs SEARCH_URL, which dev's .env lacks.
    const builds = api.world.standIns
      .invocations({ tool: 'docker' })
      .filter((i) => i.argv.join(' ') === 'compose build' && i.exitCode !== 0);
    expect(builds.map((i) => [i.host, i.exitCode]).sort()).toEqual([
      ['i-0dddd000000000001', 15],
      ['i-0dddd000000000002', 15],
    ]);
    expect(await served(api, 'dev')).toEqual(before);
    for (const state of await deployStates(api, 'dev')) {
      expect(state.current.sha).toBe(before[0]);
      expect(state.history.some((e) => e.sha === bad && e.outcome === 'failed')).toBe(true);
    }
    expect(summaryText(result)).toContain('dev: rolled back');
  });
});
