import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '@gatehouse/action-kit';
import { type PostgresServer, startPostgres } from '@gatehouse/postgres-test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bootstrap,
  databaseName,
  debianPython,
  djangoDir,
  fixtureCopy,
  group,
  record,
  runPrinted,
  schemaOf,
  tables,
  unavailableReason,
} from './helpers';

const python = await debianPython();
const unavailable = (await unavailableReason()) ?? ('reason' in python ? python.reason : undefined);
const PATH = 'path' in python ? python.path : '';
const fingerprint = { baseline: 'billing.0001_initial', 'legacy-tables': 'shop_product,billing_invoice' };

/** A migration after the baseline that fails: the column it adds is already there. */
const FAILING = `from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0002_product_sku")]
    operations = [migrations.RunSQL("ALTER TABLE shop_product ADD COLUMN name text")]
`;

describe.skipIf(unavailable)(
  `db-bootstrap bundle, Django (two apps), target local${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let server: PostgresServer;
    beforeAll(async () => {
      server = await startPostgres();
    });
    afterAll(async () => server?.stop());

    const django = (database: string, appDir: string, extra: Record<string, string> = {}) =>
      bootstrap(
        {
          'database-url': server.urlFor(database),
          'app-dir': appDir,
          tool: 'django',
          'backup-dir': 'backups',
          ...extra,
        },
        { env: { PATH } },
      );
    const manage = (database: string, ...args: string[]) =>
      runCommand('python', ['manage.py', ...args], {
        cwd: djangoDir,
        env: { ...process.env, PATH, DATABASE_URL: server.urlFor(database) },
      });
    const legacy = async (label: string) => {
      const db = databaseName(label);
      await server.createDatabase(db);
      await server.psql(db, await readFile(join(djangoDir, 'legacy-schema.sql'), 'utf8'));
      return db;
    };
    const applied = async (db: string) =>
      (await server.psql(db, "SELECT app || '.' || name FROM django_migrations ORDER BY id;"))
        .trim()
        .split('\n');

    it('fakes only the baseline and what it depends on, migrates the rest, then finds nothing pending', async () => {
      const db = await legacy('dj_legacy');
      const app = await fixtureCopy(djangoDir, 'django');
      const first = await django(db, app, fingerprint);
      expect(first.errors).toEqual([]);
      expect(first.outputs).toMatchObject({
        'schema-state': 'legacy',
        'action-taken': 'baseline-stamped-and-migrated',
        'version-before': '',
        'version-after': 'shop.0002_product_sku',
      });
      expect(await applied(db)).toEqual([
        'shop.0001_initial',
        'billing.0001_initial',
        'shop.0002_product_sku',
      ]);
      expect(await server.psql(db, 'SELECT name, sku FROM shop_product ORDER BY id;')).toBe(
        'kettle|\nteapot|\n',
      );
      // What each command did, in its group: the stamp faked, the migration applied.
      expect(group(first.stdout, 'db-bootstrap: stamp:')).toContain('Applying billing.0001_initial... FAKED');
      expect(group(first.stdout, 'db-bootstrap: stamp:')).not.toContain('0002_product_sku');
      expect(group(first.stdout, 'db-bootstrap: migrate:')).toContain('Applying shop.0002_product_sku... OK');

      const again = await django(db, app);
      expect(again.errors).toEqual([]);
      expect(again.outputs).toMatchObject({
        'schema-state': 'versioned',
        'action-taken': 'none',
        'version-after': 'shop.0002_product_sku',
        'backup-file': '',
      });
      expect(await readdir(join(app, 'backups'))).toHaveLength(1);

      const verify = await django(db, app, { mode: 'verify' });
      expect(verify.errors).toEqual([]);
      expect(verify.outputs).toMatchObject({
        'action-taken': 'verified',
        'version-after': 'shop.0002_product_sku',
      });
    });

    it('mode verify without expected-version names the pending migrations and changes nothing', async () => {
      const db = databaseName('dj_verify');
      await server.createDatabase(db);
      expect((await manage(db, 'migrate', '--no-input', 'shop', '0001_initial')).exitCode).toBe(0);
      const run = await django(db, await fixtureCopy(djangoDir, 'django'), { mode: 'verify' });
      expect(run.succeeded).toBe(false);
      expect(run.outputs).toMatchObject({ 'action-taken': 'refused', 'version-after': 'shop.0001_initial' });
      expect(run.errors.join('\n')).toContain(
        'migrations are pending: billing.0001_initial, shop.0002_product_sku (mode: verify changes nothing',
      );
      expect(await applied(db)).toEqual(['shop.0001_initial']);
    });

    it('a failing later migration is the migrate step, and the printed restore command gives the schema back', async () => {
      const db = await legacy('dj_failing');
      const beforeSchema = await schemaOf(server, db);
      const app = await fixtureCopy(djangoDir, 'django');
      await writeFile(join(app, 'shop', 'migrations', '0003_fails.py'), FAILING);
      const run = await django(db, app, fingerprint);
      expect(run.succeeded).toBe(false);
      const message = run.errors.join('\n');
      expect(message).toContain('The migrate command failed');
      expect(message).toContain('column "name" of relation "shop_product" already exists');
      const saved = await record(run);
      expect(saved).toMatchObject({ actionTaken: 'failed', failedStep: 'migrate', status: 'failed' });
      // The stamp and 0002 committed before 0003 failed: the table the stamp made, and a column.
      expect(run.outputs['version-after']).toBe('shop.0002_product_sku');
      expect(saved.leftovers).toEqual(['DROP TABLE IF EXISTS public.django_migrations CASCADE']);
      expect(message).toContain(
        'pg_restore --clean alone would leave in place: TABLE public.django_migrations;',
      );

      const restore = String(saved.restoreCommand);
      expect(message).toContain(restore);
      expect(restore).not.toContain(server.password);
      const restored = await runPrinted(restore, server);
      expect(restored.stderr).toBe('');
      expect(restored.exitCode).toBe(0);
      expect(await schemaOf(server, db)).toBe(beforeSchema);
      expect(await tables(server, db)).toEqual(['billing_invoice', 'shop_product']);
      expect(await server.psql(db, 'SELECT count(*) FROM billing_invoice;')).toBe('2\n');
    });

    it('refuses a baseline that is not a migration of the project, before changing anything', async () => {
      const db = await legacy('dj_badbase');
      const app = await fixtureCopy(djangoDir, 'django');
      const run = await django(db, app, { ...fingerprint, baseline: 'billing.0009_nope' });
      expect(run.succeeded).toBe(false);
      expect(run.errors.join('\n')).toContain(
        "Input 'baseline' is billing.0009_nope, which is not a migration of the plan",
      );
      expect(run.outputs['schema-state']).toBe('legacy');
      expect(await tables(server, db)).toEqual(['billing_invoice', 'shop_product']);
      expect(existsSync(join(app, 'backups'))).toBe(false);
    });
  },
);
