/**
 * Tools print what they connect to, and some print the whole database URL. Before their output is
 * shown, the secrets this run knows (the URL's password, as given and decoded) are replaced, and so
 * is the password of any URL, for a URL the run never saw (one kept on the host).
 */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  const known = secrets.filter((s): s is string => s !== undefined && s !== '');
  for (const secret of [...new Set(known)].sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join('***');
  }
  return out.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi, '$1***@');
}

/** The password of a URL, as written and decoded, for `redact`. */
export function urlSecrets(url: string): string[] {
  try {
    const password = new URL(url).password;
    return password ? [password, decodeURIComponent(password)] : [];
  } catch {
    return [];
  }
}
