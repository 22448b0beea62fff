import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ActionRun, runAction } from '@gatehouse/runner-harness';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { actionNames, repoRoot } from '../scripts/actions';

/**
 * Bad input, through the bundles: nothing hangs, nothing crashes, nothing absurd is accepted. Every
 * numeric, duration, size and URL input of every action is found from its action.yml (by its
 * default, or a name ending in `url`), so a new one cannot escape this table: the first test fails
 * until it has a row here, with its range documented in its description.
 */
type Bound =
  | { kind: 'duration'; min: string; max: string }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'size'; min: string; max: string }
  | { kind: 'url'; schemes: readonly string[] }
  | { kind: 'postgres-url' }
  /** max-concurrency / max-errors: SSM's rate grammar (a count or a percentage, at most 7 characters). */
  | { kind: 'rate' };

const HTTP = { kind: 'url', schemes: ['http', 'https'] } as const;
const HTTP_PROBE: Record<string, Bound> = {
  timeout: { kind: 'duration', min: '0s', max: '24h' },
  interval: { kind: 'duration', min: '100ms', max: '1h' },
  'request-timeout': { kind: 'duration', min: '100ms', max: '10m' },
  'consecutive-successes': { kind: 'integer', min: 1, max: 100 },
  'max-redirects': { kind: 'integer', min: 0, max: 50 },
};
const ROLLOUT: Record<string, Bound> = {
  'execution-timeout': { kind: 'duration', min: '1s', max: '48h' },
  'delivery-timeout': { kind: 'duration', min: '30s', max: '48h' },
  'lock-timeout': { kind: 'duration', min: '0s', max: '24h' },
  'history-size': { kind: 'integer', min: 1, max: 1000 },
  'max-concurrency': { kind: 'rate' },
  'max-errors': { kind: 'rate' },
  'verify-url': HTTP,
  'verify-timeout': { kind: 'duration', min: '1s', max: '24h' },
  bake: { kind: 'duration', min: '0s', max: '24h' },
};

const TABLE: Record<string, { base: Record<string, string>; bounds: Record<string, Bound> }> = {
  'db-bootstrap': {
    base: { target: 'local', 'database-url': 'postgres://app:pw@127.0.0.1:9/app' },
    bounds: {
      'database-url': { kind: 'postgres-url' },
      'backup-keep': { kind: 'integer', min: 1, max: 1000 },
      'lock-timeout': { kind: 'duration', min: '0s', max: '24h' },
      timeout: { kind: 'duration', min: '1s', max: '48h' },
    },
  },
  'deploy-ssm': {
    base: {
      target: 'local',
      'app-dir': 'app',
      'state-dir': 'state',
      environment: 'dev',
      mode: 'image',
      'image-tag': 'v1',
    },
    bounds: ROLLOUT,
  },
  'health-deep-gate': {
    base: { url: 'http://127.0.0.1:9/health/deep' },
    bounds: { url: HTTP, ...HTTP_PROBE },
  },
  preflight: {
    base: { target: 'local', 'app-dir': '.', 'state-dir': '.' },
    bounds: {
      'min-free-disk': { kind: 'size', min: '0K', max: '1024T' },
      'database-url': { kind: 'postgres-url' },
      timeout: { kind: 'duration', min: '1s', max: '24h' },
    },
  },
  'resolve-ref': {
    base: { environment: 'dev' },
    bounds: { 'checks-timeout': { kind: 'duration', min: '0s', max: '6h' } },
  },
  rollback: {
    base: { target: 'local', 'app-dir': 'app', 'state-dir': 'state' },
    bounds: ROLLOUT,
  },
  'smoke-check': {
    base: { 'base-url': 'http://127.0.0.1:9', checks: '- path: /healthz' },
    bounds: { 'base-url': HTTP, ...HTTP_PROBE },
  },
  summary: {
    base: {},
    bounds: {
      'environment-url': HTTP,
      'history-size': { kind: 'integer', min: 1, max: 10_000 },
      'max-rows': { kind: 'integer', min: 1, max: 10_000 },
    },
  },
};

interface ManifestInput {
  description?: string;
  default?: string;
}

function manifest(action: string): Record<string, ManifestInput> {
  const text = readFileSync(join(repoRoot, 'actions', action, 'action.yml'), 'utf8');
  return (parse(text) as { inputs?: Record<string, ManifestInput> }).inputs ?? {};
}

/** The inputs that carry a number, a duration, a size or a URL, as action.yml shows them. */
function boundedInputs(action: string): string[] {
  return Object.entries(manifest(action))
    .filter(([name, spec]) => {
      const value = String(spec.default ?? '');
      return (
        /^\d+$/.test(value) ||
        /^(?:\d+(?:ms|h|m|s))+$/.test(value) ||
        /^\d+(?:\.\d+)?[KMGT]$/.test(value) ||
        /(?:^|-)url$/.test(name)
      );
    })
    .map(([name]) => name)
    .sort();
}

