import type { Snapshot } from './database';
import { migrateAfterStamp, reached, type Target } from './target';

export type SchemaState = 'empty' | 'legacy' | 'versioned';

/**
 * `versioned` when the tool's version table exists (even with nothing else), `empty` with no
 * user tables, `legacy` when tables exist but no version table: the `DuplicateTable` incident.
 */
export function classify(snapshot: Snapshot): SchemaState {
  if (snapshot.versionTableExists) return 'versioned';
  return snapshot.tables.length === 0 ? 'empty' : 'legacy';
}

export interface FingerprintDiff {
  missing: string[];
  /** Present but not in the fingerprint: shown, never a reason to refuse. */
  extra: string[];
}

export function fingerprintDiff(tables: readonly string[], fingerprint: readonly string[]): FingerprintDiff {
  const present = new Set(tables);
  const expected = new Set(fingerprint);
  return {
    missing: fingerprint.filter((table) => !present.has(table)),
    extra: tables.filter((table) => !expected.has(table)),
  };
}

export type Plan =
  | { kind: 'up-to-date' }
  | { kind: 'refuse'; reason: string }
  | { kind: 'change'; stamp: boolean; migrate: boolean };

/**
 * What to do, decided from the classification alone: stamp only a legacy schema whose fingerprint
 * matches; migrate unless the database is already at the target. Never stamp empty or versioned.
 */
export function plan(
  state: SchemaState,
  snapshot: Snapshot,
  options: { target: Target; baseline: string | undefined; legacyTables: string[] },
): Plan {
  if (state === 'legacy') {
    if (!options.baseline || options.legacyTables.length === 0) {
      return {
        kind: 'refuse',
        reason:
          'The database has tables but no migration version table (a legacy schema). Set inputs ' +
          "'baseline' (the revision that matches this schema) and 'legacy-tables' (its tables, the " +
          'fingerprint) so it can be stamped safely.',
      };
    }
    const diff = fingerprintDiff(snapshot.tables, options.legacyTables);
    if (diff.missing.length > 0) return { kind: 'refuse', reason: fingerprintMessage(diff) };
    return { kind: 'change', stamp: true, migrate: migrateAfterStamp(options.target, options.baseline) };
  }
  if (state === 'versioned' && reached(options.target, snapshot) === true) return { kind: 'up-to-date' };
  return { kind: 'change', stamp: false, migrate: true };
}

export function fingerprintMessage(diff: FingerprintDiff): string {
  return (
    `Refusing to stamp the baseline: the legacy schema does not match 'legacy-tables'. ` +
    `Missing tables: ${diff.missing.join(', ')}.` +
    (diff.extra.length > 0 ? ` Tables present but not in the fingerprint: ${diff.extra.join(', ')}.` : '')
  );
}
