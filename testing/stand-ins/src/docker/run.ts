import { fail, type ToolContext } from '../runtime/context';
import { readDockerEnvFile } from '../runtime/env-file';
import {
  createContainer,
  execIn,
  listContainers,
  randomName,
  removeContainer,
  updateContainer,
} from './containers';
import { dockerFlags, dockerUsage, notModelled, requireDaemon } from './daemon';
import { hostImages, lookup, manifestUnknown, pullFromRegistry, readMeta } from './images';
import { type ImageReference, parseReference } from './reference';

const USAGE = '[OPTIONS] IMAGE [COMMAND] [ARG...]';
const HELP = "\n\nRun 'docker run --help' for more information";

/**
 * `docker run` (docs: "docker container run"): `--rm`, `-i` (stdin passed through; without it the
 * container's stdin is empty), `-t` (refused without a terminal, as docker does), `--network`
 * (recorded: every container shares this machine's loopback), `--env-file` (docker's literal
 * format) then `-e` (later wins), `--name`, `-w`, `--pull`. A missing image is pulled from the
 * world's registry first; an unknown one is docker's "manifest unknown" and exit 125. The exit code
 * is the command's.
 */
export async function dockerRun(ctx: ToolContext, args: string[]): Promise<number> {
  const flags = dockerFlags('run', USAGE, args, {
    long: {
      rm: false,
      interactive: false,
      tty: false,
      detach: false,
      network: true,
      net: true,
      'env-file': true,
      env: true,
      name: true,
      workdir: true,
      pull: true,
      volume: true,
      publish: true,
      entrypoint: true,
      user: true,
      platform: true,
    },
    short: {
      i: 'interactive',
      t: 'tty',
      d: 'detach',
      e: 'env',
      w: 'workdir',
      v: 'volume',
      p: 'publish',
      u: 'user',
    },
    stopAtPositional: true,
  });
  for (const flag of ['detach', 'volume', 'publish', 'entrypoint', 'user', 'platform']) {
    if (flags.values.has(flag)) notModelled(`docker run --${flag}`);
  }
  const [image, ...command] = flags.positionals;
  if (!image) dockerUsage('run', USAGE, 'at least 1 argument');
  if (flags.has('tty') && flags.has('interactive') && !process.stdin.isTTY)
    fail(1, 'the input device is not a TTY');

  // The CLI reads env files before it talks to the daemon, so a missing file is reported first.
  const env: Record<string, string> = {};
  for (const file of flags.all('env-file')) {
    for (const [key, value] of readDockerEnvFile(file, ctx.cwd, (name) => ctx.env[name])) env[key] = value;
  }
  for (const entry of flags.all('env')) {
    const equals = entry.indexOf('=');
    if (equals >= 0) env[entry.slice(0, equals)] = entry.slice(equals + 1);
    else if (ctx.env[entry] !== undefined) env[entry] = ctx.env[entry]!;
  }
  let ref: ImageReference;
  try {
    ref = parseReference(image);
  } catch (error) {
    fail(125, `docker: ${(error as Error).message}${HELP}`);
  }
  requireDaemon(ctx, { prefix: 'docker: ', exitCode: 125, suffix: HELP });

  const policy = flags.last('pull') ?? 'missing';
  let id =
    policy === 'always'
      ? undefined
      : (lookup(hostImages(ctx.world, ctx.host), ref) ?? lookup(hostImages(ctx.world, ctx.host), image));
  if (!id) {
    if (policy === 'never') fail(125, `docker: Error response from daemon: No such image: ${ref.key}${HELP}`);
    if (policy !== 'always') ctx.err(`Unable to find image '${ref.key}' locally\n`);
    id = pullFromRegistry(ctx.world, ctx.host, ref);
    if (!id) fail(125, `docker: ${manifestUnknown(ref)}${HELP}`);
    ctx.err(
      `${ref.tag ?? ref.digest}: Pulling from ${ref.path}\nDigest: ${id}\nStatus: Downloaded newer image for ${ref.key}\n`,
    );
  }
  if (command.length === 0) notModelled("an image's default command (give the command after the image)");

  const name = flags.last('name') ?? randomName();
  const clash = listContainers(ctx.world, ctx.host).find((c) => c.name === name);
  if (clash) {
    fail(
      125,
      `docker: Error response from daemon: Conflict. The container name "/${name}" is already in use by container "${clash.id}". You have to remove (or rename) that container to be able to reuse that name.${HELP}`,
    );
  }
  const meta = readMeta(ctx.world, id);
  ctx.details = {
    image: ref.key,
    imageId: id,
    ...(meta.revision ? { revision: meta.revision } : {}),
    network: flags.last('network') ?? flags.last('net') ?? 'default',
    envKeys: Object.keys(env),
    interactive: flags.has('interactive'),
  };
  const record = createContainer(ctx.world, ctx.host, {
    name,
    image: ref.key,
    imageId: id,
    env,
    command,
    healthcheck: meta.healthcheck,
    configHash: '',
  });
  try {
    const workdir = flags.last('workdir');
    return await execIn(ctx.world, ctx.host, record, command, {
      stdin: flags.has('interactive') ? 'inherit' : 'ignore',
      ...(workdir ? { workdir } : {}),
      mode: 'run',
    });
  } finally {
    if (flags.has('rm')) removeContainer(ctx.world, ctx.host, name);
    else updateContainer(ctx.world, ctx.host, { ...record, state: 'exited' });
  }
}
