import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fail } from './context';

/**
 * `docker run --env-file`, as docker's CLI parses it (docs: "docker container run", --env-file;
 * docker/cli `opts` kvfile parser): one `KEY=value` a line, taken literally — no quotes removed, no
 * `$VAR` expanded, nothing trimmed after the `=`; `#` starts a comment only at the start of a line;
 * a bare `KEY` takes the caller's value when the caller has one; a key with whitespace, or none, is
 * an error naming the file. Compose's env files follow other rules (see compose/dotenv.ts).
 */
export function readDockerEnvFile(
  file: string,
  cwd: string,
  lookup: (name: string) => string | undefined,
): [string, string][] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(resolve(cwd, file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    fail(125, runError(`open ${file}: ${code === 'ENOENT' ? 'no such file or directory' : String(code)}`));
  }
  const entries: [string, string][] = [];
  const lines = bytes.toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, index) => {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (index === 0 && line.startsWith('\uFEFF')) line = line.slice(1);
    if (line.includes('\uFFFD')) {
      fail(125, runError(`invalid env file (${file}): invalid utf8 bytes at line ${index + 1}`));
    }
    line = line.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) return;
    const equals = line.indexOf('=');
    const key = (equals < 0 ? line : line.slice(0, equals)).replace(/^[ \t\n\v\f\r]+/, '');
    if (/[ \t\n\v\f\r]/.test(key)) {
      fail(125, runError(`invalid env file (${file}): variable '${key}' contains whitespaces`));
    }
    if (key === '') fail(125, runError(`invalid env file (${file}): no variable name on line '${line}'`));
    if (equals >= 0) entries.push([key, line.slice(equals + 1)]);
    else {
      const value = lookup(key);
      if (value !== undefined) entries.push([key, value]);
    }
  });
  return entries;
}

function runError(message: string): string {
  return `docker: ${message}\n\nRun 'docker run --help' for more information`;
}
