import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GithubApiStub, startGithubApiStub, type WorkflowRunSeed } from '@gatehouse/github-api-stub';
import { runAction } from '@gatehouse/runner-harness';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * The deploy history is carried from run to run in the artifact deploy-history-<environment>.
 * Anyone who can open a pull request can upload an artifact of that name, so the summary carries
 * on only the newest one a trusted run uploaded: a run of this deploy workflow, on a trusted ref,
 * in this repository, not for a pull request. Against the GitHub API stand-in.
 */
const actionDir = join(import.meta.dirname, '..');
const REPO = 'example/service';
const DEPLOY_PROD = '.github/workflows/deploy-prod.yml';
const SHA = 'c2a6b03f190dfb2b4aa91f8af8d477a9bc3401dc';
const OLD = '0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c';
const EVIL = 'e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5';

let stub: GithubApiStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

const line = (fields: Record<string, unknown>) => `${JSON.stringify({ environment: 'prod', ...fields })}\n`;
const TRUSTED_HISTORY = line({ outcome: 'deployed', sha: OLD, 'run-id': '100', note: 'trusted' });
const FORGED_HISTORY = line({ outcome: 'deployed', sha: EVIL, 'run-id': '1', note: 'forged' });

const deployRun = (id: number, fields: Partial<WorkflowRunSeed> = {}): WorkflowRunSeed => ({
  id,
  name: 'deploy prod',
  path: DEPLOY_PROD,
  head_branch: 'main',
  head_sha: OLD,
  event: 'workflow_dispatch',
  ...fields,
});

/** One artifact deploy-history-prod per run, oldest first (the stub lists them newest first). */
function historyArtifacts(runs: { run: WorkflowRunSeed; text: string; expired?: boolean }[]) {
  return {
    workflowRuns: runs.map((r) => r.run),
    artifacts: runs.map(({ run, text, expired }) => ({
      name: 'deploy-history-prod',
      run_id: run.id!,
      files: { 'deploy-history.jsonl': text },
      expired: expired ?? false,
    })),
  };
}

async function finish(inputs: Record<string, string> = {}, env: Record<string, string> = {}) {
  const runnerTemp = await mkdtemp(join(tmpdir(), 'gatehouse-summary-'));
  await cp(join(import.meta.dirname, 'fixtures', 'deployed'), join(runnerTemp, 'gatehouse'), {
    recursive: true,
  });
  const historyFile = inputs['history-file'] ?? join(runnerTemp, 'deploy-history', 'deploy-history.jsonl');
  const run = await runAction({
    actionDir,
    runnerTemp,
    inputs: { 'restore-history': 'true', ...inputs, 'history-file': historyFile },
    github: {
      eventName: 'workflow_dispatch',
      event: { repository: { full_name: REPO, default_branch: 'main' } },
      repository: REPO,
      apiUrl: stub!.url,
      token: 'ghs_history_token',
      runId: '4242',
    },
    env: { GITHUB_WORKFLOW_REF: `${REPO}/${DEPLOY_PROD}@refs/heads/main`, ...env },
  });
  const history = await readFile(historyFile, 'utf8').catch(() => undefined);
  return { run, history, historyFile };
}

