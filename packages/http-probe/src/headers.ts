import { validateHeaderName, validateHeaderValue } from 'node:http';
import { ConfigurationError } from '@gatehouse/action-kit/errors';

/** Headers HTTP lets a client write but the prober must own (or undici refuses), and why. */
const RESERVED: Record<string, string> = {
  'content-length': 'it is computed from the body',
  'transfer-encoding': 'the body is sent whole, with its length',
  connection: 'the prober manages its connections',
  'keep-alive': 'the prober manages its connections',
  upgrade: 'a probe never switches protocols',
  expect: 'the prober does not support 100-continue',
};

/**
 * Checks every header at input time, with Node's own rules for names (an HTTP token) and values (no
 * line breaks or control characters): otherwise a bad header surfaces only as each request fails,
 * retried until the timeout. The message names the header, never its value (it may be a secret).
 */
export function checkHeaders(where: string, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    try {
      validateHeaderName(name);
    } catch {
      throw new ConfigurationError(
        `${where}: ${JSON.stringify(name)} is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_\`|~ only).`,
      );
    }
    const reserved = RESERVED[name.toLowerCase()];
    if (reserved) throw new ConfigurationError(`${where}: header '${name}' cannot be set: ${reserved}.`);
    try {
      validateHeaderValue(name, value);
    } catch {
      throw new ConfigurationError(
        `${where}: the value of header '${name}' holds a character HTTP forbids (a line break or another control character).`,
      );
    }
  }
}
