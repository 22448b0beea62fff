import { describe, expect, it } from 'vitest';
import type { WorldDatabase } from '../src/databases';
import type { Break } from '../src/sample-app';
import type { AppRequest } from '../src/service';
import { type SystemAppOptions, systemApp, systemManifest } from '../src/worlds/system-app';

/** A database that answers the marker and a schema version, as the system apps ask. */
function database(name: string, marker: string): WorldDatabase {
  return {
    name,
    marker,
    engine: 'embedded',
    url: `postgres://app:x@127.0.0.1:5/${name}`,
    runtimeUrl: `postgres://app_runtime:y@127.0.0.1:5/${name}`,
    query: async (sql) =>
      sql.includes('app_settings') ? [{ value: marker }] : [{ version_num: 'c3f8d2a1b9e4' }],
  };
}

const databases = { dev: database('dev', 'dev'), stage: database('stage', 'stage') };
const SHA = 'b'.repeat(40);
const served = { host: 'i-0', sha: SHA, env: { APP_ENV: 'dev', DATABASE_URL: databases.dev.url } };

function app(release: { break?: Break; wrongDatabase?: string }, options: Partial<SystemAppOptions> = {}) {
  const files = systemManifest({ version: 'r1', ...release });
  return systemApp({
    show: async (_sha, path) => files[path] ?? undefined,
    databases,
    health: '/healthz',
    protectedPath: '/api/me',
    graphql: true,
    checks: ['database', 'redis'],
    deepHeader: { name: 'Authorization', value: 'Bearer deep' },
    schemaVersionSql: 'SELECT version_num FROM alembic_version',
    smokeBreak: 'graphql',
    ...options,
  });
}

const request = (method: string, path: string, body = '', headers: AppRequest['headers'] = {}) => ({
  method,
  path,
  headers,
  body,
});
const deep = request('GET', '/health/deep', '', { authorization: 'Bearer deep' });

describe("the system apps' contract", () => {
  it('answers a good release as the examples check it, naming the commit everywhere', async () => {
    const good = app({});
    expect(await good(request('GET', '/healthz'), served)).toMatchObject({
      status: 200,
      headers: { 'x-app-version': SHA },
      body: JSON.stringify({ ok: true, version: SHA }),
    });
    expect((await good(request('POST', '/graphql', '{}'), served)).status).toBe(400);
    expect((await good(request('GET', '/graphql'), served)).status).toBe(405);
    expect((await good(request('GET', '/api/me'), served)).status).toBe(401);
    expect((await good(request('GET', '/health/deep'), served)).status).toBe(401);
    const health = await good(deep, served);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({
      status: 'ok',
      environment: 'dev',
      version: SHA,
      schema_version: 'c3f8d2a1b9e4',
      checks: { database: 'ok', redis: 'ok' },
    });
  });

  it('breaks the contract each system checks, and reports the wrong environment as CRITICAL', async () => {
    expect((await app({ break: 'smoke' })(request('POST', '/graphql', '{}'), served)).status).toBe(200);
    expect(
      (await app({ break: 'smoke' }, { smokeBreak: 'login' })(request('GET', '/api/me'), served)).status,
    ).toBe(200);
    expect(
      (await app({ break: 'smoke' }, { smokeBreak: 'health' })(request('GET', '/healthz'), served)).status,
    ).toBe(500);
    const failing = await app({ break: 'deep' })(deep, served);
    expect(failing.status).toBe(503);
    expect(JSON.parse(failing.body)).toMatchObject({ status: 'fail', checks: { payments: 'fail' } });
    const wrong = await app({ break: 'wrong-env', wrongDatabase: 'stage' })(deep, served);
    expect(wrong.status).toBe(503);
    expect(JSON.parse(wrong.body)).toMatchObject({ status: 'CRITICAL', database_environment: 'stage' });
  });

  it('fails its database check, under the name the system gives it, when the database is unknown', async () => {
    const lost = { ...served, env: { APP_ENV: 'dev', DATABASE_URL: 'postgres://app:x@127.0.0.1:6/gone' } };
    const body = JSON.parse(
      (await app({}, { checks: ['supabase', 'redis'], databaseCheck: 'supabase' })(deep, lost)).body,
    );
    expect(body).toMatchObject({ status: 'fail', checks: { supabase: 'fail', redis: 'ok' } });
  });
});
