import { chmod, cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type PostgresServer, startPostgres } from '@gatehouse/postgres-test-server';
import { startSsmEmulator } from '@gatehouse/ssm-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alembicDir, bootstrap, legacyDatabase, tables, unavailableReason } from './helpers';

const unavailable = await unavailableReason();
const HOST = 'i-0ddddddddddddddd4';

describe.skipIf(unavailable)(
  `db-bootstrap bundle through the SSM emulator${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let server: PostgresServer;
    beforeAll(async () => {
      server = await startPostgres();
    });
    afterAll(async () => server?.stop());

    it('stamps and upgrades a legacy database on the host, behind a command prefix that holds the URL', async () => {
      const db = await legacyDatabase(server, 'ssm');
      const emulator = await startSsmEmulator({ hosts: [HOST] });
      try {
        const app = join(emulator.hostDir(HOST), 'app');
        await cp(alembicDir, app, { recursive: true });
        // Stands in for `docker compose exec -T web`: the URL lives only in the "container" environment.
        const wrapper = join(app, 'in-app-env');
        await writeFile(wrapper, `#!/bin/bash\nexport DATABASE_URL='${server.urlFor(db)}'\nexec "$@"\n`);
        await chmod(wrapper, 0o755);
        const run = await bootstrap(
          {
            target: 'ssm',
            'instance-ids': HOST,
            'app-dir': 'app',
            'command-prefix': './in-app-env',
            baseline: '0001_baseline',
            'legacy-tables': 'users,audit_events',
            'backup-dir': '../backups',
          },
          {
            env: {
              AWS_ENDPOINT_URL_SSM: emulator.endpoint,
              AWS_REGION: 'us-east-1',
              AWS_ACCESS_KEY_ID: 'test',
              AWS_SECRET_ACCESS_KEY: 'test',
            },
          },
        );
        expect(run.errors).toEqual([]);
        expect(run.outputs).toMatchObject({
          'schema-state': 'legacy',
          'action-taken': 'baseline-stamped-and-migrated',
          'version-after': '0002_orders',
        });
        expect(run.outputs['backup-file']).toMatch(
          new RegExp(`^${emulator.hostDir(HOST)}/backups/db-bootstrap-\\d+T\\d+Z\\.dump$`),
        );
        expect(await tables(server, db)).toEqual(['alembic_version', 'audit_events', 'orders', 'users']);
        expect(emulator.commands().every((c) => !JSON.stringify(c).includes(server.password))).toBe(true);
      } finally {
        await emulator.close();
      }
    });
  },
);
