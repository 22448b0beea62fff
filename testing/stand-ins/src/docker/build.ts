import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { runCommand } from '@gatehouse/action-kit';
import type { ToolContext } from '../runtime/context';
import { exists } from '../runtime/state';
import { snapshot, tagOnHost } from './images';
import type { ImageReference } from './reference';

export class BuildError extends Error {}

/**
 * `docker build` / `docker compose build`: the image is a snapshot of the context's files (the
 * stand-in does not run Dockerfile instructions; it behaves as if the Dockerfile copied the whole
 * context into the working directory). The Dockerfile must exist, as BuildKit requires; a
 * HEALTHCHECK in it is remembered, because `compose up --wait` depends on one.
 */
export async function buildImage(
  ctx: ToolContext,
  options: { context: string; dockerfile?: string; tags: ImageReference[]; labels: Record<string, string> },
): Promise<string> {
  const context = resolve(ctx.cwd, options.context);
  if (!exists(context) || !statSync(context).isDirectory()) {
    throw new BuildError(`unable to prepare context: path "${options.context}" not found`);
  }
  const dockerfile = options.dockerfile
    ? resolve(context, options.dockerfile)
    : resolve(context, 'Dockerfile');
  if (!exists(dockerfile)) {
    throw new BuildError(
      `failed to solve: failed to read dockerfile: open ${options.dockerfile ?? 'Dockerfile'}: no such file or directory`,
    );
  }
  const healthcheck = /^\s*HEALTHCHECK\s+(?!NONE\b)/im.test(readFileSync(dockerfile, 'utf8'));
  const head = await runCommand('git', ['-C', context, 'rev-parse', 'HEAD']);
  const id = snapshot(ctx.world, context, {
    context,
    ...(head.exitCode === 0 ? { revision: head.stdout.trim() } : {}),
    labels: options.labels,
    healthcheck,
  });
  for (const tag of options.tags) tagOnHost(ctx.world, ctx.host, tag.key, id);
  return id;
}
