import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '@gatehouse/action-kit';
import { buildDeployScript } from '@gatehouse/host-script';
import { LOCK_FILE, LOCK_HOLDER_FILE } from '@gatehouse/host-script/layout';
import { runAction } from '@gatehouse/runner-harness';
import { describe, expect, it } from 'vitest';
import { corruptStateOn, deployOn, failedDeployOn } from './deploy-state';
import { snapshotTree } from './host-snapshot';

const actionDir = join(import.meta.dirname, '..');
const SECRET = 'pa55-not-for-logs-7731';

const SHA = 'c2a6b03f190dfb2b4aa91f8af8d477a9bc3401dc';

/** A host as a deploy leaves it: a git checkout with an env file, a state dir with the deploy's state and lock. */
async function host(options: { env?: string; deployed?: boolean } = {}) {
  const root = await mkdtemp(join(tmpdir(), 'gatehouse-preflight-'));
  const app = join(root, 'app');
  const state = join(root, 'state');
  await mkdir(app);
  await mkdir(state);
  for (const args of [
    ['init', '-q'],
    ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'init'],
  ]) {
    const git = await runCommand('git', args, { cwd: app });
    if (git.exitCode !== 0) throw new Error(git.stderr);
  }
  await writeFile(
    join(app, '.env'),
    options.env ??
      `APP_ENV=dev\nDATABASE_URL=postgres://app:${SECRET}@db/app\nSECRET_KEY="${SECRET}"\nEMPTY_ONE=\n`,
  );
  if (options.deployed !== false) await deployOn(root, { imageTag: 'v1.4.0', sha: SHA }, { runId: '4242' });
  return { root, app, state };
}

async function until(condition: () => boolean): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > 30_000) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const preflight = (inputs: Record<string, string>) =>
  runAction({ actionDir, inputs: { target: 'local', 'min-free-disk': '1M', ...inputs }, timeoutMs: 120_000 });

