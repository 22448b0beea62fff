import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendHistory } from '../src/history';
import { decideOutcome, shortText } from '../src/outcome';
import { renderSummary } from '../src/render';
import { readJob } from '../src/views';

const SHA = 'c2a6b03f190dfb2b4aa91f8af8d477a9bc3401dc';
const ctx = {
  serverUrl: 'https://github.com',
  repository: 'example/service',
  maxRows: 50,
  maxBytes: 1_000_000,
};
const resolveRef = {
  environment: 'dev',
  sha: SHA,
  ref: 'refs/heads/main',
  writtenAt: '2025-01-01T00:00:00Z',
};

function render(
  records: Record<string, Record<string, unknown>>,
  options: Partial<typeof ctx> = {},
  jobStatus?: string,
) {
  const job = readJob(records);
  const verdict = decideOutcome(job, { jobStatus });
  return { job, verdict, markdown: renderSummary(job, verdict, { ...ctx, ...options }) };
}

describe('summary: tolerant reading of other actions records', () => {
  it('shows fields of a wrong type or shape as missing, never crashing', () => {
    const { markdown, verdict } = render({
      'resolve-ref': { environment: 'dev', sha: 42, ref: ['x'], event: { nested: true } },
      'deploy-ssm': { status: 'Success', results: 'not json [', deployed: 7, 'command-id': { id: 1 } },
      'smoke-check': { passed: 'maybe', report: [{ name: 'healthz', status: null }, 'junk'] },
      'health-deep-gate': { verdict: 'pass', report: '{"checks": {"db": "ok", "cache": "down"}}' },
      'db-bootstrap': { 'schema-state': ['?'] },
      mystery: { anything: true },
    });
    expect(verdict.outcome).toBe('deployed');
    expect(markdown).toContain('## ✅ dev: deployed');
    expect(markdown).toContain('_No per-host results were recorded._');
    expect(markdown).toContain('| cache | ❌ down |');
    expect(markdown).toContain('| mystery |');
    expect(markdown).not.toContain('undefined');
    expect(markdown).not.toContain('[object Object]');
  });

  it('reads camelCase and kebab-case fields alike, and per-host versions from a map', () => {
    const { job } = render({
      'resolve-ref': resolveRef,
      'deploy-ssm': {
        commandId: 'cmd-1',
        status: 'Failed',
        results: JSON.stringify([
          { instanceId: 'i-0aaaaaaaaaaaaaaaa', status: 'Success', exitCode: 0 },
          {
            'instance-id': 'i-0bbbbbbbbbbbbbbbb',
            status: 'Failed',
            'exit-code': 3,
            reason: 'compose up failed',
          },
        ]),
        previous: {
          'i-0aaaaaaaaaaaaaaaa': { sha: 'a'.repeat(40) },
          'i-0bbbbbbbbbbbbbbbb': { imageTag: 'v1' },
        },
      },
    });
    expect(job.deploy).toMatchObject({ commandId: 'cmd-1', status: 'Failed' });
    expect(job.deploy!.hosts).toEqual([
      expect.objectContaining({ host: 'i-0aaaaaaaaaaaaaaaa', exitCode: '0', previous: 'aaaaaaa' }),
      expect.objectContaining({
        host: 'i-0bbbbbbbbbbbbbbbb',
        exitCode: '3',
        previous: 'tag v1',
        reason: 'compose up failed',
      }),
    ]);
  });
});

