import { createServer } from 'node:net';
import { join } from 'node:path';
import { runAction } from '@gatehouse/runner-harness';
import { describe, expect, it } from 'vitest';

const actionDir = join(import.meta.dirname, '..');

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('smoke-check bundle: what a check that never got an answer says', () => {
  it('"no answer (N attempts)", not the milliseconds a refusal took', async () => {
    const port = await closedPort();
    const run = await runAction({
      actionDir,
      inputs: { 'base-url': `http://127.0.0.1:${port}`, checks: '- path: /healthz', timeout: '1s' },
    });
    expect(run.succeeded).toBe(false);
    const line = run.log.split('\n').find((l) => l.startsWith('✗ GET /healthz'));
    expect(line).toMatch(
      new RegExp(
        `^✗ GET /healthz: no answer \\(\\d+ attempts\\) — connection refused by 127\\.0\\.0\\.1:${port} \\(nothing listening\\) \\(still failing after 1s\\)$`,
      ),
    );
    expect(run.summary).toMatch(/\| GET \/healthz \| ❌ fail \| — \| — \| \d+ \|/);
  });
});
