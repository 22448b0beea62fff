import { urlWithoutCredentials } from '@gatehouse/action-kit/secrets';
import type { ProbeFailure } from './failure';

/**
 * How redirects are followed. We follow them ourselves because the usual clients turn a POST into
 * a GET on 301/302 (fetch's legacy rule), which made a POST /graphql smoke check fail with 405
 * behind an http→https proxy redirect.
 * - `preserve`: 301, 302, 307, 308 keep method and body; 303 becomes GET.
 * - `follow`: the fetch standard: 301/302 turn POST into GET, 303 becomes GET, 307/308 keep.
 * - `none`: the 3xx answer is the final answer.
 */
export type RedirectMode = 'preserve' | 'follow' | 'none';
export const REDIRECT_MODES = ['preserve', 'follow', 'none'] as const;

export interface ProbeRequest {
  method: string;
  url: string;
  /** Header names in any case; values are secrets as far as logs are concerned. */
  headers: Record<string, string>;
  body?: string;
}

export type RedirectPlan =
  | { kind: 'final' }
  | { kind: 'follow'; next: ProbeRequest; note?: string }
  | { kind: 'refuse'; failure: ProbeFailure };

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Fetch's "request-body-header names": meaningless once the body is dropped. */
const BODY_HEADERS = new Set([
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'content-location',
]);

/**
 * Credential headers cross a redirect only when the origin (scheme, host, port) stays the same, or
 * on an upgrade from http to https on the same hostname (a proxy's `http://x → https://x`; the
 * port changes with the scheme). Any other change drops them, as browsers and curl do.
 */
export function keepsCredentials(from: URL, to: URL): boolean {
  if (from.origin === to.origin) return true;
  return from.hostname === to.hostname && from.protocol === 'http:' && to.protocol === 'https:';
}

export function planRedirect(
  current: ProbeRequest,
  status: number,
  location: string | undefined,
  mode: RedirectMode,
  credentialHeaders: ReadonlySet<string>,
): RedirectPlan {
  if (mode === 'none' || !REDIRECT_STATUSES.has(status) || !location) return { kind: 'final' };
  const from = new URL(current.url);
  let to: URL;
  try {
    to = new URL(location, from);
  } catch {
    return refuse('bad-redirect', `HTTP ${status} to an invalid Location '${location.slice(0, 100)}'`);
  }
  if (to.protocol !== 'http:' && to.protocol !== 'https:') {
    return refuse('bad-redirect', `HTTP ${status} to a non-HTTP location (${to.protocol})`);
  }
  if (from.protocol === 'https:' && to.protocol === 'http:') {
    return refuse(
      'redirect-downgrade',
      `refused redirect from ${urlWithoutCredentials(from)} to ${urlWithoutCredentials(to)}: a downgrade from https to http would send the request in clear`,
    );
  }
  to.hash = '';

  const toGet =
    (status === 303 && current.method !== 'HEAD') ||
    (mode === 'follow' && (status === 301 || status === 302) && current.method === 'POST');
  const notes: string[] = [];
  const headers: Record<string, string> = {};
  const keep = keepsCredentials(from, to);
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(current.headers)) {
    const lower = name.toLowerCase();
    if (toGet && BODY_HEADERS.has(lower)) continue;
    if (!keep && credentialHeaders.has(lower)) {
      dropped.push(name);
      continue;
    }
    headers[name] = value;
  }
  if (toGet && current.method !== 'GET') notes.push(`${current.method} became GET`);
  if (dropped.length > 0) notes.push(`dropped ${dropped.join(', ')} on the change of host`);
  const next: ProbeRequest = {
    method: toGet ? 'GET' : current.method,
    url: to.href,
    headers,
    ...(toGet || current.body === undefined ? {} : { body: current.body }),
  };
  return notes.length > 0 ? { kind: 'follow', next, note: notes.join('; ') } : { kind: 'follow', next };
}

function refuse(kind: ProbeFailure['kind'], message: string): RedirectPlan {
  return { kind: 'refuse', failure: { kind, message } };
}