describe('summary: outcomes in words', () => {
  it('a failed deploy that was not rolled back names the failed host', () => {
    const { verdict } = render({
      'resolve-ref': resolveRef,
      'deploy-ssm': { status: 'Failed', results: [{ host: 'i-0bbbbbbbbbbbbbbbb', status: 'TimedOut' }] },
    });
    expect(verdict.outcome).toBe('failed');
    expect(verdict.sentence).toContain('the deploy failed on i-0bbbbbbbbbbbbbbbb (Failed)');
    expect(verdict.sentence).toContain('It was not rolled back.');
  });

  it('a migrated database without a deploy is a failure that changed something, not "nothing changed"', () => {
    const { verdict } = render(
      { 'resolve-ref': resolveRef, 'db-bootstrap': { 'version-before': '1', 'version-after': '2' } },
      {},
      'failure',
    );
    expect(verdict.outcome).toBe('failed');
    expect(verdict.sentence).toMatch(/database was changed \(1 → 2\)/);
  });

  it('a db-bootstrap that stopped before changing anything is "failed before changing anything"', () => {
    // As db-bootstrap records them: stopped before it could read the database (several migration
    // hosts matched), and a legacy schema it refused to stamp.
    for (const record of [
      { 'schema-state': '', 'action-taken': 'failed', 'version-before': '', 'version-after': '' },
      { 'schema-state': 'legacy', 'action-taken': 'refused', 'version-before': '', 'version-after': '' },
    ]) {
      const { verdict } = render(
        { 'resolve-ref': resolveRef, 'db-bootstrap': { ...record, status: 'failed', reason: 'stopped' } },
        {},
        'failure',
      );
      expect(verdict.outcome, JSON.stringify(record)).toBe('failed-before-change');
      expect(verdict.sentence).toContain('Nothing was changed: db-bootstrap failed: stopped.');
    }
  });

  it('a failed rollback is said plainly', () => {
    const { verdict, markdown } = render({
      'resolve-ref': resolveRef,
      'deploy-ssm': { status: 'Success', results: [{ host: 'i-0a', status: 'Success' }] },
      'smoke-check': { passed: false },
      rollback: {
        status: 'Failed',
        'rolled-back-to': 'b'.repeat(40),
        results: [{ host: 'i-0a', status: 'Failed' }],
      },
    });
    expect(verdict.outcome).toBe('rollback-failed');
    expect(markdown).toContain('## 🚨 dev: failed, and the rollback failed too');
    expect(verdict.sentence).toContain('needs a person now');
  });

  it('marks gates that ran after the rollback', () => {
    const { markdown } = render({
      'resolve-ref': resolveRef,
      'deploy-ssm': { status: 'Success', writtenAt: '2025-01-01T00:01:00Z' },
      rollback: { status: 'Success', 'rolled-back-to': 'b'.repeat(40), writtenAt: '2025-01-01T00:03:00Z' },
      'smoke-check': { passed: true, writtenAt: '2025-01-01T00:04:00Z' },
    });
    expect(markdown).toContain('### Smoke check (after the rollback) — ✅ passed');
  });

  it('cuts a status description to 140 characters on a word', () => {
    const text = shortText(`Rolled back: ${'word '.repeat(60)}`);
    expect([...text].length).toBeLessThanOrEqual(140);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('summary: size', () => {
  const fleet = (n: number, reason: string) =>
    Array.from({ length: n }, (_, i) => ({
      host: `i-${String(i).padStart(17, '0')}`,
      status: i % 97 === 5 ? 'Failed' : 'Success',
      reason: i % 97 === 5 ? reason : undefined,
    }));

  it('cuts a long host table, failed hosts first, with a note', () => {
    const { markdown } = render({
      'resolve-ref': resolveRef,
      'deploy-ssm': { status: 'Failed', results: fleet(500, 'x') },
    });
    const rows = markdown.split('\n').filter((line) => line.startsWith('| `i-'));
    expect(rows).toHaveLength(50);
    expect(rows.slice(0, 6).every((row) => row.includes('Failed'))).toBe(true);
    expect(markdown).toContain('450 more hosts not shown (failed hosts are listed first)');
  });

  it('stays under 1 MiB whatever the records hold, and says it was cut', () => {
    const huge = 'é'.repeat(200_000);
    const checks = Array.from({ length: 5000 }, (_, i) => ({
      name: `check ${i} ${huge.slice(0, 2000)}`,
      verdict: 'fail',
    }));
    const { markdown } = render(
      {
        'resolve-ref': resolveRef,
        'smoke-check': { passed: false, report: { checks } },
        'db-bootstrap': { reason: huge },
      },
      { maxRows: 5000 },
    );
    expect(Buffer.byteLength(markdown, 'utf8')).toBeLessThanOrEqual(1_000_000);
    expect(markdown).toContain('_The summary was cut here');
    expect(markdown).not.toContain('\uFFFD');
  });
});

describe('summary: history file', () => {
  it('appends one line per deploy and keeps only the newest entries', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'history-')), 'nested', 'deploys.jsonl');
    for (let i = 1; i <= 7; i++) appendHistory(file, { n: i }, 5);
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines.map((line) => JSON.parse(line).n)).toEqual([3, 4, 5, 6, 7]);
  });

  it('drops a line broken by hand instead of failing', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'history-')), 'deploys.jsonl');
    await writeFile(file, '{"n":1}\nnot json\n');
    appendHistory(file, { n: 2 }, 10);
    expect(await readFile(file, 'utf8')).toBe('{"n":1}\n{"n":2}\n');
  });
});
