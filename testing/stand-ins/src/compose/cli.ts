import { stringify } from 'yaml';
import { BuildError, buildImage } from '../docker/build';
import {
  type ContainerRecord,
  configHash,
  createContainer,
  execIn,
  listContainers,
  removeContainer,
} from '../docker/containers';
import { DAEMON_DOWN, daemonUp } from '../docker/daemon';
import {
  hostImages,
  isUnhealthy,
  lookup,
  manifestUnknown,
  pullFromRegistry,
  readMeta,
} from '../docker/images';
import { type ImageReference, parseReference } from '../docker/reference';
import { fail, type ToolContext } from '../runtime/context';
import { FlagError, type FlagSpec, type ParsedFlags, parseFlags } from '../runtime/flags';
import {
  ComposeError,
  loadProject,
  type Project,
  type Service,
  selectServices,
  serviceEnvironment,
} from './project';

/**
 * `docker compose` (docs: "docker compose" CLI reference, Compose file reference) for `pull`,
 * `build`, `up -d [--wait]`, `exec -T`, `ps`, `down` and `config`. `up` records on the host which
 * image each service's container runs; a container is recreated when its image or environment
 * changed. `--wait` waits for health only where there is a health check (the service's
 * `healthcheck:` or the image's HEALTHCHECK), as Compose does: a container without one counts as
 * ready once running, even when its image is marked unhealthy. Not modelled: attached `up`,
 * `run`, `logs`, profiles, ports, volumes, networks (all containers share this machine's loopback).
 */
const GLOBAL: FlagSpec = {
  long: {
    file: true,
    'project-name': true,
    'env-file': true,
    'project-directory': true,
    profile: true,
    ansi: true,
    progress: true,
    parallel: true,
    'dry-run': false,
  },
  short: { f: 'file', p: 'project-name' },
  stopAtPositional: true,
};

export async function composeCli(ctx: ToolContext, argv: string[]): Promise<number> {
  const global = flags(argv, GLOBAL);
  for (const flag of ['profile', 'dry-run'])
    if (global.values.has(flag)) notModelled(`docker compose --${flag}`);
  const [command, ...args] = global.positionals;
  const open = () => {
    const project = loadProject(
      {
        files: global.all('file'),
        envFiles: global.all('env-file'),
        ...(global.last('project-name') ? { projectName: global.last('project-name')! } : {}),
        ...(global.last('project-directory') ? { projectDirectory: global.last('project-directory')! } : {}),
        cwd: ctx.cwd,
        env: ctx.env,
      },
      (line) => ctx.err(`${line}\n`),
    );
    ctx.details = { project: project.name, files: project.files, envFiles: project.envFiles };
    return project;
  };
  try {
    switch (command) {
      case 'up':
        return await up(ctx, args, open);
      case 'pull':
        return pull(ctx, args, open);
      case 'build':
        return await build(ctx, args, open);
      case 'exec':
        return await exec(ctx, args, open);
      case 'ps':
        return ps(ctx, args, open);
      case 'down':
        return down(ctx, args, open);
      case 'config':
        return config(ctx, args, open);
      case undefined:
        ctx.out('Usage:  docker compose [OPTIONS] COMMAND\n');
        return 0;
      default:
        if (
          [
            'run',
            'logs',
            'start',
            'stop',
            'restart',
            'create',
            'images',
            'kill',
            'rm',
            'cp',
            'top',
            'watch',
          ].includes(command)
        ) {
          notModelled(`docker compose ${command}`);
        }
        fail(1, `unknown docker command: "compose ${command}"`);
    }
  } catch (error) {
    if (error instanceof ComposeError) fail(error.exitCode, error.message);
    throw error;
  }
}

function flags(argv: readonly string[], spec: FlagSpec): ParsedFlags {
  try {
    return parseFlags(argv, spec);
  } catch (error) {
    if (error instanceof FlagError) fail(1, error.message);
    throw error;
  }
}

function notModelled(what: string): never {
  fail(1, `docker stand-in: ${what} is not modelled (see testing/stand-ins/README.md)`);
}

function daemonOrFail(ctx: ToolContext): void {
  if (!daemonUp(ctx)) fail(1, DAEMON_DOWN);
}

