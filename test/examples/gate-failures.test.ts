import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ApiWorld,
  type Release,
  silentReporter,
  startApiWorld,
  WORKFLOWS,
} from '@gatehouse/local-world';
import type { RunResult } from '@gatehouse/workflow-runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepCoverage } from '../support/step-coverage';
import { deployJob, deploymentsOf, deployStates, outcomes, served, step, summaryText } from './world-state';

/**
 * examples/workflows/deploy-dev.yml with one change: the gates give up after 10 s instead of
 * their defaults (2 min for the smoke checks, 5 min for the deep gate), which a broken contract
 * or a failing dependency would otherwise wait out. Everything else is the file people copy, so
 * the paths a smoke failure and a deep-gate failure take through deploy.yml run here.
 */
const coverage = stepCoverage(import.meta.url);
const ROOT = join(import.meta.dirname, '..', '..');
let api: ApiWorld;
let text = '';
beforeAll(async () => {
  api = await startApiWorld();
  const example = await readFile(join(ROOT, WORKFLOWS.dev), 'utf8');
  text = example.replace(
    /^( {4}with:\n)/m,
    '$1      smoke-timeout: 10s # shortened for this test\n      deep-health-timeout: 10s # shortened for this test\n',
  );
  expect(text).not.toBe(example);
  await api.ensureServing('dev', { reporter: silentReporter });
});
afterAll(async () => {
  await api?.close();
});

async function deploy(release: Release): Promise<RunResult> {
  const result = await api.world.run({
    workflow: WORKFLOWS.dev,
    text,
    fillIns: api.fillInsFor(WORKFLOWS.dev),
    event: api.world.pushEvent(release),
  });
  coverage.record(result);
  return result;
}

describe('deploy-dev.yml when a gate fails (gate timeouts shortened to 10 s)', () => {
  it.each([
    ['smoke', 'smoke', /graphql rejects an empty query/],
    ['deep', 'deep', /payments/],
  ] as const)(
    'a release that breaks the %s gate: rolled back, the gates pass on the version before',
    async (kind, failedStep, why) => {
      const before = await served(api, 'dev');
      const release = await api.release({ break: kind });
      const result = await deploy(release);
      const job = deployJob(result);
      expect(result.conclusion).toBe('failure');
      expect(outcomes(job)).toMatchObject({
        deploy: 'success',
        [failedStep]: 'failure',
        rollback: 'success',
        'smoke-after-rollback': 'success',
        'deep-after-rollback': 'success',
        summary: 'success',
      });
      expect(
        step(job, failedStep)
          .annotations.map((a) => a.message)
          .join('\n'),
      ).toMatch(why);
      expect(step(job, 'rollback').outputs['rolled-back-to']).toBe(before[0]);
      expect(await served(api, 'dev')).toEqual(before);
      for (const state of await deployStates(api, 'dev')) {
        expect(state.current).toMatchObject({ sha: before[0], outcome: 'rollback' });
        expect(state.previous?.sha).toBe(release.sha);
      }
      expect(deploymentsOf(api, 'dev', release.sha)).toEqual([['in_progress', 'failure']]);
      expect(step(job, 'summary').outputs.outcome).toBe('rolled-back');
      // The summary names the failed gate, in the attempt before the rollback.
      const summary = summaryText(result);
      expect(summary).toContain('dev: rolled back');
      expect(summary).toMatch(why);
    },
  );
});
