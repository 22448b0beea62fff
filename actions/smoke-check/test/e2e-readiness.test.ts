import { json, startHttp, type TestServer, waitFor } from '@gatehouse/http-probe/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { row, runSmoke } from './helpers';

const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

describe('smoke-check bundle: readiness', () => {
  it('waits out a flapping 5xx until it holds for consecutive-successes attempts', async () => {
    // 503, 200, 503, 200, 200, 200: one success is not enough; three in a row are.
    const script = [503, 200, 503, 200, 200, 200];
    const app = await startHttp((_req, res) => json(res, script.shift() ?? 200, {}));
    servers.push(app);
    const run = await runSmoke({
      'base-url': app.url,
      'consecutive-successes': 3,
      checks: '- path: /healthz',
    });
    expect(run.errors).toEqual([]);
    expect(run.outputs.passed).toBe('true');
    expect(row(run, 'GET /healthz').attempts).toBe(6);
  });

  it('passes an app that becomes healthy at some moment T, retrying its 404s and refusals until then', async () => {
    let healthy = false;
    const app = await startHttp((_req, res) =>
      healthy ? json(res, 200, { status: 'ok' }) : json(res, 404, {}),
    );
    servers.push(app);
    const running = runSmoke({
      'base-url': app.url,
      timeout: '60s',
      checks: '- path: /healthz\n  expect-json: { status: ok }',
    });
    // T: after the app has answered a few 404s (warming up), it becomes healthy.
    await waitFor(() => app.requests.length >= 3);
    healthy = true;
    const run = await running;
    expect(run.outputs.passed).toBe('true');
    const attempts = row(run, 'GET /healthz').attempts as number;
    expect(attempts).toBeGreaterThanOrEqual(4);
    expect(app.requests).toHaveLength(attempts);
  });
});