function imageRef(project: Project, service: Service): ImageReference {
  const text = service.image ?? `${project.name}-${service.name}`;
  try {
    return parseReference(text);
  } catch (error) {
    fail(1, `service "${service.name}": ${(error as Error).message}`);
  }
}

function containerName(project: Project, service: Service): string {
  return service.containerName ?? `${project.name}-${service.name}-1`;
}

function projectContainers(ctx: ToolContext, project: Project): ContainerRecord[] {
  return listContainers(ctx.world, ctx.host).filter((c) => c.project === project.name);
}

function pull(ctx: ToolContext, args: string[], open: () => Project): number {
  const f = flags(args, {
    long: {
      quiet: false,
      'ignore-pull-failures': false,
      'ignore-buildable': false,
      'include-deps': false,
      policy: true,
    },
    short: { q: 'quiet' },
  });
  const project = open();
  daemonOrFail(ctx);
  const pulled: Record<string, string> = {};
  for (const service of selectServices(project, f.positionals, f.has('include-deps'))) {
    if (!service.image) {
      ctx.err(` ${service.name} Skipped - No image to be pulled\n`);
      continue;
    }
    if (service.build && f.has('ignore-buildable')) continue;
    const ref = imageRef(project, service);
    ctx.err(` ${service.name} Pulling \n`);
    const id = pullFromRegistry(ctx.world, ctx.host, ref);
    if (id) {
      pulled[service.name] = ref.key;
      ctx.err(` ${service.name} Pulled \n`);
      continue;
    }
    if (service.build) {
      ctx.err(
        ` ${service.name} Warning pull access denied for ${ref.repository}, repository does not exist or may require 'docker login'\n`,
      );
      continue;
    }
    ctx.err(` ${service.name} Error ${manifestUnknown(ref).replace('Error response from daemon: ', '')}\n`);
    if (!f.has('ignore-pull-failures')) fail(18, manifestUnknown(ref));
  }
  ctx.details = { ...ctx.details, pulled, variables: project.variables };
  return 0;
}

async function buildService(ctx: ToolContext, project: Project, service: Service): Promise<string> {
  const ref = imageRef(project, service);
  try {
    const id = await buildImage(ctx, {
      context: service.build!.context,
      ...(service.build!.dockerfile ? { dockerfile: service.build!.dockerfile } : {}),
      tags: [ref],
      labels: { 'com.docker.compose.project': project.name, 'com.docker.compose.service': service.name },
    });
    ctx.err(` ${service.name}  Built\n`);
    return id;
  } catch (error) {
    if (error instanceof BuildError)
      fail(17, `failed to solve: ${error.message.replace(/^failed to solve: /, '')}`);
    throw error;
  }
}

async function build(ctx: ToolContext, args: string[], open: () => Project): Promise<number> {
  const f = flags(args, {
    long: { pull: false, 'no-cache': false, quiet: false, 'build-arg': true },
    short: { q: 'quiet' },
  });
  const project = open();
  daemonOrFail(ctx);
  const built: Record<string, string> = {};
  for (const service of selectServices(project, f.positionals, false)) {
    if (!service.build) continue;
    built[service.name] = await buildService(ctx, project, service);
  }
  ctx.details = { ...ctx.details, built, variables: project.variables };
  return 0;
}

