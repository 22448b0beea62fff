import { expectNowhere, json, startHttp, type TestServer, waitFor } from '@gatehouse/http-probe/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGate } from './helpers';

const SHA = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const healthy = {
  status: 'ok',
  environment: 'production',
  version: SHA.slice(0, 7),
  schema_version: '20240115093000',
  checks: { database: 'ok', redis: { status: 'ok' }, mail: 'degraded' },
};

/** The app's /health/deep answer, swapped per test; 200 unless the body says otherwise. */
let answer: { status: number; body: unknown } = { status: 200, body: healthy };
let app: TestServer;

beforeAll(async () => {
  app = await startHttp((_req, res) => {
    if (typeof answer.body === 'string') {
      res.writeHead(answer.status, { 'content-type': 'text/html' });
      return res.end(answer.body);
    }
    json(res, answer.status, answer.body);
  });
});

afterAll(async () => {
  await app.close();
});

const gate = (inputs: Record<string, string | number | boolean> = {}) =>
  runGate({
    url: `${app.url}/health/deep`,
    'expected-environment': 'production',
    'expected-sha': SHA,
    'min-schema-version': '20240101000000',
    'required-checks': 'database,redis',
    timeout: '1s',
    ...inputs,
  });

describe('health-deep-gate bundle', () => {
  it('passes a healthy app in the right environment, with its checks table in the report', async () => {
    answer = { status: 200, body: healthy };
    const run = await gate();
    expect(run.errors).toEqual([]);
    expect(run.outputs.verdict).toBe('pass');
    expect(run.report).toMatchObject({
      verdict: 'pass',
      httpStatus: 200,
      environment: 'production',
      sha: '4b825dc',
      schemaVersion: '20240115093000',
      attempts: 1,
      reasons: [],
    });
    expect(run.report.checks).toEqual([
      { name: 'database', status: 'ok', state: 'ok', required: true },
      { name: 'redis', status: 'ok', state: 'ok', required: true },
      { name: 'mail', status: 'degraded', state: 'degraded', required: false },
    ]);
    expect(run.summary).toContain('health-deep-gate ✅ pass');
    expect(run.summary).toContain('| database | ✅ ok | yes |');
    expect(run.record).toMatchObject({
      action: 'health-deep-gate',
      verdict: 'pass',
      url: `${app.url}/health/deep`,
    });
  });

  it('fails a degraded app unless allow-degraded', async () => {
    answer = { status: 200, body: { ...healthy, status: 'degraded' } };
    const strict = await gate();
    expect(strict.outputs.verdict).toBe('fail');
    expect(strict.report.reasons).toEqual([
      "status is 'degraded' (allow-degraded is false); checks not ok: mail 'degraded'",
    ]);
    expect(strict.report.attempts).toBeGreaterThan(1);
    const lenient = await gate({ 'allow-degraded': true });
    expect(lenient.outputs.verdict).toBe('pass');
  });

  it('fails at once with critical when the app reports CRITICAL, without retries', async () => {
    answer = { status: 503, body: { ...healthy, status: 'CRITICAL' } };
    const before = app.requests.length;
    const run = await gate({ timeout: '2m' });
    expect(run.outputs.verdict).toBe('critical');
    expect(run.report.attempts).toBe(1);
    expect(app.requests.length - before).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain('CRITICAL: the app at');
    expect(run.errors[0]).toContain('is talking to the wrong environment — the app reports CRITICAL');
    expect(run.log).toContain('THE APP IS TALKING TO THE WRONG ENVIRONMENT');
    expect(run.summary).toContain('🛑 CRITICAL');
  });

  it('treats an environment other than expected as critical at once, even when the app says ok', async () => {
    answer = { status: 200, body: { ...healthy, environment: 'staging' } };
    const before = app.requests.length;
    const run = await gate({ timeout: '2m' });
    expect(run.outputs.verdict).toBe('critical');
    expect(app.requests.length - before).toBe(1);
    const wrong = "the app reports environment 'staging', expected 'production'";
    expect(run.report.reasons).toEqual([wrong]);
    // Said in the log and the failure, and kept in the record the summary reads.
    expect(run.log).toContain(`  - ${wrong}`);
    expect(run.errors[0]).toContain(`talking to the wrong environment — ${wrong}.`);
    expect(run.record?.reasons).toEqual([wrong]);
  });

  it('fails a schema that is behind, and an exact revision that differs', async () => {
    answer = { status: 200, body: { ...healthy, schema_version: '20231201000000' } };
    const behind = await gate();
    expect(behind.outputs.verdict).toBe('fail');
    expect(behind.report.reasons).toEqual([
      'schema version 20231201000000 is behind min-schema-version 20240101000000',
    ]);
    answer = { status: 200, body: { ...healthy, schema_version: '69f75d73808e' } };
    const alembic = await gate({ 'min-schema-version': '', 'expected-schema-version': 'c3f8d2a1b9e4' });
    expect(alembic.report.reasons).toEqual(["schema version is '69f75d73808e', expected 'c3f8d2a1b9e4'"]);
  });

  it('fails when the app serves another commit', async () => {
    answer = { status: 200, body: { ...healthy, version: '0123456789abcdef' } };
    const run = await gate();
    expect(run.outputs.verdict).toBe('fail');
    expect(run.report.reasons).toEqual(['SHA mismatch: serves 0123456, expected 4b825dc (stale instance?)']);
    expect(run.errors[0]).toContain('health-deep-gate failed for');
  });

  it('fails a 503 with a failing required check, naming it', async () => {
    answer = {
      status: 503,
      body: { ...healthy, status: 'error', checks: { database: 'down', redis: 'ok' } },
    };
    const run = await gate();
    expect(run.outputs.verdict).toBe('fail');
    expect(run.report.reasons).toEqual([
      'HTTP 503',
      "status is 'error'",
      "required check 'database' is 'down'",
    ]);
    expect(run.summary).toContain('| database | ❌ down | yes |');
  });

  it('fails an HTML body, showing at most 200 characters of it with secrets redacted', async () => {
    const canary = 'canary-deep-91b2c7';
    answer = {
      status: 502,
      body: `<html><head><title>502 Bad Gateway</title></head><body>upstream said: token ${canary}${' padding'.repeat(60)}</body></html>`,
    };
    const run = await gate({ headers: `X-Debug-Token: ${canary}` });
    expect(run.outputs.verdict).toBe('fail');
    const reason = run.report.reasons[0]!;
    expect(reason).toMatch(
      /^HTTP 502, and the body is not a JSON object: <html><head><title>502 Bad Gateway/,
    );
    expect(reason).toContain('upstream said: token ***');
    const shown = reason.slice(reason.indexOf('<html>'));
    expect(shown.length).toBeLessThanOrEqual(201);
    expectNowhere(run, canary);
  });

  it('waits for an app that is unhealthy (503) until time T, then passes', async () => {
    answer = { status: 503, body: { ...healthy, status: 'starting' } };
    const before = app.requests.length;
    const running = gate({ timeout: '60s' });
    await waitFor(() => app.requests.length - before >= 3);
    answer = { status: 200, body: healthy };
    const run = await running;
    expect(run.outputs.verdict).toBe('pass');
    expect(run.report.attempts).toBeGreaterThanOrEqual(4);
  });

  it('rejects contradictory or unordered schema inputs', async () => {
    const both = await gate({ 'expected-schema-version': 'abc' });
    expect(both.errors[0]).toContain(
      "Inputs 'min-schema-version' and 'expected-schema-version' cannot both be set",
    );
    const unordered = await gate({ 'min-schema-version': 'c3f8d2a1b9e4' });
    expect(unordered.errors[0]).toContain("use 'expected-schema-version'");
    expect(unordered.outputs.verdict).toBeUndefined();
  });
});
