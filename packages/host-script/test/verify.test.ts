import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildVerifyScript, parseDeployState, parseScriptReport, VERIFY_FAILED_EXIT } from '../src';
import { deployOn, host, runScript, stateOf } from './host';

const SHA = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A health endpoint on the loopback, as a service on the host would serve it. */
async function serve(answer: {
  status: number;
  body: string;
  headers?: Record<string, string>;
}): Promise<string> {
  server = createServer((_, res) => {
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/health/deep`;
}

const version = { imageTag: 'v2', sha: SHA };

describe('verification on the host', () => {
  it('passes when the URL answers 2xx naming the commit, in the body or a header, full or short', async () => {
    for (const answer of [
      { status: 200, body: `{"sha":"${SHA}"}` },
      { status: 204, body: '', headers: { 'x-app-version': SHA.slice(0, 7).toUpperCase() } },
    ]) {
      const url = await serve(answer);
      const dir = await host();
      const result = await deployOn(dir, { version, verify: { url, timeoutSeconds: 5 } });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(parseScriptReport(result.stdout).verified).toMatch(/answered 2xx naming 4b825dc \(attempt 1\)/);
      await new Promise((resolve) => server!.close(resolve));
      server = undefined;
    }
  });

  it('fails (exit 80) when the URL names another commit, keeping the deploy recorded as done', async () => {
    const url = await serve({ status: 200, body: '{"sha":"deadbeefdeadbeef","other":"4b825dc7"}' });
    const dir = await host();
    await deployOn(dir, { version: { imageTag: 'v1' } });
    const result = await deployOn(dir, { version, verify: { url, timeoutSeconds: 2 } });
    expect(result.exitCode).toBe(VERIFY_FAILED_EXIT);
    expect(parseScriptReport(result.stdout).verifyFailed).toMatch(
      new RegExp(`answered HTTP 200 but names neither commit ${SHA} .*\\(\\d+ attempts in 2s\\)`),
    );
    // The change itself happened and is recorded, so a rollback knows what this host ran before.
    const state = parseDeployState(await stateOf(dir));
    expect(state.current).toMatchObject({ imageTag: 'v2', outcome: 'success' });
    expect(state.previous?.imageTag).toBe('v1');
  });

  it('says what the URL answered: an HTTP error, or a connection that failed', async () => {
    const url = await serve({ status: 503, body: 'down' });
    const dir = await host();
    const down = await deployOn(dir, { version, verify: { url, timeoutSeconds: 1 } });
    expect(parseScriptReport(down.stdout).verifyFailed).toMatch(/^verify-url answered HTTP 503/);
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    const refused = await deployOn(dir, { version, verify: { url, timeoutSeconds: 1 } });
    expect(parseScriptReport(refused.stdout).verifyFailed).toMatch(/^verify-url: curl: \(7\)/);
  });

  it('retries verify-command until it passes, in app-dir with the DEPLOY_* variables', async () => {
    const dir = await host();
    // Passes on its third try: a service that needs a few seconds to come up.
    const command =
      'n=$(( $(cat tries 2>/dev/null || echo 0) + 1 )); echo "$n" > tries; echo "$DEPLOY_IMAGE_TAG $DEPLOY_SHA" > seen; [ "$n" -ge 3 ]';
    const result = await deployOn(dir, { version, verify: { command, timeoutSeconds: 30 } });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(parseScriptReport(result.stdout).verified).toBe('verify-command passed (attempt 3)');
    expect(await readFile(join(dir, 'app', 'seen'), 'utf8')).toBe(`v2 ${SHA}\n`);
  });

  it('gives up at verify-timeout, saying the last line the command printed', async () => {
    const dir = await host();
    const result = await deployOn(dir, {
      verify: { command: 'echo "db not reachable" >&2; exit 4', timeoutSeconds: 1 },
    });
    expect(result.exitCode).toBe(VERIFY_FAILED_EXIT);
    expect(parseScriptReport(result.stdout).verifyFailed).toMatch(
      /^verify-command exited 4: db not reachable/,
    );
  });

  it('verifies alone, after a bake, writing nothing on the host', async () => {
    const url = await serve({ status: 200, body: SHA });
    const dir = await host();
    await deployOn(dir, { version });
    const before = await readdir(dir, { recursive: true });
    const state = await stateOf(dir);
    const script = buildVerifyScript({
      version,
      appDir: 'app',
      environment: 'dev',
      verify: { url, timeoutSeconds: 5 },
    });
    const result = await runScript(dir, script);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(parseScriptReport(result.stdout).verified).toContain('answered 2xx');
    expect(await readdir(dir, { recursive: true })).toEqual(before);
    expect(await stateOf(dir)).toBe(state);
    expect(script).not.toContain('flock -x');
    expect(script).not.toContain('gh_write_state');
  });
});
