import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GithubApiStub, startGithubApiStub } from '@gatehouse/github-api-stub';
import { writeRecord } from '@gatehouse/records';
import { runAction } from '@gatehouse/runner-harness';
import { afterEach, describe, expect, it } from 'vitest';
import { hostRow, OLD_SHA, rollback } from './records';

const actionDir = join(import.meta.dirname, '..');
const SHA = 'c2a6b03f190dfb2b4aa91f8af8d477a9bc3401dc';
/** The commit the rolled-back fixture deployed (see e2e-pipeline.test.ts). */
const ROLLED_BACK_SHA = 'd4e5f60718293a4b5c6d7e8f9012345c2a6b03f1';
const CREATE = 'POST /repos/{owner}/{repo}/deployments';
const STATUS = 'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses';

let stub: GithubApiStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

async function job(fixture: string): Promise<string> {
  const runnerTemp = await mkdtemp(join(tmpdir(), 'gatehouse-summary-'));
  await cp(join(import.meta.dirname, 'fixtures', fixture), join(runnerTemp, 'gatehouse'), {
    recursive: true,
  });
  return runnerTemp;
}

function step(runnerTemp: string, inputs: Record<string, string>) {
  return runAction({
    actionDir,
    runnerTemp,
    inputs: { deployment: 'true', 'environment-url': 'https://prod.example.com', ...inputs },
    github: {
      repository: 'example/service',
      apiUrl: stub!.url,
      token: 'ghs_canary_token_0123456789',
      runId: '4242',
      serverUrl: 'https://github.com',
    },
  });
}

const bodies = (route: string) => stub!.requests.filter((r) => r.route === route).map((r) => r.body);