async function up(ctx: ToolContext, args: string[], open: () => Project): Promise<number> {
  const f = flags(args, {
    long: {
      detach: false,
      wait: false,
      'wait-timeout': true,
      build: false,
      'no-build': false,
      'force-recreate': false,
      'no-recreate': false,
      'no-deps': false,
      'remove-orphans': false,
      pull: true,
      'quiet-pull': false,
      'no-start': false,
      yes: false,
    },
    short: { d: 'detach', y: 'yes' },
  });
  if (!f.has('detach') && !f.has('wait')) notModelled('attached `docker compose up` (use -d or --wait)');
  if (f.has('no-start')) notModelled('docker compose up --no-start');
  const project = open();
  daemonOrFail(ctx);
  const services = selectServices(project, f.positionals, !f.has('no-deps'));
  const environments = new Map(
    services.map((service) => [service.name, serviceEnvironment(project, service)]),
  );

  // Images first, as Compose does: a failed pull or build stops `up` before any container changes.
  const images = new Map<string, { ref: ImageReference; id: string }>();
  for (const service of services) {
    const ref = imageRef(project, service);
    const policy = f.last('pull') ?? service.pullPolicy;
    let id = policy === 'always' ? undefined : lookup(hostImages(ctx.world, ctx.host), ref);
    if (service.build && (f.has('build') || policy === 'build' || (!id && !f.has('no-build')))) {
      id = await buildService(ctx, project, service);
    }
    if (!id) {
      if (policy === 'never' || (service.build && f.has('no-build'))) {
        fail(1, `Error response from daemon: No such image: ${ref.key}`);
      }
      ctx.err(` ${service.name} Pulling \n`);
      id = pullFromRegistry(ctx.world, ctx.host, ref);
      if (!id) {
        ctx.err(
          ` ${service.name} Error ${manifestUnknown(ref).replace('Error response from daemon: ', '')}\n`,
        );
        fail(18, manifestUnknown(ref));
      }
      ctx.err(` ${service.name} Pulled \n`);
    }
    images.set(service.name, { ref, id });
  }

  const existing = projectContainers(ctx, project);
  if (f.has('remove-orphans')) {
    for (const orphan of existing.filter((c) => !project.services.has(c.service ?? ''))) {
      ctx.err(` Container ${orphan.name}  Removing\n`);
      removeContainer(ctx.world, ctx.host, orphan.name);
      ctx.err(` Container ${orphan.name}  Removed\n`);
    }
  }
  const started: ContainerRecord[] = [];
  for (const service of services) {
    const { ref, id } = images.get(service.name)!;
    const env = environments.get(service.name)!;
    const name = containerName(project, service);
    const hash = configHash({ image: ref.key, id, env, command: service.command });
    const current = existing.find((c) => c.name === name);
    if (
      current &&
      current.state === 'running' &&
      (f.has('no-recreate') || (current.configHash === hash && !f.has('force-recreate')))
    ) {
      ctx.err(` Container ${name}  Running\n`);
      started.push(current);
      continue;
    }
    ctx.err(current ? ` Container ${name}  Recreate\n` : ` Container ${name}  Creating\n`);
    const meta = readMeta(ctx.world, id);
    const record = createContainer(ctx.world, ctx.host, {
      name,
      image: ref.key,
      imageId: id,
      project: project.name,
      service: service.name,
      env,
      command: service.command,
      healthcheck: service.healthcheck ?? meta.healthcheck,
      configHash: hash,
    });
    ctx.err(current ? ` Container ${name}  Recreated\n` : ` Container ${name}  Created\n`);
    ctx.err(` Container ${name}  Starting\n Container ${name}  Started\n`);
    started.push(record);
  }
  ctx.details = {
    ...ctx.details,
    variables: project.variables,
    running: Object.fromEntries(started.map((c) => [c.service, { image: c.image, imageId: c.imageId }])),
  };
  if (f.has('wait')) {
    for (const container of started) {
      ctx.err(` Container ${container.name}  Waiting\n`);
      if (container.healthcheck && isUnhealthy(ctx.world, container.image)) {
        ctx.err(` Container ${container.name}  Error\n`);
        fail(1, `container ${container.name} is unhealthy`);
      }
      ctx.err(` Container ${container.name}  ${container.healthcheck ? 'Healthy' : 'Started'}\n`);
    }
  }
  return 0;
}

