import { describe, expect, it } from 'vitest';
import { backupsToRemove, leftoversOf } from '../src/database';
import { classify, plan } from '../src/plan';
import { parseHead, pendingAfterFake, type Target } from '../src/target';

const snap = (tables: string[], version?: string) => ({
  tables,
  versionTableExists: tables.includes('alembic_version'),
  version,
});
const head: Target = { kind: 'version', version: '0002' };
const options = { target: head, baseline: '0001', legacyTables: ['users', 'audit_events'] };

describe('classify and plan', () => {
  it('never stamps an empty or a versioned database', () => {
    expect(classify(snap([]))).toBe('empty');
    expect(plan('empty', snap([]), options)).toEqual({ kind: 'change', stamp: false, migrate: true });
    const versioned = snap(['alembic_version', 'users'], '0001');
    expect(classify(versioned)).toBe('versioned');
    expect(plan('versioned', versioned, options)).toEqual({ kind: 'change', stamp: false, migrate: true });
    expect(plan('versioned', snap(['alembic_version'], '0002'), options)).toEqual({ kind: 'up-to-date' });
  });

  it('stamps a legacy database only when every fingerprint table exists', () => {
    const legacy = snap(['audit_events', 'users', 'extra']);
    expect(classify(legacy)).toBe('legacy');
    expect(plan('legacy', legacy, options)).toEqual({ kind: 'change', stamp: true, migrate: true });
    expect(plan('legacy', legacy, { ...options, target: { kind: 'version', version: '0001' } })).toEqual({
      kind: 'change',
      stamp: true,
      migrate: false,
    });
    const partial = plan('legacy', snap(['users']), options);
    expect(partial).toMatchObject({ kind: 'refuse' });
    expect(partial.kind === 'refuse' && partial.reason).toContain('Missing tables: audit_events.');
    expect(plan('legacy', legacy, { ...options, legacyTables: [] })).toMatchObject({ kind: 'refuse' });
  });

  it('prunes only its own backups, oldest first', () => {
    const names = [
      'db-bootstrap-20200101T000000000Z.dump',
      'db-bootstrap-20210101T000000000Z.dump',
      'other.dump',
      'db-bootstrap-20190101T000000000Z.dump',
    ];
    expect(backupsToRemove(names, 'db-bootstrap', 2)).toEqual(['db-bootstrap-20190101T000000000Z.dump']);
  });

  it('lists as leftovers only what the database holds now and did not before', () => {
    expect(leftoversOf(['DROP TABLE a', 'DROP TABLE b'], ['DROP TABLE a', 'DROP TABLE c'])).toEqual([
      'DROP TABLE c',
    ]);
  });
});

describe('the head', () => {
  it('takes the newest migration from the last line of a tool', () => {
    expect(parseHead('0002_orders (head)\n')).toEqual({ kind: 'version', version: '0002_orders' });
    expect(parseHead('\n')).toBeUndefined();
  });

  it("reads Django's plan: at the head when nothing is pending", () => {
    const target = parseHead(
      [
        '[X]  shop.0001_initial',
        '[ ]  billing.0001_initial ... (shop.0001_initial)',
        '[ ]  shop.0002_product_sku ... (shop.0001_initial)',
      ].join('\n'),
    )!;
    const django = (tables: string[], version?: string) => ({ tables, versionTableExists: true, version });
    expect(target.kind).toBe('plan');
    expect(
      plan('versioned', django(['django_migrations'], 'shop.0001_initial'), { ...options, target }),
    ).toEqual({ kind: 'change', stamp: false, migrate: true });
    const done = parseHead('[X]  shop.0001_initial\n[X]  shop.0002_product_sku ... (shop.0001_initial)\n')!;
    expect(
      plan('versioned', django(['django_migrations'], 'shop.0002_product_sku'), { ...options, target: done }),
    ).toEqual({ kind: 'up-to-date' });
    expect(parseHead('(no migrations)\n')).toEqual({ kind: 'plan', migrations: [] });
  });

  it('fakes a baseline with what it depends on, and leaves the rest to migrate', () => {
    const target = parseHead(
      [
        '[ ]  shop.0001_initial',
        '[ ]  billing.0001_initial ... (shop.0001_initial)',
        '[ ]  shop.0002_product_sku ... (shop.0001_initial)',
      ].join('\n'),
    );
    if (target?.kind !== 'plan') throw new Error('not a plan');
    expect(pendingAfterFake(target.migrations, 'billing.0001_initial')).toEqual(['shop.0002_product_sku']);
    expect(pendingAfterFake(target.migrations, 'shop.0002_product_sku')).toEqual(['billing.0001_initial']);
    expect(pendingAfterFake(target.migrations, 'shop.0009_missing')).toBeUndefined();
    const legacy = { tables: ['shop_product'], versionTableExists: false, version: undefined };
    const fingerprint = { target, legacyTables: ['shop_product'] };
    expect(plan('legacy', legacy, { ...fingerprint, baseline: 'billing.0001_initial' })).toEqual({
      kind: 'change',
      stamp: true,
      migrate: true,
    });
  });
});
