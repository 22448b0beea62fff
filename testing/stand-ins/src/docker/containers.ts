import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fail } from '../runtime/context';
import { HOST_ENV, ROOT_ENV, type WorldLayout } from '../runtime/layout';
import { passthrough } from '../runtime/passthrough';
import { readJson, writeJson } from '../runtime/state';
import { rootfsOf } from './images';

/**
 * Containers on a host: a record (what `docker inspect` would show: image, environment, state) and
 * a private copy of the image's files, so a container's writes never change its image. A process
 * "in" a container runs on this machine with the container's files as its working directory and
 * the container's environment — not the caller's (a container never inherits the shell's
 * variables). Its programs are this machine's programs: PATH is the host's.
 */
export interface ContainerRecord {
  name: string;
  id: string;
  /** The reference it was created from, as written (`ghcr.io/acme/api:abc`). */
  image: string;
  imageId: string;
  project?: string;
  service?: string;
  /** The container's environment, fixed when it was created (as docker keeps it). */
  env: Record<string, string>;
  command: string[];
  state: 'running' | 'exited';
  /** Whether it defines a health check (compose `healthcheck:` or the image's HEALTHCHECK). */
  healthcheck: boolean;
  /** Hash of what it was created from: a changed image or environment means recreate. */
  configHash: string;
  created: string;
}

export function containersDir(world: WorldLayout, host: string): string {
  return world.host(host).containers;
}

export function listContainers(world: WorldLayout, host: string): ContainerRecord[] {
  const dir = containersDir(world, host);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((name) => readJson<ContainerRecord | undefined>(join(dir, name, 'container.json'), undefined))
    .filter((record): record is ContainerRecord => record !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function configHash(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

export function createContainer(
  world: WorldLayout,
  host: string,
  fields: Omit<ContainerRecord, 'id' | 'created' | 'state'>,
): ContainerRecord {
  const dir = join(containersDir(world, host), fields.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'home'), { recursive: true });
  cpSync(rootfsOf(world, fields.imageId), join(dir, 'rootfs'), { recursive: true, verbatimSymlinks: true });
  const record: ContainerRecord = {
    ...fields,
    id: randomBytes(32).toString('hex'),
    created: new Date().toISOString(),
    state: 'running',
  };
  writeJson(join(dir, 'container.json'), record);
  return record;
}

export function updateContainer(world: WorldLayout, host: string, record: ContainerRecord): void {
  writeJson(join(containersDir(world, host), record.name, 'container.json'), record);
}

export function removeContainer(world: WorldLayout, host: string, name: string): void {
  rmSync(join(containersDir(world, host), name), { recursive: true, force: true });
}

export function randomName(): string {
  return `standin_${randomBytes(4).toString('hex')}`;
}

/**
 * Runs `argv` in a container, passing stdout/stderr through and stdin when asked; returns the exit
 * code the way docker reports it (run: 127 command not found, 126 not executable; exec: 126).
 */
export async function execIn(
  world: WorldLayout,
  host: string,
  record: ContainerRecord,
  argv: string[],
  options: {
    stdin: 'inherit' | 'ignore';
    env?: Record<string, string>;
    workdir?: string;
    mode: 'run' | 'exec';
  },
): Promise<number> {
  const dir = join(containersDir(world, host), record.name);
  const rootfs = join(dir, 'rootfs');
  const cwd = options.workdir
    ? join(rootfs, isAbsolute(options.workdir) ? options.workdir.slice(1) : options.workdir)
    : rootfs;
  mkdirSync(cwd, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOSTNAME: record.id.slice(0, 12),
    HOME: join(dir, 'home'),
    // The stand-ins' own plumbing, so a stand-in run inside the container (npx prisma) finds its world.
    [ROOT_ENV]: world.root,
    [HOST_ENV]: host,
    ...record.env,
    ...options.env,
  };
  const result = await passthrough(argv, { cwd, env, stdin: options.stdin });
  if ('exitCode' in result) return result.exitCode;
  const reason =
    result.error === 'not-found'
      ? `exec: "${argv[0]}": executable file not found in $PATH`
      : `exec: "${argv[0]}": permission denied`;
  if (options.mode === 'exec') {
    fail(126, `OCI runtime exec failed: exec failed: unable to start container process: ${reason}: unknown`);
  }
  fail(
    result.error === 'not-found' ? 127 : 126,
    `docker: Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${reason}: unknown`,
  );
}
