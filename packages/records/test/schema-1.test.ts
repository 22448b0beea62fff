import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTION_NAMES, readRecords } from '../src/index';

/**
 * Records as the bundles wrote them in schema 1 (a rollback job's, from summary's pipeline test),
 * kept as they are: a newer reader must still read every one. Changing a record's fields without a
 * new schema and an upgrade from this one fails here.
 */
const dir = join(import.meta.dirname, 'schema-1');

describe('records written in schema 1', () => {
  it('are all still read, one of every action', () => {
    const job = readRecords(dir);
    expect(job.problems).toEqual([]);
    expect(job.records.every((r) => r.schema === 1)).toBe(true);
    expect([...new Set(job.records.map((r) => r.action))].sort()).toEqual([...ACTION_NAMES].sort());
    expect(job.records).toHaveLength(readdirSync(dir).length);
  });
});
