/**
 * The app of the four system examples (examples/systems): like the sample app, a release is a
 * commit whose `service.json` (the sample app's manifest: version, breaks by environment, a
 * database its config names instead of DATABASE_URL's) says what it does, so a host or platform
 * that runs the wrong commit answers as the wrong version. Each system has its own contract,
 * which is what the example's gates check: its liveness route, a route behind a login, GraphQL
 * or not, the checks /health/deep lists and where the schema version comes from (Alembic's,
 * Prisma's or node-pg-migrate's table).
 */
import type { FileChanges } from '../app-repository';
import type { WorldDatabase } from '../databases';
import type { Break, ServiceManifest } from '../sample-app';
import type { AppHandler, AppRequest, AppResponse } from '../service';

export interface SystemAppOptions {
  /** Reads a file of a commit (the world's repository). */
  show(sha: string, path: string): Promise<string | undefined>;
  databases: Readonly<Record<string, WorldDatabase>>;
  /** The liveness route: 200 with the commit at `version`. */
  health: string;
  /** A route behind a login: 401 without a token. */
  protectedPath?: string;
  /** `POST /graphql`: 400 for an empty query, 405 for any other method. */
  graphql?: boolean;
  /** The checks /health/deep lists, all ok but for a database that does not answer (`payments` is added by the deep break). */
  checks: readonly string[];
  /** The check that is the database's; default `database`. */
  databaseCheck?: string;
  /** The header /health/deep requires; none: it is open. */
  deepHeader?: { name: string; value: string };
  /** SQL returning the schema version /health/deep reports (the migration tool's table). */
  schemaVersionSql?: string;
  /** The contract the `smoke` break breaks: GraphQL's empty query, the login guard, or liveness. */
  smokeBreak: 'graphql' | 'login' | 'health';
}

/** What a system's release gets wrong, in the manifest's words (the `deploy` break is the world's to play). */
export interface ManifestSpec {
  version: string;
  break?: Break;
  /** APP_ENV values where the break shows; default everywhere. */
  breakIn?: readonly string[];
  /** For `wrong-env`: the world database the release's config names instead. */
  wrongDatabase?: string;
}

/** `service.json` for a system's release, in the sample app's format. */
export function systemManifest(release: ManifestSpec): FileChanges {
  const where = release.breakIn && release.breakIn.length > 0 ? [...release.breakIn] : ['*'];
  const manifest: ServiceManifest = {
    version: release.version,
    breaks: release.break ? { [release.break]: where } : {},
    databases:
      release.break === 'wrong-env' && release.wrongDatabase
        ? Object.fromEntries(where.map((env) => [env, release.wrongDatabase!]))
        : {},
  };
  return { 'service.json': `${JSON.stringify(manifest, null, 2)}\n` };
}

/** Whether a manifest's break shows in an environment. */
function breaksIn(manifest: ServiceManifest, kind: Break, environment: string): boolean {
  const where = manifest.breaks[kind];
  return where !== undefined && (where.includes('*') || where.includes(environment));
}

/** The manifest of a commit, or undefined when it has none. */
async function manifestOf(
  show: (sha: string, path: string) => Promise<string | undefined>,
  sha: string,
): Promise<ServiceManifest | undefined> {
  const text = await show(sha, 'service.json');
  return text === undefined ? undefined : (JSON.parse(text) as ServiceManifest);
}

const json = (status: number, body: unknown, sha: string): AppResponse => ({
  status,
  headers: { 'content-type': 'application/json', 'x-app-version': sha },
  body: JSON.stringify(body),
});

/** The world database a URL names (same port and database name). */
function databaseByUrl(
  databases: Readonly<Record<string, WorldDatabase>>,
  url: string | undefined,
): WorldDatabase | undefined {
  if (!url) return undefined;
  const key = (u: string) => {
    try {
      const parsed = new URL(u);
      return `${parsed.port}${parsed.pathname}`;
    } catch {
      return u;
    }
  };
  return Object.values(databases).find((db) => key(db.url) === key(url));
}

