import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GithubApiStub, startGithubApiStub } from '@gatehouse/github-api-stub';
import { entryOf } from '@gatehouse/host-script';
import { runAction } from '@gatehouse/runner-harness';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseForHost, scopeFromStates } from '../src/choose-version';

const actionDir = join(import.meta.dirname, '..');
const GOOD = 'c00dbbc9dadfbe1e232e93a729dd4752fade0abf';
const BAD = 'c2a6b03f190dfb2b4aa91f8af8d477a9bc3401dc';

let stub: GithubApiStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

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

  it('rolls back to the last successful GitHub deployment, skipping the commit being rolled back', async () => {
    stub = await startGithubApiStub({
      repository: 'example/service',
      commits: [GOOD, BAD],
      deployments: [
        {
          environment: 'dev',
          sha: GOOD,
          statuses: ['in_progress', 'success'],
          payload: { gatehouse: true, 'image-tag': 'v1' },
        },
        {
          environment: 'dev',
          sha: BAD,
          statuses: ['in_progress', 'success'],
          payload: { gatehouse: true, 'image-tag': 'v2' },
        },
        { environment: 'prod', sha: BAD, statuses: ['success'], payload: { gatehouse: true } },
      ],
    });
    const runnerTemp = await mkdtemp(join(tmpdir(), 'gatehouse-rollback-'));
    await mkdir(join(runnerTemp, 'gatehouse'));
    await writeFile(
      join(runnerTemp, 'gatehouse', 'resolve-ref.json'),
      JSON.stringify({ action: 'resolve-ref', environment: 'dev', sha: BAD }),
    );
    const hostDir = await mkdtemp(join(tmpdir(), 'local-host-'));
    const run = await runAction({
      actionDir,
      runnerTemp,
      inputs: {
        target: 'local',
        to: 'last-successful',
        mode: 'image',
        'app-dir': join(hostDir, 'app'),
        'state-dir': join(hostDir, 'state'),
        commands: 'echo "$DEPLOY_IMAGE_TAG" > running',
      },
      github: { repository: 'example/service', apiUrl: stub.url, token: 'ghs_test' },
    });
    expect(run.errors).toEqual([]);
    expect(run.outputs['rolled-back-to']).toBe('v1');
    expect(await readFile(join(hostDir, 'app', 'running'), 'utf8')).toBe('v1\n');
    expect(stub.requests[0]!.query).toMatchObject({ environment: 'dev' });
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
        environment: 'dev',
        'app-dir': 'app',
        'state-dir': 'state',
      },
      github: { repository: 'example/service', apiUrl: stub.url, token: 'ghs_test' },
    });
    expect(run.errors).toEqual([
      'No successful deployment of dev is recorded in GitHub Deployments; nothing was changed.',
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
