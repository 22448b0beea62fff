import { describe, expect, it } from 'vitest';
import type { WorldDatabase } from '../src/databases';
import { sampleApp, sampleAppFiles } from '../src/sample-app';

/** A database that answers the two queries the app makes, with a marker. */
function database(name: string, marker: string): WorldDatabase {
  return {
    name,
    marker,
    engine: 'embedded',
    url: `postgres://app:x@127.0.0.1:5/${name}`,
    runtimeUrl: `postgres://app_runtime:y@127.0.0.1:5/${name}`,
    query: async (sql) => (sql.includes('app_settings') ? [{ value: marker }] : []),
  };
}

const databases = { dev: database('dev', 'dev'), stage: database('stage', 'stage') };

function appFor(files: Record<string, string | null>) {
  return sampleApp({
    show: async (_sha, path) => files[path] ?? undefined,
    databases,
    deepHeader: { name: 'Authorization', value: 'Bearer deep' },
    smokeHeader: { name: 'X-Smoke-Token', value: 'smoke' },
  });
}

const served = (env: string) => ({
  host: 'i-0',
  sha: 'a'.repeat(40),
  env: { APP_ENV: env, DATABASE_URL: databases[env as 'dev' | 'stage']?.runtimeUrl ?? '' },
});
const deep = { method: 'GET', path: '/health/deep', headers: { authorization: 'Bearer deep' }, body: '' };
const emptyQuery = {
  method: 'POST',
  path: '/graphql',
  headers: { 'x-smoke-token': 'smoke' },
  body: '{}',
};

describe('the sample app', () => {
  it('keeps its contract: 400 for an empty query, 401 without a token, the commit in X-App-Version', async () => {
    const app = appFor(sampleAppFiles({ version: 'r1' }) as Record<string, string>);
    const answer = await app(emptyQuery, served('dev'));
    expect(answer.status).toBe(400);
    expect(answer.headers?.['x-app-version']).toBe('a'.repeat(40));
    expect((await app({ ...deep, headers: {} }, served('dev'))).status).toBe(401);
    expect((await app({ ...emptyQuery, headers: {} }, served('dev'))).status).toBe(403);
    const health = JSON.parse((await app(deep, served('dev'))).body);
    expect(health).toMatchObject({ status: 'ok', environment: 'dev', database_environment: 'dev' });
  });

  it('breaks only where the release says: a smoke break in stage passes dev', async () => {
    const app = appFor(
      sampleAppFiles({ version: 'r2', break: 'smoke', breakIn: ['stage'] }) as Record<string, string>,
    );
    expect((await app(emptyQuery, served('dev'))).status).toBe(400);
    expect((await app(emptyQuery, served('stage'))).status).toBe(200);
  });

  it("a wrong-env release reads another environment's database, and says CRITICAL", async () => {
    for (const env of ['dev', 'stage']) {
      const app = appFor(
        sampleAppFiles({ version: 'r3', break: 'wrong-env', breakIn: [env] }) as Record<string, string>,
      );
      const answer = await app(deep, served(env));
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.body)).toMatchObject({ status: 'CRITICAL', environment: env });
      expect(JSON.parse(answer.body).database_environment).not.toBe(env);
    }
  });

  it('a deploy-broken release needs a variable in the host .env that compose checks', () => {
    const files = sampleAppFiles({ version: 'r4', break: 'deploy' });
    expect(files['compose.yaml']).toContain(`\${SEARCH_URL:?set SEARCH_URL in the host's .env}`);
    expect(sampleAppFiles({ version: 'r5' })['compose.yaml']).not.toContain('SEARCH_URL');
  });
});