describe('preflight bundle, target local', () => {
  it('passes a fit host and leaves every file byte-identical, mtimes included', async () => {
    const h = await host();
    const before = await snapshotTree(h.root);
    const run = await preflight({
      'app-dir': h.app,
      'state-dir': h.state,
      'required-vars': 'DATABASE_URL,SECRET_KEY',
      'expected-environment': 'dev',
      'require-commands': 'bash,git',
    });
    expect(run.errors).toEqual([]);
    expect(run.outputs.passed).toBe('true');
    const report = JSON.parse(run.outputs.report!);
    expect(
      report[0].checks.map((c: { check: string; verdict: string }) => `${c.check}:${c.verdict}`),
    ).toEqual([
      'app-dir:pass',
      'env-file:pass',
      'environment:pass',
      'docker:skip',
      'commands:pass',
      'disk:pass',
      'state-dir:pass',
      'deploy-lock:pass',
      'database:skip',
      'deploy-state:pass',
    ]);
    expect(report[0].checks.at(-1).reason).toMatch(
      /^runs v1\.4\.0 \(refs\/heads\/main\) since \d{4}-\d\d-\d\dT[\d:]+Z, deployed by run 4242 \(octocat\)$/,
    );
    expect(JSON.parse(run.outputs.versions!)).toEqual([
      {
        host: 'local',
        state: 'deployed',
        version: 'v1.4.0',
        sha: SHA,
        imageTag: 'v1.4.0',
        ref: 'refs/heads/main',
        since: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:]+Z$/),
        runId: '4242',
        actor: 'octocat',
        outcome: 'success',
        lastFailed: null,
        error: null,
      },
    ]);
    expect(run.summary).toContain('Every host runs `v1.4.0`.');
    expect(run.summary).toMatch(
      /\| `local` \| `v1\.4\.0` \| refs\/heads\/main \| \d{4}-[^|]+ \| 4242 \| octocat \| {2}\|/,
    );
    expect(run.warnings).toEqual([]);
    expect(await snapshotTree(h.root)).toEqual(before);
    expect(run.stdout).not.toContain(SECRET);
  });

  it('reports every failing check at once, naming keys but never values, and changes nothing', async () => {
    const h = await host({ env: `APP_ENV=prod\nSECRET_KEY=${SECRET}\nEMPTY_ONE=""\n` });
    const before = await snapshotTree(h.root);
    const run = await preflight({
      'app-dir': h.app,
      'state-dir': join(h.root, 'missing-parent', 'also-missing', 'state'),
      'git-checkout': 'true',
      'expected-owner': 'nobody',
      'required-vars': 'SECRET_KEY,EMPTY_ONE,NOT_THERE',
      'expected-environment': 'dev',
      'require-commands': 'bash,no-such-command-xyz',
      'min-free-disk': '1000000G',
    });
    expect(run.succeeded).toBe(false);
    expect(run.outputs.passed).toBe('false');
    const checks = JSON.parse(run.outputs.report!)[0].checks as {
      check: string;
      verdict: string;
      reason: string;
    }[];
    const failed = Object.fromEntries(
      checks.filter((c) => c.verdict === 'fail').map((c) => [c.check, c.reason]),
    );
    expect(Object.keys(failed).sort()).toEqual(['app-dir', 'commands', 'disk', 'env-file', 'environment']);
    expect(failed['app-dir']).toContain('expected nobody');
    expect(failed['env-file']).toContain('EMPTY_ONE, NOT_THERE');
    expect(failed.environment).toContain('does not equal expected-environment dev');
    expect(failed.commands).toBe('not on PATH: no-such-command-xyz');
    const message = run.errors.join('\n');
    expect(message).toContain('local: env-file:');
    expect(message).toContain('local: disk:');
    expect(run.stdout).not.toContain(SECRET);
    expect(run.stdout).not.toContain('prod');
    expect(await snapshotTree(h.root)).toEqual(before);
  });

  it('reports who holds the deploy lock and since when, as the deploy that holds it recorded', async () => {
    const h = await host();
    // The lock file is older than the deploy that holds it now: its mtime must not pass for "since".
    await utimes(
      join(h.state, LOCK_FILE),
      new Date('2020-01-01T00:00:00Z'),
      new Date('2020-01-01T00:00:00Z'),
    );
    const started = new Date(Math.floor(Date.now() / 1000) * 1000);
    const deploy = spawn(
      'bash',
      [
        '-c',
        buildDeployScript({
          mode: 'image',
          version: { imageTag: 'v7', ref: 'refs/heads/main' },
          appDir: join(h.root, 'deployed'),
          stateDir: h.state,
          run: { runId: '4242', actor: 'alice', environment: 'dev' },
          // Holds the lock until the test says so.
          commands: 'touch ../holding; while [ ! -e ../release ]; do sleep 0.05; done',
          lockTimeoutSeconds: 0,
          historySize: 20,
        }),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const finished = new Promise<number | null>((resolve) => deploy.on('close', resolve));
    try {
      await until(() => existsSync(join(h.root, 'holding')));
      const before = await snapshotTree(h.root);
      const run = await preflight({ 'app-dir': h.app, 'state-dir': h.state });
      expect(await snapshotTree(h.root)).toEqual(before);
      expect(run.outputs.passed).toBe('false');
      const checks = JSON.parse(run.outputs.report!)[0].checks as {
        check: string;
        verdict: string;
        reason: string;
      }[];
      const lock = checks.find((c) => c.check === 'deploy-lock')!;
      expect(lock.verdict).toBe('fail');
      const said = new RegExp(
        `^a deploy holds .*/${LOCK_FILE} since (\\S+): deploy of v7 \\(refs/heads/main\\) by run 4242, actor alice \\(pid (\\d+)\\)$`,
      ).exec(lock.reason);
      expect(said, lock.reason).not.toBeNull();
      const since = new Date(said![1]!);
      expect(since.getTime()).toBeGreaterThanOrEqual(started.getTime());
      expect(since.getTime()).toBeLessThanOrEqual(Date.now());
      // The holder is the deploy's own shell: the process that holds the lock open.
      expect(Number(said![2])).toBe(deploy.pid);
    } finally {
      await writeFile(join(h.root, 'release'), '');
      expect(await finished).toBe(0);
    }
    // Once the deploy ends, the lock is free and its holder file is gone.
    const after = await preflight({ 'app-dir': h.app, 'state-dir': h.state });
    const lock = JSON.parse(after.outputs.report!)[0].checks.find(
      (c: { check: string }) => c.check === 'deploy-lock',
    );
    expect(lock).toMatchObject({ verdict: 'pass' });
    expect(existsSync(join(h.state, LOCK_HOLDER_FILE))).toBe(false);
  });
  it('a host with no state: a warning by default, a failure with require-same-version, and nothing written', async () => {
    const h = await host({ deployed: false });
    const before = await snapshotTree(h.root);
    const warned = await preflight({ 'app-dir': h.app, 'state-dir': h.state });
    expect(warned.errors).toEqual([]);
    expect(warned.outputs.passed).toBe('true');
    expect(JSON.parse(warned.outputs.versions!)).toMatchObject([
      { host: 'local', state: 'none', version: null },
    ]);
    expect(warned.warnings).toEqual([
      'Not every host records a version: nothing recorded on local. With require-same-version: true, preflight would fail here.',
    ]);
    expect(warned.log).toContain('local: no version recorded (no deploy has succeeded here yet)');

    const required = await preflight({
      'app-dir': h.app,
      'state-dir': h.state,
      'require-same-version': 'true',
    });
    expect(required.outputs.passed).toBe('false');
    expect(required.errors.join('\n')).toContain(
      'local: same-version: records no version; the hosts: nothing recorded on local',
    );
    expect(await snapshotTree(h.root)).toEqual(before);
  });

  it('names a host whose last deploy failed, with the run, the actor and what it still records', async () => {
    const h = await host();
    await failedDeployOn(
      h.root,
      { imageTag: 'v1.5.0', sha: 'd'.repeat(40) },
      { runId: '4243', actor: 'mallory' },
    );
    const before = await snapshotTree(h.root);
    const run = await preflight({ 'app-dir': h.app, 'state-dir': h.state, 'require-same-version': 'true' });
    expect(run.errors).toEqual([]);
    const [version] = JSON.parse(run.outputs.versions!);
    expect(version).toMatchObject({
      state: 'deployed',
      version: 'v1.4.0',
      runId: '4242',
      lastFailed: {
        version: 'v1.5.0',
        sha: 'd'.repeat(40),
        runId: '4243',
        actor: 'mallory',
        outcome: 'failed',
      },
    });
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toMatch(
      /^The last attempt failed on 1 host\(s\):\nlocal: runs v1\.4\.0 .*, deployed by run 4242 \(octocat\); its last deploy, to v1\.5\.0 \(run 4243 by mallory at [^)]+\), FAILED$/,
    );
    expect(run.summary).toMatch(
      /\| `local` \| `v1\.4\.0` \|.*❌ its last deploy, to v1\.5\.0 \(run 4243 by mallory/,
    );
    expect(await snapshotTree(h.root)).toEqual(before);
  });

  it.each([
    ['not JSON at all', 'version=v1.4.0\n', /holds no deploy in the layout Gatehouse writes/],
    ['JSON, not in the layout', '{"current":null}\n', /holds no deploy in the layout Gatehouse writes/],
    [
      'an entry cut short',
      '{\n  "current": {"sha":"c2a6b03f","imageTag":"v1.4.0","time":"2026-01-0\n',
      /holds no deploy in the layout Gatehouse writes/,
    ],
    [
      'a broken entry',
      '{\n  "current": {"sha":"c2a6b03f","imageTag":7},\n  "previous": null,\n  "history": [\n  ]\n}\n',
      /could not be read: deploy-state\.json: current is not a deploy entry/,
    ],
  ])(
    'a corrupt state file (%s) is a clear finding, not a crash, and stays as it was',
    async (_, text, finding) => {
      const h = await host({ deployed: false });
      await corruptStateOn(h.root, text);
      const before = await snapshotTree(h.root);
      const run = await preflight({ 'app-dir': h.app, 'state-dir': h.state });
      expect(run.phases.find((phase) => phase.phase === 'main')?.exitCode).toBe(1);
      expect(run.outputs.passed).toBe('false');
      const checks = JSON.parse(run.outputs.report!)[0].checks;
      expect(checks.at(-1)).toMatchObject({
        check: 'deploy-state',
        verdict: 'fail',
        reason: expect.stringMatching(finding),
      });
      expect(JSON.parse(run.outputs.versions!)[0]).toMatchObject({
        state: 'unreadable',
        error: expect.stringMatching(finding),
      });
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toMatch(
        /^Preflight failed \(1 check\(s\)\); nothing was changed:\nlocal: deploy-state: /,
      );
      expect(run.errors[0]).not.toMatch(/bug|TypeError|SyntaxError/i);
      expect(await snapshotTree(h.root)).toEqual(before);
    },
  );
});
