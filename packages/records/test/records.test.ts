import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  attemptsOf,
  latestOf,
  readRecords,
  recordFileName,
  SCHEMA,
  type SmokeCheckRecord,
  writeRecord,
} from '../src/index';

let runnerTemp: string;
let dir: string;
beforeEach(async () => {
  runnerTemp = await mkdtemp(join(tmpdir(), 'gatehouse-records-'));
  dir = join(runnerTemp, 'gatehouse');
});
afterEach(async () => {
  await rm(runnerTemp, { recursive: true, force: true });
});

const smoke = (passed: boolean): SmokeCheckRecord => ({
  passed,
  target: 'https://dev.example.com/',
  elapsedMs: 1200,
  checks: [
    {
      name: 'healthz',
      verdict: passed ? 'pass' : 'fail',
      status: passed ? 200 : 502,
      latencyMs: 12,
      attempts: passed ? 1 : 4,
      reason: passed ? '' : 'expected status 200, got 502',
      chain: 'GET https://dev.example.com/healthz 200',
    },
  ],
  problems: [],
  expectedSha: null,
});

const at = (iso: string) => () => new Date(iso);

function write(action: 'smoke-check', passed: boolean, step: string, started: string, finished: string) {
  return writeRecord(action, smoke(passed), {
    env: { RUNNER_TEMP: runnerTemp, GITHUB_ACTION: step },
    startedAt: new Date(started),
    now: at(finished),
  });
}

describe('writing records', () => {
  it('writes the envelope: schema, action, attempt, the step, and the step’s own start and end', async () => {
    const written = await write('smoke-check', true, 'smoke', '2025-05-02T10:00:00Z', '2025-05-02T10:00:09Z');
    expect(written).toEqual({ file: join(dir, 'smoke-check.json'), attempt: 1 });
    expect(JSON.parse(await readFile(written!.file, 'utf8'))).toEqual({
      schema: SCHEMA,
      action: 'smoke-check',
      attempt: 1,
      step: 'smoke',
      startedAt: '2025-05-02T10:00:00.000Z',
      finishedAt: '2025-05-02T10:00:09.000Z',
      ...smoke(true),
    });
  });

  it('keeps every attempt of a gate run twice: the second never overwrites the first', async () => {
    await write('smoke-check', false, 'smoke', '2025-05-02T10:00:00Z', '2025-05-02T10:00:09Z');
    const second = await write(
      'smoke-check',
      true,
      'smoke-after-rollback',
      '2025-05-02T10:03:00Z',
      '2025-05-02T10:03:02Z',
    );
    expect(second?.attempt).toBe(2);
    expect((await readdir(dir)).sort()).toEqual(['smoke-check.2.json', 'smoke-check.json']);
    const job = readRecords(dir);
    expect(job.problems).toEqual([]);
    expect(attemptsOf(job, 'smoke-check').map((r) => [r.attempt, r.step, r.passed])).toEqual([
      [1, 'smoke', false],
      [2, 'smoke-after-rollback', true],
    ]);
    expect(latestOf(job, 'smoke-check')?.step).toBe('smoke-after-rollback');
  });

  it('by default dates the start from when the step’s process began', async () => {
    const written = await writeRecord('smoke-check', smoke(true), { env: { RUNNER_TEMP: runnerTemp } });
    const record = JSON.parse(await readFile(written!.file, 'utf8'));
    expect(record.startedAt).toBe(new Date(performance.timeOrigin).toISOString());
    expect(record.step).toBeNull();
  });

  it('writes nothing outside a runner', async () => {
    expect(await writeRecord('smoke-check', smoke(true), { env: {} })).toBeUndefined();
  });

  it('names attempts as files: the first keeps the plain name', () => {
    expect([1, 2, 12].map((n) => recordFileName('health-deep-gate', n))).toEqual([
      'health-deep-gate.json',
      'health-deep-gate.2.json',
      'health-deep-gate.12.json',
    ]);
  });
});

