import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '@gatehouse/action-kit';
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
  await writeFile(join(state, 'deploy-state.json'), '{"current":null}\n');
  await writeFile(join(state, 'deploy.lock'), '');
  return { root, app, state };
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

  it('reports a held deploy lock with its holder and since when', async () => {
    const h = await host();
    await writeFile(join(h.state, 'deploy.lock.info'), 'run 4242 by octocat deploying abc1234');
    const holder = spawn('flock', [join(h.state, 'deploy.lock'), '-c', 'echo locked; exec sleep 120'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
        holder.on('exit', () => reject(new Error('flock holder exited early')));
      });
      const before = await snapshotTree(h.root);
      const run = await preflight({ 'app-dir': h.app, 'state-dir': h.state });
      expect(run.outputs.passed).toBe('false');
      const checks = JSON.parse(run.outputs.report!)[0].checks as {
        check: string;
        verdict: string;
        reason: string;
      }[];
      const lock = checks.find((c) => c.check === 'deploy-lock')!;
      expect(lock.verdict).toBe('fail');
      expect(lock.reason).toMatch(/a deploy holds .*deploy\.lock since \d{4}-\d\d-\d\dT/);
      expect(lock.reason).toContain('run 4242 by octocat');
      expect(await snapshotTree(h.root)).toEqual(before);
    } finally {
      // flock's child (sleep) holds the lock too: end the whole group this test started.
      process.kill(-holder.pid!, 'SIGKILL');
    }
  });
});
