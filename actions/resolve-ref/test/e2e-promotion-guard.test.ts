import { join } from 'node:path';
import {
  type GithubApiStub,
  type StoredDeployment,
  startGithubApiStub,
  type WorkflowRunSeed,
} from '@gatehouse/github-api-stub';
import { runAction } from '@gatehouse/runner-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The promotion guard (require-successful-deployment-in) against the GitHub API stand-in. A
 * deployment's payload is written by whoever created it, and anything with deployments: write
 * can create one; so a deployment counts only when the run it names is a run of a trusted deploy
 * workflow, on a trusted ref, that succeeded, and that recorded this very deployment in its own
 * deploy-history artifact.
 */
const actionDir = join(import.meta.dirname, '..');
const REPO = 'example/service';
const TOKEN = 'ghs_promotionGuardToken';
const STAGE_WORKFLOW = '.github/workflows/deploy-stage.yml';

const MAIN = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const sha = (digit: string) => digit.repeat(40);
const GENUINE = sha('1');
const OTHER_WORKFLOW = sha('2');
const OTHER_BRANCH = sha('3');
const FAILED_RUN = sha('4');
const MISSING_RUN = sha('5');
const REPLAYED_RUN = sha('6');
const NO_RUN = sha('7');
const TAGGED = sha('8');
const BRANCH_NAMED_LIKE_TAG = sha('9');
const TAG_NAMED_MAIN = sha('a');
const PULL_REQUEST = sha('b');
const UNRECORDED = sha('c');

interface Seed {
  sha: string;
  run?: Partial<WorkflowRunSeed> & { id: number };
  /** The deployment's run id, when it is not the seed's own run (a replay, or a missing run). */
  names?: number;
  /** Whether the run's history artifact records this deployment (true for a genuine deploy). */
  recorded?: boolean;
}

const seeds: Seed[] = [
  { sha: GENUINE, run: { id: 10, event: 'workflow_run' }, recorded: true },
  // An attacker's own workflow on main, and its own history artifact saying what it likes.
  { sha: OTHER_WORKFLOW, run: { id: 20, path: '.github/workflows/evil.yml', event: 'push' }, recorded: true },
  // The deploy workflow's file, but their copy of it, run on their branch.
  { sha: OTHER_BRANCH, run: { id: 30, head_branch: 'feature/x' }, recorded: true },
  { sha: FAILED_RUN, run: { id: 40, conclusion: 'failure' }, recorded: true },
  { sha: MISSING_RUN, names: 999 },
  // A good run named by a deployment it never made.
  { sha: REPLAYED_RUN, names: 10 },
  { sha: NO_RUN },
  { sha: TAGGED, run: { id: 50, head_branch: 'v2.0.0' }, recorded: true },
  { sha: BRANCH_NAMED_LIKE_TAG, run: { id: 60, head_branch: 'v9.9.9' }, recorded: true },
  { sha: TAG_NAMED_MAIN, run: { id: 70, head_branch: 'main' }, recorded: true },
  { sha: PULL_REQUEST, run: { id: 80, event: 'pull_request' }, recorded: true },
  // A trusted, successful run whose history does not mention the deployment (no history kept).
  { sha: UNRECORDED, run: { id: 90 }, recorded: false },
];

