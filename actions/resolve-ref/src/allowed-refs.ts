import { ConfigurationError } from '@gatehouse/action-kit';

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
