/** Small markdown builders that keep user text from breaking a table or a code span. */

const CELL_MAX = 300;

/** Text for a table cell: one line, no pipe that would split the cell, cut if very long. */
export function cell(text: string | undefined, max = CELL_MAX): string {
  if (text === undefined || text === '') return '—';
  const oneLine = text.replace(/\r?\n/g, ' ⏎ ').replace(/\|/g, '\\|');
  const chars = [...oneLine];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : oneLine;
}

/** A code span that survives backticks in the value. */
export function code(text: string | undefined): string {
  if (text === undefined || text === '') return '—';
  const value = cell(text);
  const fence = value.includes('`') ? '``' : '`';
  return `${fence}${fence === '``' ? ` ${value} ` : value}${fence}`;
}

export function link(text: string, url: string | undefined): string {
  return url ? `[${text}](${url})` : text;
}

export interface Table {
  markdown: string;
  /** Rows left out because of `maxRows`. */
  omitted: number;
}

/**
 * A table of at most `maxRows` rows; callers sort what matters (failures) first, so the cut keeps
 * it, and the note says how many rows are missing and where the whole list is.
 */
export function table(
  allHeaders: string[],
  allRows: string[][],
  maxRows: number,
  omittedNote?: (n: number) => string,
): string {
  // A column that is empty in every row (no host has a note, no check was redirected) is noise.
  const keep = allHeaders.map((_, i) => i === 0 || allRows.some((row) => row[i] !== '—'));
  const headers = allHeaders.filter((_, i) => keep[i]);
  const rows = allRows.map((row) => row.filter((_, i) => keep[i]));
  const shown = rows.slice(0, maxRows);
  const lines = [
    `| ${headers.join(' | ')} |`,
    `|${headers.map(() => '---').join('|')}|`,
    ...shown.map((row) => `| ${row.join(' | ')} |`),
  ];
  const omitted = rows.length - shown.length;
  if (omitted > 0) {
    lines.push('', `_${omittedNote ? omittedNote(omitted) : `${omitted} more rows not shown.`}_`);
  }
  return lines.join('\n');
}

/** The job summary limit is 1 MiB per step; stay well inside it, cutting on a line. */
export function fitSummary(markdown: string, maxBytes: number): string {
  if (Buffer.byteLength(markdown, 'utf8') <= maxBytes) return markdown;
  const note = `\n\n_The summary was cut here: it would have been larger than ${Math.floor(maxBytes / 1024)} KiB, the most a job summary may hold. The full results are in each action's outputs and result records._\n`;
  const budget = maxBytes - Buffer.byteLength(note, 'utf8');
  let cut = Buffer.from(markdown, 'utf8').subarray(0, budget).toString('utf8');
  // A partial multi-byte character decodes as U+FFFD; drop it along with the partial line.
  cut = cut.slice(0, Math.max(cut.lastIndexOf('\n'), 0));
  return `${cut}${note}`;
}