describe('resolve-ref bundle: the promotion guard trusts only deployments a trusted run made', () => {
  let api: GithubApiStub;
  const deploymentOf = new Map<string, StoredDeployment>();

  beforeAll(async () => {
    api = await startGithubApiStub({
      repository: REPO,
      token: TOKEN,
      branches: { main: MAIN, 'v9.9.9': BRANCH_NAMED_LIKE_TAG },
      tags: { 'v2.0.0': { commit: TAGGED, annotated: 'f'.repeat(40) }, main: TAG_NAMED_MAIN },
      commits: seeds.map((s) => s.sha),
      workflowRuns: seeds
        .filter((s) => s.run)
        .map(({ sha, run }) => ({
          name: 'deploy stage',
          path: STAGE_WORKFLOW,
          head_branch: 'main',
          head_sha: sha,
          event: 'workflow_dispatch',
          ...run!,
        })),
      deployments: [
        // What GitHub records by itself for a job that names an environment: never proof.
        { environment: 'stage', sha: NO_RUN, statuses: ['success'] },
        ...seeds.map((s) => ({
          environment: 'stage',
          sha: s.sha,
          statuses: ['in_progress', 'success'],
          payload:
            s.sha === NO_RUN
              ? { gatehouse: true }
              : { gatehouse: true, 'run-id': String(s.names ?? s.run!.id), workflow: STAGE_WORKFLOW },
        })),
      ],
    });
    for (const d of api.deployments)
      if ((d.payload as { gatehouse?: boolean }).gatehouse) deploymentOf.set(d.sha, d);
    // Each run's deploy-history-stage artifact, with the line its summary step wrote.
    for (const seed of seeds) {
      if (!seed.run) continue;
      const deployment = deploymentOf.get(seed.sha)!;
      const own = {
        time: '2026-01-01T00:00:00Z',
        environment: 'stage',
        outcome: 'deployed',
        sha: seed.sha,
        'run-id': String(seed.run.id),
        'deployment-id': seed.recorded ? deployment.id : null,
      };
      api.addArtifact({
        name: 'deploy-history-stage',
        run_id: seed.run.id,
        files: { 'deploy-history.jsonl': `${JSON.stringify(own)}\n` },
      });
    }
  });
  afterAll(() => api.close());

  const promote = (target: string, inputs: Record<string, string> = {}) =>
    runAction({
      actionDir,
      inputs: {
        token: TOKEN,
        environment: 'prod',
        ref: target,
        'require-successful-deployment-in': 'stage',
        'trusted-workflows': 'deploy-stage.yml',
        ...inputs,
      },
      github: {
        eventName: 'workflow_dispatch',
        event: {
          inputs: { git_ref: target },
          ref: 'refs/heads/main',
          repository: { default_branch: 'main' },
        },
        ref: 'refs/heads/main',
        sha: MAIN,
        apiUrl: api.url,
        repository: REPO,
        token: TOKEN,
      },
      env: { GITHUB_WORKFLOW_REF: `${REPO}/.github/workflows/deploy-prod.yml@refs/heads/main` },
    });

  const refusal = async (target: string, inputs: Record<string, string> = {}) => {
    const result = await promote(target, inputs);
    expect(result.succeeded).toBe(false);
    expect(result.outputs.sha).toBeUndefined();
    expect(result.errors).toHaveLength(1);
    return result.errors[0]!;
  };

  it('accepts a deployment its own trusted, successful run made and recorded', async () => {
    const result = await promote(GENUINE);
    expect(result.errors).toEqual([]);
    expect(result.outputs.sha).toBe(GENUINE);
    const id = deploymentOf.get(GENUINE)!.id;
    expect(result.log).toContain(
      `${GENUINE.slice(0, 7)} has a successful deployment in 'stage': deployment ${id}, made by workflow run 10 of ${STAGE_WORKFLOW} on refs/heads/main.`,
    );
  });

  it('refuses a deployment made by another workflow, naming it', async () => {
    expect(await refusal(OTHER_WORKFLOW)).toMatch(
      /deployment \d+ of 2222222: workflow run 20 is of workflow \.github\/workflows\/evil\.yml, not a trusted deploy workflow \(trusted-workflows: \.github\/workflows\/deploy-stage\.yml\)/,
    );
  });

  it('refuses a deployment made by the deploy workflow run on another branch', async () => {
    expect(await refusal(OTHER_BRANCH)).toMatch(
      /workflow run 30 ran on feature\/x, not a trusted ref \(trusted-refs: refs\/heads\/main\)/,
    );
  });

  it('refuses a deployment whose run failed, or names a run that does not exist, or none', async () => {
    expect(await refusal(FAILED_RUN)).toMatch(/workflow run 40 did not succeed \(conclusion failure\)/);
    expect(await refusal(MISSING_RUN)).toMatch(/workflow run 999 does not exist in example\/service/);
    expect(await refusal(NO_RUN)).toMatch(
      /none of its 1 Gatehouse deployment\(s\) there can be trusted: deployment \d+ of 7777777: it names no workflow run/,
    );
  });

  it('refuses a deployment that names a good run which never made it', async () => {
    expect(await refusal(REPLAYED_RUN)).toMatch(
      /workflow run 10 never recorded deployment \d+ in its deploy-history-stage artifact: the deployment names a run that did not create it/,
    );
    expect(await refusal(UNRECORDED)).toMatch(/workflow run 90 never recorded deployment \d+/);
  });

  it("refuses a pull request's run", async () => {
    expect(await refusal(PULL_REQUEST)).toMatch(/workflow run 80 ran for a pull_request event/);
  });

  it('tells a tag from a branch of the same name by the commit the tag points at', async () => {
    const refs = { 'trusted-refs': 'refs/heads/main,refs/tags/v*' };
    expect((await promote(TAGGED, refs)).outputs.sha).toBe(TAGGED);
    // A branch called v9.9.9 is not a release tag, whatever its name.
    expect(await refusal(BRANCH_NAMED_LIKE_TAG, { ...refs, ref: BRANCH_NAMED_LIKE_TAG })).toMatch(
      /workflow run 60 ran on the branch v9\.9\.9 \(no tag v9\.9\.9 points at its commit 9999999\), not a trusted ref/,
    );
    // A run on a tag called main is not a run on the branch main.
    expect(await refusal(TAG_NAMED_MAIN)).toMatch(
      /workflow run 70 ran on refs\/tags\/main \(the tag points at its commit aaaaaaa\)/,
    );
  });

  it('trusts only the workflow files it is given: the default is this run’s own', async () => {
    expect(await refusal(GENUINE, { 'trusted-workflows': '' })).toMatch(
      /workflow run 10 is of workflow \.github\/workflows\/deploy-stage\.yml, not a trusted deploy workflow \(trusted-workflows: \.github\/workflows\/deploy-prod\.yml\)/,
    );
  });

  it('refuses a trusted-workflows entry that is not a workflow file, at input time', async () => {
    expect(await refusal(GENUINE, { 'trusted-workflows': 'deploy stage' })).toMatch(
      /Input 'trusted-workflows' takes workflow files of this repository/,
    );
    expect(await refusal(GENUINE, { 'trusted-refs': 'main' })).toMatch(
      /Input 'trusted-refs' takes full refs or globs/,
    );
  });
});
