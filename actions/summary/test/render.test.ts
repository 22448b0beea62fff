import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordProblem, ResultRecord } from '@gatehouse/records';
import { describe, expect, it } from 'vitest';
import { appendHistory } from '../src/history';
import { decideOutcome, shortText } from '../src/outcome';
import { renderSummary } from '../src/render';
import { readJob } from '../src/views';
import {
  database,
  deep,
  deploy,
  entry,
  hostRow,
  job,
  OLD_SHA,
  record,
  resolveRef,
  rollback,
  smoke,
} from './records';

const ctx = {
  serverUrl: 'https://github.com',
  repository: 'example/service',
  maxRows: 50,
  maxBytes: 1_000_000,
};
const H1 = 'i-0aaaaaaaaaaaaaaaa';
const H2 = 'i-0bbbbbbbbbbbbbbbb';

function render(
  records: ResultRecord[],
  options: { problems?: RecordProblem[]; jobStatus?: string; maxRows?: number } = {},
) {
  const view = readJob(job(records, options.problems));
  const verdict = decideOutcome(view, { jobStatus: options.jobStatus });
  const markdown = renderSummary(view, verdict, { ...ctx, maxRows: options.maxRows ?? ctx.maxRows });
  return { view, verdict, markdown };
}

/** The markdown of one `### ` section, by the start of its title. */
function section(markdown: string, title: string): string {
  const start = markdown.indexOf(`### ${title}`);
  if (start < 0) throw new Error(`no section ${title} in:\n${markdown}`);
  const end = markdown.indexOf('\n### ', start + 4);
  return markdown.slice(start, end < 0 ? undefined : end);
}

const ref = record('resolve-ref', resolveRef(), { start: 0, took: 2 });

describe('summary: every attempt of a gate', () => {
  // smoke fails for 8 s of retries; rollback; smoke again passes.
  const records = [
    ref,
    record('deploy-ssm', deploy([hostRow(H1)]), { start: 10, took: 30 }),
    record('smoke-check', smoke(false), { start: 41, took: 8, step: 'smoke' }),
    // A step without an id: the runner names it itself, which says nothing to a reader.
    record('rollback', rollback([hostRow(H1, { deployed: entry(OLD_SHA, null, { outcome: 'rollback' }) })]), {
      start: 50,
      took: 2,
      step: '__gatehouse-dev_gatehouse',
    }),
    record('smoke-check', smoke(true), { start: 53, took: 1, attempt: 2, step: 'smoke-after-rollback' }),
  ];

  it('shows the failing attempt before the rollback and the passing one after it, in order', () => {
    const { markdown, verdict } = render(records, { jobStatus: 'failure' });
    expect(verdict.outcome).toBe('rolled-back');
    const before = markdown.indexOf(
      '### Smoke check (attempt 1, step `smoke`, before the rollback) — ❌ failed',
    );
    const rolledBack = markdown.indexOf('### Rollback to `c00dbbc` — ✅ success');
    const after = markdown.indexOf(
      '### Smoke check (attempt 2, step `smoke-after-rollback`, after the rollback) — ✅ passed',
    );
    expect([before > 0, rolledBack > before, after > rolledBack]).toEqual([true, true, true]);
    expect(section(markdown, 'Smoke check (attempt 1')).toContain('expected status 200, got 502');
    expect(verdict.sentence).toBe(
      'The deploy of `c2a6b03` was rolled back because its smoke check failed (healthz). dev is back on `c00dbbc` on 1 host; its smoke check passed after the rollback.',
    );
  });

  it('times each step by its own start and end: the rollback is not charged with the gate’s retries', () => {
    const steps = section(render(records).markdown, 'Steps and time');
    expect(steps).toContain('| smoke-check (attempt 1) | `smoke` | ❌ | 10:00:41 | 8s |');
    expect(steps).toContain('| rollback | — | ✅ | 10:00:50 | 2s |');
    expect(steps).toContain(
      '| smoke-check (attempt 2, after the rollback) | `smoke-after-rollback` | ✅ | 10:00:53 | 1s |',
    );
    expect(steps).toContain('from then to the last one ending: 54s, of which these steps took 43s');
  });

  it('a gate that fails after the rollback leaves the environment to a person', () => {
    const failedAgain = [
      ...records.slice(0, 4),
      record('health-deep-gate', deep('fail', ["required check 'database' is 'down'"]), {
        start: 53,
        took: 20,
        step: 'deep-after-rollback',
      }),
    ];
    const { verdict } = render(failedAgain, { jobStatus: 'failure' });
    expect(verdict.outcome).toBe('rollback-failed');
    expect(verdict.sentence).toContain(
      "but the deep health gate after the rollback said fail: required check 'database' is 'down'. dev needs a person now.",
    );
  });
});