async function exec(ctx: ToolContext, args: string[], open: () => Project): Promise<number> {
  const f = flags(args, {
    long: {
      'no-TTY': false,
      'no-tty': false,
      interactive: false,
      tty: false,
      detach: false,
      env: true,
      workdir: true,
      user: true,
      index: true,
      privileged: false,
    },
    // -T is the default without a terminal (compose: --no-tty defaults to "stdout is not a terminal").
    short: { T: 'no-TTY', i: 'interactive', t: 'tty', d: 'detach', e: 'env', w: 'workdir', u: 'user' },
    stopAtPositional: true,
  });
  if (f.values.has('detach')) notModelled('docker compose exec -d');
  if (f.values.has('user')) notModelled('docker compose exec --user');
  const [serviceName, ...command] = f.positionals;
  if (!serviceName || command.length === 0) fail(1, "'exec' requires at least 2 arguments");
  const project = open();
  daemonOrFail(ctx);
  if (!project.services.has(serviceName)) fail(1, `no such service: ${serviceName}`);
  const container = projectContainers(ctx, project).find(
    (c) => c.service === serviceName && c.state === 'running',
  );
  if (!container) fail(1, `service "${serviceName}" is not running`);
  const env: Record<string, string> = {};
  for (const entry of f.all('env')) {
    const equals = entry.indexOf('=');
    if (equals >= 0) env[entry.slice(0, equals)] = entry.slice(equals + 1);
    else {
      // A bare `-e KEY` takes the project's value (shell over .env), as compose's exec resolves it.
      const value = project.lookup(entry);
      if (value !== undefined) env[entry] = value;
    }
  }
  ctx.details = { ...ctx.details, service: serviceName, image: container.image, imageId: container.imageId };
  const workdir = f.last('workdir');
  return execIn(ctx.world, ctx.host, container, command, {
    stdin: 'inherit',
    env,
    ...(workdir ? { workdir } : {}),
    mode: 'exec',
  });
}

function ps(ctx: ToolContext, args: string[], open: () => Project): number {
  const f = flags(args, {
    long: { all: false, quiet: false, services: false, format: true },
    short: { a: 'all', q: 'quiet' },
  });
  const project = open();
  daemonOrFail(ctx);
  const containers = projectContainers(ctx, project).filter((c) => f.has('all') || c.state === 'running');
  if (f.has('services')) {
    for (const c of containers) ctx.out(`${c.service}\n`);
    return 0;
  }
  if (f.has('quiet')) {
    for (const c of containers) ctx.out(`${c.id}\n`);
    return 0;
  }
  const rows = containers.map((c) => ({
    Name: c.name,
    Image: c.image,
    Service: c.service,
    State: c.state,
    Health: c.healthcheck ? (isUnhealthy(ctx.world, c.image) ? 'unhealthy' : 'healthy') : '',
  }));
  if (f.last('format') === 'json') {
    for (const row of rows) ctx.out(`${JSON.stringify(row)}\n`);
    return 0;
  }
  if (f.last('format')) notModelled(`docker compose ps --format ${f.last('format')}`);
  ctx.out('NAME   IMAGE   COMMAND   SERVICE   CREATED   STATUS   PORTS\n');
  for (const row of rows)
    ctx.out(
      `${row.Name}   ${row.Image}   ""   ${row.Service}   -   ${row.State === 'running' ? 'Up' : 'Exited'}${row.Health ? ` (${row.Health})` : ''}\n`,
    );
  return 0;
}

function down(ctx: ToolContext, args: string[], open: () => Project): number {
  flags(args, {
    long: { volumes: false, 'remove-orphans': false, rmi: true, timeout: true },
    short: { v: 'volumes', t: 'timeout' },
  });
  const project = open();
  daemonOrFail(ctx);
  for (const c of projectContainers(ctx, project)) {
    ctx.err(
      ` Container ${c.name}  Stopping\n Container ${c.name}  Stopped\n Container ${c.name}  Removing\n`,
    );
    removeContainer(ctx.world, ctx.host, c.name);
    ctx.err(` Container ${c.name}  Removed\n`);
  }
  return 0;
}

function config(ctx: ToolContext, args: string[], open: () => Project): number {
  const f = flags(args, { long: { images: false, services: false, quiet: false }, short: { q: 'quiet' } });
  const project = open();
  const services = [...project.services.values()];
  if (f.has('quiet')) return 0;
  if (f.has('services')) {
    for (const s of services) ctx.out(`${s.name}\n`);
    return 0;
  }
  if (f.has('images')) {
    for (const s of services) ctx.out(`${s.image ?? `${project.name}-${s.name}`}\n`);
    return 0;
  }
  const model = {
    name: project.name,
    services: Object.fromEntries(
      services.map((s) => [
        s.name,
        {
          ...(s.image ? { image: s.image } : {}),
          ...(s.build ? { build: s.build } : {}),
          environment: serviceEnvironment(project, s),
          ...(s.dependsOn.length ? { depends_on: s.dependsOn } : {}),
        },
      ]),
    ),
  };
  ctx.out(stringify(model));
  return 0;
}
