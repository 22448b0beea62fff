import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

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
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${action}.json`);
  const temp = `${file}.${process.pid}.tmp`;
  const body = { action, writtenAt: new Date().toISOString(), ...record };
  // Written whole and renamed, so a reader never sees half a record.
  await writeFile(temp, `${JSON.stringify(body, null, 2)}\n`);
  await rename(temp, file);
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
      records[name.slice(0, -'.json'.length)] = JSON.parse(await readFile(join(dir, name), 'utf8'));
    } catch {
      // A record that cannot be read is reported as missing rather than failing the summary.
    }
  }
  return records;
}