export function systemApp(options: SystemAppOptions): AppHandler {
  return async (request, served) => {
    const { sha } = served;
    const manifest = await manifestOf(options.show, sha);
    if (!manifest) return json(500, { error: `commit ${sha} has no service.json` }, sha);
    const environment = served.env.APP_ENV ?? '';
    const broken = (kind: Break) => breaksIn(manifest, kind, environment);
    const path = new URL(request.path, 'https://app.invalid').pathname;

    if (path === options.health) {
      return broken('smoke') && options.smokeBreak === 'health'
        ? json(500, { ok: false, error: 'worker pool exhausted', version: sha }, sha)
        : json(200, { ok: true, version: sha }, sha);
    }
    if (options.graphql && path === '/graphql') return graphql(request, sha, broken('smoke'));
    if (path === options.protectedPath) {
      return broken('smoke') && options.smokeBreak === 'login'
        ? json(200, { user: null, note: 'the login guard is off' }, sha)
        : json(401, { error: 'authentication required' }, sha);
    }
    if (path === '/health/deep') {
      const header = options.deepHeader;
      if (header && request.headers[header.name.toLowerCase()] !== header.value)
        return json(401, { error: 'authentication required' }, sha);
      return deepHealth(options, manifest, served.env, environment, sha, broken('deep'));
    }
    return json(404, { error: 'not found' }, sha);
  };
}

function graphql(request: AppRequest, sha: string, broken: boolean): AppResponse {
  if (request.method !== 'POST') return json(405, { error: 'method not allowed: POST only' }, sha);
  let query: unknown;
  try {
    query = (JSON.parse(request.body || '{}') as { query?: unknown }).query;
  } catch {
    return json(400, { errors: [{ message: 'Body is not JSON.' }] }, sha);
  }
  if (query) return json(200, { data: { __typename: 'Query' } }, sha);
  return broken
    ? json(200, { data: null }, sha)
    : json(400, { errors: [{ message: 'Must provide query string.' }] }, sha);
}

async function deepHealth(
  options: SystemAppOptions,
  manifest: ServiceManifest,
  env: Readonly<Record<string, string>>,
  environment: string,
  sha: string,
  paymentsFail: boolean,
): Promise<AppResponse> {
  const configured = manifest.databases[environment] ?? manifest.databases['*'];
  const database = configured
    ? options.databases[configured]
    : databaseByUrl(options.databases, env.DATABASE_URL);
  let marker: string | undefined;
  let schemaVersion: string | undefined;
  let databaseOk = database !== undefined;
  if (database) {
    try {
      const rows = await database.query("SELECT value FROM app_settings WHERE key = 'environment'");
      marker = rows[0]?.value as string | undefined;
      if (options.schemaVersionSql) {
        const versions = await database.query(options.schemaVersionSql).catch(() => []);
        const value = versions[0] ? Object.values(versions[0])[0] : undefined;
        schemaVersion = value === undefined || value === null ? undefined : String(value);
      }
    } catch {
      databaseOk = false;
    }
  }
  const checks: Record<string, string> = Object.fromEntries(
    options.checks.map((name) => [
      name,
      name === (options.databaseCheck ?? 'database') && !databaseOk ? 'fail' : 'ok',
    ]),
  );
  if (paymentsFail) checks.payments = 'fail';
  const wrongEnvironment = marker !== undefined && marker !== environment;
  const status = wrongEnvironment
    ? 'CRITICAL'
    : Object.values(checks).every((c) => c === 'ok')
      ? 'ok'
      : 'fail';
  return json(
    status === 'ok' ? 200 : 503,
    {
      status,
      environment,
      database_environment: marker ?? null,
      ...(wrongEnvironment ? { reason: `APP_ENV is ${environment} but the database says ${marker}` } : {}),
      version: sha,
      release: manifest.version,
      schema_version: schemaVersion ?? null,
      checks,
    },
    sha,
  );
}
