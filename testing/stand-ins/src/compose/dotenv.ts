import { interpolate, type Lookup } from './interpolate';

/**
 * Compose's env file format, used for the project's `.env` / `--env-file` and for a service's
 * `env_file:` (docs: "Set environment variables" → env file syntax; compose-spec/compose-go
 * `dotenv`): `KEY=value` or `KEY: value`, an optional `export ` prefix, `#` comment lines, an inline
 * comment after whitespace on unquoted values, single quotes literal, double quotes with `\n`/`\r`
 * escapes and interpolation (multi-line allowed), unquoted values trimmed and interpolated, and a
 * bare `KEY` taken from the caller's environment. Interpolation looks up the caller's environment
 * first, then the keys defined earlier in the file. Errors name the problem as compose-go does.
 */
export class DotenvError extends Error {}

export function parseDotenv(text: string, lookup: Lookup): Map<string, string> {
  const out = new Map<string, string>();
  const resolve: Lookup = (name) => lookup(name) ?? out.get(name);
  let src = text;
  for (;;) {
    src = statementStart(src);
    if (src === '') break;
    const { key, rest, inherited } = keyName(src);
    if (inherited) {
      const value = lookup(key);
      if (value !== undefined) out.set(key, value);
      src = rest;
      continue;
    }
    const { value, rest: after } = varValue(rest, resolve);
    out.set(key, value);
    src = after;
  }
  return out;
}

function statementStart(src: string): string {
  let rest = src.replace(/^\s+/, '');
  while (rest.startsWith('#')) {
    const newline = rest.indexOf('\n');
    if (newline < 0) return '';
    rest = rest.slice(newline).replace(/^\s+/, '');
  }
  return rest;
}

const SPACE = /[\t\v\f\r \u0085\u00a0]/;

function keyName(src: string): { key: string; rest: string; inherited: boolean } {
  const body = /^export[\t\v\f\r ]/.test(src) ? src.slice('export'.length).replace(/^[\t\v\f\r ]+/, '') : src;
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (SPACE.test(char)) continue;
    if (char === '=' || char === ':' || char === '\n') {
      const key = body.slice(0, i).trimEnd();
      if (key.includes(' ')) throw new DotenvError('key cannot contain a space');
      return {
        key,
        rest: body.slice(i + 1).replace(/^[\t\v\f\r \u0085\u00a0]+/, ''),
        inherited: char === '\n',
      };
    }
    if (char !== '_' && char !== '.' && !/[\p{L}\p{N}]/u.test(char)) {
      throw new DotenvError(
        `unexpected character ${JSON.stringify(char)} in variable name near ${JSON.stringify(body)}`,
      );
    }
  }
  // The last line is a bare key with no newline after it.
  return { key: body.trimEnd(), rest: '', inherited: true };
}

function varValue(src: string, resolve: Lookup): { value: string; rest: string } {
  const quote = src[0];
  if (quote !== '"' && quote !== "'") {
    const newline = src.indexOf('\n');
    const line = newline < 0 ? src : src.slice(0, newline);
    const comment = /\s#/.exec(line);
    const value = (comment ? line.slice(0, comment.index) : line).trimEnd();
    return { value: interpolate(value, resolve), rest: newline < 0 ? '' : src.slice(newline) };
  }
  for (let i = 1; i < src.length; i++) {
    if (src[i] !== quote || src[i - 1] === '\\') continue;
    let value = src.slice(0, i);
    while (value.startsWith(quote)) value = value.slice(1);
    while (value.endsWith(quote)) value = value.slice(0, -1);
    if (quote === '"') value = interpolate(expandEscapes(value), resolve);
    return { value, rest: src.slice(i + 1) };
  }
  const newline = src.indexOf('\n');
  throw new DotenvError(`unterminated quoted value ${newline < 0 ? src : src.slice(0, newline)}`);
}

function expandEscapes(value: string): string {
  return value.replace(/\\(.)/gs, (match, char: string) => {
    if (char === 'n') return '\n';
    if (char === 'r') return '\r';
    // compose-go keeps `\$` as it is (escape `$` with `$$`); any other `\x` becomes `x`.
    return char === '$' ? match : char;
  });
}
