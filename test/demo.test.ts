import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { scriptOfCommands } from '@gatehouse/command-runner';
import type { ApiWorld } from '@gatehouse/local-world';
import { jobOf, type RunResult } from '@gatehouse/workflow-runner';
import { describe, expect, it } from 'vitest';
import { type DemoResult, runDemo } from '../scripts/demo/run-demo';
import { stepCoverage } from './support/step-coverage';

const coverage = stepCoverage(import.meta.url);

/** Every regular file under `dir` (symlinks are not followed: checkouts link the workspace's packages). */
async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(path)));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}

/** What a run showed or left: its whole log, every step's outputs and annotations, its job summaries. */
function runTexts(run: RunResult): { where: string; text: string }[] {
  const texts = [{ where: `run ${run.runId} log`, text: run.log }];
  for (const job of run.jobs) {
    texts.push({ where: `run ${run.runId} ${job.key} summary`, text: job.summary });
    for (const step of job.steps) {
      const where = `run ${run.runId} ${job.key} ${step.name}`;
      texts.push({ where, text: [...step.log, ...Object.values(step.outputs)].join('\n') });
      texts.push({ where, text: step.annotations.map((a) => a.message).join('\n') });
    }
  }
  return texts;
}

describe('the local demo', () => {
  // Only letters and digits, so URL-encoding leaves it as it is and a search finds every copy.
  const canary = `canary${Date.now().toString(36)}Q7x9Zk2w`;
  const texts: { where: string; text: string }[] = [];
  let result: DemoResult;
  /** The secrets of the dev environment that carry the canary. */
  let carriers: string[] = [];

  it('runs deploy.yml through its caller: releases 1 and 2 deploy, the broken and the wrong-database ones roll back', async () => {
    const lines: string[] = [];
    result = await runDemo({
      secret: canary,
      log: (line) => lines.push(line),
      beforeClose: async (api: ApiWorld, runs) => {
        coverage.record(runs);
        carriers = Object.entries(api.world.environmentSecrets.dev ?? {})
          .filter(([, value]) => value.includes(canary))
          .map(([name]) => name);
        for (const run of runs) texts.push(...runTexts(run));
        // Everything the world keeps: runner workspaces and temp dirs (result records, checkouts,
        // backups), artifacts, the hosts' folders, the stand-ins' state and invocation log. A host's
        // own .env holds its own credentials, never the secrets GitHub holds.
        for (const file of await filesUnder(api.world.dir)) {
          if ((await lstat(file)).size < 5_000_000)
            texts.push({ where: file, text: await readFile(file, 'utf8') });
        }
        // The SSM runner sends each host script encoded, with values in it base64-encoded too:
        // read what the hosts were really given.
        for (const command of api.world.emulator.commands()) {
          const script = scriptOfCommands(command.script);
          const encoded = script.match(/[A-Za-z0-9+/=]{40,}/g) ?? [];
          const decoded = encoded.map((blob) => Buffer.from(blob, 'base64').toString('utf8'));
          texts.push({
            where: `SSM command ${command.commandId}`,
            text: [command.script, script, ...decoded].join('\n'),
          });
        }
        for (const request of api.world.github.requests)
          texts.push({
            where: `GitHub API ${request.method} ${request.url}`,
            text: JSON.stringify(request.body ?? ''),
          });
      },
    });
    texts.push({ where: 'demo output', text: lines.join('\n') });

    const failed = result.scenarios.flatMap((s) =>
      s.expectations.filter((e) => !e.holds).map((e) => `${s.release.title}: ${e.what} (saw ${e.seen})`),
    );
    expect(failed).toEqual([]);
    expect(result.ok).toBe(true);
    const jobs = result.scenarios.map((s) => jobOf(s.run, 'deploy/deploy'));
    expect(jobs.map((j) => j.workflow)).toEqual(Array(4).fill('.github/workflows/deploy.yml'));
    const outputs = (id: string) =>
      jobs.map((j) => j.steps.find((s) => s.id === id && s.phase === 'main')?.outputs);
    expect(outputs('summary').map((o) => o?.outcome)).toEqual([
      'deployed',
      'deployed',
      'rolled-back',
      'rolled-back',
    ]);
    expect(outputs('db')[0]).toMatchObject({
      'schema-state': 'legacy',
      'action-taken': 'baseline-stamped-and-migrated',
    });
    expect(outputs('db')[1]?.['action-taken']).toBe('migrated');
    expect(outputs('deep').map((o) => o?.verdict)).toEqual(['pass', 'pass', 'fail', 'critical']);
    const second = result.scenarios[1]!.run.event.sha;
    expect(
      outputs('rollback')
        .slice(2)
        .map((o) => o?.['rolled-back-to']),
    ).toEqual([second, second]);
    const brokenSummary = jobs[2]!.summary;
    expect(brokenSummary).toContain('rolled back');
    expect(brokenSummary).toContain('payments');
    const output = lines.join('\n');
    expect(output).toContain('▶ Bring the database to the right schema (backup first)');
    expect(output).toContain('dev: rolled back');
  }, 240_000);

  it('runs on a machine without PostgreSQL too: an embedded database, no backups', async () => {
    const embedded = await runDemo({
      engine: 'embedded',
      releases: 1,
      log: () => {},
      beforeClose: async (_api, runs) => coverage.record(runs),
    });
    expect(embedded.scenarios.flatMap((s) => s.expectations.filter((e) => !e.holds))).toEqual([]);
    expect(embedded.ok).toBe(true);
    const db = jobOf(embedded.scenarios[0]!.run, 'deploy/deploy').steps.find((s) => s.id === 'db');
    expect(db?.outputs).toMatchObject({ 'action-taken': 'baseline-stamped-and-migrated', 'backup-file': '' });
  }, 120_000);

  it('never shows the canary secret in any log, output, summary, record or file', () => {
    expect(result).toBeDefined();
    // The canary really went in: the migrations authenticated with it, the gates sent it.
    expect(carriers.sort()).toEqual(['DATABASE_URL', 'DEEP_HEALTH_HEADERS', 'SMOKE_HEADERS']);
    expect(texts.length).toBeGreaterThan(200);
    const encoded = Buffer.from(canary).toString('base64').slice(0, 12);
    const leaks = texts
      .filter(({ text }) => text.includes(canary) || text.includes(encoded))
      .map((t) => t.where);
    expect(leaks).toEqual([]);
  });
});