describe('summary: a deep gate that found the app in another environment', () => {
  it("says which environment the app reports and which was expected, in the sentence and the gate's section", () => {
    const wrong = "the app reports environment 'stage', expected 'dev'";
    const { markdown, verdict } = render([
      ref,
      record('deploy-ssm', deploy([hostRow(H1)]), { start: 10, took: 30 }),
      record('health-deep-gate', deep('critical', [wrong], 'stage'), { start: 41, took: 1, step: 'deep' }),
    ]);
    expect(verdict.outcome).toBe('failed');
    expect(verdict.sentence).toContain(`its deep health gate said critical: ${wrong}`);
    const gate = section(markdown, 'Deep health gate');
    expect(gate).toContain('— 🛑 critical');
    expect(gate).toContain(`- **${wrong}**`);
    expect(gate).toContain('| environment | `stage` | `dev` |');
  });
});

describe('summary: who', () => {
  it('names who triggered the run, and who started this attempt when someone else re-ran it', () => {
    const view = readJob(job([ref]));
    const verdict = decideOutcome(view, {});
    const markdown = renderSummary(view, verdict, { ...ctx, actor: 'ada', triggeringActor: 'grace' });
    expect(markdown).toContain('\n\ntriggered by ada (push), this attempt by grace');
  });
});

describe('summary: records it cannot read', () => {
  it('says so at the top and lists each with its reason, never dropping it silently', () => {
    const { markdown } = render([ref], {
      problems: [{ file: 'smoke-check.2.json', problem: "smoke-check: missing field 'passed'" }],
    });
    expect(markdown).toContain('> ⚠️ 1 result record could not be read (listed at the end)');
    expect(section(markdown, 'Records that could not be read')).toContain(
      "- `smoke-check.2.json` smoke-check: missing field 'passed'",
    );
  });
});

