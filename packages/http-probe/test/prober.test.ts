import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProber, type Prober, type ProberOptions } from '../src/prober';
import { formatChain } from '../src/report';
import {
  json,
  makeCertificates,
  startHttp,
  startHttps,
  type TestCertificates,
  type TestServer,
} from './support';

const base: ProberOptions = { requestTimeoutMs: 5_000, redirect: 'preserve', maxRedirects: 5 };
let certs: TestCertificates;
const servers: TestServer[] = [];
const probers: Prober[] = [];

function prober(overrides: Partial<ProberOptions> = {}): Prober {
  const created = createProber({ ...base, ...overrides });
  probers.push(created);
  return created;
}

async function track(server: Promise<TestServer>): Promise<TestServer> {
  const started = await server;
  servers.push(started);
  return started;
}

beforeAll(() => {
  certs = makeCertificates();
});

afterAll(async () => {
  await Promise.all(probers.map((p) => p.close()));
  await Promise.all(servers.map((s) => s.close()));
});

describe('redirects over real servers', () => {
  it('keeps POST, its body and Authorization through an http→https 301 on the same host', async () => {
    const https = await track(
      startHttps(
        (req, res, body) => json(res, body.includes('query') ? 200 : 400, { method: req.method }),
        certs.server,
      ),
    );
    const http = await track(
      startHttp((req, res) => {
        res.writeHead(301, { location: `${https.url}${req.url}` });
        res.end();
      }),
    );
    const result = await prober({ ca: certs.caPem }).probe({
      method: 'POST',
      url: `${http.url}/graphql`,
      headers: { authorization: 'Bearer abc', 'content-type': 'application/json' },
      body: '{"query":"{__typename}"}',
    });
    expect(result.ok && result.response.status).toBe(200);
    expect(https.requests).toHaveLength(1);
    expect(https.requests[0]).toMatchObject({ method: 'POST', body: '{"query":"{__typename}"}' });
    expect(https.requests[0]!.headers.authorization).toBe('Bearer abc');
    expect(formatChain(result.chain)).toBe(
      `POST ${http.url}/graphql → 301 → POST ${https.url}/graphql → 200`,
    );
  });

  it('drops Authorization, Cookie and sensitive headers on a redirect to another host', async () => {
    const other = await track(startHttp((_req, res) => json(res, 200, {})));
    const otherHost = other.url.replace('127.0.0.1', 'localhost');
    const first = await track(
      startHttp((req, res) => {
        res.writeHead(302, { location: `${otherHost}${req.url}` });
        res.end();
      }),
    );
    const result = await prober({ sensitiveHeaders: ['X-Api-Key'] }).probe({
      method: 'GET',
      url: `${first.url}/me`,
      headers: { Authorization: 'Bearer abc', Cookie: 's=1', 'X-Api-Key': 'k', Accept: 'application/json' },
    });
    expect(result.ok).toBe(true);
    expect(first.requests[0]!.headers.authorization).toBe('Bearer abc');
    const received = other.requests[0]!.headers;
    expect(received.authorization).toBeUndefined();
    expect(received.cookie).toBeUndefined();
    expect(received['x-api-key']).toBeUndefined();
    expect(received.accept).toBe('application/json');
    expect(result.chain[0]!.note).toContain('dropped Authorization, Cookie, X-Api-Key');
  });

  it('refuses an https→http downgrade without sending anything in clear', async () => {
    const plain = await track(startHttp((_req, res) => json(res, 200, {})));
    const secure = await track(
      startHttps((_req, res) => {
        res.writeHead(301, { location: `${plain.url}/login` });
        res.end();
      }, certs.server),
    );
    const result = await prober({ ca: certs.caPem }).probe({
      method: 'GET',
      url: `${secure.url}/login`,
      headers: {},
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.failure.kind).toBe('redirect-downgrade');
    expect(plain.requests).toHaveLength(0);
  });

  it('detects a redirect loop and stops after max-redirects', async () => {
    const loop = await track(
      startHttp((req, res) => {
        const next =
          req.url === '/a' ? '/b' : req.url === '/b' ? '/a' : `/n${Number(req.url!.slice(2) || 0) + 1}`;
        res.writeHead(302, { location: next });
        res.end();
      }),
    );
    const looped = await prober().probe({ method: 'GET', url: `${loop.url}/a`, headers: {} });
    expect(!looped.ok && looped.failure.kind).toBe('redirect-loop');
    expect(looped.chain.map((hop) => new URL(hop.url).pathname)).toEqual(['/a', '/b', '/a']);
    const endless = await prober({ maxRedirects: 3 }).probe({
      method: 'GET',
      url: `${loop.url}/n0`,
      headers: {},
    });
    expect(!endless.ok && endless.failure.kind).toBe('too-many-redirects');
    expect(endless.chain).toHaveLength(4);
  });
});

describe('failure causes', () => {
  it('tells slow headers from a slow body', async () => {
    const slow = await track(
      startHttp((req, res) => {
        if (req.url === '/slow-headers') {
          setTimeout(() => res.end('late'), 3_000);
          return;
        }
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('start…');
        setTimeout(() => res.end('…end'), 3_000);
      }),
    );
    const quick = prober({ requestTimeoutMs: 500 });
    const headers = await quick.probe({ method: 'GET', url: `${slow.url}/slow-headers`, headers: {} });
    expect(!headers.ok && headers.failure.kind).toBe('timeout-headers');
    const body = await quick.probe({ method: 'GET', url: `${slow.url}/slow-body`, headers: {} });
    expect(!body.ok && body.failure.kind).toBe('timeout-body');
  });

  it('reports a connection reset in the middle of the body', async () => {
    const resets = await track(
      startHttp((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100000' });
        res.write('x'.repeat(1000), () => setTimeout(() => res.socket?.resetAndDestroy(), 50));
      }),
    );
    const result = await prober().probe({ method: 'GET', url: resets.url, headers: {} });
    expect(!result.ok && result.failure.kind).toBe('reset');
    expect(!result.ok && result.failure.message).toContain('in the middle of the response body');
  });

  it('reports a refused connection', async () => {
    const gone = await startHttp((_req, res) => {
      res.end();
    });
    await gone.close();
    const result = await prober().probe({ method: 'GET', url: gone.url, headers: {} });
    expect(!result.ok && result.failure).toMatchObject({ kind: 'refused', code: 'ECONNREFUSED' });
  });

  it('reports a DNS failure', async () => {
    const result = await prober().probe({ method: 'GET', url: 'http://no-such-host.invalid/', headers: {} });
    expect(!result.ok && result.failure.kind).toBe('dns');
  });

  it('names the TLS problem: self-signed, unknown CA, hostname mismatch', async () => {
    const ok = (_req: unknown, res: Parameters<typeof json>[0]) => json(res, 200, {});
    const selfSigned = await track(startHttps(ok, certs.selfSigned));
    const privateCa = await track(startHttps(ok, certs.server));
    const wrongHost = await track(startHttps(ok, certs.wrongHost));
    const verifying = prober();
    const self = await verifying.probe({ method: 'GET', url: selfSigned.url, headers: {} });
    expect(!self.ok && self.failure).toMatchObject({ kind: 'tls', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(!self.ok && self.failure.message).toContain('self-signed');
    const unknown = await verifying.probe({ method: 'GET', url: privateCa.url, headers: {} });
    expect(!unknown.ok && unknown.failure.kind).toBe('tls');
    expect(!unknown.ok && unknown.failure.message).toContain('unknown CA');
    const withCa = prober({ ca: certs.caPem });
    expect((await withCa.probe({ method: 'GET', url: privateCa.url, headers: {} })).ok).toBe(true);
    const mismatch = await withCa.probe({ method: 'GET', url: wrongHost.url, headers: {} });
    expect(!mismatch.ok && mismatch.failure).toMatchObject({
      kind: 'tls',
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
    expect(!mismatch.ok && mismatch.failure.message).toContain('hostname mismatch');
    const insecure = prober({ insecure: true });
    expect((await insecure.probe({ method: 'GET', url: selfSigned.url, headers: {} })).ok).toBe(true);
  });
});

describe('bodies', () => {
  it('caps the body it reads', async () => {
    const big = await track(
      startHttp((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('y'.repeat(3 * 1024 * 1024));
      }),
    );
    const result = await prober().probe({ method: 'GET', url: big.url, headers: {} });
    expect(result.ok && result.response.body.length).toBe(1024 * 1024);
    expect(result.ok && result.response.bodyTruncated).toBe(true);
    const small = await prober({ maxBodyBytes: 10 }).probe({ method: 'GET', url: big.url, headers: {} });
    expect(small.ok && small.response.body).toBe('y'.repeat(10));
  });

  it('shares connections across requests to one server', async () => {
    const server = await track(startHttp((_req, res) => json(res, 200, {})));
    const shared = prober();
    for (let i = 0; i < 5; i++) await shared.probe({ method: 'GET', url: `${server.url}/${i}`, headers: {} });
    expect(server.requests).toHaveLength(5);
    // undici may open a second socket while the first is being returned to the pool; never one per request.
    expect(server.connections()).toBeLessThanOrEqual(2);
  });
});
