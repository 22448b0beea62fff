/**
 * The world's databases, one per environment, each carrying its environment marker in
 * `app_settings` (what `/health/deep` and preflight's marker query compare with the app's own
 * environment). Real PostgreSQL from Debian's packages when it is installed (the tests need it:
 * pg_dump backups, psql on hosts); otherwise an embedded PGlite per database, so the demo runs on a
 * machine with only Node and npm (no pg_dump there, so no backups).
 */
import {
  type EmbeddedPostgres,
  findPostgresBinDir,
  type PostgresServer,
} from '@gatehouse/postgres-test-server';
import type pg from 'pg';

export type DatabaseEngine = 'postgres' | 'embedded';

export interface DatabaseSpec {
  /** The database's name, e.g. `dev` (a plain SQL identifier). */
  name: string;
  /** The environment marker it holds: `app_settings.environment`. Default: the name. */
  marker?: string;
  /**
   * SQL run once on creation, after the marker table exists. Default: the sample app's legacy
   * schema (tables made by hand before any migration tool, no version table).
   */
  setupSql?: string;
}

export interface WorldDatabase {
  name: string;
  marker: string;
  engine: DatabaseEngine;
  /**
   * `postgres://app:<password>@127.0.0.1:<port>/<name>`: the owner's URL, for migrations (a
   * GitHub secret such as DATABASE_URL for db-target local). Its password is the world's secret.
   */
  url: string;
  /** `postgres://app_runtime:…`: what the app on a host connects with (its .env), another password. */
  runtimeUrl: string;
  /** Rows of the last statement, as the app (or a test) reads them; the app's own role. */
  query(sql: string): Promise<Record<string, unknown>[]>;
}

/** The role that owns the databases (migrations); its password is the world's database password. */
export const APP_ROLE = 'app';
/** The role apps on hosts connect as, with a password of its own. */
export const RUNTIME_ROLE = 'app_runtime';

export interface DatabaseHost {
  engine: DatabaseEngine;
  create(spec: DatabaseSpec, setupSql: string): Promise<WorldDatabase>;
  close(): Promise<void>;
}

/** `postgres` when Debian's server binaries are there, else `embedded`. */
export function defaultEngine(): DatabaseEngine {
  return findPostgresBinDir() ? 'postgres' : 'embedded';
}

export async function startDatabaseHost(
  engine: DatabaseEngine,
  password: string,
  runtimePassword: string,
): Promise<DatabaseHost> {
  return engine === 'postgres'
    ? startRealHost(password, runtimePassword)
    : embeddedHost(password, runtimePassword);
}

const roleUrl = (role: string, password: string, hostPort: string, database: string) =>
  `postgres://${role}:${encodeURIComponent(password)}@${hostPort}/${database}`;

async function startRealHost(password: string, runtimePassword: string): Promise<DatabaseHost> {
  const { startPostgres } = await import('@gatehouse/postgres-test-server');
  const { default: pgModule } = await import('pg');
  const server: PostgresServer = await startPostgres();
  await server.psql(
    'postgres',
    `CREATE ROLE ${APP_ROLE} LOGIN PASSWORD ${sqlLiteral(password)};
CREATE ROLE ${RUNTIME_ROLE} LOGIN PASSWORD ${sqlLiteral(runtimePassword)};`,
  );
  const pools: pg.Pool[] = [];
  return {
    engine: 'postgres',
    async create(spec, setupSql) {
      await server.psql('postgres', `CREATE DATABASE ${spec.name} OWNER ${APP_ROLE};`);
      const hostPort = `${server.host}:${server.port}`;
      const url = roleUrl(APP_ROLE, password, hostPort, spec.name);
      const pool = new pgModule.Pool({ connectionString: url, max: 2 });
      pool.on('error', () => {});
      pools.push(pool);
      const database: WorldDatabase = {
        name: spec.name,
        marker: spec.marker ?? spec.name,
        engine: 'postgres',
        url,
        runtimeUrl: roleUrl(RUNTIME_ROLE, runtimePassword, hostPort, spec.name),
        async query(sql) {
          const results = (await pool.query(sql)) as unknown as pg.QueryResult | pg.QueryResult[];
          const last = Array.isArray(results) ? results.at(-1) : results;
          return (last?.rows ?? []) as Record<string, unknown>[];
        },
      };
      await database.query(setupSql);
      await database.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${RUNTIME_ROLE};`);
      return database;
    },
    async close() {
      await Promise.all(pools.map((pool) => pool.end().catch(() => undefined)));
      await server.stop();
    },
  };
}

function embeddedHost(password: string, runtimePassword: string): DatabaseHost {
  const servers: EmbeddedPostgres[] = [];
  return {
    engine: 'embedded',
    async create(spec, setupSql) {
      const { startEmbeddedPostgres } = await import('@gatehouse/postgres-test-server');
      // A migration tool's connection and db-bootstrap's lock connection are open together.
      const server = await startEmbeddedPostgres({ maxConnections: 4 });
      servers.push(server);
      // PGlite accepts any role and password: the URL carries the world's, as a real one would.
      const hostPort = `127.0.0.1:${server.port}`;
      const database: WorldDatabase = {
        name: spec.name,
        marker: spec.marker ?? spec.name,
        engine: 'embedded',
        url: roleUrl(APP_ROLE, password, hostPort, 'postgres'),
        runtimeUrl: roleUrl(RUNTIME_ROLE, runtimePassword, hostPort, 'postgres'),
        query: (sql) => server.query(sql),
      };
      await database.query(setupSql);
      return database;
    },
    async close() {
      await Promise.all(servers.map((server) => server.stop().catch(() => undefined)));
    },
  };
}

export function sqlLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** The marker table every world database has, holding `environment`. */
export function markerSql(marker: string): string {
  return `CREATE TABLE IF NOT EXISTS app_settings (key text PRIMARY KEY, value text NOT NULL);
INSERT INTO app_settings (key, value) VALUES ('environment', ${sqlLiteral(marker)})
  ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;`;
}
