/**
 * Secrets in text and in URLs: what to mask, and how text we did not write (a tool's output, an
 * error page, a driver's message) is cleaned before it reaches a log, an output or the summary.
 * The runner masks the log only, and only the values it was told of, so a URL's password is
 * redacted as written (percent-encoded) and decoded, and the password of any URL in the text too.
 * Free of the runner protocol: `mask.ts` tells the runner.
 */

/** Shorter values are never masked or redacted: a `1` starred out everywhere protects nothing. */
export const MIN_SECRET_LENGTH = 3;

/** A URL's password as written and decoded (both can turn up in a tool's output); none if no URL. */
export function urlPasswords(url: string): string[] {
  const written = parsed(url)?.password ?? '';
  if (written === '') return [];
  return [...new Set([written, decoded(written)])];
}

/** The password, decoded: for a child process's environment (PGPASSWORD), never its arguments. */
export function urlPassword(url: string): string | undefined {
  const written = parsed(url)?.password ?? '';
  return written === '' ? undefined : decoded(written);
}

/** The URL with its password removed and its user kept: for a command that is printed. */
export function urlWithoutPassword(url: string): string {
  const value = new URL(url);
  value.password = '';
  return value.toString();
}

/** The URL with neither user nor password: for logs and reports. */
export function urlWithoutCredentials(url: URL | string): string {
  const value = parsed(String(url));
  if (!value) return '(invalid URL)';
  value.username = '';
  value.password = '';
  return value.href;
}

/**
 * `//user:password@` hidden in text that may not even parse as a URL (an input's bad value):
 * everything from `//` to the last `@` before the path, spaces included.
 */
export function hideUserInfo(text: string): string {
  return text.replace(/\/\/[^/?#]*@/g, '//***@');
}

/**
 * The text with each secret replaced by `***` (longest first, so a secret that contains another
 * goes whole), and the password of any `scheme://user:password@` in it: a URL the run never saw
 * (one kept on a host) can still be printed by the tool that uses it.
 */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  const known = secrets.filter((s): s is string => s !== undefined && s.length >= MIN_SECRET_LENGTH);
  for (const secret of [...new Set(known)].sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join('***');
  }
  return out.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi, '$1***@');
}

function parsed(url: string): URL | undefined {
  return URL.canParse(url) ? new URL(url) : undefined;
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // A stray `%` is the password as it is.
    return text;
  }
}