describe.each(actionNames())(
  'actions/%s: every bounded input is in the table, its range documented',
  (action) => {
    it('has a row for each numeric, duration, size and URL input of action.yml', () => {
      expect(Object.keys(TABLE[action]?.bounds ?? {}).sort()).toEqual(boundedInputs(action));
    });
    it('documents the range (or the schemes) in the input’s description', () => {
      const inputs = manifest(action);
      for (const [name, bound] of Object.entries(TABLE[action]?.bounds ?? {})) {
        const description = (inputs[name]?.description ?? '').replace(/\s+/g, ' ');
        const documented =
          bound.kind === 'url'
            ? bound.schemes.every((scheme) => description.includes(`${scheme}://`))
            : bound.kind === 'postgres-url'
              ? description.includes('postgres://')
              : bound.kind === 'rate'
                ? description.includes('percentage')
                : description.includes(`from ${bound.min} to ${bound.max}`);
        expect(documented, `${action} ${name}: ${description}`).toBe(true);
      }
    });
  },
);

/** One bad value, and what the error must say. */
interface Case {
  action: string;
  input: string;
  value: string;
  expected: RegExp;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** `24h` → `24h1ms`: just past a duration bound; `100ms` → `99ms`: just under one. */
function justAbove(duration: string): string {
  return `${duration}1ms`;
}
function justBelow(duration: string): string | undefined {
  const ms = /^(\d+)ms$/.exec(duration);
  if (ms) return Number(ms[1]) > 0 ? `${Number(ms[1]) - 1}ms` : undefined;
  const s = /^(\d+)s$/.exec(duration);
  if (s) return Number(s[1]) > 0 ? `${Number(s[1]) * 1000 - 1}ms` : undefined;
  throw new Error(`add a rule for the lower bound ${duration}`);
}

function casesOf(action: string, input: string, bound: Bound): Case[] {
  const cases: Case[] = [];
  const add = (value: string, expected: string | RegExp) =>
    cases.push({
      action,
      input,
      value,
      expected:
        typeof expected === 'string'
          ? new RegExp(`^Configuration error: ${escapeRegExp(expected)}`)
          : expected,
    });
  switch (bound.kind) {
    case 'duration': {
      const message = `Input '${input}' must be a duration from ${bound.min} to ${bound.max}`;
      add(justAbove(bound.max), message);
      add('1000h', message); // past Node's timer limit: would fire at once
      const below = justBelow(bound.min);
      if (below) add(below, message);
      break;
    }
    case 'integer': {
      const message = `Input '${input}' must be a whole number from ${bound.min} to ${bound.max}`;
      add(String(bound.max + 1), message);
      add(String(bound.min - 1), message);
      add('99999999999999999999', message);
      break;
    }
    case 'size':
      add('99999999999999999999T', `Input '${input}' must be a size from ${bound.min} to ${bound.max}`);
      add('1025T', `Input '${input}' must be a size from ${bound.min} to ${bound.max}`);
      break;
    case 'url': {
      const message = `Input '${input}' must be an absolute ${bound.schemes.map((s) => `${s}://`).join(' or ')} URL`;
      for (const value of ['javascript:alert(1)', 'file:///etc/passwd', 'example.com', 'https://'])
        add(value, message);
      break;
    }
    case 'postgres-url': {
      const message = `Input '${input}' must be a postgres:// or postgresql:// URL naming a host`;
      add('mysql://root:secret-pw@db/app', message);
      // The value is a secret, so the runner masks it wherever it appears, in this message too.
      add(
        'postgres://',
        new RegExp(
          `^Configuration error: Input '${input}' must be a \\*\\*\\* or postgresql:// URL naming a host`,
        ),
      );
      break;
    }
    case 'rate':
      add('99999999999999999999', new RegExp(`^Configuration error: Input '${input}' must be`));
      add('05', new RegExp(`^Configuration error: Input '${input}' must be`));
      break;
  }
  return cases;
}

const CASES = Object.entries(TABLE).flatMap(([action, { bounds }]) =>
  Object.entries(bounds).flatMap(([input, bound]) => casesOf(action, input, bound)),
);

async function runWith(action: string, inputs: Record<string, string>): Promise<ActionRun> {
  const workspace = await mkdtemp(join(tmpdir(), 'gatehouse-bad-input-'));
  return runAction({
    actionDir: join(repoRoot, 'actions', action),
    inputs: { ...TABLE[action]!.base, ...inputs },
    github: { workspace },
    // No AWS here: every case must stop at its input, before any call.
    env: { AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1' },
    timeoutMs: 60_000,
  });
}

function expectRefused(run: ActionRun, expected: RegExp, secret?: string): void {
  expect(run.phases.find((phase) => phase.phase === 'main')?.signal).toBeNull();
  expect(run.succeeded).toBe(false);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toMatch(expected);
  if (secret) expect(run.log).not.toContain(secret);
}

describe('every bounded input refuses what is out of range, naming itself and the range', () => {
  for (const c of CASES) {
    it(`${c.action} ${c.input}: ${JSON.stringify(c.value.slice(0, 40))}`, async () => {
      const run = await runWith(c.action, { [c.input]: c.value });
      expectRefused(run, c.expected, 'secret-pw');
    });
  }
});

describe('the cases the issue found, one by one', () => {
  it.each([
    [
      // This process's own stdout: a pipe or a socket (the runner's, the harness's) whose writer never closes.
      '/proc/self/fd/1',
      /^Configuration error: Input 'history-file': '\/proc\/self\/fd\/1' is .*not a regular file/,
    ],
    [
      '/dev/zero',
      /^Configuration error: Input 'history-file': '\/dev\/zero' is a character device, not a regular file/,
    ],
    [
      '/dev/null/x',
      /^Configuration error: Input 'history-file': '\/dev\/null\/x' has a part that is a file, not a folder \(ENOTDIR\)/,
    ],
  ])('summary history-file %s ends at once, naming the input', async (path, expected) => {
    expectRefused(await runWith('summary', { 'history-file': path }), expected);
  });

  it('summary history-file naming a FIFO (a read would wait for a writer forever) ends at once', async () => {
    const fifo = join(await mkdtemp(join(tmpdir(), 'gatehouse-fifo-')), 'history.jsonl');
    execFileSync('mkfifo', [fifo]);
    const run = await runWith('summary', { 'history-file': fifo });
    expectRefused(
      run,
      /^Configuration error: Input 'history-file': '.*history\.jsonl' is a pipe \(FIFO\), not a regular file/,
    );
  });

  it.each([
    ['sha', 'xyz', "Input 'sha' must be a full commit SHA (40 hex characters"],
    ['job-status', 'maybe', "Input 'job-status' must be one of success, failure, cancelled, got 'maybe'."],
  ])('summary %s %j is refused', async (input, value, expected) => {
    expectRefused(
      await runWith('summary', { [input]: value }),
      new RegExp(`^Configuration error: ${escapeRegExp(expected)}`),
    );
  });

  it('resolve-ref with a 60,000-character allowed-refs names the input and the limit', async () => {
    const run = await runWith('resolve-ref', { 'allowed-refs': `refs/heads/${'x*'.repeat(30_000)}` });
    expectRefused(
      run,
      /^Configuration error: Input 'allowed-refs' has a pattern of 60011 characters; each may be at most 255/,
    );
  });

  it.each([
    [
      'smoke-check',
      'headers',
      'Bad Header: x',
      /^Configuration error: Input 'headers': "Bad Header" is not a valid HTTP header name/,
    ],
    [
      'smoke-check',
      'headers',
      'X-Token: "secret-pw\\r\\nX-Injected: 1"',
      /^Configuration error: Input 'headers': the value of header 'X-Token' holds a character HTTP forbids/,
    ],
    [
      'smoke-check',
      'headers',
      'Content-Length: "12"',
      /^Configuration error: Input 'headers': header 'Content-Length' cannot be set/,
    ],
    [
      'health-deep-gate',
      'headers',
      'X Forwarded: x',
      /^Configuration error: Input 'headers': "X Forwarded" is not a valid HTTP header name/,
    ],
    [
      'smoke-check',
      'sensitive-headers',
      'X Api Key',
      /^Configuration error: Input 'sensitive-headers': "x api key" is not a valid HTTP header name/,
    ],
    [
      'smoke-check',
      'checks',
      '- path: /me\n  headers: { "X-Token": "secret-pw\\nX-Injected: 1" }',
      /^Configuration error: checks\[0\]\.headers: the value of header 'X-Token' holds a character HTTP forbids/,
    ],
  ])('%s %s %j: caught at input time, never per request', async (action, input, value, expected) => {
    expectRefused(await runWith(action, { [input]: value }), expected, 'secret-pw');
  });
});

describe('messages that said the wrong thing', () => {
  it.each([
    [
      'local',
      /^Configuration error: Input 'app-dir' is required: without 'command', rollback runs the deploy host script on this runner \(target: local\).*set 'command'/,
    ],
    [
      'ssm',
      /^Configuration error: Input 'app-dir' is required: without 'command', rollback runs the deploy host script on each host/,
    ],
  ])(
    'rollback with target %s, no command and no app-dir says which rollback needs it',
    async (target, expected) => {
      const run = await runWith('rollback', {
        target,
        'app-dir': '',
        ...(target === 'ssm' ? { 'instance-ids': 'i-0123456789abcdef0' } : {}),
      });
      expectRefused(run, expected);
    },
  );
});
