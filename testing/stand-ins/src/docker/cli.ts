import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeCli } from '../compose/cli';
import { fail, type ToolContext } from '../runtime/context';
import { readJson, withLock, writeJson } from '../runtime/state';
import { BuildError, buildImage } from './build';
import { listContainers, removeContainer } from './containers';
import { DAEMON_DOWN, daemonUp, dockerFlags, dockerUsage, notModelled, requireDaemon } from './daemon';
import {
  hostImages,
  lookup,
  manifestUnknown,
  pullFromRegistry,
  readMeta,
  tagInRegistry,
  tagOnHost,
} from './images';
import { type ImageReference, parseReference } from './reference';
import { dockerRun } from './run';

/**
 * The docker CLI (docs: docs.docker.com "docker" CLI reference) for what Gatehouse's workflows and
 * hosts use: `info`, `login`, `build`, `push`, `pull`, `tag`, `images`, `run`, `ps`, `rm` and
 * `compose` (compose/cli.ts). Each host has its own daemon (up unless the world marks it down),
 * its own images and containers; the registry is shared by the world. Not modelled, and refused
 * loudly: other commands and flags, volumes, ports, detached `run`, Dockerfile instructions
 * (an image is a snapshot of its build context), registry credentials (a login is recorded, any
 * token is accepted), platforms.
 */
export const DOCKER_VERSION = '28.2.2';

export async function dockerCli(ctx: ToolContext, argv: string[]): Promise<number> {
  let i = 0;
  while (argv[i]?.startsWith('-')) {
    const flag = argv[i]!;
    if (flag === '--version' || flag === '-v') {
      ctx.out(`Docker version ${DOCKER_VERSION}, build stand-in\n`);
      return 0;
    }
    if (flag === '-D' || flag === '--debug') i++;
    else if (flag === '-l' || flag === '--log-level') i += 2;
    else notModelled(`the global flag ${flag}`);
  }
  const [command, ...args] = argv.slice(i);
  switch (command) {
    case 'info':
      return info(ctx, args);
    case 'version':
      ctx.out(`Client:\n Version:           ${DOCKER_VERSION}\n`);
      requireDaemon(ctx);
      ctx.out(`\nServer:\n Engine:\n  Version:          ${DOCKER_VERSION}\n`);
      return 0;
    case 'login':
      return login(ctx, args);
    case 'build':
      return build(ctx, args);
    case 'push':
      return push(ctx, args);
    case 'pull':
      return pull(ctx, args);
    case 'tag':
      return tag(ctx, args);
    case 'images':
      return images(ctx, args);
    case 'run':
      return dockerRun(ctx, args);
    case 'ps':
      return ps(ctx, args);
    case 'rm':
      return rm(ctx, args);
    case 'compose':
      return composeCli(ctx, args);
    case undefined:
      ctx.out('Usage:  docker [OPTIONS] COMMAND\n');
      return 0;
    default:
      fail(1, `docker: unknown command: docker ${command}\n\nRun 'docker --help' for more information`);
  }
}

function info(ctx: ToolContext, args: string[]): number {
  const flags = dockerFlags('info', '[OPTIONS]', args, { long: { format: true }, short: { f: 'format' } });
  const format = flags.last('format');
  const fields = {
    ServerVersion: DOCKER_VERSION,
    Containers: listContainers(ctx.world, ctx.host).length,
    Images: new Set(Object.values(hostImages(ctx.world, ctx.host))).size,
    Name: ctx.host,
  };
  if (!daemonUp(ctx)) {
    if (!format)
      ctx.out(
        `Client:\n Version:    ${DOCKER_VERSION}\n Context:    default\n Debug Mode: false\n\nServer:\n`,
      );
    fail(1, DAEMON_DOWN);
  }
  if (format) {
    ctx.out(`${renderFormat(format, fields)}\n`);
    return 0;
  }
  ctx.out(
    `Client:\n Version:    ${DOCKER_VERSION}\n Context:    default\n Debug Mode: false\n\nServer:\n` +
      ` Containers: ${fields.Containers}\n Images: ${fields.Images}\n Server Version: ${DOCKER_VERSION}\n Name: ${ctx.host}\n`,
  );
  return 0;
}

/** Go templates as far as `{{.Field}}` and `{{json .}}`; anything else is refused. */
function renderFormat(format: string, fields: Record<string, unknown>): string {
  return format.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_, expression: string) => {
    if (expression === 'json .') return JSON.stringify(fields);
    const field = /^\.(\w+)$/.exec(expression)?.[1];
    if (!field || !(field in fields)) notModelled(`the format expression {{${expression}}}`);
    return String(fields[field]);
  });
}

