import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import type { WorldLayout } from '../runtime/layout';
import { exists, readJson, withLock, writeJson } from '../runtime/state';
import { type ImageReference, parseReference } from './reference';

/**
 * Images: a snapshot of a build context's files, stored once by content (`docker/content/<id>`),
 * named by references in a per-host store and in the world's shared registry. Pushing and pulling
 * copy names, never files: the bytes behind an id never change, as with real image digests.
 */
export interface ImageMeta {
  /** `sha256:<hex>` of the snapshot's paths, modes and bytes. */
  id: string;
  created: string;
  /** The build context it was made from. */
  context: string;
  /** `git rev-parse HEAD` of the context, when it is in a git work tree. */
  revision?: string;
  labels: Record<string, string>;
  /** The Dockerfile declares a HEALTHCHECK. */
  healthcheck: boolean;
}

export type ImageStore = Record<string, string>;

export function contentDir(world: WorldLayout, id: string): string {
  return join(world.content, id.replace(/^sha256:/, ''));
}

export function rootfsOf(world: WorldLayout, id: string): string {
  return join(contentDir(world, id), 'rootfs');
}

export function readMeta(world: WorldLayout, id: string): ImageMeta {
  return readJson<ImageMeta>(join(contentDir(world, id), 'image.json'), {
    id,
    created: '',
    context: '',
    labels: {},
    healthcheck: false,
  });
}

export function hostImages(world: WorldLayout, host: string): ImageStore {
  return readJson<ImageStore>(world.host(host).images, {});
}

export function registryImages(world: WorldLayout): ImageStore {
  return readJson<ImageStore>(world.registry, {});
}

export function tagOnHost(world: WorldLayout, host: string, key: string, id: string): void {
  const file = world.host(host).images;
  withLock(join(world.locks, `images-${host}`), () =>
    writeJson(file, { ...readJson<ImageStore>(file, {}), [key]: id }),
  );
}

export function tagInRegistry(world: WorldLayout, key: string, id: string): void {
  withLock(join(world.locks, 'registry'), () =>
    writeJson(world.registry, { ...readJson<ImageStore>(world.registry, {}), [key]: id }),
  );
}

/** The id a reference (or an image id, full or short) names in a store. */
export function lookup(store: ImageStore, ref: ImageReference | string): string | undefined {
  if (typeof ref === 'string') {
    const bare = ref.replace(/^sha256:/, '');
    if (/^[0-9a-f]{12,64}$/.test(bare)) {
      return Object.values(store).find((id) => id.replace(/^sha256:/, '').startsWith(bare));
    }
    return undefined;
  }
  if (ref.digest) {
    return Object.entries(store).find(
      ([key, id]) => key.startsWith(`${ref.repository}:`) && id === ref.digest,
    )?.[1];
  }
  return store[ref.key];
}

/** Pulls `ref` from the world's registry onto `host`; undefined when the registry has no such image. */
export function pullFromRegistry(world: WorldLayout, host: string, ref: ImageReference): string | undefined {
  const id = lookup(registryImages(world), ref);
  if (id) tagOnHost(world, host, ref.key, id);
  return id;
}

export function manifestUnknown(ref: ImageReference): string {
  return `Error response from daemon: manifest for ${ref.key} not found: manifest unknown: manifest unknown`;
}

/** Whether the world marked this image as one whose containers never become ready. */
export function isUnhealthy(world: WorldLayout, image: string): boolean {
  let key: string;
  try {
    key = parseReference(image).key;
  } catch {
    key = image;
  }
  return unhealthyImages(world).includes(key);
}

export function unhealthyImages(world: WorldLayout): string[] {
  if (!exists(world.unhealthyImages)) return [];
  return readFileSync(world.unhealthyImages, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      try {
        return parseReference(line).key;
      } catch {
        return line;
      }
    });
}

/**
 * Snapshots a build context into the content store (minus what `.dockerignore` excludes) and
 * returns its id. The same files give the same id, so a rebuild of an unchanged context is a no-op.
 */
export function snapshot(
  world: WorldLayout,
  context: string,
  meta: Omit<ImageMeta, 'id' | 'created'>,
): string {
  mkdirSync(world.content, { recursive: true });
  const staging = join(world.content, `.staging-${process.pid}-${randomBytes(4).toString('hex')}`);
  const rootfs = join(staging, 'rootfs');
  mkdirSync(rootfs, { recursive: true });
  const hash = createHash('sha256');
  const ignored = dockerignore(context);
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const source = join(dir, entry);
      const rel = relative(context, source);
      if (ignored(rel)) continue;
      const target = join(rootfs, rel);
      const stat = lstatSync(source);
      if (stat.isSymbolicLink()) {
        const link = readlinkSync(source);
        symlinkSync(link, target);
        hash.update(`l\0${rel}\0${link}\0`);
      } else if (stat.isDirectory()) {
        mkdirSync(target);
        hash.update(`d\0${rel}\0`);
        walk(source);
      } else if (stat.isFile()) {
        copyFileSync(source, target);
        chmodSync(target, stat.mode & 0o777);
        hash.update(`f\0${rel}\0${stat.mode & 0o111 ? 'x' : '-'}\0`);
        hash.update(readFileSync(source));
        hash.update('\0');
      }
    }
  };
  walk(context);
  const id = `sha256:${hash.digest('hex')}`;
  const final = contentDir(world, id);
  if (exists(final)) {
    rmSync(staging, { recursive: true, force: true });
    return id;
  }
  writeJson(join(staging, 'image.json'), {
    id,
    created: new Date().toISOString(),
    ...meta,
  } satisfies ImageMeta);
  try {
    renameSync(staging, final);
  } catch {
    // Another build of the same files won the race: the content is the same.
    rmSync(staging, { recursive: true, force: true });
  }
  return id;
}

/** `.dockerignore` (docs: "Build context" → .dockerignore files): the last matching pattern decides. */
function dockerignore(context: string): (rel: string) => boolean {
  const file = join(context, '.dockerignore');
  if (!exists(file)) return () => false;
  const rules = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!');
      const pattern = (negate ? line.slice(1) : line).trim().replace(/^\/+/, '').replace(/\/+$/, '');
      return { negate, regex: globToRegex(pattern) };
    });
  return (rel) => {
    const prefixes = rel.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const rule of rules) {
      if (prefixes.some((prefix) => rule.regex.test(prefix))) excluded = !rule.negate;
    }
    return excluded;
  };
}

function globToRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*' && pattern[i + 1] === '*') {
      source += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += pattern[i + 2] === '/' ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
