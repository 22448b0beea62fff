import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localActionCommand } from '../scripts/local-action';

/**
 * Actions run from their TypeScript source under @github/local-action, GitHub's debugger for
 * actions, through `pnpm local-action`. Its stand-in for @actions/core differs from the real one in
 * ways that show which one ran: it prints `::info::` before log lines, keeps outputs and prints
 * them in a table, redacts secrets itself instead of printing `::add-mask::`, and a failure does
 * not set the exit code. So these runs prove that the entries export `run()` as local-action
 * expects and that every @actions/core call — the action's own and those inside action-kit,
 * command-runner/inputs and http-probe/inputs — reaches the stand-in.
 */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-local-action-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface LocalRun {
  exitCode: number | null;
  stdout: string;
  outputs: Record<string, string>;
}

/** Values in single quotes: dotenv keeps them as written, newlines included. */
async function debugAction(action: string, env: Record<string, string>, post = false): Promise<LocalRun> {
  const file = join(dir, `${action}-${Object.keys(env).length}-${Date.now()}.env`);
  for (const value of Object.values(env)) expect(value).not.toContain("'");
  await writeFile(
    file,
    Object.entries(env)
      .map(([k, v]) => `${k}='${v}'\n`)
      .join(''),
  );
  const command = localActionCommand(action, file, { post });
  const child = spawn(command.file, command.args, {
    cwd: command.cwd,
    env: { ...command.env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (exitCode !== 0) console.error(stderr);
  const outputs: Record<string, string> = {};
  for (const [, name, value] of stdout.matchAll(/^::set-output name=([^:]+)::(.*)$/gm))
    outputs[name!] = value!;
  return { exitCode, stdout, outputs };
}

/** Lines as the stand-in prints them, for one kind of workflow command. */
const commandLines = (stdout: string, command: string) =>
  stdout.split('\n').filter((line) => line.startsWith(`::${command}::`));

describe('resolve-ref under local-action', () => {
  const SHA = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
  const TOKEN = 'ghs_localActionCanary0123456789';

  it('resolves a push to the pushed commit and sets its outputs through the stand-in', async () => {
    const eventPath = join(dir, 'push.json');
    await writeFile(eventPath, JSON.stringify({ ref: 'refs/heads/main', after: SHA }));
    const runnerTemp = join(dir, 'resolve-ref-temp');
    const run = await debugAction('resolve-ref', {
      INPUT_ENVIRONMENT: 'dev',
      INPUT_TOKEN: TOKEN,
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_REF_NAME: 'main',
      GITHUB_SHA: SHA,
      RUNNER_TEMP: runnerTemp,
    });
    expect(run.exitCode).toBe(0);
    expect(commandLines(run.stdout, 'error')).toEqual([]);
    expect(run.outputs).toMatchObject({
      ref: 'refs/heads/main',
      'remote-ref': 'origin/main',
      sha: SHA,
      source: 'push',
      event: 'push',
      'input-ref': '',
    });
    expect(run.stdout).not.toContain('No outputs were set!');
    // action-kit's input.secretString masked the token with the stand-in, which prints no mask command.
    expect(run.stdout).not.toContain('::add-mask::');
    expect(run.stdout).not.toContain(TOKEN);
    expect(run.stdout).toMatch(/^::info::event: {11}push$/m);
    const record = JSON.parse(await readFile(join(runnerTemp, 'gatehouse', 'resolve-ref.json'), 'utf8'));
    expect(record).toMatchObject({ environment: 'dev', sha: SHA });
  });

  it('reports a missing input through runMain’s one setFailed, which the stand-in records', async () => {
    const run = await debugAction('resolve-ref', { GITHUB_EVENT_NAME: 'push', GITHUB_SHA: SHA });
    expect(commandLines(run.stdout, 'error')).toEqual([
      "::error::Configuration error: Input 'environment' is required but was empty.",
    ]);
    // The real @actions/core would set exit code 1; the stand-in keeps the failure to itself.
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual({});
  });
});

describe('smoke-check under local-action', () => {
  let server: Server;
  let baseUrl: string;
  const seen: { method: string; path: string; authorization: string | undefined }[] = [];
  const SECRET = 'Bearer localActionSecret-5f2d';

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      seen.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization });
      req.resume();
      req.on('end', () => {
        if (req.url === '/healthz' && req.method === 'GET') res.writeHead(200).end('ok');
        else if (req.url === '/graphql' && req.method === 'POST') {
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"__typename":"Query"}}');
        } else res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('checks a real server and sets passed and report; the header secret is masked by the stand-in', async () => {
    const summary = join(dir, 'smoke-summary.md');
    const run = await debugAction('smoke-check', {
      'INPUT_BASE-URL': baseUrl,
      INPUT_CHECKS: [
        '- path: /healthz',
        '- path: /graphql',
        '  method: POST',
        '  body: {"query": "{__typename}"}',
        '  expect-status: 200',
      ].join('\n'),
      INPUT_HEADERS: `Authorization: ${SECRET}`,
      INPUT_TIMEOUT: '20s',
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(run.exitCode).toBe(0);
    expect(commandLines(run.stdout, 'error')).toEqual([]);
    expect(run.outputs.passed).toBe('true');
    const report = JSON.parse(run.outputs.report!);
    expect(report.checks.map((c: { name: string; verdict: string }) => [c.name, c.verdict])).toEqual([
      ['GET /healthz', 'pass'],
      ['POST /graphql', 'pass'],
    ]);
    expect(seen).toEqual(
      expect.arrayContaining([
        { method: 'GET', path: '/healthz', authorization: SECRET },
        { method: 'POST', path: '/graphql', authorization: SECRET },
      ]),
    );
    // http-probe/inputs masked the header value with the stand-in: no mask command, no value.
    expect(run.stdout).not.toContain('::add-mask::');
    expect(run.stdout).not.toContain('localActionSecret');
    // action-kit's appendSummary went through the stand-in's core.summary.
    expect(await readFile(summary, 'utf8')).toContain(baseUrl);
  });
});

describe('deploy-ssm (target: local) under local-action', () => {
  it('deploys on this machine, sets its outputs, and runs the post step from src/post.ts', async () => {
    const work = join(dir, 'deploy');
    const run = await debugAction(
      'deploy-ssm',
      {
        INPUT_TARGET: 'local',
        INPUT_MODE: 'image',
        'INPUT_IMAGE-TAG': 'v7',
        'INPUT_APP-DIR': join(work, 'app'),
        'INPUT_STATE-DIR': join(work, 'state'),
        INPUT_ENVIRONMENT: 'dev',
        INPUT_COMMANDS: 'echo "$DEPLOY_IMAGE_TAG" > deployed',
        RUNNER_TEMP: join(work, 'runner-temp'),
      },
      true,
    );
    expect(run.exitCode).toBe(0);
    expect(commandLines(run.stdout, 'error')).toEqual([]);
    expect(run.outputs.status).toBe('success');
    expect(run.outputs['command-id']).toMatch(/^local-/);
    expect(JSON.parse(run.outputs.results!)).toEqual([
      expect.objectContaining({ host: 'local', status: 'Success', exitCode: 0 }),
    ]);
    expect(JSON.parse(run.outputs.deployed!)).toMatchObject({ imageTag: 'v7', environment: 'dev' });
    expect(run.outputs.previous).toBe('null');
    expect(run.stdout).toMatch(/^::info::Deploying image tag v7 to this runner/m);
    expect(run.stdout).not.toContain('No outputs were set!');
    expect(await readFile(join(work, 'app', 'deployed'), 'utf8')).toBe('v7\n');
    const state = JSON.parse(await readFile(join(work, 'state', 'deploy-state.json'), 'utf8'));
    expect(state.current).toMatchObject({ imageTag: 'v7' });
    // The post step ran and found the deploy finished (state kept by the stand-in): nothing to warn.
    expect(run.stdout).toContain('Running Post Step');
    expect(commandLines(run.stdout, 'warning')).toEqual([]);
  });
});
