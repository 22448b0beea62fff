import { ConfigurationError } from '@gatehouse/action-kit';
import { identifierProblem } from '@gatehouse/action-kit/identifier';
import {
  anyValue,
  arrayOf,
  either,
  object,
  optional,
  recordOf,
  string,
  text,
} from '@gatehouse/action-kit/shape';
import { structured } from '@gatehouse/action-kit/structured';
import { checkHeaders, type ProbeRequest } from '@gatehouse/http-probe';
import { maskCredentials } from '@gatehouse/http-probe/inputs';
import { ANY_2XX, expectStatus, type StatusExpectation } from './expect-status';

/** One HTTP contract: a request and what its answer must look like. */
export interface CheckSpec {
  name: string;
  request: ProbeRequest;
  expectStatus: StatusExpectation;
  expectBodyContains: string[];
  /** Dotted path → the value it must hold (compared as JSON). */
  expectJson: Record<string, unknown>;
  /** Header name (any case) → the exact value it must have. */
  expectHeader: Record<string, string>;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

const checkShape = object({
  name: optional(text),
  path: optional(string),
  url: optional(string),
  method: optional(string),
  headers: optional(recordOf(text)),
  body: optional(anyValue),
  'expect-status': optional(expectStatus),
  'expect-body-contains': optional(either(text, arrayOf(text), 'a string or a list of strings')),
  'expect-json': optional(recordOf(anyValue)),
  'expect-header': optional(recordOf(text)),
});

export interface ChecksContext {
  baseUrl: string | undefined;
  commonHeaders: Record<string, string>;
  credentialHeaders: readonly string[];
}

/** Reads `checks`; returns the checks and the secret values found in their own headers. */
export function readChecks(context: ChecksContext): { checks: CheckSpec[]; secrets: string[] } {
  const items = structured('checks', arrayOf(checkShape));
  if (!items || items.length === 0) {
    throw new ConfigurationError(
      "Input 'checks' must be a YAML list with at least one check (e.g. '- path: /healthz').",
    );
  }
  const secrets: string[] = [];
  const checks = items.map((item, index) => {
    const nameProblem = item.name === undefined ? undefined : identifierProblem(item.name);
    if (nameProblem) {
      throw new ConfigurationError(`checks[${index}].name ${nameProblem}, got ${JSON.stringify(item.name)}.`);
    }
    const where = `checks[${index}]${item.name ? ` (${item.name})` : ''}`;
    const ownHeaders = item.headers ?? {};
    checkHeaders(`${where}.headers`, ownHeaders);
    secrets.push(...maskCredentials(ownHeaders, context.credentialHeaders));
    const method = (item.method ?? 'GET').toUpperCase();
    if (!METHODS.includes(method)) {
      throw new ConfigurationError(
        `${where}.method: expected one of ${METHODS.join(', ')}, got '${item.method}'`,
      );
    }
    const url = checkUrl(item.path, item.url, context.baseUrl, where);
    const body =
      item.body === undefined
        ? undefined
        : typeof item.body === 'string'
          ? item.body
          : JSON.stringify(item.body);
    // A check sets a common header to '' to send without it (a protected route without its token).
    const headers = Object.fromEntries(
      Object.entries({ ...context.commonHeaders, ...ownHeaders }).filter(([, value]) => value !== ''),
    );
    if (body !== undefined && !hasHeader(headers, 'content-type'))
      headers['Content-Type'] = contentTypeOf(body);
    const spec: CheckSpec = {
      name: item.name ?? `${method} ${item.path ?? new URL(url).pathname}`,
      request: { method, url, headers, ...(body === undefined ? {} : { body }) },
      expectStatus: item['expect-status'] ?? ANY_2XX,
      expectBodyContains: [item['expect-body-contains'] ?? []].flat(),
      expectJson: item['expect-json'] ?? {},
      expectHeader: item['expect-header'] ?? {},
    };
    return spec;
  });
  const names = checks.map((check) => check.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate)
    throw new ConfigurationError(`checks: two checks are named '${duplicate}'; give each a distinct 'name'.`);
  return { checks, secrets };
}

function checkUrl(
  path: string | undefined,
  url: string | undefined,
  baseUrl: string | undefined,
  where: string,
): string {
  if ((path === undefined) === (url === undefined)) {
    throw new ConfigurationError(`${where}: give exactly one of 'path' (joined to base-url) or 'url'.`);
  }
  if (url !== undefined) {
    if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) {
      throw new ConfigurationError(
        `${where}.url: expected an absolute http:// or https:// URL, got '${url}'`,
      );
    }
    return url;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path!)) {
    throw new ConfigurationError(`${where}.path: '${path}' is a full URL; put it in 'url' instead.`);
  }
  if (baseUrl === undefined) {
    throw new ConfigurationError(
      `${where}.path: '${path}' is relative but input 'base-url' is empty; set base-url or give a full 'url'.`,
    );
  }
  // Joined, not resolved: base-url https://x/api with path /healthz means /api/healthz.
  return `${baseUrl.replace(/\/+$/, '')}/${path!.replace(/^\/+/, '')}`;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

/** A body that parses as JSON is sent as JSON (a GraphQL query needs it); anything else as text. */
function contentTypeOf(body: string): string {
  try {
    JSON.parse(body);
    return 'application/json';
  } catch {
    return 'text/plain; charset=utf-8';
  }
}
