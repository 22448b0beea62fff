import type { Release } from './sample-service';

/**
 * What the demo deploys: four releases of one service, their migrations, and the legacy schema
 * the dev database starts with (created by hand years ago: plain SQL, no migrations table).
 */
export interface DemoRelease extends Release {
  title: string;
  /** The migrations this release's checkout ships (names without `.sql`, oldest first). */
  migrations: string[];
}

export const BASELINE = '1700000000000_legacy-baseline';
const ORDERS_STATUS = '1700000000100_orders-status';
const CUSTOMER_NAMES = '1700000000200_customer-display-names';

/** The tables the legacy schema must have before it is stamped with the baseline. */
export const LEGACY_TABLES = ['customers', 'orders', 'app_settings'];

export const RELEASES = {
  first: {
    title: 'Release 1 (legacy schema is stamped and migrated)',
    tag: 'r1',
    sha: 'a1c0ffee0000000000000000000000000000c0de',
    database: 'dev',
    migrations: [BASELINE, ORDERS_STATUS],
  },
  second: {
    title: 'Release 2',
    tag: 'r2',
    sha: 'b2c0ffee0000000000000000000000000000c0de',
    database: 'dev',
    migrations: [BASELINE, ORDERS_STATUS, CUSTOMER_NAMES],
  },
  broken: {
    title: 'Release 3 is broken (a failing dependency)',
    tag: 'r3',
    sha: 'c3c0ffee0000000000000000000000000000c0de',
    database: 'dev',
    broken: true,
    migrations: [BASELINE, ORDERS_STATUS, CUSTOMER_NAMES],
  },
  wrongDatabase: {
    title: "Release 4 points at stage's database",
    tag: 'r4',
    sha: 'd4c0ffee0000000000000000000000000000c0de',
    database: 'stage',
    migrations: [BASELINE, ORDERS_STATUS, CUSTOMER_NAMES],
  },
} satisfies Record<string, DemoRelease>;

export const ALL_RELEASES: DemoRelease[] = Object.values(RELEASES);

/** The schema as it was created by hand, before anyone used a migration tool. */
export function legacySchemaSql(environment: string): string {
  return `
    CREATE TABLE customers (id serial PRIMARY KEY, email text NOT NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE orders (id serial PRIMARY KEY, customer_id integer NOT NULL REFERENCES customers (id), total_cents integer NOT NULL);
    CREATE TABLE app_settings (key text PRIMARY KEY, value text NOT NULL);
    INSERT INTO app_settings (key, value) VALUES ('environment', '${environment}');
    INSERT INTO customers (email) VALUES ('ada@example.com'), ('grace@example.com');
    INSERT INTO orders (customer_id, total_cents) VALUES (1, 4200), (2, 1999);
  `;
}

/** node-pg-migrate SQL migrations, by name. The baseline recreates the legacy schema on a new database. */
export const MIGRATION_SQL: Record<string, { up: string; down: string }> = {
  [BASELINE]: {
    up: legacySchemaSql('dev').replace(/ *INSERT INTO .*\n/g, ''),
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
export function headOf(release: DemoRelease): string {
  return release.migrations[release.migrations.length - 1]!;
}