describe('reading records', () => {
  async function problemsFor(files: Record<string, unknown>): Promise<Record<string, string>> {
    await write('smoke-check', true, 'smoke', '2025-05-02T10:00:00Z', '2025-05-02T10:00:09Z');
    for (const [name, content] of Object.entries(files)) {
      await writeFile(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
    }
    const job = readRecords(dir);
    expect(job.records.map((r) => r.action)).toEqual(['smoke-check']);
    return Object.fromEntries(job.problems.map((p) => [p.file, p.problem]));
  }

  const valid = async () => JSON.parse(await readFile(join(dir, 'smoke-check.json'), 'utf8'));

  it('reports each record it cannot read, and why, instead of dropping it', async () => {
    await write('smoke-check', true, 'smoke', '2025-05-02T10:00:00Z', '2025-05-02T10:00:09Z');
    const good = await valid();
    await rm(join(dir, 'smoke-check.json'));
    const { target: _, ...withoutTarget } = good;
    const problems = await problemsFor({
      'smoke-check.2.json': { ...good, attempt: 2, checks: [{ ...good.checks[0], status: '200' }] },
      'smoke-check.3.json': { ...good, attempt: 3, passed: true, url: 'typo' },
      'smoke-check.4.json': { ...withoutTarget, attempt: 4 },
      'smoke-check.5.json': { ...good, attempt: 5, schema: 2 },
      'smoke-check.6.json': { passed: true, report: {} },
      'smoke-check.7.json': { ...good, attempt: 2 },
      'smoke-check.8.json': '{"passed": tru',
      'mystery.json': { anything: true },
    });
    expect(problems).toEqual({
      'smoke-check.2.json': 'smoke-check.checks[0].status: expected a whole number, got "200"',
      'smoke-check.3.json': "smoke-check: unknown field 'url'",
      'smoke-check.4.json': "smoke-check: missing field 'target'",
      'smoke-check.5.json': expect.stringMatching(/^is in schema 2, newer than this release reads \(1\)/),
      'smoke-check.6.json': expect.stringMatching(
        /^has no schema version: an older Gatehouse release wrote it/,
      ),
      'smoke-check.7.json': `says it is "smoke-check"'s attempt 2, not what its name says`,
      'smoke-check.8.json': expect.stringMatching(/^is not JSON/),
      'mystery.json': "names no Gatehouse action ('mystery')",
    });
  });

  it('reports what is not a regular file instead of hanging on it', async () => {
    await write('smoke-check', true, 'smoke', '2025-05-02T10:00:00Z', '2025-05-02T10:00:09Z');
    execFileSync('mkfifo', [join(dir, 'preflight.json')]);
    const job = readRecords(dir);
    expect(job.records.map((r) => r.action)).toEqual(['smoke-check']);
    expect(job.problems).toEqual([
      { file: 'preflight.json', problem: expect.stringContaining('a pipe (FIFO)') },
    ]);
  });

  it('reads no folder as no records: no step of this job wrote one', () => {
    expect(readRecords(join(runnerTemp, 'nothing-here'))).toEqual({ records: [], problems: [] });
  });

  it('orders the records by when their steps started', async () => {
    await write('smoke-check', true, 'late', '2025-05-02T10:05:00Z', '2025-05-02T10:05:01Z');
    await writeRecord(
      'resolve-ref',
      {
        environment: 'dev',
        ref: 'refs/heads/main',
        remoteRef: 'origin/main',
        sha: 'a'.repeat(40),
        refName: 'main',
        source: 'push',
        event: 'push',
        githubRef: 'refs/heads/main',
        githubRefName: 'main',
        inputRef: '',
        checks: null,
      },
      {
        env: { RUNNER_TEMP: runnerTemp },
        startedAt: new Date('2025-05-02T10:00:00Z'),
        now: at('2025-05-02T10:00:02Z'),
      },
    );
    expect(readRecords(dir).records.map((r) => r.action)).toEqual(['resolve-ref', 'smoke-check']);
  });
});
