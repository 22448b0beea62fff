import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '@gatehouse/action-kit';
import { buildDeployScript, type DeployScriptOptions } from '../src';
import { STATE_FILE } from '../src/layout';

/** A throwaway "host": a directory where scripts run with real bash, app-dir and state-dir inside it. */
export async function host(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'gatehouse-host-'));
}

export function options(overrides: Partial<DeployScriptOptions> = {}): DeployScriptOptions {
  return {
    mode: 'image',
    version: { imageTag: 'v1', ref: 'refs/heads/main' },
    appDir: 'app',
    stateDir: 'state',
    run: { runId: '100', actor: 'octocat', environment: 'dev' },
    lockTimeoutSeconds: 30,
    historySize: 20,
    ...overrides,
  };
}

export function runScript(dir: string, script: string) {
  return runCommand('bash', ['-c', script, 'gatehouse-test'], { cwd: dir, timeoutMs: 60_000 });
}

export function deployOn(dir: string, overrides: Partial<DeployScriptOptions> = {}) {
  return runScript(dir, buildDeployScript(options(overrides)));
}

/**
 * Starts a script without waiting, for lock and kill tests. In its own process group, so a test
 * can signal the whole script (its subshells too) as SSM or a runner does: `signal(group)`.
 */
export function startScript(dir: string, script: string) {
  const child = spawn('bash', ['-c', script, 'gatehouse-test'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
  const done = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, output })),
  );
  const signalGroup = (signal: NodeJS.Signals) => process.kill(-child.pid!, signal);
  return { child, done, output: () => output, signalGroup };
}

export async function stateOf(dir: string): Promise<string> {
  return readFile(join(dir, 'state', STATE_FILE), 'utf8');
}

export async function until(condition: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