describe('summary bundle: restore-history carries on only a trusted run’s history', () => {
  it('takes the trusted artifact over newer ones from a pull request, another workflow, another branch, a fork, or expired', async () => {
    stub = await startGithubApiStub({
      repository: REPO,
      commits: [SHA, OLD, EVIL],
      ...historyArtifacts([
        // Trusted although the deploy failed: a failed deploy's line matters most.
        { run: deployRun(100, { conclusion: 'failure' }), text: TRUSTED_HISTORY },
        { run: deployRun(101, { event: 'pull_request_target' }), text: FORGED_HISTORY },
        { run: deployRun(102, { path: '.github/workflows/ci.yml', event: 'push' }), text: FORGED_HISTORY },
        { run: deployRun(103, { head_branch: 'feature/x' }), text: FORGED_HISTORY },
        {
          run: deployRun(104, { event: 'push', head_repository: { full_name: 'mallory/service', id: 777 } }),
          text: FORGED_HISTORY,
        },
        { run: deployRun(105), text: FORGED_HISTORY, expired: true },
      ]),
    });
    const { run, history } = await finish();
    expect(run.errors).toEqual([]);
    expect(run.succeeded).toBe(true);
    expect(run.outputs['history-run-id']).toBe('100');
    const lines = history!
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.note ?? l['run-id'])).toEqual(['trusted', '4242']);
    expect(history).not.toContain(EVIL);
    // Each untrusted artifact is named with its reason; the expired one is no alarm.
    expect(run.warnings).toHaveLength(1);
    const warning = run.warnings[0]!;
    expect(warning).toMatch(/ignored 4 newer deploy-history-prod artifact\(s\)/);
    expect(warning).toMatch(/run 101\): workflow run 101 ran for a pull_request_target event/);
    expect(warning).toMatch(
      /run 102\): workflow run 102 is of workflow \.github\/workflows\/ci\.yml, not a trusted/,
    );
    expect(warning).toMatch(/run 103\): uploaded by workflow run 103 on feature\/x, not a trusted ref/);
    expect(warning).toMatch(
      /run 104\): uploaded by workflow run 104 on main, not a trusted ref of this repository/,
    );
    expect(run.log).toContain(
      `Deploy history: carried on from artifact deploy-history-prod (5000001) of workflow run 100 (${DEPLOY_PROD} on refs/heads/main).`,
    );
  });

  it('replaces a history file already on disk: only the trusted artifact is carried on', async () => {
    stub = await startGithubApiStub({
      repository: REPO,
      commits: [SHA, OLD],
      ...historyArtifacts([{ run: deployRun(100), text: TRUSTED_HISTORY }]),
    });
    const runnerTemp = await mkdtemp(join(tmpdir(), 'gatehouse-summary-'));
    const file = join(runnerTemp, 'history.jsonl');
    await writeFile(file, FORGED_HISTORY);
    const { history } = await finish({ 'history-file': file });
    // The artifact's file is deploy-history.jsonl; its only JSON Lines file is taken whatever the local name.
    expect(history).toContain('"trusted"');
    expect(history).not.toContain(EVIL);
  });

  it('with no trusted artifact, starts a new history and says so plainly', async () => {
    stub = await startGithubApiStub({
      repository: REPO,
      commits: [SHA, OLD, EVIL],
      ...historyArtifacts([{ run: deployRun(101, { event: 'pull_request' }), text: FORGED_HISTORY }]),
    });
    const { run, history } = await finish();
    expect(run.succeeded).toBe(true);
    expect(run.outputs['history-run-id']).toBe('');
    expect(
      history!
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)['run-id']),
    ).toEqual(['4242']);
    expect(run.log).toMatch(
      /Deploy history: no deploy-history-prod artifact from a trusted run \(passed over: artifact \d+ \(run 101\): workflow run 101 ran for a pull_request event.*\); starting a new history\./,
    );
    expect(run.warnings).toEqual([expect.stringMatching(/ignored 1 newer deploy-history-prod artifact/)]);
  });

  it('a first deploy (no artifact at all) starts a new history without a warning', async () => {
    stub = await startGithubApiStub({ repository: REPO, commits: [SHA] });
    const { run, history } = await finish();
    expect(run.warnings).toEqual([]);
    expect(history!.trim().split('\n')).toHaveLength(1);
    expect(run.log).toContain(
      'Deploy history: no deploy-history-prod artifact from a trusted run; starting a new history.',
    );
  });

  it('trusts the workflow files and refs it is told to, e.g. a release tag', async () => {
    stub = await startGithubApiStub({
      repository: REPO,
      commits: [SHA],
      tags: { 'v2.4.0': OLD },
      ...historyArtifacts([
        {
          run: deployRun(100, { path: '.github/workflows/release.yml', head_branch: 'v2.4.0' }),
          text: TRUSTED_HISTORY,
        },
      ]),
    });
    const untold = await finish();
    expect(untold.run.outputs['history-run-id']).toBe('');
    const told = await finish({ 'trusted-workflows': 'release.yml', 'trusted-refs': 'refs/tags/v*' });
    expect(told.run.outputs['history-run-id']).toBe('100');
    expect(told.run.log).toContain('(.github/workflows/release.yml on refs/tags/v2.4.0)');
  });

  it('a search that cannot finish (no actions: read) adds no line, so the previous artifact stays the newest', async () => {
    stub = await startGithubApiStub({
      repository: REPO,
      commits: [SHA, OLD],
      ...historyArtifacts([{ run: deployRun(100), text: TRUSTED_HISTORY }]),
      failures: { 'GET /repos/{owner}/{repo}/actions/artifacts': 403 },
    });
    const { run, history } = await finish();
    expect(run.succeeded).toBe(true);
    expect(run.outputs.outcome).toBe('deployed');
    expect(history).toBeUndefined();
    expect(run.warnings).toEqual([
      expect.stringMatching(
        /^Deploy history not updated: could not look for deploy-history-prod: .*403.*permissions: actions: read\. Nothing is lost/,
      ),
    ]);
  });

  it('refuses restore-history without a history file, naming both inputs', async () => {
    stub = await startGithubApiStub({ repository: REPO, commits: [SHA] });
    const { run } = await finish({ 'history-file': '' });
    expect(run.succeeded).toBe(false);
    expect(run.errors).toEqual([
      expect.stringMatching(/'restore-history' is true but 'history-file' is empty/),
    ]);
  });
});
