import {
  json,
  makeCertificates,
  startHttp,
  startHttps,
  type TestCertificates,
  type TestServer,
} from '@gatehouse/http-probe/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { row, runSmoke } from './helpers';

let certs: TestCertificates;
let secure: TestServer;
let proxy: TestServer;
const servers: TestServer[] = [];

beforeAll(async () => {
  certs = makeCertificates();
  // The incident: the app on https, a proxy answering 301 from http to https on the same host.
  secure = await startHttps((req, res, body) => {
    if (req.url === '/graphql' && req.method !== 'POST') return json(res, 405, { error: 'POST only' });
    if (req.url === '/graphql')
      return json(res, body.includes('"query"') ? 200 : 400, { method: req.method, body });
    if (req.url === '/downgrade') {
      res.writeHead(302, { location: `${proxy.url}/plain` });
      return res.end();
    }
    json(res, 200, { path: req.url });
  }, certs.server);
  proxy = await startHttp((req, res) => {
    res.writeHead(301, { location: `${secure.url}${req.url}` });
    res.end();
  });
  servers.push(secure, proxy);
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

describe('smoke-check bundle: redirects', () => {
  it('keeps POST and its body through an http→https 301, answered 200 or 400 as configured', async () => {
    const run = await runSmoke({
      'base-url': proxy.url,
      'ca-file': certs.caFile,
      headers: 'Authorization: Bearer upgrade-token',
      checks: `
- name: with a query
  path: /graphql
  method: POST
  body: '{"query":"{__typename}"}'
  expect-status: 200
  expect-json: { method: POST }
- name: without a query
  path: /graphql
  method: POST
  body: '{}'
  expect-status: 400
`,
    });
    expect(run.errors).toEqual([]);
    expect(run.outputs.passed).toBe('true');
    expect(row(run, 'with a query').chain).toBe(
      `POST ${proxy.url}/graphql → 301 → POST ${secure.url}/graphql → 200`,
    );
    const received = secure.requests.filter((r) => r.url === '/graphql');
    expect(received.map((r) => [r.method, r.body])).toEqual(
      expect.arrayContaining([
        ['POST', '{"query":"{__typename}"}'],
        ['POST', '{}'],
      ]),
    );
    // Same hostname, upgraded to https: the credential goes along.
    expect(received.every((r) => r.headers.authorization === 'Bearer upgrade-token')).toBe(true);
  });

  it("with redirect: follow, a 301 turns POST into GET as fetch does — the incident's 405", async () => {
    const run = await runSmoke({
      'base-url': proxy.url,
      'ca-file': certs.caFile,
      redirect: 'follow',
      timeout: '1s',
      checks: "- path: /graphql\n  method: POST\n  body: '{}'\n  expect-status: 400",
    });
    expect(run.outputs.passed).toBe('false');
    expect(row(run, 'POST /graphql').reason).toContain('expected status 400, got 405');
    expect(row(run, 'POST /graphql').chain).toContain('→ 301 (POST became GET) → GET https:');
  });

  it('turns a 303 into GET', async () => {
    const app = await startHttp((req, res) => {
      if (req.url === '/submit') {
        res.writeHead(303, { location: '/result' });
        return res.end();
      }
      json(res, 200, { method: req.method });
    });
    servers.push(app);
    const run = await runSmoke({
      'base-url': app.url,
      checks: "- path: /submit\n  method: POST\n  body: 'form=1'\n  expect-json: { method: GET }",
    });
    expect(run.outputs.passed).toBe('true');
    expect(row(run, 'POST /submit').chain).toBe(
      `POST ${app.url}/submit → 303 (POST became GET) → GET ${app.url}/result → 200`,
    );
    expect(app.requests.map((r) => [r.method, r.url, r.body])).toEqual([
      ['POST', '/submit', 'form=1'],
      ['GET', '/result', ''],
    ]);
  });

  it('drops Authorization on a redirect to another host', async () => {
    const other = await startHttp((req, res) => json(res, req.headers.authorization ? 200 : 401, {}));
    const app = await startHttp((req, res) => {
      res.writeHead(307, { location: `${other.url.replace('127.0.0.1', 'localhost')}${req.url}` });
      res.end();
    });
    servers.push(other, app);
    const run = await runSmoke({
      'base-url': app.url,
      headers: 'Authorization: Bearer cross-host-token',
      checks: '- path: /me\n  expect-status: 401',
    });
    expect(run.outputs.passed).toBe('true');
    expect(app.requests[0]!.headers.authorization).toBe('Bearer cross-host-token');
    expect(other.requests[0]!.headers.authorization).toBeUndefined();
    expect(row(run, 'GET /me').chain).toContain(
      '→ 307 (dropped Authorization on the change of host) → GET http://localhost:',
    );
    expect(run.log).toContain('dropped Authorization');
  });

  it('refuses a downgrade from https to http', async () => {
    const run = await runSmoke({
      'base-url': secure.url,
      'ca-file': certs.caFile,
      timeout: '1s',
      checks: '- path: /downgrade',
    });
    expect(run.succeeded).toBe(false);
    expect(row(run, 'GET /downgrade').reason).toContain('a downgrade from https to http');
    expect(proxy.requests.some((r) => r.url === '/plain')).toBe(false);
  });

  it('detects a redirect loop', async () => {
    const loop = await startHttp((req, res) => {
      res.writeHead(302, { location: req.url === '/a' ? '/b' : '/a' });
      res.end();
    });
    servers.push(loop);
    const run = await runSmoke({ 'base-url': loop.url, timeout: '1s', checks: '- path: /a' });
    expect(run.succeeded).toBe(false);
    expect(row(run, 'GET /a').reason).toContain(`redirect loop: ${loop.url}/a was already visited`);
  });
});

describe('smoke-check bundle: network failures', () => {
  it('fails slow headers, a slow body, a reset mid-body and a self-signed certificate, each with its reason', async () => {
    const slow = await startHttp((req, res) => {
      if (req.url === '/slow-headers') return void setTimeout(() => res.end(), 5_000);
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100000' });
      if (req.url === '/slow-body') {
        res.write('partial');
        return void setTimeout(() => res.end(), 5_000);
      }
      res.write('x'.repeat(1000), () => setTimeout(() => res.socket?.resetAndDestroy(), 50));
    });
    const selfSigned = await startHttps((_req, res) => json(res, 200, {}), certs.selfSigned);
    servers.push(slow, selfSigned);
    const run = await runSmoke({
      'base-url': slow.url,
      timeout: '1s',
      'request-timeout': '500ms',
      checks: `
- path: /slow-headers
- path: /slow-body
- path: /reset
- name: self-signed
  url: ${selfSigned.url}/healthz
`,
    });
    expect(run.succeeded).toBe(false);
    expect(row(run, 'GET /slow-headers').reason).toMatch(
      /^no response headers from 127\.0\.0\.1:\d+ within 0\.5s/,
    );
    expect(row(run, 'GET /slow-body').reason).toMatch(
      /^response body from 127\.0\.0\.1:\d+ not complete within 0\.5s/,
    );
    expect(row(run, 'GET /reset').reason).toMatch(
      /^connection reset by 127\.0\.0\.1:\d+ in the middle of the response body/,
    );
    expect(row(run, 'self-signed').reason).toContain(
      'the server certificate is self-signed; set ca-file to trust it',
    );
    expect(selfSigned.requests).toHaveLength(0);
  });
});
