/**
 * The sample app: a small API whose releases are commits of the world's repository. What a
 * release does is in its files — `service.json` (its version and its bugs), `compose.yaml`, its
 * node-pg-migrate migrations — so a host serves whatever commit really runs there, and a deploy
 * that did the wrong thing shows up as the wrong answers.
 *
 * Its contract, as the example workflows check it: `GET /healthz`; `POST /graphql` answers a query
 * and rejects an empty one with 400; `GET /api/me` needs a token (401); `GET /health/deep` (behind
 * a token) reports its environment (APP_ENV), the commit it serves, the schema version, and its
 * checks — CRITICAL when the database it talks to carries another environment's marker. Every
 * answer names the commit in `X-App-Version`.
 */
import type { FileChanges } from './app-repository';
import type { WorldDatabase } from './databases';
import type { AppHandler, AppRequest, AppResponse } from './service';

/** What a release gets wrong (`pnpm example … --break <kind>`). */
export type Break = 'deploy' | 'smoke' | 'deep' | 'wrong-env';
export const BREAKS: readonly Break[] = ['deploy', 'smoke', 'deep', 'wrong-env'];

export const BREAK_STORIES: Record<Break, string> = {
  deploy: 'needs SEARCH_URL, which the hosts of {env} do not have: `docker compose` refuses to start it',
  smoke: 'no longer rejects an empty GraphQL query (a broken contract)',
  deep: 'reports its payments dependency failing in /health/deep',
  'wrong-env': "is configured with another environment's database",
};

export interface ReleaseSpec {
  /** Its name and tag, e.g. `r2`. */
  version: string;
  break?: Break;
  /**
   * The environments (APP_ENV values) where the break shows: a release that passed dev and stage
   * can still break in production. Default: everywhere.
   */
  breakIn?: readonly string[];
  /**
   * For `wrong-env`: the database (world name) the release is configured with. Default stage's,
   * or dev's where the break is in stage.
   */
  wrongDatabase?: string;
  /** Migrations the release ships (names from SAMPLE_MIGRATIONS, oldest first). Default: all. */
  migrations?: readonly string[];
}

/** `service.json`: the release as the app reads it. */
export interface ServiceManifest {
  version: string;
  /** Break kind → the environments where it shows (`*` for all). */
  breaks: Partial<Record<Break, string[]>>;
  /** APP_ENV → the database (world name) that environment's config names instead of DATABASE_URL's. */
  databases: Record<string, string>;
}

export const BASELINE = '1700000000000_legacy-baseline';
const ORDERS_STATUS = '1700000000100_orders-status';
const CUSTOMER_NAMES = '1700000000200_customer-display-names';

/** The tables a legacy database must have before it is stamped with the baseline. */
export const LEGACY_TABLES = ['customers', 'orders', 'app_settings'];

/** The schema as it was created by hand, before anyone used a migration tool. */
export function legacySchemaSql(marker: string): string {
  return `
CREATE TABLE customers (id serial PRIMARY KEY, email text NOT NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE orders (id serial PRIMARY KEY, customer_id integer NOT NULL REFERENCES customers (id), total_cents integer NOT NULL);
CREATE TABLE app_settings (key text PRIMARY KEY, value text NOT NULL);
INSERT INTO app_settings (key, value) VALUES ('environment', '${marker.replace(/'/g, "''")}');
INSERT INTO customers (email) VALUES ('ada@example.com'), ('grace@example.com');
INSERT INTO orders (customer_id, total_cents) VALUES (1, 4200), (2, 1999);
`;
}

/** node-pg-migrate SQL migrations, by name; the baseline recreates the legacy schema on an empty database. */
export const SAMPLE_MIGRATIONS: Readonly<Record<string, { up: string; down: string }>> = {
  [BASELINE]: {
    up: legacySchemaSql('dev')
      .replace(/^INSERT INTO .*\n/gm, '')
      .trim(),
    down: 'DROP TABLE orders; DROP TABLE customers; DROP TABLE app_settings;',
  },
  [ORDERS_STATUS]: {
    up: "ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';",
    down: 'ALTER TABLE orders DROP COLUMN status;',
  },
  [CUSTOMER_NAMES]: {
    up: 'ALTER TABLE customers ADD COLUMN display_name text;',
    down: 'ALTER TABLE customers DROP COLUMN display_name;',
  },
};

/** The newest migration a release ships: the schema version it needs. */
export function headMigration(spec: ReleaseSpec): string {
  const migrations = spec.migrations ?? Object.keys(SAMPLE_MIGRATIONS);
  return migrations[migrations.length - 1]!;
}

/** Another environment's database than `environment`'s own: stage's, or dev's for stage itself. */
function anotherDatabase(environment: string): string {
  return environment === 'stage' ? 'dev' : 'stage';
}

/** The variable the `deploy`-broken release needs in the host's .env. */
export const DEPLOY_BREAK_VARIABLE = 'SEARCH_URL';

/**
 * A release's files: the whole tree of the sample app at that version (files of other releases
 * that this one does not have are deleted).
 */
