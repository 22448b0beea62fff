import { ConfigurationError } from '@gatehouse/action-kit';

type Token = { kind: 'literal'; char: string } | { kind: 'any' } | { kind: 'star' } | { kind: 'globstar' };

function tokens(glob: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*' && glob[i + 1] === '*') {
      out.push({ kind: 'globstar' });
      i++;
    } else if (char === '*') out.push({ kind: 'star' });
    else if (char === '?') out.push({ kind: 'any' });
    else out.push({ kind: 'literal', char });
  }
  return out;
}

/**
 * Whether `text` matches `glob`: `*` matches within one path segment, `**` across segments, `?`
 * one character but `/`; everything else is literal. Matched by walking the pattern once over the
 * set of reachable positions (time: pattern × text), not by building a regular expression, which
 * a long pattern makes too large to compile and a pattern full of `**` makes slow to run.
 */
export function globMatches(glob: string, text: string): boolean {
  let reach = new Array<boolean>(text.length + 1).fill(false);
  reach[0] = true;
  for (const token of tokens(glob)) {
    const next = new Array<boolean>(text.length + 1).fill(false);
    for (let i = 0; i <= text.length; i++) {
      if (token.kind === 'star' || token.kind === 'globstar') {
        const extends_ = i > 0 && next[i - 1]! && (token.kind === 'globstar' || text[i - 1] !== '/');
        next[i] = reach[i]! || extends_;
      } else if (i > 0 && reach[i - 1]) {
        const char = text[i - 1]!;
        next[i] = token.kind === 'any' ? char !== '/' : char === token.char;
      }
    }
    reach = next;
  }
  return reach[text.length]!;
}

/** No ref git hosts accept is longer (input 'ref' is held to the same), so no useful pattern is either. */
const MAX_PATTERN_LENGTH = 255;
const MAX_PATTERNS = 100;

/** Checks the patterns of `allowed-refs` once, at input time, naming the input and the limit broken. */
export function checkRefGlobs(inputName: string, globs: readonly string[]): string[] {
  if (globs.length > MAX_PATTERNS) {
    throw new ConfigurationError(
      `Input '${inputName}' lists ${globs.length} patterns; at most ${MAX_PATTERNS} are allowed (use * and ** to cover many refs).`,
    );
  }
  for (const glob of globs) {
    if (glob.length > MAX_PATTERN_LENGTH) {
      throw new ConfigurationError(
        `Input '${inputName}' has a pattern of ${glob.length} characters; each may be at most ${MAX_PATTERN_LENGTH}, as a ref is.`,
      );
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse.
    if (/[\s\x00-\x1f\x7f]/.test(glob)) {
      throw new ConfigurationError(
        `Input '${inputName}' has a pattern with whitespace or a control character, which no ref contains: ${JSON.stringify(glob.slice(0, 80))}.`,
      );
    }
  }
  return [...globs];
}