describe('summary: where things stand', () => {
  it('names what each host runs, since when and by whom; a failed host is unknown, not guessed', () => {
    const failed = hostRow(H2, {
      status: 'Failed',
      statusDetails: 'Failed',
      exitCode: 3,
      what: 'the deploy script failed (Failed, exit 3)',
      deployed: null,
      outputTail: 'compose up failed',
    });
    const { markdown, verdict } = render(
      [ref, record('deploy-ssm', deploy([hostRow(H1), failed]), { start: 10, took: 30 })],
      {
        jobStatus: 'failure',
      },
    );
    expect(verdict.sentence).toBe(
      `The deploy of \`c2a6b03\` to dev failed: the deploy failed on ${H2}. It was not rolled back.`,
    );
    const standing = section(markdown, 'Where things stand');
    expect(standing).toContain(
      `| \`${H1}\` | \`c2a6b03\` | 2025-05-02 10:01:00 UTC | deploy by octocat in run [\`4242\`](https://github.com/example/service/actions/runs/4242) |`,
    );
    expect(standing).toContain(`| \`${H2}\` | unknown: the deploy failed here and may have half-changed it`);
    // The failed host's row comes first, with its last output.
    const rows = section(markdown, 'Deploy of')
      .split('\n')
      .filter((line) => line.startsWith('| `i-'));
    expect(rows.map((row) => row.slice(3, 22))).toEqual([H2, H1]);
    expect(rows[0]).toContain('the deploy script failed (Failed, exit 3) · last output: compose up failed');
  });

  it('shows each wave: its hosts, outcome, duration and what was verified', () => {
    const hosts = [hostRow(H1), hostRow(H2, { wave: 2, status: 'Failed', deployed: null })];
    const waves = deploy(hosts, {
      verification: 'verify-url http://127.0.0.1:8080/health/deep (2xx, naming the deployed commit)',
      waves: [
        { wave: 1, hosts: [H1], outcome: 'passed', durationMs: 41_000, bakedMs: 60_000 },
        { wave: 2, hosts: [H2], outcome: 'failed', durationMs: 12_000, bakedMs: null },
        { wave: 3, hosts: ['i-0cccccccccccccccc'], outcome: 'not-started', durationMs: null, bakedMs: null },
      ],
    });
    const table = section(
      render([ref, record('deploy-ssm', waves, { start: 10, took: 60 })]).markdown,
      'Deploy of',
    );
    expect(table).toContain(
      `| 1 | 1: ${H1} | ✅ passed | 41s | verify-url http://127.0.0.1:8080/health/deep (2xx, naming the deployed commit); again after a 1m bake |`,
    );
    expect(table).toContain(`| 2 | 1: ${H2} | ❌ failed | 12s |`);
    expect(table).toContain('| 3 | 1: i-0cccccccccccccccc | ⚪ not-started | — | — |');
  });
});

describe('summary: the way back', () => {
  const wayBack = (records: ResultRecord[]) => section(render(records).markdown, 'The way back');

  it('after a deploy: the workflow to dispatch with the version the hosts ran before, and the restore command', () => {
    const text = wayBack([
      ref,
      record('db-bootstrap', database(), { start: 5, took: 4 }),
      record('deploy-ssm', deploy([hostRow(H1)]), { start: 10, took: 30 }),
    ]);
    expect(text).toContain(
      `To put the code back on \`c00dbbc\`, what the changed hosts ran before, dispatch [the rollback workflow](https://github.com/example/service/actions/workflows/rollback.yml)`,
    );
    expect(text).toContain(`gh workflow run rollback.yml -f environment=dev -f version=${OLD_SHA}`);
    expect(text).toContain('The database stays at `0042` (it was `0041`)');
    expect(text).toContain(database().restoreCommand!);
  });

  it('in image mode the version is the image tag; hosts that ran different versions each go back to their own', () => {
    const image = deploy([hostRow(H1, { previous: entry(OLD_SHA, 'v2.3.1') })], { mode: 'image' });
    expect(wayBack([ref, record('deploy-ssm', image, { start: 10, took: 30 })])).toContain(
      'gh workflow run rollback.yml -f environment=dev -f version=v2.3.1',
    );
    const differ = deploy([hostRow(H1), hostRow(H2)], { previousDiffers: true });
    const text = wayBack([ref, record('deploy-ssm', differ, { start: 10, took: 30 })]);
    expect(text).toContain('gh workflow run rollback.yml -f environment=dev\n');
    expect(text).toContain('(they ran different versions)');
  });

  it('a first deploy has nothing to go back to; a failure before any change has nothing to undo', () => {
    const first = deploy([hostRow(H1, { previous: null })], { previous: null });
    expect(wayBack([ref, record('deploy-ssm', first, { start: 10, took: 30 })])).toContain(
      'The hosts had no earlier version recorded (this was their first deploy): there is nothing to go back to.',
    );
    expect(wayBack([ref]).trim()).toBe(
      '### The way back\n\nNothing was changed, so there is nothing to undo.',
    );
  });

  it('after a failed rollback: dispatch it again', () => {
    const back = hostRow(H1, { status: 'Failed', what: 'the rollback script failed', deployed: null });
    const text = wayBack([
      ref,
      record('deploy-ssm', deploy([hostRow(H1)]), { start: 10, took: 30 }),
      record('rollback', rollback([back]), { start: 50, took: 2 }),
    ]);
    expect(text).toContain(`-f version=${OLD_SHA}`);
  });
});

