import { ConfigurationError, input, maskUrlPassword } from '@gatehouse/action-kit';
import { type HttpSettings, readHttpSettings } from '@gatehouse/http-probe/inputs';
import { type CheckSpec, readChecks } from './checks-input';

/** Where the served build's commit is read from, for stale-instance detection. */
export interface ShaExpectation {
  expected: string;
  jsonPath?: string;
  header?: string;
}

export interface Settings {
  baseUrl: string | undefined;
  checks: CheckSpec[];
  http: HttpSettings;
  sha: ShaExpectation | undefined;
  /** Values never to appear in a report, output or summary. */
  secrets: string[];
}

export function readSettings(): Settings {
  const http = readHttpSettings();
  const baseUrl = input.url('base-url', ['http', 'https'], { example: 'https://dev.api.example.com' });
  const urlSecrets = baseUrl ? maskUrlPassword(baseUrl) : [];
  const { checks, secrets } = readChecks({
    baseUrl,
    commonHeaders: http.headers,
    credentialHeaders: http.credentialHeaders,
  });
  for (const check of checks) urlSecrets.push(...maskUrlPassword(check.request.url));
  return {
    baseUrl,
    checks,
    http,
    sha: readShaExpectation(),
    secrets: [...http.secrets, ...secrets, ...urlSecrets],
  };
}

function readShaExpectation(): ShaExpectation | undefined {
  const expected = input.optionalString('expected-sha');
  const jsonPath = input.identifier('sha-json-path');
  const header = input.identifier('sha-header');
  if (expected === undefined) return undefined;
  if (!/^[0-9a-f]{7,64}$/i.test(expected)) {
    throw new ConfigurationError(
      `Input 'expected-sha' must be a commit SHA (7–64 hex characters), got '${expected}'.`,
    );
  }
  if ((jsonPath === undefined) === (header === undefined)) {
    throw new ConfigurationError(
      "Input 'expected-sha' needs exactly one of 'sha-json-path' (e.g. version) or 'sha-header' (e.g. X-App-Version) to read the served commit.",
    );
  }
  return { expected, ...(jsonPath ? { jsonPath } : {}), ...(header ? { header: header.toLowerCase() } : {}) };
}