export function sampleAppFiles(spec: ReleaseSpec, extra: FileChanges = {}): FileChanges {
  const breakIn = spec.breakIn && spec.breakIn.length > 0 ? [...spec.breakIn] : ['*'];
  const manifest: ServiceManifest = {
    version: spec.version,
    breaks: spec.break && spec.break !== 'deploy' ? { [spec.break]: breakIn } : {},
    databases:
      spec.break === 'wrong-env'
        ? Object.fromEntries(breakIn.map((env) => [env, spec.wrongDatabase ?? anotherDatabase(env)]))
        : {},
  };
  const environment =
    spec.break === 'deploy'
      ? `    environment:\n      # New in ${spec.version}: the search service.\n      ${DEPLOY_BREAK_VARIABLE}: \${${DEPLOY_BREAK_VARIABLE}:?set ${DEPLOY_BREAK_VARIABLE} in the host's .env}\n`
      : '';
  const files: Record<string, string | null> = {
    'service.json': `${JSON.stringify(manifest, null, 2)}\n`,
    Dockerfile: 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n',
    'compose.yaml': `services:\n  web:\n    build: .\n    env_file: .env\n${environment}`,
    '.gitignore': '.env\nnode_modules/\npackage-lock.json\ndb-backups/\n',
  };
  const migrations = spec.migrations ?? Object.keys(SAMPLE_MIGRATIONS);
  for (const name of Object.keys(SAMPLE_MIGRATIONS)) {
    const sql = SAMPLE_MIGRATIONS[name]!;
    files[`migrations/${name}.sql`] = migrations.includes(name)
      ? `-- Up Migration\n${sql.up.trim()}\n\n-- Down Migration\n${sql.down.trim()}\n`
      : null;
  }
  return { ...files, ...extra };
}

export interface SampleAppOptions {
  /** Reads a file of a commit (the world's repository). */
  show(sha: string, path: string): Promise<string | undefined>;
  /** The world's databases, by name. */
  databases: Readonly<Record<string, WorldDatabase>>;
  /** Header every request but /healthz must carry (an edge that lets only smoke tests through). */
  smokeHeader?: { name: string; value: string };
  /** Header /health/deep requires. */
  deepHeader?: { name: string; value: string };
  /** The token `/api/me` accepts (none: every call is 401). */
  apiToken?: string;
}

const json = (status: number, body: unknown, sha?: string): AppResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...(sha ? { 'x-app-version': sha } : {}) },
  body: JSON.stringify(body),
});

function breaks(manifest: ServiceManifest, kind: Break, environment: string): boolean {
  const where = manifest.breaks[kind];
  return where !== undefined && (where.includes('*') || where.includes(environment));
}

/** The database a URL names, among the world's (same port and database name). */
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

/** The sample app's request handling for one served commit. */
export function sampleApp(options: SampleAppOptions): AppHandler {
  const headerIs = (request: AppRequest, header: { name: string; value: string } | undefined) =>
    !header || request.headers[header.name.toLowerCase()] === header.value;

  return async (request, served) => {
    const { sha } = served;
    const text = await options.show(sha, 'service.json');
    if (text === undefined) return json(500, { error: `commit ${sha} has no service.json` }, sha);
    const manifest = JSON.parse(text) as ServiceManifest;
    const environment = served.env.APP_ENV ?? '';
    const path = new URL(request.path, 'https://app.invalid').pathname;

    if (path === '/healthz') return json(200, { ok: true, version: sha }, sha);
    if (!headerIs(request, options.smokeHeader) && path !== '/health/deep') {
      return json(
        403,
        { error: `the edge lets through only requests with ${options.smokeHeader!.name}` },
        sha,
      );
    }
    if (path === '/graphql') {
      if (request.method !== 'POST') return json(405, { error: 'method not allowed: POST only' }, sha);
      let query: unknown;
      try {
        query = (JSON.parse(request.body || '{}') as { query?: unknown }).query;
      } catch {
        return json(400, { errors: [{ message: 'Body is not JSON.' }] }, sha);
      }
      if (!query) {
        return breaks(manifest, 'smoke', environment)
          ? json(200, { data: null }, sha)
          : json(400, { errors: [{ message: 'Must provide query string.' }] }, sha);
      }
      return json(200, { data: { __typename: 'Query' } }, sha);
    }
    if (path === '/api/me') {
      const token = request.headers.authorization;
      return options.apiToken && token === `Bearer ${options.apiToken}`
        ? json(200, { user: 'smoke-test' }, sha)
        : json(401, { error: 'authentication required' }, sha);
    }
    if (path === '/health/deep') {
      if (!headerIs(request, options.deepHeader)) return json(401, { error: 'authentication required' }, sha);
      return deepHealth(options, manifest, served.env, environment, sha);
    }
    return json(404, { error: 'not found' }, sha);
  };
}

async function deepHealth(
  options: SampleAppOptions,
  manifest: ServiceManifest,
  env: Readonly<Record<string, string>>,
  environment: string,
  sha: string,
): Promise<AppResponse> {
  const configured = manifest.databases[environment];
  const database = configured
    ? options.databases[configured]
    : databaseByUrl(options.databases, env.DATABASE_URL);
  const checks: Record<string, string> = {
    database: 'ok',
    payments: breaks(manifest, 'deep', environment) ? 'fail' : 'ok',
  };
  let marker: string | undefined;
  let schemaVersion: string | undefined;
  if (!database) checks.database = 'fail';
  else {
    try {
      const rows = await database.query("SELECT value FROM app_settings WHERE key = 'environment'");
      marker = rows[0]?.value as string | undefined;
      const versions = await database
        .query('SELECT name FROM pgmigrations ORDER BY id DESC LIMIT 1')
        .catch(() => []);
      schemaVersion = versions[0]?.name as string | undefined;
    } catch {
      checks.database = 'fail';
    }
  }
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
