/**
 * Serving rules: what a host serves, read from its real state after a deploy (never from what the
 * workflow said it did). A system plugs in its own rule; these cover the usual shapes.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '@gatehouse/action-kit/command';
import type { StandInWorld } from '@gatehouse/stand-ins';
import type { ServedVersion, ServingRule } from './service';

/** `KEY=value` lines as an app's env file holds them (comments, `export ` and matching quotes allowed). */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    const value = match[2]!;
    const quoted = /^(['"])(.*)\1$/.exec(value);
    env[match[1]!] = quoted ? quoted[2]! : value;
  }
  return env;
}

export async function readEnvFile(file: string): Promise<Record<string, string>> {
  try {
    return parseEnvFile(await readFile(file, 'utf8'));
  } catch {
    return {};
  }
}

/** Where a host's files are on this machine. */
export type HostDir = (host: string) => string;

/**
 * The container a compose service runs on the host (the stand-in's record): the commit its image
 * was built from, and the environment the container was created with. Nothing running → nothing served.
 */
export function composeServing(
  standIns: StandInWorld,
  options: { service: string; project?: string; revisionOf?: (image: string) => string | undefined },
): ServingRule {
  return async (host) => {
    const container = standIns.docker
      .containers(host)
      .find(
        (c) =>
          c.service === options.service &&
          c.state === 'running' &&
          (!options.project || c.project === options.project),
      );
    if (!container) return undefined;
    const sha =
      options.revisionOf?.(container.image) ?? standIns.docker.imageMeta(container.imageId).revision;
    return sha ? { host, sha, env: container.env } : undefined;
  };
}

/** The HEAD of the checkout in `appDir` (relative to the host's root), with `envFile` beside it. */
export function gitCheckoutServing(hostDir: HostDir, appDir: string, envFile = '.env'): ServingRule {
  return async (host) => {
    const dir = join(hostDir(host), appDir);
    const head = await runCommand('git', ['-C', dir, 'rev-parse', 'HEAD']);
    if (head.exitCode !== 0) return undefined;
    return { host, sha: head.stdout.trim(), env: await readEnvFile(join(dir, envFile)) };
  };
}

/**
 * Image mode: the tag deploy-ssm wrote into the env file (`key`), turned into the commit it was
 * built from by `shaOf` (by default the tag is the commit).
 */
export function envFileTagServing(
  hostDir: HostDir,
  options: { appDir: string; envFile?: string; key?: string; shaOf?: (tag: string) => string | undefined },
): ServingRule {
  return async (host): Promise<ServedVersion | undefined> => {
    const env = await readEnvFile(join(hostDir(host), options.appDir, options.envFile ?? '.env'));
    const tag = env[options.key ?? 'IMAGE_TAG'];
    if (!tag) return undefined;
    const sha = options.shaOf ? options.shaOf(tag) : tag;
    return sha ? { host, sha, env } : undefined;
  };
}
