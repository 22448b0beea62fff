import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GithubApiStub, startGithubApiStub } from '@gatehouse/github-api-stub';
import { entryOf } from '@gatehouse/host-script';
import { writeRecord } from '@gatehouse/records';
import { runAction } from '@gatehouse/runner-harness';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseForHost, scopeFromStates } from '../src/choose-version';

const actionDir = join(import.meta.dirname, '..');
const GOOD = 'c00dbbc9dadfbe1e232e93a729dd4752fade0abf';
const BAD = 'c2a6b03f190dfb2b4aa91f8af8d477a9bc3401dc';
const FORGED = 'e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5';

let stub: GithubApiStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

/** GitHub as a deploy workflow left it: good v1 (run 11), forged newer ones, then bad v2 (run 12). */
async function stubDeployments(): Promise<GithubApiStub> {
  const DEV_WORKFLOW = '.github/workflows/deploy-dev.yml';
  const run = (id: number, headSha: string, path = DEV_WORKFLOW) => ({
    id,
    name: 'deploy dev',
    path,
    head_branch: 'main',
    head_sha: headSha,
    event: 'push',
  });
  const api = await startGithubApiStub({
    repository: 'example/service',
    commits: [GOOD, BAD, FORGED],
    workflowRuns: [run(11, GOOD), run(12, BAD), run(13, FORGED, '.github/workflows/ci.yml')],
    deployments: [
      {
        environment: 'dev',
        sha: GOOD,
        statuses: ['in_progress', 'success'],
        payload: { gatehouse: true, 'image-tag': 'v1', 'run-id': '11' },
      },
      // Newer and successful, but made by a CI job with deployments: write, and by a replay
      // naming the good run: neither may choose what a rollback deploys.
      {
        environment: 'dev',
        sha: FORGED,
        statuses: ['success'],
        payload: { gatehouse: true, 'image-tag': 'evil', 'run-id': '13' },
      },
      {
        environment: 'dev',
        sha: FORGED,
        statuses: ['success'],
        payload: { gatehouse: true, 'image-tag': 'evil', 'run-id': '11' },
      },
      {
        environment: 'dev',
        sha: BAD,
        statuses: ['in_progress', 'success'],
        payload: { gatehouse: true, 'image-tag': 'v2', 'run-id': '12' },
      },
      { environment: 'prod', sha: BAD, statuses: ['success'], payload: { gatehouse: true } },
    ],
  });
  for (const deployment of api.deployments.filter((d) => d.environment === 'dev')) {
    const runId = Number((deployment.payload as Record<string, string>)['run-id']);
    if (deployment.sha === FORGED && runId === 11) continue;
    const line = {
      environment: 'dev',
      outcome: 'deployed',
      sha: deployment.sha,
      'run-id': String(runId),
      'deployment-id': deployment.id,
    };
    api.addArtifact({
      name: 'deploy-history-dev',
      run_id: runId,
      files: { 'deploy-history.jsonl': `${JSON.stringify(line)}\n` },
    });
  }
  return api;
}

describe('rollback bundle: target local', () => {
  it("runs a platform's own rollback command, with ROLLBACK_TO set", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'platform-'));
    const run = await runAction({
      actionDir,
      inputs: {
        target: 'local',
        environment: 'stage',
        to: 'v7',
        command: `echo "kubectl rollout undo deployment/web --to=$ROLLBACK_TO" > '${dir}/called'`,
      },
    });
    expect(run.errors).toEqual([]);
    expect(run.outputs).toMatchObject({ 'rolled-back-to': 'v7', status: 'success' });
    expect(await readFile(join(dir, 'called'), 'utf8')).toBe('kubectl rollout undo deployment/web --to=v7\n');
  });

  it('rolls back to the last successful GitHub deployment a trusted run made, skipping the commit being rolled back', async () => {
    stub = await stubDeployments();
    const runnerTemp = await mkdtemp(join(tmpdir(), 'gatehouse-rollback-'));
    // The deploy's resolve-ref step in this job: rollback knows the commit it rolls back from.
    await writeRecord(
      'resolve-ref',
      {
        environment: 'dev',
        ref: 'refs/heads/main',
        remoteRef: 'origin/main',
        sha: BAD,
        refName: 'main',
        source: 'push',
        event: 'push',
        githubRef: 'refs/heads/main',
        githubRefName: 'main',
        inputRef: '',
        checks: null,
      },
      { env: { RUNNER_TEMP: runnerTemp } },
    );
    const hostDir = await mkdtemp(join(tmpdir(), 'local-host-'));
    const rollback = await runAction({
      actionDir,
      runnerTemp,
      inputs: {
        target: 'local',
        to: 'last-successful',
        'trusted-workflows': 'deploy-dev.yml',
        mode: 'image',
        'app-dir': join(hostDir, 'app'),
        'state-dir': join(hostDir, 'state'),
        commands: 'echo "$DEPLOY_IMAGE_TAG" > running',
      },
      github: {
        repository: 'example/service',
        apiUrl: stub.url,
        token: 'ghs_test',
        event: { repository: { default_branch: 'main' } },
      },
    });
    expect(rollback.errors).toEqual([]);
    expect(rollback.outputs['rolled-back-to']).toBe('v1');
    expect(await readFile(join(hostDir, 'app', 'running'), 'utf8')).toBe('v1\n');
    expect(stub.requests[0]!.query).toMatchObject({ environment: 'dev' });
  });

  it('dispatched by hand (no resolve-ref in the job): skips the commit the hosts run now', async () => {
    stub = await stubDeployments();
    const hostDir = await mkdtemp(join(tmpdir(), 'local-host-'));
    const host = {
      target: 'local',
      mode: 'image',
      environment: 'dev',
      'app-dir': join(hostDir, 'app'),
      'state-dir': join(hostDir, 'state'),
      commands: 'echo "$DEPLOY_IMAGE_TAG" > running',
    };
    // The hosts run BAD (v2), the newest successful deployment: it must not be chosen.
    const deployed = await runAction({
      actionDir: join(actionDir, '..', 'deploy-ssm'),
      inputs: { ...host, 'image-tag': 'v2', sha: BAD },
    });
    expect(deployed.errors).toEqual([]);
    const github = {
      repository: 'example/service',
      apiUrl: stub.url,
      token: 'ghs_test',
      event: { repository: { default_branch: 'main' } },
    };
    const rollback = await runAction({
      actionDir,
      inputs: { ...host, to: 'last-successful', 'trusted-workflows': 'deploy-dev.yml' },
      github,
    });
    expect(rollback.errors).toEqual([]);
    expect(rollback.log).toContain(
      "The hosts run c2a6b03: 'last-successful' is the newest successful deployment before it.",
    );
    expect(rollback.outputs['rolled-back-to']).toBe('v1');
    expect(await readFile(join(hostDir, 'app', 'running'), 'utf8')).toBe('v1\n');
  });

  it('says so when GitHub has no other successful deployment', async () => {
    stub = await startGithubApiStub({
      repository: 'example/service',
      commits: [BAD],
      deployments: [{ environment: 'dev', sha: BAD, statuses: ['failure'], payload: { gatehouse: true } }],
    });
    const run = await runAction({
      actionDir,
      inputs: {
        target: 'local',
        to: 'last-successful',
        'trusted-workflows': 'deploy-dev.yml',
        'trusted-refs': 'refs/heads/main',
        environment: 'dev',
        'app-dir': 'app',
        'state-dir': 'state',
      },
      github: { repository: 'example/service', apiUrl: stub.url, token: 'ghs_test' },
    });
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^No successful deployment of dev is recorded in GitHub Deployments that a trusted run made \(deployment \d+ of c2a6b03: it never succeeded\); nothing was changed\.$/,
      ),
    ]);
  });
});

