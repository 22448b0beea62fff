import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type CommandResult, runCommand } from '@gatehouse/action-kit';
import type { StandInWorld } from '../src/index';

/** Runs a bash script the way a workflow step or an SSM host would: real bash, the world's PATH. */
export function bash(
  world: StandInWorld,
  script: string,
  options: { host?: string; cwd?: string; input?: string; env?: Record<string, string> } = {},
): Promise<CommandResult> {
  return runCommand('bash', ['-c', script], {
    cwd: options.cwd ?? world.root,
    env: { ...world.env(options.host), ...options.env },
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
}

/** A folder inside the world (removed with it), with the given files. */
export function folder(world: StandInWorld, name: string, files: Record<string, string> = {}): string {
  const dir = join(world.root, 'work', name);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), content);
  }
  return dir;
}

/** An image holding `VERSION` in the world's registry, as if CI had built and pushed it. */
export function publishImage(world: StandInWorld, image: string, version: string): string {
  return world.docker.publish(
    image,
    folder(world, `context-${version}`, { Dockerfile: 'FROM scratch\n', VERSION: `${version}\n` }),
  );
}
