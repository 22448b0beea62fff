import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { exists } from '../runtime/state';
import { DotenvError, parseDotenv } from './dotenv';
import { interpolate, type Lookup, TemplateError } from './interpolate';

/**
 * Loading a Compose project (docs: "How Compose works", "Set environment variables" →
 * interpolation and `.env`, "Merge Compose files", "Specify a project name"):
 * - files: `-f` (several merge in order; paths relative to the first file's folder), else
 *   COMPOSE_FILE, else the first of compose.yaml, compose.yml, docker-compose.yaml,
 *   docker-compose.yml found in the working folder or a parent, plus its `*.override.*` file;
 * - interpolation variables: the shell's environment over the `--env-file` files (later files win)
 *   or, without `--env-file`, the `.env` in the project folder. Only these: a service's `env_file:`
 *   and `environment:` go into its container, never into interpolation;
 * - project name: `-p`, COMPOSE_PROJECT_NAME, the top-level `name:`, else the folder's name.
 * Errors are Compose's, with its exit codes (14 a file not found, 15 an invalid project).
 */
export interface ComposeOptions {
  files: string[];
  envFiles: string[];
  projectName?: string;
  projectDirectory?: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface EnvFileRef {
  path: string;
  required: boolean;
}

export interface Service {
  name: string;
  image?: string;
  build?: { context: string; dockerfile?: string };
  envFiles: EnvFileRef[];
  /** `null`: a bare `KEY`, taken from the interpolation variables when they have it. */
  environment: Record<string, string | null>;
  dependsOn: string[];
  pullPolicy: string;
  containerName?: string;
  command: string[];
  /** `true` / `false` when the service says; undefined leaves it to the image. */
  healthcheck: boolean | undefined;
}

export interface Project {
  name: string;
  dir: string;
  files: string[];
  envFiles: string[];
  services: Map<string, Service>;
  /** Interpolation variables: shell over the env files. */
  lookup: Lookup;
  /** Where each variable the files used came from: `shell`, an env file's path, or `unset`. */
  variables: Record<string, string>;
}

export class ComposeError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

const CANDIDATES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const OVERRIDES: Record<string, string[]> = {
  compose: ['compose.override.yaml', 'compose.override.yml'],
  'docker-compose': ['docker-compose.override.yaml', 'docker-compose.override.yml'],
};

export function loadProject(options: ComposeOptions, warn: (line: string) => void): Project {
  const files = composeFiles(options, warn);
  const dir = options.projectDirectory ? resolve(options.cwd, options.projectDirectory) : dirname(files[0]!);

  const envFileNames = options.envFiles.length
    ? options.envFiles.map((file) => resolve(options.cwd, file))
    : (options.env.COMPOSE_ENV_FILES?.split(',').map((file) => resolve(options.cwd, file)) ??
      (exists(join(dir, '.env')) ? [join(dir, '.env')] : []));
  const fromFiles = new Map<string, { value: string; file: string }>();
  for (const file of envFileNames) {
    if (!exists(file)) throw new ComposeError(14, `couldn't find env file: ${file}`);
    for (const [key, value] of readDotenv(file, (name) => options.env[name]))
      fromFiles.set(key, { value, file });
  }
  const variables: Record<string, string> = {};
  const lookup: Lookup = (name) => {
    if (options.env[name] !== undefined) {
      variables[name] = 'shell';
      return options.env[name];
    }
    const found = fromFiles.get(name);
    variables[name] = found ? found.file : 'unset';
    return found?.value;
  };

  const warned = new Set<string>();
  const warnUnset = (name: string) => {
    if (warned.has(name)) return;
    warned.add(name);
    warn(
      `time="${new Date().toISOString()}" level=warning msg="The \\"${name}\\" variable is not set. Defaulting to a blank string."`,
    );
  };
  let model: Record<string, unknown> = {};
  for (const file of files) {
    let parsed: unknown;
    try {
      parsed = parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ComposeError(15, `yaml: ${(error as Error).message.split('\n')[0]}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ComposeError(15, `Top-level object must be a mapping`);
    }
    model = merge(
      model,
      interpolateTree(parsed, [], lookup, warnUnset) as Record<string, unknown>,
      [],
    ) as Record<string, unknown>;
  }

  const nameSource =
    options.projectName ??
    lookup('COMPOSE_PROJECT_NAME') ??
    (typeof model.name === 'string' ? model.name : undefined);
  const name = nameSource !== undefined ? checkProjectName(nameSource) : normalizeName(basename(dir));
  delete variables.COMPOSE_PROJECT_NAME;

  const services = new Map<string, Service>();
  const rawServices = (model.services ?? {}) as Record<string, Record<string, unknown>>;
  for (const [serviceName, raw] of Object.entries(rawServices)) {
    services.set(serviceName, toService(serviceName, raw ?? {}, dir));
  }
  return { name, dir, files, envFiles: envFileNames, services, lookup, variables };
}

function composeFiles(options: ComposeOptions, warn: (line: string) => void): string[] {
  if (options.files.length) {
    return options.files.map((file) => {
      const path = resolve(options.cwd, file);
      if (!exists(path)) throw new ComposeError(14, `open ${path}: no such file or directory`);
      return path;
    });
  }
  if (options.env.COMPOSE_FILE) {
    return options.env.COMPOSE_FILE.split(options.env.COMPOSE_PATH_SEPARATOR ?? ':').map((file) =>
      resolve(options.cwd, file),
    );
  }
  for (let dir = options.cwd; ; dir = dirname(dir)) {
    const found = CANDIDATES.filter((candidate) => exists(join(dir, candidate)));
    if (found.length) {
      if (found.length > 1) {
        warn(
          `WARN[0000] Found multiple config files with supported names: ${found.map((f) => join(dir, f)).join(', ')}`,
        );
        warn(`WARN[0000] Using ${join(dir, found[0]!)}`);
      }
      const family = found[0]!.startsWith('docker-compose') ? 'docker-compose' : 'compose';
      const override = OVERRIDES[family]!.find((candidate) => exists(join(dir, candidate)));
      return [join(dir, found[0]!), ...(override ? [join(dir, override)] : [])];
    }
    if (dirname(dir) === dir) break;
  }
  throw new ComposeError(14, 'no configuration file provided: not found');
}

export function readDotenv(file: string, lookup: Lookup): Map<string, string> {
  try {
    return parseDotenv(readFileSync(file, 'utf8'), lookup);
  } catch (error) {
    if (error instanceof DotenvError || error instanceof TemplateError) {
      throw new ComposeError(15, `failed to read ${file}: ${error.message}`);
    }
    throw error;
  }
}

/** Values are interpolated, keys are not (Compose file reference: "Interpolation"). */
function interpolateTree(
  value: unknown,
  path: string[],
  lookup: Lookup,
  warnUnset: (name: string) => void,
): unknown {
  if (typeof value === 'string') {
    try {
      return interpolate(value, lookup, warnUnset);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      throw new ComposeError(
        15,
        `invalid interpolation format for ${path.join('.')}.\nYou may need to escape any $ with another $.\n${error.template}`,
      );
    }
  }
  if (Array.isArray(value))
    return value.map((item) => interpolateTree(item, [...path, '[]'], lookup, warnUnset));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        interpolateTree(item, [...path, key], lookup, warnUnset),
      ]),
    );
  }
  return value;
}

/** Compose's merge: mappings merge, `environment`/`labels` merge by key, most lists append, scalars and `command` replace. */
function merge(base: unknown, override: unknown, path: string[]): unknown {
  const key = path.at(-1);
  if (path.length === 3 && path[0] === 'services' && (key === 'environment' || key === 'labels')) {
    return { ...toMap(base), ...toMap(override) };
  }
  if (Array.isArray(base) && Array.isArray(override)) {
    return key === 'command' || key === 'entrypoint' ? override : [...base, ...override];
  }
  if (isMapping(base) && isMapping(override)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(override)) out[k] = k in base ? merge(base[k], v, [...path, k]) : v;
    return out;
  }
  return override;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function toMap(value: unknown): Record<string, string | null> {
  if (Array.isArray(value)) {
    return Object.fromEntries(
      value.map((entry) => {
        const text = String(entry);
        const equals = text.indexOf('=');
        return equals < 0 ? [text, null] : [text.slice(0, equals), text.slice(equals + 1)];
      }),
    );
  }
  if (isMapping(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === null ? null : String(v)]));
  }
  return {};
}

function toService(name: string, raw: Record<string, unknown>, dir: string): Service {
  const rawBuild = raw.build;
  const build =
    typeof rawBuild === 'string'
      ? { context: resolve(dir, rawBuild) }
      : isMapping(rawBuild)
        ? {
            context: resolve(dir, String(rawBuild.context ?? '.')),
            ...(rawBuild.dockerfile ? { dockerfile: String(rawBuild.dockerfile) } : {}),
          }
        : undefined;
  if (raw.image === undefined && !build) {
    throw new ComposeError(
      15,
      `service "${name}" has neither an image nor a build context specified: invalid compose project`,
    );
  }
  const rawEnvFiles =
    raw.env_file === undefined ? [] : Array.isArray(raw.env_file) ? raw.env_file : [raw.env_file];
  const envFiles = rawEnvFiles.map((entry) => {
    const path = isMapping(entry) ? String(entry.path) : String(entry);
    const required = isMapping(entry) && entry.required !== undefined ? entry.required !== false : true;
    return { path: isAbsolute(path) ? path : resolve(dir, path), required };
  });
  const dependsOn = Array.isArray(raw.depends_on)
    ? raw.depends_on.map(String)
    : isMapping(raw.depends_on)
      ? Object.keys(raw.depends_on)
      : [];
  const command = Array.isArray(raw.command)
    ? raw.command.map(String)
    : typeof raw.command === 'string'
      ? [raw.command]
      : [];
  const healthcheck = isMapping(raw.healthcheck)
    ? !(raw.healthcheck.disable === true || JSON.stringify(raw.healthcheck.test) === '["NONE"]')
    : undefined;
  return {
    name,
    ...(raw.image !== undefined ? { image: String(raw.image) } : {}),
    ...(build ? { build } : {}),
    envFiles,
    environment: toMap(raw.environment),
    dependsOn,
    pullPolicy: String(raw.pull_policy ?? 'missing'),
    ...(raw.container_name ? { containerName: String(raw.container_name) } : {}),
    command,
    healthcheck,
  };
}

function checkProjectName(name: string): string {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(name)) {
    throw new ComposeError(
      15,
      `invalid project name "${name}": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number`,
    );
  }
  return name;
}

function normalizeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}

/** A service's container environment: its `env_file:` files in order, then `environment:` on top. */
export function serviceEnvironment(project: Project, service: Service): Record<string, string> {
  const env: Record<string, string> = {};
  for (const file of service.envFiles) {
    if (!exists(file.path)) {
      if (!file.required) continue;
      throw new ComposeError(
        14,
        `env file ${file.path} not found: stat ${file.path}: no such file or directory`,
      );
    }
    for (const [key, value] of readDotenv(file.path, project.lookup)) env[key] = value;
  }
  for (const [key, value] of Object.entries(service.environment)) {
    if (value !== null) env[key] = value;
    else {
      const inherited = project.lookup(key);
      if (inherited !== undefined) env[key] = inherited;
    }
  }
  return env;
}

/** The services to act on: the named ones (all when none) plus what they depend on, dependencies first. */
export function selectServices(project: Project, names: string[], withDependencies: boolean): Service[] {
  for (const name of names) {
    if (!project.services.has(name)) throw new ComposeError(1, `no such service: ${name}`);
  }
  const order: Service[] = [];
  const visit = (name: string, chain: string[]) => {
    if (order.some((s) => s.name === name)) return;
    const service = project.services.get(name);
    if (!service)
      throw new ComposeError(
        15,
        `service "${chain.at(-1)}" depends on undefined service "${name}": invalid compose project`,
      );
    if (withDependencies) for (const dep of service.dependsOn) visit(dep, [...chain, name]);
    order.push(service);
  };
  for (const name of names.length ? names : [...project.services.keys()]) visit(name, []);
  return order;
}
