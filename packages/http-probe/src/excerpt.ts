import { redact } from '@gatehouse/action-kit/secrets';

/**
 * At most `max` characters of a body for a message, redacted first so a cut cannot leave half a
 * secret: text that may echo a request back (an error page) reaches reports, outputs and the
 * summary, which the runner does not mask.
 */
export function excerpt(text: string, secrets: readonly string[], max = 200): string {
  const clean = redact(text, secrets).replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
