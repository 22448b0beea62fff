import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The deploy history: one JSON line per deploy, newest last, kept to `maxEntries` lines. The
 * workflow downloads the previous artifact, this appends, the workflow uploads it again. Written
 * whole and renamed, like deploy-state.json on the hosts, so a killed step never leaves half a file.
 */
export async function appendHistory(file: string, entry: object, maxEntries: number): Promise<number> {
  let lines: string[] = [];
  try {
    lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line.trim() !== '');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  // A line someone broke by hand is dropped rather than carried forward or failing the summary.
  const kept = [...lines.filter(isJsonLine), JSON.stringify(entry)].slice(-maxEntries);
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${kept.join('\n')}\n`);
  await rename(temp, file);
  return kept.length;
}

function isJsonLine(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}
