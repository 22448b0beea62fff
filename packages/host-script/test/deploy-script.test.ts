import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '@gatehouse/action-kit';
import { describe, expect, it } from 'vitest';
import {
  buildDeployScript,
  buildStateReadScript,
  parseDeployState,
  parseScriptReport,
  parseStateReport,
} from '../src';
import { deployOn, host, options, runScript, stateOf } from './host';

describe('generated deploy script, image mode', () => {
  it('starts with set -euo pipefail and writes the tag into the env file, keeping other lines', async () => {
    const dir = await host();
    await mkdir(join(dir, 'app'));
    await writeFile(
      join(dir, 'app', '.env'),
      'DB_URL=postgres://u:p@db/x\nIMAGE_TAG=v0\nexport OTHER="$(keep me)"\nLAST=no-newline',
    );
    const script = buildDeployScript(options());
    expect(script.split('\n').slice(0, 4)).toContain('set -euo pipefail');
    const result = await runScript(dir, script);
    expect(result.exitCode).toBe(0);
    expect(await readFile(join(dir, 'app', '.env'), 'utf8')).toBe(
      'DB_URL=postgres://u:p@db/x\nIMAGE_TAG=v1\nexport OTHER="$(keep me)"\nLAST=no-newline\n',
    );
  });

  it('records current, previous and a bounded history, newest first', async () => {
    const dir = await host();
    for (const tag of ['v1', 'v2', 'v3', 'v4']) {
      expect((await deployOn(dir, { version: { imageTag: tag }, historySize: 3 })).exitCode).toBe(0);
    }
    const state = parseDeployState(await stateOf(dir));
    expect(state.current).toMatchObject({
      imageTag: 'v4',
      outcome: 'success',
      runId: '100',
      actor: 'octocat',
      environment: 'dev',
    });
    expect(state.previous?.imageTag).toBe('v3');
    expect(state.history.map((h) => h.imageTag)).toEqual(['v4', 'v3', 'v2']);
  });

  it('gives the commands DEPLOY_* and PREVIOUS_* and runs them in app-dir', async () => {
    const dir = await host();
    await deployOn(dir, { version: { imageTag: 'v1', image: 'ghcr.io/o/api' } });
    const result = await deployOn(dir, {
      version: { imageTag: 'v2', ref: 'refs/tags/v2', sha: 'a'.repeat(40), image: 'ghcr.io/o/api' },
      commands:
        'echo "sha=$DEPLOY_SHA ref=$DEPLOY_REF tag=$DEPLOY_IMAGE_TAG env=$DEPLOY_ENVIRONMENT prev=$PREVIOUS_IMAGE_TAG prevsha=$PREVIOUS_SHA image=$DEPLOY_IMAGE" > seen',
    });
    expect(result.exitCode).toBe(0);
    expect(await readFile(join(dir, 'app', 'seen'), 'utf8')).toBe(
      `sha=${'a'.repeat(40)} ref=refs/tags/v2 tag=v2 env=dev prev=v1 prevsha= image=ghcr.io/o/api\n`,
    );
    const report = parseScriptReport(result.stdout);
    expect(report.previous?.imageTag).toBe('v1');
    expect(report.deployed?.imageTag).toBe('v2');
  });

  it('records a failed deploy in history and leaves current untouched', async () => {
    const dir = await host();
    await deployOn(dir, { version: { imageTag: 'v1' } });
    const result = await deployOn(dir, {
      version: { imageTag: 'v2' },
      commands: 'echo starting\nfalse\necho never',
    });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).not.toContain('never');
    expect(parseScriptReport(result.stdout).failedExitCode).toBe(1);
    const state = parseDeployState(await stateOf(dir));
    expect(state.current?.imageTag).toBe('v1');
    expect(state.previous).toBeNull();
    expect(state.history.map((h) => [h.imageTag, h.outcome])).toEqual([
      ['v2', 'failed'],
      ['v1', 'success'],
    ]);
  });

  it('records a rollback as such, for the rollback action', async () => {
    const dir = await host();
    await deployOn(dir, { version: { imageTag: 'v1' } });
    await deployOn(dir, { version: { imageTag: 'v2' } });
    await deployOn(dir, { version: { imageTag: 'v1' }, kind: 'rollback' });
    const read = await runScript(dir, buildStateReadScript('state'));
    const state = parseStateReport(read.stdout);
    expect(state?.current).toMatchObject({ imageTag: 'v1', outcome: 'rollback' });
    expect(state?.previous?.imageTag).toBe('v2');
    expect(
      parseStateReport((await runScript(await host(), buildStateReadScript('state'))).stdout),
    ).toBeUndefined();
  });

  it('refuses a state file it did not write rather than guessing', async () => {
    const dir = await host();
    await mkdir(join(dir, 'state'));
    await writeFile(
      join(dir, 'state', 'deploy-state.json'),
      JSON.stringify({ current: null, previous: null, history: [] }),
    );
    const result = await deployOn(dir);
    expect(result.exitCode).toBe(65);
    expect(result.stderr).toMatch(/not in the layout Gatehouse writes/);
  });
});

