import { errorMessage } from '@gatehouse/action-kit';
import { explainPostgresError, postgresAddress } from '@gatehouse/action-kit/known-errors';
import { redact, urlPasswords } from '@gatehouse/action-kit/secrets';
import type { CheckResult } from './report';

/**
 * The database's own environment marker (e.g. `app_settings.environment`), read with the pg
 * driver (loaded only here) in a read-only transaction: the wrong database is caught before any
 * migration runs. Errors name host and port, never the password.
 */
export async function checkDatabaseMarker(
  url: string,
  query: string,
  expected: string,
): Promise<CheckResult> {
  const address = postgresAddress('database-url', url);
  const where = `${address.host}:${address.port}`;
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 15_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('BEGIN READ ONLY');
    const result = await client.query({ text: query, rowMode: 'array' });
    await client.query('ROLLBACK');
    const marker = result.rows[0]?.[0];
    if (marker === undefined || marker === null) {
      return { check: 'database', verdict: 'fail', reason: `the marker query returned no value at ${where}` };
    }
    return String(marker) === expected
      ? { check: 'database', verdict: 'pass', reason: `the database at ${where} is marked ${expected}` }
      : {
          check: 'database',
          verdict: 'fail',
          reason: `the database at ${where} is marked '${String(marker)}', expected ${expected} (wrong database?)`,
        };
  } catch (error) {
    const message = redact(errorMessage(error), urlPasswords(url));
    const hint = explainPostgresError(error);
    return {
      check: 'database',
      verdict: 'fail',
      reason: `cannot check the database at ${where}: ${message}${hint ? ` — ${hint}` : ''}`,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}
