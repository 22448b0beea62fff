import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '@gatehouse/action-kit/errors';
import { readRegularFile } from '@gatehouse/action-kit/input-file';
import { runContext } from '@gatehouse/action-kit/run-context';
import { isPlainObject } from '@gatehouse/action-kit/shape';
import {
  type ActionName,
  isActionName,
  type RecordBody,
  type ResultRecord,
  readCurrent,
  SCHEMA,
} from './registry';

/** Far above any record Gatehouse writes; a bigger file there is not one of ours. */
const MAX_RECORD_BYTES = 8 * 1024 * 1024;

/**
 * Each action leaves its result as JSON in `$RUNNER_TEMP/gatehouse/`, so `summary` and `rollback`
 * read the whole job without the workflow wiring every output through. The runner empties
 * RUNNER_TEMP for each job, so the folder holds this job's records only.
 */
export function resultRecordDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.RUNNER_TEMP ? join(env.RUNNER_TEMP, 'gatehouse') : undefined;
}

/**
 * `smoke-check.json` for an action's first record in the job, `smoke-check.2.json` for its second
 * (the gate run again after a rollback), and so on: attempts never overwrite one another, and the
 * first attempt keeps the name records have always had.
 */
export function recordFileName(action: string, attempt: number): string {
  return attempt === 1 ? `${action}.json` : `${action}.${attempt}.json`;
}

const RECORD_FILE = /^([a-z][a-z-]*?)(?:\.([1-9][0-9]*))?\.json$/;

function parseFileName(name: string): { action: string; attempt: number } | undefined {
  const match = RECORD_FILE.exec(name);
  if (!match?.[1]) return undefined;
  const attempt = match[2] === undefined ? 1 : Number(match[2]);
  return recordFileName(match[1], attempt) === name ? { action: match[1], attempt } : undefined;
}

export interface WriteOptions {
  env?: NodeJS.ProcessEnv;
  /** When the step began; by default when this process began, which the runner starts for the step. */
  startedAt?: Date;
  now?: () => Date;
}

/**
 * Writes the action's record as its next attempt in this job. The file is written whole under a
 * temp name, then linked to its attempt's name, which fails if that name exists: a record is never
 * half-written, and never replaces another. Nothing is written outside a runner (no RUNNER_TEMP).
 */
export async function writeRecord<A extends ActionName>(
  action: A,
  body: RecordBody<A>,
  options: WriteOptions = {},
): Promise<{ file: string; attempt: number } | undefined> {
  const env = options.env ?? process.env;
  const dir = resultRecordDir(env);
  if (!dir) return undefined;
  mkdirSync(dir, { recursive: true });
  const startedAt = (options.startedAt ?? new Date(performance.timeOrigin)).toISOString();
  const finishedAt = (options.now?.() ?? new Date()).toISOString();
  const taken = attemptsIn(dir, action);
  for (let attempt = taken + 1; attempt <= taken + 100; attempt++) {
    const record = {
      schema: SCHEMA,
      action,
      attempt,
      step: runContext(env).action ?? null,
      startedAt,
      finishedAt,
      ...body,
    };
    const file = join(dir, recordFileName(action, attempt));
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(temp, `${JSON.stringify(record, null, 2)}\n`, { flag: 'wx' });
    try {
      linkSync(temp, file);
      return { file, attempt };
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    } finally {
      rmSync(temp, { force: true });
    }
  }
  throw new Error(`${dir}: could not find a free name for ${action}'s record`);
}

function attemptsIn(dir: string, action: string): number {
  return readdirSync(dir).filter((name) => parseFileName(name)?.action === action).length;
}

/** A file in the records folder that could not be read as a record, and why. */
export interface RecordProblem {
  file: string;
  problem: string;
}

export interface JobRecords {
  /** Every readable record, in the order the steps started. */
  records: ResultRecord[];
  /** Every file that is not a readable record: a summary reports these, never drops them. */
  problems: RecordProblem[];
}

/** The records a job's steps left in `dir`, each checked against its action's type. */
export function readRecords(dir: string): JobRecords {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return { records: [], problems: [] };
    return { records: [], problems: [{ file: dir, problem: `cannot be listed: ${errorMessage(error)}` }] };
  }
  const records: ResultRecord[] = [];
  const problems: RecordProblem[] = [];
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    try {
      records.push(readRecordFile(join(dir, name), name));
    } catch (error) {
      problems.push({ file: name, problem: errorMessage(error) });
    }
  }
  records.sort(
    (a, b) =>
      a.startedAt.localeCompare(b.startedAt) ||
      a.finishedAt.localeCompare(b.finishedAt) ||
      a.attempt - b.attempt,
  );
  return { records, problems };
}

function readRecordFile(path: string, name: string): ResultRecord {
  const named = parseFileName(name);
  if (!named) throw new Error('is not named as a record (<action>.json or <action>.<attempt>.json)');
  if (!isActionName(named.action)) throw new Error(`names no Gatehouse action ('${named.action}')`);
  const text = readRegularFile(path, MAX_RECORD_BYTES);
  if (text === undefined) throw new Error('was removed while it was being read');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`is not JSON (${errorMessage(error)})`);
  }
  if (!isPlainObject(value)) throw new Error('is not a JSON object');
  const schema = value.schema;
  if (schema === undefined) {
    throw new Error(
      'has no schema version: an older Gatehouse release wrote it. Use one release for every Gatehouse step of the job.',
    );
  }
  if (typeof schema !== 'number' || schema > SCHEMA) {
    throw new Error(
      `is in schema ${JSON.stringify(schema)}, newer than this release reads (${SCHEMA}). ` +
        'Use one release for every Gatehouse step of the job.',
    );
  }
  if (value.action !== named.action || value.attempt !== named.attempt) {
    throw new Error(
      `says it is ${JSON.stringify(value.action)}'s attempt ${JSON.stringify(value.attempt)}, not what its name says`,
    );
  }
  return readCurrent(named.action, value, named.action);
}

/** The action's records in this job, first attempt first. */
export function attemptsOf<A extends ActionName>(job: JobRecords, action: A): ResultRecord<A>[] {
  return job.records
    .filter((r): r is ResultRecord<A> => r.action === action)
    .sort((a, b) => a.attempt - b.attempt);
}

/** The action's newest record in this job. */
export function latestOf<A extends ActionName>(job: JobRecords, action: A): ResultRecord<A> | undefined {
  return attemptsOf(job, action).at(-1);
}
