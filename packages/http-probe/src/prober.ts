import { rootCertificates } from 'node:tls';
import { urlWithoutCredentials } from '@gatehouse/action-kit/secrets';
import { Agent, request } from 'undici';
import { classifyError, type ProbeFailure, type RequestPhase, timeoutFailure } from './failure';
import { type ProbeRequest, planRedirect, type RedirectMode } from './redirect';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_CREDENTIAL_HEADERS = ['authorization', 'cookie'] as const;

export interface ProberOptions {
  /** Whole-request deadline per hop: connect, headers and the body we read. */
  requestTimeoutMs: number;
  redirect: RedirectMode;
  maxRedirects: number;
  /** Header names (any case) treated like Authorization and Cookie on redirects. */
  sensitiveHeaders?: readonly string[];
  /** PEM text of a private CA, trusted in addition to the public roots. */
  ca?: string;
  /** Turns certificate verification off; the caller warns. */
  insecure?: boolean;
  maxBodyBytes?: number;
}

/** One request of a redirect chain, as it appears in a report. */
export interface Hop {
  method: string;
  url: string;
  status?: number;
  note?: string;
}

export interface ProbeResponse {
  status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: string;
  bodyTruncated: boolean;
  url: string;
}

export type ProbeResult =
  | { ok: true; response: ProbeResponse; chain: Hop[]; latencyMs: number }
  | { ok: false; failure: ProbeFailure; chain: Hop[]; latencyMs: number };

export interface Prober {
  probe(request: ProbeRequest): Promise<ProbeResult>;
  close(): Promise<void>;
}

/**
 * One prober per run: one undici Agent, so every check against the same server shares its
 * keep-alive connections (20 checks cost about one).
 */
export function createProber(options: ProberOptions): Prober {
  const agent = new Agent({
    connect: {
      timeout: options.requestTimeoutMs,
      rejectUnauthorized: !options.insecure,
      // Node's `ca` replaces the default trust store; keep the public roots so a redirect to a
      // public host still verifies.
      ...(options.ca ? { ca: [...rootCertificates, options.ca] } : {}),
    },
    keepAliveTimeout: 30_000,
  });
  const credentialHeaders = new Set<string>([
    ...DEFAULT_CREDENTIAL_HEADERS,
    ...(options.sensitiveHeaders ?? []).map((name) => name.toLowerCase()),
  ]);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  async function probe(first: ProbeRequest): Promise<ProbeResult> {
    const started = performance.now();
    const chain: Hop[] = [];
    const seen = new Set<string>();
    let current = first;
    const done = (result: { ok: true; response: ProbeResponse } | { ok: false; failure: ProbeFailure }) =>
      ({ ...result, chain, latencyMs: Math.round(performance.now() - started) }) as ProbeResult;

    for (;;) {
      seen.add(`${current.method} ${current.url}`);
      const hop: Hop = { method: current.method, url: urlWithoutCredentials(current.url) };
      chain.push(hop);
      const sent = await send(agent, current, options.requestTimeoutMs, maxBodyBytes);
      if (!sent.ok) return done(sent);
      hop.status = sent.response.status;
      const plan = planRedirect(
        current,
        sent.response.status,
        sent.response.headers.location,
        options.redirect,
        credentialHeaders,
      );
      if (plan.kind === 'final') return done(sent);
      if (plan.kind === 'refuse') return done({ ok: false, failure: plan.failure });
      if (plan.note) hop.note = plan.note;
      const key = `${plan.next.method} ${plan.next.url}`;
      if (seen.has(key)) {
        chain.push({ method: plan.next.method, url: urlWithoutCredentials(plan.next.url) });
        return done({
          ok: false,
          failure: {
            kind: 'redirect-loop',
            message: `redirect loop: ${urlWithoutCredentials(plan.next.url)} was already visited`,
          },
        });
      }
      if (chain.length > options.maxRedirects) {
        return done({
          ok: false,
          failure: {
            kind: 'too-many-redirects',
            message: `more than ${options.maxRedirects} redirects (max-redirects)`,
          },
        });
      }
      current = plan.next;
    }
  }

  return { probe, close: () => agent.close() };
}

type Sent = { ok: true; response: ProbeResponse } | { ok: false; failure: ProbeFailure };

async function send(agent: Agent, req: ProbeRequest, timeoutMs: number, maxBodyBytes: number): Promise<Sent> {
  const host = new URL(req.url).host;
  const controller = new AbortController();
  let phase: RequestPhase = 'headers';
  // Our own deadline covers the whole hop; undici's headers/body timeouts are idle timeouts and
  // would let a body that trickles one byte a second run forever.
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await request(req.url, {
      dispatcher: agent,
      method: req.method as 'GET',
      headers: req.headers,
      ...(req.body === undefined ? {} : { body: req.body }),
      signal: controller.signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    phase = 'body';
    const { text, truncated } = await readCapped(res.body, maxBodyBytes);
    return {
      ok: true,
      response: {
        status: res.statusCode,
        headers: flattenHeaders(res.headers),
        body: text,
        bodyTruncated: truncated,
        url: urlWithoutCredentials(req.url),
      },
    };
  } catch (error) {
    if (controller.signal.aborted) return { ok: false, failure: timeoutFailure(host, phase, timeoutMs) };
    return { ok: false, failure: classifyError(error, host, phase, timeoutMs) };
  } finally {
    clearTimeout(timer);
  }
}

/** Reads at most `max` bytes; a larger body is cut there (and the connection dropped) rather than buffered. */
async function readCapped(
  body: AsyncIterable<Uint8Array> & { destroy(): unknown },
  max: number,
): Promise<{ text: string; truncated: boolean }> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size + chunk.length > max) {
      chunks.push(chunk.subarray(0, max - size));
      size = max;
      body.destroy();
      return { text: decode(chunks), truncated: true };
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { text: decode(chunks), truncated: false };
}

function decode(chunks: Uint8Array[]): string {
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