function login(ctx: ToolContext, args: string[]): number {
  const flags = dockerFlags('login', '[OPTIONS] [SERVER]', args, {
    long: { username: true, password: true, 'password-stdin': false },
    short: { u: 'username', p: 'password' },
  });
  const server = flags.positionals[0] ?? 'https://index.docker.io/v1/';
  const username = flags.last('username');
  let password = flags.last('password');
  if (password !== undefined && flags.has('password-stdin'))
    fail(1, '--password and --password-stdin are mutually exclusive');
  if (flags.has('password-stdin')) {
    if (!username) fail(1, 'the --password-stdin option requires --username to be set');
    // docker trims one trailing newline (and a carriage return before it), nothing else.
    password = readFileSync(0, 'utf8').replace(/\n$/, '').replace(/\r$/, '');
  } else if (password !== undefined) {
    ctx.err('WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n');
  }
  if (!username || !password) fail(1, 'Error: Cannot perform an interactive login from a non TTY device');
  requireDaemon(ctx);
  const registry = server
    .replace(/^https?:\/\//, '')
    .replace(/\/v1\/?$/, '')
    .replace(/^index\.docker\.io$/, 'docker.io');
  const file = ctx.world.host(ctx.host).logins;
  withLock(join(ctx.world.locks, `logins-${ctx.host}`), () =>
    writeJson(file, { ...readJson<Record<string, unknown>>(file, {}), [registry]: { username } }),
  );
  ctx.details = { registry, username };
  ctx.out('Login Succeeded\n');
  return 0;
}

function reference(text: string, exitCode = 1): ImageReference {
  try {
    return parseReference(text);
  } catch (error) {
    fail(exitCode, (error as Error).message);
  }
}

async function build(ctx: ToolContext, args: string[]): Promise<number> {
  const usage = '[OPTIONS] PATH | URL | -';
  const flags = dockerFlags('build', usage, args, {
    long: {
      tag: true,
      file: true,
      'build-arg': true,
      label: true,
      pull: false,
      'no-cache': false,
      quiet: false,
      progress: true,
      platform: true,
      target: true,
    },
    short: { t: 'tag', f: 'file', q: 'quiet' },
  });
  for (const flag of ['platform', 'target'])
    if (flags.values.has(flag)) notModelled(`docker build --${flag}`);
  if (flags.positionals.length !== 1) dockerUsage('build', usage, '1 argument');
  const context = flags.positionals[0]!;
  if (context === '-' || /^[a-z]+:\/\//.test(context)) notModelled('a build context from stdin or a URL');
  const tags = flags.all('tag').map((t) => reference(t));
  const labels = Object.fromEntries(
    flags.all('label').map((label) => [label.split('=')[0]!, label.split('=').slice(1).join('=')]),
  );
  if (!daemonUp(ctx)) fail(1, `ERROR: ${DAEMON_DOWN}`);
  let id: string;
  try {
    const dockerfile = flags.last('file');
    id = await buildImage(ctx, { context, ...(dockerfile ? { dockerfile } : {}), tags, labels });
  } catch (error) {
    if (error instanceof BuildError) fail(1, `ERROR: failed to build: ${error.message}`);
    throw error;
  }
  ctx.details = {
    context,
    tags: tags.map((t) => t.key),
    imageId: id,
    buildArgs: flags.all('build-arg').map((a) => a.split('=')[0]),
  };
  if (flags.has('quiet')) ctx.out(`${id}\n`);
  else {
    ctx.err(`#0 building with "default" instance using docker driver (stand-in: a snapshot of ${context})\n`);
    ctx.err(`#1 writing image ${id} done\n`);
    for (const t of tags) ctx.err(`#1 naming to ${t.domain}/${t.path}:${t.tag} done\n`);
  }
  return 0;
}

function push(ctx: ToolContext, args: string[]): number {
  const flags = dockerFlags('push', '[OPTIONS] NAME[:TAG]', args, {
    long: { quiet: false },
    short: { q: 'quiet' },
  });
  if (flags.positionals.length !== 1) dockerUsage('push', '[OPTIONS] NAME[:TAG]', '1 argument');
  const ref = reference(flags.positionals[0]!);
  requireDaemon(ctx);
  const id = lookup(hostImages(ctx.world, ctx.host), ref);
  if (!id) fail(1, `An image does not exist locally with the tag: ${ref.repository}`);
  const logins = readJson<Record<string, unknown>>(ctx.world.host(ctx.host).logins, {});
  ctx.out(
    `The push refers to repository [${ref.domain === 'docker.io' ? `docker.io/${ref.path}` : ref.repository}]\n`,
  );
  if (!(ref.domain in logins)) fail(1, 'denied: requested access to the resource is denied');
  tagInRegistry(ctx.world, ref.key, id);
  ctx.details = { image: ref.key, imageId: id, revision: readMeta(ctx.world, id).revision };
  ctx.out(`${id.slice(7, 19)}: Pushed\n${ref.tag}: digest: ${id} size: 1024\n`);
  return 0;
}

function pull(ctx: ToolContext, args: string[]): number {
  const flags = dockerFlags('pull', '[OPTIONS] NAME[:TAG|@DIGEST]', args, {
    long: { quiet: false },
    short: { q: 'quiet' },
  });
  if (flags.positionals.length !== 1) dockerUsage('pull', '[OPTIONS] NAME[:TAG|@DIGEST]', '1 argument');
  const ref = reference(flags.positionals[0]!);
  requireDaemon(ctx);
  const before = lookup(hostImages(ctx.world, ctx.host), ref);
  if (!flags.has('quiet')) ctx.out(`${ref.tag ?? ref.digest}: Pulling from ${ref.path}\n`);
  const id = pullFromRegistry(ctx.world, ctx.host, ref);
  if (!id) fail(1, manifestUnknown(ref));
  ctx.details = { image: ref.key, imageId: id };
  if (!flags.has('quiet')) {
    ctx.out(`Digest: ${id}\n`);
    ctx.out(
      before === id
        ? `Status: Image is up to date for ${ref.key}\n`
        : `Status: Downloaded newer image for ${ref.key}\n`,
    );
  }
  ctx.out(`${ref.domain === 'docker.io' ? `docker.io/${ref.path}` : ref.repository}:${ref.tag}\n`);
  return 0;
}

function tag(ctx: ToolContext, args: string[]): number {
  const flags = dockerFlags('tag', 'SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]', args, { long: {} });
  if (flags.positionals.length !== 2)
    dockerUsage('tag', 'SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]', 'exactly 2 arguments');
  const [source, target] = flags.positionals as [string, string];
  requireDaemon(ctx);
  const store = hostImages(ctx.world, ctx.host);
  const id = lookup(store, reference(source)) ?? lookup(store, source);
  if (!id) fail(1, `Error response from daemon: No such image: ${source}`);
  const to = reference(target);
  tagOnHost(ctx.world, ctx.host, to.key, id);
  ctx.details = { source, target: to.key, imageId: id };
  return 0;
}

function images(ctx: ToolContext, args: string[]): number {
  const flags = dockerFlags('images', '[OPTIONS] [REPOSITORY[:TAG]]', args, {
    long: { quiet: false },
    short: { q: 'quiet' },
  });
  requireDaemon(ctx);
  const store = hostImages(ctx.world, ctx.host);
  if (flags.has('quiet')) {
    for (const id of new Set(Object.values(store))) ctx.out(`${id.slice(7, 19)}\n`);
    return 0;
  }
  ctx.out('REPOSITORY   TAG   IMAGE ID   CREATED   SIZE\n');
  for (const [key, id] of Object.entries(store)) {
    const colon = key.lastIndexOf(':');
    ctx.out(
      `${key.slice(0, colon)}   ${key.slice(colon + 1)}   ${id.slice(7, 19)}   ${readMeta(ctx.world, id).created}   -\n`,
    );
  }
  return 0;
}

function ps(ctx: ToolContext, args: string[]): number {
  const flags = dockerFlags('ps', '[OPTIONS]', args, {
    long: { all: false, quiet: false, format: true },
    short: { a: 'all', q: 'quiet' },
  });
  requireDaemon(ctx);
  const containers = listContainers(ctx.world, ctx.host).filter(
    (c) => flags.has('all') || c.state === 'running',
  );
  const format = flags.last('format');
  for (const c of flags.has('quiet') || format ? containers : []) {
    const fields = {
      ID: c.id.slice(0, 12),
      Image: c.image,
      Names: c.name,
      Status: c.state === 'running' ? 'Up' : 'Exited (0)',
    };
    ctx.out(`${format ? renderFormat(format, fields) : fields.ID}\n`);
  }
  if (flags.has('quiet') || format) return 0;
  ctx.out('CONTAINER ID   IMAGE   COMMAND   CREATED   STATUS   PORTS   NAMES\n');
  for (const c of containers) {
    ctx.out(
      `${c.id.slice(0, 12)}   ${c.image}   "${c.command.join(' ')}"   ${c.created}   ${c.state === 'running' ? 'Up' : 'Exited'}      ${c.name}\n`,
    );
  }
  return 0;
}

function rm(ctx: ToolContext, args: string[]): number {
  const flags = dockerFlags('rm', '[OPTIONS] CONTAINER [CONTAINER...]', args, {
    long: { force: false, volumes: false },
    short: { f: 'force', v: 'volumes' },
  });
  if (flags.positionals.length === 0)
    dockerUsage('rm', '[OPTIONS] CONTAINER [CONTAINER...]', 'at least 1 argument');
  requireDaemon(ctx);
  const containers = listContainers(ctx.world, ctx.host);
  let exitCode = 0;
  for (const name of flags.positionals) {
    const found = containers.find((c) => c.name === name || c.id.startsWith(name));
    if (!found) {
      ctx.err(`Error response from daemon: No such container: ${name}\n`);
      exitCode = 1;
      continue;
    }
    if (found.state === 'running' && !flags.has('force')) {
      ctx.err(
        `Error response from daemon: cannot remove container "/${found.name}": container is running: stop the container before removing or force remove\n`,
      );
      exitCode = 1;
      continue;
    }
    removeContainer(ctx.world, ctx.host, found.name);
    ctx.out(`${name}\n`);
  }
  return exitCode;
}
