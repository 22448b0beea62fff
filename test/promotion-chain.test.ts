import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GithubApiStub, startGithubApiStub } from '@gatehouse/github-api-stub';
import { runAction } from '@gatehouse/runner-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../scripts/actions';

/**
 * The writer and the readers of the trust chain agree: a stage run's summary (start, then finish
 * with its history) leaves a Deployment naming the run and a history line recording it; once the
 * run's history artifact is uploaded and the run has succeeded, prod's promotion guard accepts
 * that commit, and the next stage run carries that history on. All through the bundles, against
 * the GitHub API stand-in.
 */
const REPO = 'example/service';
const SHA = 'c2a6b03f190dfb2b4aa91f8af8d477a9bc3401dc';
const MAIN = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const STAGE = '.github/workflows/deploy-stage.yml';
const PROD = '.github/workflows/deploy-prod.yml';
const action = (name: string) => join(repoRoot, 'actions', name);

describe('promotion chain through the bundles', () => {
  let api: GithubApiStub;
  beforeAll(async () => {
    api = await startGithubApiStub({ repository: REPO, branches: { main: MAIN }, commits: [SHA] });
  });
  afterAll(() => api.close());

  /** One step of a job of `workflow`, run `runId`, on main. */
  const step = (
    name: string,
    runnerTemp: string,
    runId: string,
    workflow: string,
    inputs: Record<string, string>,
  ) =>
    runAction({
      actionDir: action(name),
      runnerTemp,
      inputs,
      github: {
        eventName: 'push',
        event: { ref: 'refs/heads/main', after: SHA, repository: { default_branch: 'main' } },
        ref: 'refs/heads/main',
        sha: SHA,
        repository: REPO,
        apiUrl: api.url,
        token: 'ghs_chain',
        runId,
      },
      env: { GITHUB_WORKFLOW_REF: `${REPO}/${workflow}@refs/heads/main` },
    });

  /** A stage deploy job: resolve-ref, summary start, summary finish with the history. */
  async function stageRun(runId: number) {
    api.addWorkflowRun({
      id: runId,
      name: 'deploy stage',
      path: STAGE,
      head_branch: 'main',
      head_sha: SHA,
      event: 'push',
      status: 'in_progress',
    });
    const runnerTemp = await mkdtemp(join(tmpdir(), 'gatehouse-chain-'));
    const history = join(runnerTemp, 'deploy-history', 'deploy-history.jsonl');
    const id = String(runId);
    expect((await step('resolve-ref', runnerTemp, id, STAGE, { environment: 'stage' })).errors).toEqual([]);
    const started = await step('summary', runnerTemp, id, STAGE, { phase: 'start', deployment: 'true' });
    expect(started.errors).toEqual([]);
    const finished = await step('summary', runnerTemp, id, STAGE, {
      deployment: 'true',
      outcome: 'deployed',
      'job-status': 'success',
      'history-file': history,
      'restore-history': 'true',
    });
    expect(finished.errors).toEqual([]);
    // What deploy.yml's "Keep the deploy history" step and the run's end do.
    const text = await readFile(history, 'utf8');
    api.addArtifact({ name: 'deploy-history-stage', run_id: runId, files: { 'deploy-history.jsonl': text } });
    api.updateWorkflowRun(runId, { status: 'completed', conclusion: 'success' });
    return { deploymentId: Number(started.outputs['deployment-id']), finished, text };
  }

  const promote = async () =>
    step('resolve-ref', await mkdtemp(join(tmpdir(), 'gatehouse-chain-')), '9000', PROD, {
      environment: 'prod',
      ref: SHA,
      'require-successful-deployment-in': 'stage',
      'trusted-workflows': STAGE,
    });

  it('a deployment summary made is accepted by the guard; the next run carries the history on', async () => {
    const first = await stageRun(501);
    expect(api.deployments[0]!.payload).toEqual({
      gatehouse: true,
      ref: 'refs/heads/main',
      'image-tag': '',
      'run-id': '501',
      'run-attempt': '1',
      workflow: STAGE,
      'workflow-ref': `${REPO}/${STAGE}@refs/heads/main`,
    });
    expect(JSON.parse(first.text)).toMatchObject({
      environment: 'stage',
      outcome: 'deployed',
      sha: SHA,
      'run-id': '501',
      'deployment-id': first.deploymentId,
    });

    const promoted = await promote();
    expect(promoted.errors).toEqual([]);
    expect(promoted.outputs.sha).toBe(SHA);
    expect(promoted.log).toContain(`deployment ${first.deploymentId}, made by workflow run 501 of ${STAGE}`);

    const second = await stageRun(502);
    expect(second.finished.outputs['history-run-id']).toBe('501');
    expect(
      second.text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)['run-id']),
    ).toEqual(['501', '502']);
  });
});
