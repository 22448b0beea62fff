import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readRegularFile, replaceRegularFile } from './input-file';

/** Far above any record Gatehouse writes; a bigger file there is not one of ours. */
const MAX_RECORD_BYTES = 8 * 1024 * 1024;

/**
 * Each action leaves its result as JSON in `$RUNNER_TEMP/gatehouse/<action>.json`, so `summary`
 * can report the whole job without the workflow wiring every output through.
 */
export function resultRecordDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.RUNNER_TEMP ? join(env.RUNNER_TEMP, 'gatehouse') : undefined;
}

export async function writeResultRecord(action: string, record: object): Promise<string | undefined> {
  const dir = resultRecordDir();
  if (!dir) return undefined;
  const file = join(dir, `${action}.json`);
  const body = { action, writtenAt: new Date().toISOString(), ...record };
  // Written whole and renamed, so a reader never sees half a record.
  replaceRegularFile(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}

export async function readResultRecords(dir: string): Promise<Record<string, Record<string, unknown>>> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return {};
  }
  const records: Record<string, Record<string, unknown>> = {};
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    try {
      const text = readRegularFile(join(dir, name), MAX_RECORD_BYTES);
      if (text !== undefined) records[name.slice(0, -'.json'.length)] = JSON.parse(text);
    } catch {
      // A record that cannot be read (or is not a file) is reported as missing rather than failing the summary.
    }
  }
  return records;
}
