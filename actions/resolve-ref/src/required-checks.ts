import { ConfigurationError } from '@gatehouse/action-kit';

/** Input `require-checks`: every check on the commit, or the named ones. Empty: no check. */
export type RequiredChecks = { kind: 'all' } | { kind: 'named'; names: string[] };

export const REQUIRE_CHECKS_INPUT = 'require-checks';

const MAX_NAMES = 100;
const MAX_NAME_LENGTH = 255;

/**
 * `all`, or check names separated by newlines or commas. A comma inside parentheses belongs to
 * the name: GitHub names a matrix job `test (ubuntu-latest, 20)`, and splitting it there would
 * require two checks that do not exist.
 */
export function parseRequiredChecks(value: string | undefined): RequiredChecks | undefined {
  if (value === undefined) return undefined;
  if (value === 'all') return { kind: 'all' };
  const names = splitNames(value);
  if (names.length > MAX_NAMES) {
    throw new ConfigurationError(
      `Input '${REQUIRE_CHECKS_INPUT}' lists ${names.length} checks; at most ${MAX_NAMES} (or 'all').`,
    );
  }
  for (const name of names) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse.
    if (name.length > MAX_NAME_LENGTH || /[\x00-\x1f\x7f]/.test(name)) {
      throw new ConfigurationError(
        `Input '${REQUIRE_CHECKS_INPUT}' takes 'all' or check names of at most ${MAX_NAME_LENGTH} characters ` +
          `without control characters; got ${JSON.stringify(name.slice(0, 80))}.`,
      );
    }
    if (/[()]/.test(name) && !balanced(name)) {
      throw new ConfigurationError(
        `Input '${REQUIRE_CHECKS_INPUT}' has a check name with unbalanced parentheses: ${JSON.stringify(name.slice(0, 80))}.`,
      );
    }
  }
  return { kind: 'named', names: [...new Set(names)] };
}

function splitNames(value: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of value) {
    if (char === '(') depth++;
    if (char === ')') depth = Math.max(0, depth - 1);
    if (char === '\n' || (char === ',' && depth === 0)) {
      names.push(current);
      current = '';
      depth = 0;
      continue;
    }
    current += char;
  }
  names.push(current);
  return names.map((name) => name.trim()).filter((name) => name !== '');
}

function balanced(name: string): boolean {
  let depth = 0;
  for (const char of name) {
    if (char === '(') depth++;
    if (char === ')' && --depth < 0) return false;
  }
  return depth === 0;
}