describe('generated deploy script, git mode', () => {
  async function repo() {
    const dir = await host();
    const origin = join(dir, 'origin');
    const git = (cwd: string, ...args: string[]) =>
      runCommand('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd });
    await mkdir(origin);
    await git(origin, 'init', '-q', '-b', 'main');
    await writeFile(join(origin, 'app.txt'), 'one\n');
    await git(origin, 'add', '.');
    await git(origin, 'commit', '-q', '-m', 'one');
    const first = (await git(origin, 'rev-parse', 'HEAD')).stdout.trim();
    await git(dir, 'clone', '-q', origin, 'app');
    await writeFile(join(origin, 'app.txt'), 'two\n');
    await git(origin, 'commit', '-q', '-am', 'two');
    const second = (await git(origin, 'rev-parse', 'HEAD')).stdout.trim();
    return { dir, first, second };
  }

  it('fetches and checks out the exact SHA', async () => {
    const { dir, second } = await repo();
    const result = await deployOn(dir, {
      mode: 'git',
      version: { sha: second, ref: 'refs/heads/main' },
      commands: 'git rev-parse HEAD > ../head',
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect((await readFile(join(dir, 'head'), 'utf8')).trim()).toBe(second);
    expect(await readFile(join(dir, 'app', 'app.txt'), 'utf8')).toBe('two\n');
    expect(parseDeployState(await stateOf(dir)).current).toMatchObject({
      sha: second,
      ref: 'refs/heads/main',
      imageTag: null,
    });
  });

  it('refuses a dirty tree unless force, and records the refusal', async () => {
    const { dir, first, second } = await repo();
    await writeFile(join(dir, 'app', 'app.txt'), 'hand edit\n');
    const refused = await deployOn(dir, { mode: 'git', version: { sha: second } });
    expect(refused.exitCode).toBe(65);
    expect(refused.stderr).toMatch(/uncommitted changes.*force: true/);
    expect(await readFile(join(dir, 'app', 'app.txt'), 'utf8')).toBe('hand edit\n');
    expect(parseDeployState(await stateOf(dir)).history[0]?.outcome).toBe('failed');
    const forced = await deployOn(dir, { mode: 'git', version: { sha: first }, force: true });
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(await readFile(join(dir, 'app', 'app.txt'), 'utf8')).toBe('one\n');
  });

  it('fails, naming the commit, when origin does not have it', async () => {
    const { dir } = await repo();
    const result = await deployOn(dir, { mode: 'git', version: { sha: 'f'.repeat(40) } });
    expect(result.exitCode).toBe(66);
    expect(result.stderr).toContain(`commit ${'f'.repeat(40)} is not in origin`);
    await expect(access(join(dir, 'state', 'deploy-state.json'))).resolves.toBeUndefined();
  });
});
