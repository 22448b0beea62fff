import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ActionRun, runAction } from '@gatehouse/runner-harness';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/actions';
import { inlinePayload, LINES_PAYLOAD, MARK, readAsRunner } from './read-as-runner';

/**
 * What hosts, tools and HTTP servers say reaches the log, and none of it can issue a workflow
 * command: whole output is shown verbatim inside a stop-commands fence, values from it inside the
 * action's own lines are neutralised. The payloads end without a line break, so a fence that
 * did not close on a line of its own would swallow the step's own error.
 */
const actionDir = (action: string) => join(repoRoot, 'actions', action);
const EVERY_PAYLOAD = [LINES_PAYLOAD, ...[0, 1, 2, 3].map(inlinePayload)].join('\n');

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

async function workspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-outside-text-'));
  await mkdir(join(dir, 'app'));
  await writeFile(join(dir, 'payload'), EVERY_PAYLOAD);
  return dir;
}

function serve(body: (url: string) => unknown): Promise<string> {
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.setHeader('x-app-version', inlinePayload(2));
    res.end(JSON.stringify(body(req.url ?? '/')));
  });
  return new Promise((resolve) =>
    server!.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`),
    ),
  );
}

function expectInert(run: ActionRun): void {
  expect(readAsRunner(run)).toEqual([]);
  // The text did reach the log (so the check above saw it).
  expect(run.log).toContain(MARK);
}

describe('output from hosts and tools is shown as it came, and issues nothing', () => {
  it('deploy-ssm: a failed host’s stdout and stderr, without a final line break', async () => {
    const dir = await workspace();
    const run = await runAction({
      actionDir: actionDir('deploy-ssm'),
      inputs: {
        target: 'local',
        mode: 'image',
        'image-tag': 'v1',
        environment: 'dev',
        'app-dir': join(dir, 'app'),
        'state-dir': join(dir, 'state'),
        commands: `cat '${dir}/payload'; cat '${dir}/payload' >&2; exit 3`,
      },
    });
    expectInert(run);
    expect(run.errors).toEqual([
      expect.stringMatching(/^Deploy failed on 1 of 1 host\(s\): local: the deploy script failed/),
    ]);
    // Verbatim: the lines are in the log exactly as the host printed them.
    expect(run.log).toContain(`\n::set-output name=${MARK}-out::1\n`);
  });

  it('rollback: the output of a platform’s own rollback command that succeeded', async () => {
    const dir = await workspace();
    const run = await runAction({
      actionDir: actionDir('rollback'),
      inputs: { target: 'local', to: 'v1', environment: 'dev', command: `cat '${dir}/payload'` },
    });
    expectInert(run);
    expect(run.outputs.status).toBe('success');
  });

  it('preflight: a database marker a host printed, inside the check’s reason', async () => {
    const dir = await workspace();
    await writeFile(join(dir, 'app', '.env'), 'APP_ENV=dev\n');
    // Its first line, without spaces, is the marker: the one legacy command that would silence the rest.
    await writeFile(join(dir, 'marker'), `dev##[stop-commands]${MARK}-stop-marker`);
    const run = await runAction({
      actionDir: actionDir('preflight'),
      inputs: {
        target: 'local',
        'app-dir': join(dir, 'app'),
        'state-dir': dir,
        'git-checkout': 'false',
        'expected-environment': 'dev',
        'database-query-command': `cat '${dir}/marker'`,
      },
    });
    expectInert(run);
    expect(run.errors).toEqual([
      expect.stringContaining(`the database's environment marker is 'dev##[stop-commands]`),
    ]);
  });
});

describe('what an HTTP server answers reaches the log inert', () => {
  it('health-deep-gate: the body’s environment, commit, schema version and check names', async () => {
    const url = await serve(() => ({
      status: 'ok',
      environment: LINES_PAYLOAD,
      version: inlinePayload(0),
      schema_version: inlinePayload(1),
      checks: { [LINES_PAYLOAD]: 'down', [inlinePayload(3)]: 'ok' },
    }));
    const run = await runAction({
      actionDir: actionDir('health-deep-gate'),
      inputs: { url: `${url}/health/deep`, 'expected-environment': 'dev', timeout: '0s' },
    });
    expectInert(run);
    expect(run.outputs.verdict).toBe('critical');
  });

  it('smoke-check: a body excerpt and a header value in the reasons a check failed', async () => {
    const url = await serve(() => ({ message: EVERY_PAYLOAD }));
    const run = await runAction({
      actionDir: actionDir('smoke-check'),
      inputs: {
        'base-url': url,
        checks: '- path: /\n  expect-body-contains: never there\n  expect-header: { X-App-Version: v1 }',
        timeout: '0s',
      },
    });
    expectInert(run);
    expect(run.outputs.passed).toBe('false');
  });
});
