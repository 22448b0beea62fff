import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '@gatehouse/action-kit';
import { buildDeployScript } from '@gatehouse/host-script';
import { LOCK_FILE, LOCK_HOLDER_FILE, STATE_FILE } from '@gatehouse/host-script/layout';
import { runAction } from '@gatehouse/runner-harness';
import { describe, expect, it } from 'vitest';
import { snapshotTree } from './host-snapshot';

const actionDir = join(import.meta.dirname, '..');
const SECRET = 'pa55-not-for-logs-7731';

/** A host as a deploy leaves it: a git checkout with an env file, a state dir with a lock file. */
async function host(options: { env?: string } = {}) {
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
  await writeFile(
    join(state, STATE_FILE),
    '{\n  "current": null,\n  "previous": null,\n  "history": [\n  ]\n}\n',
  );
  await writeFile(join(state, LOCK_FILE), '');
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
    ]);
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
});
