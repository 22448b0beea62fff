import { readInputFile, replaceInputFile } from '@gatehouse/action-kit';

/**
 * The most a history file may hold: history-size's maximum of lines, each far under 1 KiB, with room
 * to spare. A bigger file is not a Gatehouse history.
 */
const MAX_HISTORY_BYTES = 32 * 1024 * 1024;

/**
 * The deploy history: one JSON line per deploy, newest last, kept to `maxEntries` lines. The
 * workflow downloads the previous artifact, this appends, the workflow uploads it again. Written
 * whole and renamed, like deploy-state.json on the hosts, so a killed step never leaves half a file;
 * only a regular file (or a new one) is read and written, so a path such as /proc/self/fd/1 or
 * /dev/zero fails naming the input instead of hanging the step.
 */
export function appendHistory(file: string, entry: object, maxEntries: number): number {
  const lines = (readInputFile('history-file', file, MAX_HISTORY_BYTES) ?? '')
    .split('\n')
    .filter((line) => line.trim() !== '');
  // A line someone broke by hand is dropped rather than carried forward or failing the summary.
  const kept = [...lines.filter(isJsonLine), JSON.stringify(entry)].slice(-maxEntries);
  replaceInputFile('history-file', file, `${kept.join('\n')}\n`);
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
