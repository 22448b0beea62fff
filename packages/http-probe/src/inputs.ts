import * as core from '@actions/core';
import { ConfigurationError, input, mask, readInputFile } from '@gatehouse/action-kit';
import { recordOf, text } from '@gatehouse/action-kit/shape';
import { structured } from '@gatehouse/action-kit/structured';
import { checkHeaders } from './headers';
import type { PollOptions } from './poll';
import { DEFAULT_CREDENTIAL_HEADERS, type ProberOptions } from './prober';
import { REDIRECT_MODES } from './redirect';

/**
 * The HTTP inputs smoke-check and health-deep-gate share, read the same way in both: common
 * headers (every value masked), timeouts, redirects and TLS. A separate entry point
 * (`@gatehouse/http-probe/inputs`), so the prober itself never reads an action input.
 */
export interface HttpSettings {
  headers: Record<string, string>;
  prober: ProberOptions;
  poll: Omit<PollOptions, 'clock'>;
  /** Lower-case names of the headers whose values are credentials. */
  credentialHeaders: string[];
  /** Every value masked at input time, for redacting text we did not write ourselves. */
  secrets: string[];
}

export function readHttpSettings(): HttpSettings {
  maskRawLines(input.optionalString('headers'));
  const headers = structured('headers', recordOf(text)) ?? {};
  checkHeaders("Input 'headers'", headers);
  const secrets = Object.values(headers).map(mask);
  const sensitiveHeaders = input.list('sensitive-headers').map((name) => name.toLowerCase());
  checkHeaders("Input 'sensitive-headers'", Object.fromEntries(sensitiveHeaders.map((name) => [name, ''])));
  const insecure = input.boolean('insecure', false);
  const caFile = input.optionalString('ca-file');
  const ca = caFile === undefined ? undefined : readCa(caFile);
  if (insecure) {
    core.warning(
      "insecure: true — TLS certificates are NOT verified; anyone on the path can impersonate the server. Prefer 'ca-file'.",
    );
  }
  return {
    headers,
    secrets,
    credentialHeaders: [...DEFAULT_CREDENTIAL_HEADERS, ...sensitiveHeaders],
    prober: {
      requestTimeoutMs: input.duration('request-timeout', '10s', { min: '100ms', max: '10m' }),
      redirect: input.choice('redirect', REDIRECT_MODES, 'preserve'),
      maxRedirects: input.integer('max-redirects', { default: 5, min: 0, max: 50 })!,
      sensitiveHeaders,
      insecure,
      ...(ca === undefined ? {} : { ca }),
    },
    poll: {
      timeoutMs: input.duration('timeout', '2m', { max: '24h' }),
      intervalMs: input.duration('interval', '5s', { min: '100ms', max: '1h' }),
      consecutiveSuccesses: input.integer('consecutive-successes', { default: 1, min: 1, max: 100 })!,
    },
  };
}

/**
 * The raw text is masked line by line before it is parsed, so a YAML error that quotes the line
 * it failed on cannot print a header value.
 */
function maskRawLines(raw: string | undefined): void {
  for (const line of raw?.split(/\r?\n/) ?? []) {
    mask(line.trim());
    const value = line.slice(line.indexOf(':') + 1).trim();
    if (line.includes(':')) mask(value);
  }
}

/**
 * Masks the values of a check's own credential headers (Authorization, Cookie, sensitive-headers).
 * Other per-check headers (Content-Type, Accept) stay readable.
 */
export function maskCredentials(
  headers: Record<string, string>,
  credentialHeaders: readonly string[],
): string[] {
  return Object.entries(headers)
    .filter(([name]) => credentialHeaders.includes(name.toLowerCase()))
    .map(([, value]) => mask(value));
}

/** Far above any CA bundle (Debian's whole ca-certificates.crt is about 200 KiB). */
const MAX_CA_BYTES = 4 * 1024 * 1024;

function readCa(file: string): string {
  const pem = readInputFile('ca-file', file, MAX_CA_BYTES);
  if (pem === undefined) {
    throw new ConfigurationError(`Input 'ca-file' names '${file}', which does not exist on the runner.`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigurationError(
      `Input 'ca-file' must hold PEM certificates (-----BEGIN CERTIFICATE-----): '${file}'.`,
    );
  }
  return pem;
}
