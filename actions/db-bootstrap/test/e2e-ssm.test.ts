import { existsSync } from 'node:fs';
import { chmod, cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type PostgresServer, startPostgres } from '@gatehouse/postgres-test-server';
import { startSsmEmulator } from '@gatehouse/ssm-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alembicDir,
  bootstrap,
  legacyDatabase,
  record,
  runPrinted,
  schemaOf,
  tables,
  unavailableReason,
} from './helpers';

const unavailable = await unavailableReason();
const HOST = 'i-0ddddddddddddddd4';
const AWS = { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };

/** The app checkout on an emulated host, with a prefix that holds the URL like a container would. */
async function appOnHost(hostDir: string, url: string): Promise<void> {
  const app = join(hostDir, 'app');
  await cp(alembicDir, app, { recursive: true });
  // Stands in for `docker compose exec -T web`: the URL lives only in the "container" environment.
  const wrapper = join(app, 'in-app-env');
  await writeFile(wrapper, `#!/bin/bash\nexport DATABASE_URL='${url}'\nexec "$@"\n`);
  await chmod(wrapper, 0o755);
}

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
        await appOnHost(emulator.hostDir(HOST), server.urlFor(db));
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
          { env: { ...AWS, AWS_ENDPOINT_URL_SSM: emulator.endpoint } },
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

    it('prints a restore command that, run on the host as printed, gives back the schema from before a failed run', async () => {
      const db = await legacyDatabase(server, 'ssm_restore');
      await server.psql(db, 'CREATE TABLE orders (id int);');
      const beforeSchema = await schemaOf(server, db);
      const emulator = await startSsmEmulator({ hosts: [HOST] });
      try {
        await appOnHost(emulator.hostDir(HOST), server.urlFor(db));
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
          { env: { ...AWS, AWS_ENDPOINT_URL_SSM: emulator.endpoint } },
        );
        expect(run.succeeded).toBe(false);
        expect(run.errors.join('\n')).toContain('The migrate command failed');
        const saved = await record(run);
        expect(saved).toMatchObject({
          actionTaken: 'failed',
          versionAfter: '0001_baseline',
          failedStep: 'migrate',
          leftovers: ['DROP TABLE IF EXISTS public.alembic_version CASCADE'],
        });
        const restore = String(saved.restoreCommand);
        expect(restore).toMatch(/^cd 'app' && '.\/in-app-env' sh -c /);
        expect(restore).not.toContain(server.password);
        const restored = await runPrinted(restore, server, emulator.hostDir(HOST));
        expect(restored.stderr).toBe('');
        expect(restored.exitCode).toBe(0);
        expect(await schemaOf(server, db)).toBe(beforeSchema);
        expect(await tables(server, db)).toEqual(['audit_events', 'orders', 'users']);
      } finally {
        await emulator.close();
      }
    });

    it('refuses tags that match several hosts, naming them, and changes nothing', async () => {
      const db = await legacyDatabase(server, 'ssm_tags');
      const hosts = ['i-0eeeeeeeeeeeeeee5', 'i-0fffffffffffffff6'];
      const emulator = await startSsmEmulator({
        hosts: hosts.map((id) => ({ id, tags: { app: 'api', env: 'dev' } })),
      });
      try {
        for (const id of hosts) await appOnHost(emulator.hostDir(id), server.urlFor(db));
        const run = await bootstrap(
          {
            target: 'ssm',
            'instance-tags': 'app=api\nenv=dev',
            'app-dir': 'app',
            'command-prefix': './in-app-env',
            baseline: '0001_baseline',
            'legacy-tables': 'users,audit_events',
            'backup-dir': '../backups',
          },
          { env: { ...AWS, AWS_ENDPOINT_URL_SSM: emulator.endpoint } },
        );
        expect(run.succeeded).toBe(false);
        expect(run.errors).toHaveLength(1);
        expect(run.errors[0]).toMatch(
          /^Configuration error: db-bootstrap migrates the database from exactly one host/,
        );
        expect(run.errors[0]).toContain(`matched 2 (${hosts.join(', ')})`);
        expect(run.errors[0]).toContain("'instance-tags'");
        // Only the inspection was sent; the legacy schema is as it was, with no backup taken.
        expect(emulator.commands()).toHaveLength(1);
        expect(await tables(server, db)).toEqual(['audit_events', 'users']);
        for (const id of hosts) expect(existsSync(join(emulator.hostDir(id), 'backups'))).toBe(false);
      } finally {
        await emulator.close();
      }
    });
  },
);