describe('summary bundle: GitHub Deployments', () => {
  it('creates the deployment at start, in progress, and sets the final state at finish', async () => {
    stub = await startGithubApiStub({ repository: 'example/service', commits: [ROLLED_BACK_SHA] });
    const runnerTemp = await job('rolled-back');
    const started = await step(runnerTemp, { phase: 'start' });
    expect(started.errors).toEqual([]);
    expect(started.succeeded).toBe(true);
    const id = stub.deployments[0]!.id;
    expect(started.outputs['deployment-id']).toBe(String(id));
    expect(bodies(CREATE)).toEqual([
      expect.objectContaining({
        ref: ROLLED_BACK_SHA,
        environment: 'prod',
        auto_merge: false,
        required_contexts: [],
      }),
    ]);

    const finished = await step(runnerTemp, { phase: 'finish' });
    expect(finished.succeeded).toBe(true);
    expect(finished.warnings).toEqual([]);
    expect(finished.outputs['deployment-id']).toBe(String(id));
    expect(stub.deployments).toHaveLength(1);
    expect(stub.deployments[0]!.statuses.map((s) => s.state)).toEqual(['in_progress', 'failure']);
    for (const status of stub.deployments[0]!.statuses) {
      expect(status.log_url).toBe('https://github.com/example/service/actions/runs/4242');
      expect(status.environment_url).toBe('https://prod.example.com');
      expect([...status.description].length).toBeLessThanOrEqual(140);
    }
    expect(stub.deployments[0]!.statuses[1]!.description).toMatch(
      /^Rolled back: .*deep health gate said critical/,
    );
    expect(finished.summary).toContain(`GitHub deployment ${id}`);
    // The token is masked and never printed.
    expect(finished.log).not.toContain('ghs_canary_token_0123456789');
    expect(stub.requests.every((r) => r.headers.authorization === 'token ghs_canary_token_0123456789')).toBe(
      true,
    );
  });

  it('a finish step alone creates the deployment and gives it its final state', async () => {
    stub = await startGithubApiStub({ repository: 'example/service', commits: [SHA] });
    const run = await step(await job('deployed'), { phase: 'finish' });
    expect(run.succeeded).toBe(true);
    expect(stub.deployments.map((d) => d.statuses.map((s) => s.state))).toEqual([['success']]);
    const failedEarly = await step(await job('failed-before-change'), {
      phase: 'finish',
      'job-status': 'failure',
    });
    expect(failedEarly.succeeded).toBe(true);
    expect(stub.deployments[1]!.statuses.map((s) => s.state)).toEqual(['error']);
  });

  it('a rollback by hand records a Deployment of the version gone back to; nothing rolled back, none', async () => {
    stub = await startGithubApiStub({ repository: 'example/service', commits: [OLD_SHA] });
    const byHand = async (fields: Parameters<typeof rollback>[1]) => {
      const runnerTemp = await mkdtemp(join(tmpdir(), 'gatehouse-summary-'));
      await writeRecord('rollback', rollback([hostRow('i-0a1b2c3d4e5f60718')], fields), {
        env: { RUNNER_TEMP: runnerTemp },
      });
      return step(runnerTemp, { phase: 'finish', environment: 'dev', 'job-status': 'success' });
    };
    const done = await byHand({ reason: 'manual rollback by octocat' });
    expect(done.warnings).toEqual([]);
    expect(done.outputs.outcome).toBe('rolled-back');
    expect(bodies(CREATE)).toEqual([expect.objectContaining({ ref: OLD_SHA, environment: 'dev' })]);
    expect(stub.deployments[0]!.statuses.map((s) => s.state)).toEqual(['success']);
    expect(stub.deployments[0]!.statuses[0]!.description).toMatch(
      /^Rolled back: Dev was rolled back to c00dbbc/,
    );

    const nothing = await byHand({ rolledBackTo: null, nothing: 'every host is already rolled back' });
    expect(nothing.outputs.outcome).toBe('not-deployed');
    expect(nothing.warnings).toEqual([
      'No GitHub deployment was created: nothing was rolled back (every host is already rolled back).',
    ]);
    expect(stub.deployments).toHaveLength(1);
  });

  it.each([
    [409, /409 Conflict/],
    [403, /403 Forbidden.*deployments: write/],
    [500, /answered 500/],
  ])('a %i from the API is a warning and never fails the step', async (status, message) => {
    stub = await startGithubApiStub({
      repository: 'example/service',
      commits: [SHA],
      failures: { [CREATE]: status },
    });
    const runnerTemp = await job('deployed');
    const started = await step(runnerTemp, { phase: 'start' });
    expect(started.succeeded).toBe(true);
    expect(started.errors).toEqual([]);
    expect(started.warnings).toEqual([expect.stringMatching(message)]);
    expect(started.outputs['deployment-id']).toBe('');
    // Creating is never repeated, not even on a 5xx: the failed call may have created one.
    expect(bodies(CREATE)).toHaveLength(1);

    const finished = await step(runnerTemp, { phase: 'finish' });
    expect(finished.succeeded).toBe(true);
    expect(finished.outputs.outcome).toBe('deployed');
    expect(finished.warnings).toEqual([expect.stringMatching(message)]);
    expect(finished.summary).toContain('## ✅ prod: deployed');
  });

  it('a failing status update is a warning; a transient 500 is retried and succeeds', async () => {
    stub = await startGithubApiStub({ repository: 'example/service', commits: [SHA] });
    const runnerTemp = await job('deployed');
    stub.setFailure(STATUS, 500, { times: 1 });
    const started = await step(runnerTemp, { phase: 'start' });
    expect(started.warnings).toEqual([]);
    expect(stub.deployments[0]!.statuses.map((s) => s.state)).toEqual(['in_progress']);
    stub.setFailure(STATUS, 403);
    const finished = await step(runnerTemp, { phase: 'finish' });
    expect(finished.succeeded).toBe(true);
    expect(finished.warnings).toEqual([
      expect.stringMatching(/Setting GitHub deployment \d+ to success: 403/),
    ]);
  });

  it('refuses deployment: true without a token, naming the input', async () => {
    stub = await startGithubApiStub({ repository: 'example/service', commits: [SHA] });
    const run = await step(await job('deployed'), { phase: 'start', token: '' });
    // The harness fills the default (github.token); an explicitly empty token must still fail.
    expect(run.succeeded).toBe(false);
    expect(run.errors).toEqual([expect.stringMatching(/Input 'token' is empty/)]);
    expect(stub.requests).toEqual([]);
  });
});
