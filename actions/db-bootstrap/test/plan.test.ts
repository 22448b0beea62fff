import { describe, expect, it } from 'vitest';
import { backupsToRemove, lastLineFirstWord } from '../src/database';
import { classify, plan } from '../src/plan';

const snap = (tables: string[], version?: string) => ({
  tables,
  versionTableExists: tables.includes('alembic_version'),
  version,
});
const options = { target: '0002', baseline: '0001', legacyTables: ['users', 'audit_events'] };

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
    expect(plan('legacy', legacy, { ...options, target: '0001' })).toEqual({
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

  it('takes the head from the last line of a tool', () => {
    expect(lastLineFirstWord('0002_orders (head)\n')).toBe('0002_orders');
    expect(lastLineFirstWord('\n')).toBeUndefined();
  });
});