describe('summary: outcomes in words', () => {
  it('a migrated database without a deploy is a failure that changed something, not "nothing changed"', () => {
    const { verdict } = render([ref, record('db-bootstrap', database(), { start: 5, took: 4 })], {
      jobStatus: 'failure',
    });
    expect(verdict.outcome).toBe('failed');
    expect(verdict.sentence).toMatch(/database was changed \(0041 → 0042\)/);
  });

  it('a db-bootstrap that stopped before changing anything is "failed before changing anything"', () => {
    // As db-bootstrap records them: stopped before it could read the database (several migration
    // hosts matched), and a legacy schema it refused to stamp.
    for (const fields of [
      { schemaState: null, actionTaken: 'failed', versionBefore: null, versionAfter: null },
      { schemaState: 'legacy', actionTaken: 'refused', versionBefore: null, versionAfter: null },
    ] as const) {
      const stopped = database({
        ...fields,
        status: 'failed',
        reason: 'stopped',
        backupFile: null,
        restoreCommand: null,
      });
      const { verdict } = render([ref, record('db-bootstrap', stopped, { start: 5, took: 1 })], {
        jobStatus: 'failure',
      });
      expect(verdict.outcome, JSON.stringify(fields)).toBe('failed-before-change');
      expect(verdict.sentence).toMatch(/^Nothing was changed: /);
    }
  });

  it('a failed rollback is said plainly', () => {
    const { verdict, markdown } = render([
      ref,
      record('deploy-ssm', deploy([hostRow(H1)]), { start: 10, took: 30 }),
      record('smoke-check', smoke(false), { start: 41, took: 8 }),
      record('rollback', rollback([hostRow(H1, { status: 'Failed', deployed: null })]), {
        start: 50,
        took: 2,
      }),
    ]);
    expect(verdict.outcome).toBe('rollback-failed');
    expect(markdown).toContain('## 🚨 dev: failed, and the rollback failed too');
    expect(verdict.sentence).toContain('needs a person now');
  });

  it('a dry run deployed nothing', () => {
    const dry = deploy([], { status: 'dry-run', dryRun: true, hosts: [H1], commandIds: [], waves: [] });
    expect(render([ref, record('deploy-ssm', dry, { start: 10, took: 3 })]).verdict.outcome).toBe(
      'not-deployed',
    );
  });

  it('cuts a status description to 140 characters on a word', () => {
    const text = shortText(`Rolled back: ${'word '.repeat(60)}`);
    expect([...text].length).toBeLessThanOrEqual(140);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('summary: size', () => {
  const fleet = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      hostRow(`i-${String(i).padStart(17, '0')}`, i % 97 === 5 ? { status: 'Failed', deployed: null } : {}),
    );

  it('cuts a long host table, failed hosts first, with a note', () => {
    const { markdown } = render([ref, record('deploy-ssm', deploy(fleet(500)), { start: 10, took: 30 })]);
    const rows = section(markdown, 'Deploy of')
      .split('\n')
      .filter((line) => line.startsWith('| `i-'));
    expect(rows).toHaveLength(50);
    expect(rows.slice(0, 6).every((row) => row.includes('Failed'))).toBe(true);
    expect(markdown).toContain('450 more hosts not shown (failed hosts are listed first)');
  });

  it('stays under 1 MiB whatever the records hold, and says it was cut', () => {
    const huge = 'é'.repeat(200_000);
    const checks = Array.from({ length: 5000 }, (_, i) => ({
      ...smoke(false).checks[0]!,
      name: `check ${i} ${huge.slice(0, 2000)}`,
    }));
    const { markdown } = render(
      [
        ref,
        record('smoke-check', { ...smoke(false), checks }, { start: 41, took: 8 }),
        record('db-bootstrap', database({ status: 'failed', reason: huge }), { start: 5, took: 4 }),
      ],
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