describe('rollback: which version one host goes back to', () => {
  const run = (runId: string) => ({ runId, actor: 'a', environment: 'dev' });
  const at = (
    tag: string,
    outcome: Parameters<typeof entryOf>[2],
    runId: string,
    time = '2025-01-01T00:00:00Z',
  ) => entryOf({ imageTag: tag }, run(runId), outcome, time);

  it('after a deploy that failed on the host, restores its current version, not the one before', () => {
    const choice = chooseForHost(
      {
        current: at('v2', 'success', 'r2'),
        previous: at('v1', 'success', 'r1'),
        last: at('v3', 'failed', 'r3'),
      },
      'r3',
    );
    expect(choice).toMatchObject({ kind: 'version', version: { imageTag: 'v2' } });
  });

  it('after a deploy that succeeded on the host (the gates failed), restores previous', () => {
    const choice = chooseForHost(
      {
        current: at('v2', 'success', 'r2'),
        previous: at('v1', 'success', 'r1'),
        last: at('v2', 'success', 'r2'),
      },
      'r2',
    );
    expect(choice).toMatchObject({ kind: 'version', version: { imageTag: 'v1' } });
  });

  it('after a deploy cut off before it recorded anything, puts the current version back whole', () => {
    const choice = chooseForHost(
      {
        current: at('v2', 'success', 'r2'),
        previous: at('v1', 'success', 'r1'),
        last: at('v2', 'success', 'r2'),
      },
      'r3',
    );
    expect(choice).toMatchObject({ kind: 'version', version: { imageTag: 'v2' } });
  });

  it('a host already rolled back by the same run is done; a first deploy has nothing to go back to', () => {
    expect(
      chooseForHost({ current: at('v1', 'rollback', 'r3'), previous: at('v3', 'success', 'r3') }, 'r3'),
    ).toMatchObject({ kind: 'done' });
    expect(chooseForHost({ current: at('v1', 'success', 'r1'), previous: null }, 'r1')).toMatchObject({
      kind: 'none',
    });
  });

  it('from the hosts alone, undoes the run that wrote the newest entry, on the hosts where it did', () => {
    const scope = scopeFromStates([
      {
        host: 'h1',
        state: {
          current: at('v3', 'success', 'r3', 't1'),
          previous: at('v2', 'success', 'r2'),
          last: at('v3', 'success', 'r3', '2025-01-02T00:00:01Z'),
        },
      },
      {
        host: 'h2',
        state: {
          current: at('v2', 'success', 'r2'),
          previous: at('v1', 'success', 'r1'),
          last: at('v3', 'failed', 'r3', '2025-01-02T00:00:02Z'),
        },
      },
      {
        host: 'h3',
        state: {
          current: at('v2', 'success', 'r2'),
          previous: at('v1', 'success', 'r1'),
          last: at('v2', 'success', 'r2', '2025-01-01T00:00:03Z'),
        },
      },
      { host: 'h4', state: undefined },
    ]);
    expect(scope).toMatchObject({ kind: 'run', runId: 'r3', hosts: ['h1', 'h2'] });
  });

  it('refuses to guess when the newest entry names no run (written by an older Gatehouse)', () => {
    const scope = scopeFromStates([
      {
        host: 'h1',
        state: {
          current: at('v2', 'success', ''),
          previous: at('v1', 'success', ''),
          last: at('v2', 'success', ''),
        },
      },
    ]);
    expect(scope).toMatchObject({
      kind: 'refused',
      message: expect.stringMatching(/names no run.*input 'to'/),
    });
  });
});
