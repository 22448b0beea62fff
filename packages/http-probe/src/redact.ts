/**
 * Text that may echo a request back (an error page, a body excerpt) is redacted before it reaches
 * a report, an output or the summary: the runner masks the log, but not the files we write.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 3) out = out.split(secret).join('***');
  }
  return out;
}

/** At most `max` characters of a body for a message, redacted first so a cut cannot leave half a secret. */
export function excerpt(text: string, secrets: readonly string[], max = 200): string {
  const clean = redact(text, secrets).replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
