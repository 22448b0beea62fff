/**
 * Parses the files an action writes through `GITHUB_OUTPUT`, `GITHUB_ENV` and `GITHUB_STATE`:
 * `name=value` lines and the heredoc form `name<<DELIMITER` … `DELIMITER`.
 */
export function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const body: string[] = [];
      i++;
      while (i < lines.length && lines[i] !== delimiter) body.push(lines[i++]!);
      if (i >= lines.length) throw new Error(`Unterminated heredoc for '${name}' (delimiter ${delimiter})`);
      values[name!] = body.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`Malformed file command line: ${JSON.stringify(line)}`);
    values[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return values;
}

/** Workflow commands printed on stdout: `::error::`, `::warning::`, `::add-mask::`, groups. */
export interface WorkflowCommands {
  errors: string[];
  warnings: string[];
  notices: string[];
  masks: string[];
}

export function parseWorkflowCommands(stdout: string): WorkflowCommands {
  const found: WorkflowCommands = { errors: [], warnings: [], notices: [], masks: [] };
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(line);
    if (!match) continue;
    const [, command, raw] = match;
    const message = unescapeData(raw!);
    if (command === 'error') found.errors.push(message);
    else if (command === 'warning') found.warnings.push(message);
    else if (command === 'notice') found.notices.push(message);
    else if (command === 'add-mask') found.masks.push(message);
  }
  return found;
}

function unescapeData(value: string): string {
  return value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/** What a person would see in the job log: every masked value replaced by `***`, as the runner does. */
export function applyMasks(text: string, masks: readonly string[]): string {
  let out = text;
  for (const mask of [...masks].sort((a, b) => b.length - a.length)) {
    if (mask.trim() !== '') out = out.split(mask).join('***');
  }
  return out;
}
