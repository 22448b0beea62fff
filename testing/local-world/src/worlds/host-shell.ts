/**
 * What a person did on a host by hand before the example ran (the first `docker compose up`, a
 * wrong env file copied over): bash in the host's folder with the stand-ins first on PATH, as the
 * host itself is played (`AWS_SSM_INSTANCE_ID`-style host identity for the stand-ins).
 */
import { join } from 'node:path';
import { runCommand } from '@gatehouse/action-kit/command';
import type { World } from '../world';

export async function hostShell(world: World, host: string, dir: string, script: string): Promise<string> {
  const result = await runCommand('bash', ['--noprofile', '--norc', '-euo', 'pipefail', '-c', script], {
    cwd: join(world.hostDir(host), dir),
    env: world.standIns.env(host),
  });
  if (result.exitCode !== 0) {
    throw new Error(`On ${host} in /${dir}: ${script} failed (${result.exitCode}): ${result.stderr.trim()}`);
  }
  return result.stdout;
}
