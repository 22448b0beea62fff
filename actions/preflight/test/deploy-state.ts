import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '@gatehouse/action-kit';
import { buildDeployScript } from '@gatehouse/host-script';

/**
 * A host's deploy history made the way a deploy makes it: Gatehouse's own deploy script (image
 * mode) run with real bash in the host's directory, so deploy-state.json is exactly what a
 * deploy writes, whatever its layout becomes.
 */
export async function deployOn(
  hostDir: string,
  version: { imageTag: string; sha?: string; ref?: string },
  options: { runId?: string; actor?: string; appDir?: string; stateDir?: string } = {},
): Promise<void> {
  const result = await runDeploy(hostDir, version, options);
  if (result.exitCode !== 0) throw new Error(`the deploy failed: ${result.output}`);
}

async function runDeploy(
  hostDir: string,
  version: { imageTag: string; sha?: string; ref?: string },
  options: { runId?: string; actor?: string; commands?: string; appDir?: string; stateDir?: string },
): Promise<{ exitCode: number | null; output: string }> {
  const appDir = options.appDir ?? 'app';
  await mkdir(join(hostDir, appDir), { recursive: true });
  const script = buildDeployScript({
    mode: 'image',
    version: { ref: 'refs/heads/main', ...version },
    appDir,
    stateDir: options.stateDir ?? 'state',
    commands: options.commands,
    run: { runId: options.runId ?? '100', actor: options.actor ?? 'octocat', environment: 'stage' },
    lockTimeoutSeconds: 10,
    historySize: 20,
  });
  const result = await runCommand('bash', ['-c', script, 'gatehouse-test'], {
    cwd: hostDir,
    timeoutMs: 60_000,
  });
  return { exitCode: result.exitCode, output: `${result.stdout}\n${result.stderr}` };
}

/** A deploy that fails on the host (its commands exit 1): recorded in history, current unchanged. */
export async function failedDeployOn(
  hostDir: string,
  version: { imageTag: string; sha?: string },
  options: { runId?: string; actor?: string } = {},
): Promise<void> {
  const result = await runDeploy(hostDir, version, { ...options, commands: 'echo migrating; exit 1' });
  if (result.exitCode === 0) throw new Error('the failing deploy succeeded');
}

export async function corruptStateOn(hostDir: string, text: string, stateDir = 'state'): Promise<void> {
  await mkdir(join(hostDir, stateDir), { recursive: true });
  await writeFile(join(hostDir, stateDir, 'deploy-state.json'), text);
}
