/**
 * Filling in an example, as a person copying it would: each placeholder the file carries (a value
 * on a `# FILL IN` line, an `example.com` URL, the example account id, an absolute host path) is
 * replaced by the world's value, everywhere it occurs, and nothing else in the file changes.
 */

export interface FillIn {
  /** The text as the example has it, e.g. `https://dev.api.example.com` or `/opt/app`. */
  placeholder: string;
  value: string;
}

const EXAMPLE_DOMAIN = /(^|[./@])example\.com\b/;
const EXAMPLE_ACCOUNT = /\b123456789012\b/;
const ABSOLUTE_PATH = /^\/[\w.-]+(\/[\w.-]+)*$/;

/** Why a placeholder is one: undefined when it is not. */
export function placeholderKind(placeholder: string, text: string): string | undefined {
  if (EXAMPLE_DOMAIN.test(placeholder)) return 'an example.com address';
  if (EXAMPLE_ACCOUNT.test(placeholder)) return 'the example AWS account';
  if (ABSOLUTE_PATH.test(placeholder)) return 'an absolute path on the host';
  const lines = text.split('\n').filter((line) => line.includes(placeholder));
  if (lines.length > 0 && lines.every((line) => /#\s*FILL IN\b/.test(line))) return 'a value marked FILL IN';
  return undefined;
}

/** Problems with a fill-in table for a file: a placeholder that is not one, or is not in the file. */
export function fillInProblems(text: string, fillIns: readonly FillIn[]): string[] {
  const problems: string[] = [];
  for (const { placeholder } of fillIns) {
    if (!text.includes(placeholder)) problems.push(`'${placeholder}' is not in the file`);
    else if (!placeholderKind(placeholder, text))
      problems.push(
        `'${placeholder}' is not a placeholder (no example.com address, example account, host path or FILL IN mark)`,
      );
  }
  return problems;
}

/** The file with every placeholder replaced (longest first, so a URL's prefix never splits it). */
export function applyFillIns(text: string, fillIns: readonly FillIn[]): string {
  const problems = fillInProblems(text, fillIns);
  if (problems.length > 0) throw new Error(`Cannot fill in the file: ${problems.join('; ')}`);
  const ordered = [...fillIns].sort((a, b) => b.placeholder.length - a.placeholder.length);
  const marker = (index: number) => `\u0000${index}\u0000`;
  let filled = text;
  // Two passes through markers, so a value that contains another placeholder is left alone.
  ordered.forEach(({ placeholder }, index) => {
    filled = filled.split(placeholder).join(marker(index));
  });
  ordered.forEach(({ value }, index) => {
    filled = filled.split(marker(index)).join(value);
  });
  return filled;
}

/**
 * An absolute path on a host as the world's hosts hold it: relative to the host's folder, which is
 * where the SSM agent runs every command (so `/opt/app` is `opt/app` of that host).
 */
export function onHost(path: string): string {
  if (!path.startsWith('/')) throw new Error(`Not an absolute host path: ${path}`);
  return path.replace(/^\/+/, '');
}
