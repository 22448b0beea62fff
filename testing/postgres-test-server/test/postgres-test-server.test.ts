import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type PostgresServer,
  postgresUnavailableReason,
  startEmbeddedPostgres,
  startPostgres,
} from '../src/index';

const unavailable = postgresUnavailableReason();

describe.skipIf(unavailable)(
  `real PostgreSQL server${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let server: PostgresServer;
    beforeAll(async () => {
      server = await startPostgres();
    });
    afterAll(async () => server?.stop());

    it('serves a database over TCP with password authentication', async () => {
      const url = await server.createDatabase('probe');
      const pg = (await import('pg')).default;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query('select current_database() as db, 1 + 1 as two');
      await client.end();
      expect(rows[0]).toEqual({ db: 'probe', two: 2 });

      const wrong = new pg.Client({ connectionString: url.replace(server.password, 'wrong-password') });
      await expect(wrong.connect()).rejects.toThrow(/password authentication failed/);
    });
  },
);

describe('embedded PostgreSQL (PGlite over a socket)', () => {
  it('answers the pg driver on a postgres:// URL', async () => {
    const embedded = await startEmbeddedPostgres();
    try {
      const pg = (await import('pg')).default;
      const client = new pg.Client({ connectionString: embedded.url });
      await client.connect();
      await client.query('create table t (id int primary key)');
      await client.query('insert into t values (41), (1)');
      const { rows } = await client.query('select sum(id)::int as total from t');
      await client.end();
      expect(rows[0].total).toBe(42);
    } finally {
      await embedded.stop();
    }
  });
});
