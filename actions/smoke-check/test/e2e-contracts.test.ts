import {
  expectNowhere,
  json,
  makeCertificates,
  startHttp,
  startHttps,
  type TestCertificates,
  type TestServer,
} from '@gatehouse/http-probe/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { row, runSmoke } from './helpers';

/** The seed app's contracts: /healthz, POST /graphql (400 without a query), a protected route. */
let app: TestServer;
let certs: TestCertificates;
const servers: TestServer[] = [];

beforeAll(async () => {
  certs = makeCertificates();
  app = await startHttp((req, res, body) => {
    if (req.url === '/healthz')
      return json(res, 200, { status: 'ok', version: 'abc1234def' }, { 'x-app-version': 'abc1234def' });
    if (req.url === '/graphql' && req.method === 'POST') {
      return body.includes('"query"')
        ? json(res, 200, { data: { __typename: 'Query' } })
        : json(res, 400, { errors: ['no query'] });
    }
    if (req.url === '/graphql') return json(res, 405, { error: 'method not allowed' });
    if (req.url === '/api/me') {
      return req.headers.authorization === 'Bearer good-token'
        ? json(res, 200, { user: 'ci' })
        : json(res, 401, { error: 'unauthorized' });
    }
    json(res, 404, {});
  });
  servers.push(app);
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

const seedChecks = `
- path: /healthz
  expect-status: 200
  expect-json: { status: ok }
- name: graphql without a query
  path: /graphql
  method: POST
  body: '{}'
  expect-status: 400
- name: graphql typename
  path: /graphql
  method: POST
  body: { query: '{__typename}' }
  expect-json: { data.__typename: Query }
- name: protected route without a token
  path: /api/me
  headers: { Authorization: '' }
  expect-status: 401
- name: protected route with the token
  path: /api/me
  expect-status: 2xx
`;

describe('smoke-check bundle: contracts', () => {
  it('expresses and passes the seed contracts, reporting one row per check', async () => {
    const run = await runSmoke({
      'base-url': app.url,
      checks: seedChecks,
      headers: 'Authorization: Bearer good-token',
      'expected-sha': 'abc1234def5678900000000000000000000000000'.slice(0, 40),
      'sha-header': 'X-App-Version',
    });
    expect(run.errors).toEqual([]);
    expect(run.succeeded).toBe(true);
    expect(run.outputs.passed).toBe('true');
    expect(run.report.checks.map((check) => [check.name, check.verdict, check.status])).toEqual([
      ['GET /healthz', 'pass', 200],
      ['graphql without a query', 'pass', 400],
      ['graphql typename', 'pass', 200],
      ['protected route without a token', 'pass', 401],
      ['protected route with the token', 'pass', 200],
    ]);
    for (const check of run.report.checks) expect(check).toMatchObject({ attempts: 1, reason: '' });
    expect(row(run, 'GET /healthz').chain).toBe(`GET ${app.url}/healthz → 200`);
    expect(run.summary).toContain('| graphql without a query | ✅ pass | 400 |');
    expect(run.record).toMatchObject({ action: 'smoke-check', passed: true, target: `${app.url}/` });
    expect(run.record!.checks.length).toBe(5);
    const withoutToken = app.requests.filter((r) => r.url === '/api/me' && !r.headers.authorization);
    expect(withoutToken.length).toBeGreaterThan(0);
    expectNowhere(run, 'good-token');
  });

  it('fails a contract that does not hold, saying what was expected and what came back', async () => {
    const run = await runSmoke({
      'base-url': app.url,
      timeout: '1s',
      checks: `
- path: /graphql
  expect-status: 200
- path: /healthz
  expect-body-contains: [ '"status":"ok"', 'not-there' ]
  expect-header: { X-App-Version: other }
`,
    });
    expect(run.succeeded).toBe(false);
    expect(run.outputs.passed).toBe('false');
    expect(row(run, 'GET /graphql').reason).toContain('expected status 200, got 405');
    expect(row(run, 'GET /graphql').attempts).toBeGreaterThan(1);
    const healthz = row(run, 'GET /healthz');
    expect(healthz.reason).toContain("body does not contain 'not-there'");
    expect(healthz.reason).not.toContain('"status":"ok"\'');
    expect(healthz.reason).toContain("header X-App-Version is 'abc1234def', expected 'other'");
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain('2 of 2 check(s) did not hold');
    expect(run.summary).toContain('❌ fail');
    expect(run.record).toMatchObject({ passed: false });
  });

  it('detects a stale instance serving another commit', async () => {
    const run = await runSmoke({
      'base-url': app.url,
      timeout: '1s',
      checks: '- path: /healthz',
      'expected-sha': '0123456789abcdef0123456789abcdef01234567',
      'sha-json-path': 'version',
    });
    expect(run.succeeded).toBe(false);
    expect(row(run, 'GET /healthz').reason).toContain('stale instance: serves abc1234, expected 0123456');
  });

  it('fails when no response carries the served commit at all', async () => {
    const run = await runSmoke({
      'base-url': app.url,
      checks: '- path: /healthz',
      'expected-sha': 'abc1234def',
      'sha-json-path': 'build.sha',
    });
    expect(run.succeeded).toBe(false);
    expect(run.report.problems[0]).toContain("no response carried the served commit (JSON path 'build.sha')");
  });

  it('never lets a header secret reach the log, outputs, summary or record, even when the app echoes it', async () => {
    const canary = 'canary-7f3a9c1e5b2d';
    const echo = await startHttp((req, res) => {
      res.writeHead(500, { 'content-type': 'text/html', 'x-echo': String(req.headers.authorization) });
      res.end(
        `<html><body>bad request with ${req.headers.authorization} and ${req.headers['x-api-key']}</body></html>`,
      );
    });
    servers.push(echo);
    const run = await runSmoke({
      'base-url': echo.url,
      timeout: '1s',
      headers: `Authorization: Bearer ${canary}`,
      'sensitive-headers': 'X-Api-Key',
      checks: `
- path: /echo
  headers: { X-Api-Key: key-${canary} }
  expect-body-contains: welcome
  expect-header: { X-Echo: nope }
`,
    });
    expect(run.succeeded).toBe(false);
    expect(echo.requests[0]!.headers.authorization).toBe(`Bearer ${canary}`);
    expect(row(run, 'GET /echo').reason).toContain('bad request with *** and ***');
    expect(run.masks).toContain(`Bearer ${canary}`);
    expect(run.masks).toContain(`key-${canary}`);
    expectNowhere(run, canary);
  });
});

describe('smoke-check bundle: bad input', () => {
  it('names the item and the field of a malformed check', async () => {
    const run = await runSmoke({
      'base-url': app.url,
      checks: '- path: /a\n- path: /b\n  expect-status: twohundred',
    });
    expect(run.succeeded).toBe(false);
    expect(run.errors).toEqual([
      'Configuration error: checks[1].expect-status: expected a status code (e.g. 200), a class like 2xx, or a list of them, got "twohundred"',
    ]);
    const typo = await runSmoke({ 'base-url': app.url, checks: '- path: /a\n  expect_status: 200' });
    expect(typo.errors[0]).toContain("checks[0]: unknown field 'expect_status'");
  });

  it('says clearly that a relative path needs base-url', async () => {
    const run = await runSmoke({ checks: '- name: health\n  path: /healthz' });
    expect(run.errors).toEqual([
      "Configuration error: checks[0] (health).path: '/healthz' is relative but input 'base-url' is empty; set base-url or give a full 'url'.",
    ]);
  });

  it('rejects YAML that does not parse', async () => {
    const run = await runSmoke({ 'base-url': app.url, checks: '- path: [unclosed' });
    expect(run.errors[0]).toContain("Input 'checks' is not valid YAML");
  });
});

describe('smoke-check bundle: TLS options', () => {
  it('trusts a private CA through ca-file and warns when insecure', async () => {
    const secure = await startHttps((_req, res) => json(res, 200, { ok: true }), certs.server);
    servers.push(secure);
    const trusted = await runSmoke({ 'base-url': secure.url, checks: '- path: /', 'ca-file': certs.caFile });
    expect(trusted.succeeded).toBe(true);
    expect(trusted.warnings).toEqual([]);
    const insecure = await runSmoke({ 'base-url': secure.url, checks: '- path: /', insecure: true });
    expect(insecure.succeeded).toBe(true);
    expect(insecure.warnings[0]).toContain('TLS certificates are NOT verified');
  });
});
