import { lstat, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActionRun } from '@gatehouse/runner-harness';
import { afterAll, describe, expect, it } from 'vitest';
import type { PipelineRun } from '../scripts/demo/pipeline';
import { type DemoResult, runDemo } from '../scripts/demo/run-demo';

/** Every regular file under `dir` (symlinks are not followed: the checkouts link the workspace's node_modules). */
async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(path)));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}

/** What a step showed or left: its log (mask commands aside), outputs and job summary. */
function stepTexts(run: ActionRun): string[] {
  const stdout = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  return [stdout, run.stderr, run.summary, ...Object.values(run.outputs), ...run.errors, ...run.warnings];
}

describe('the local demo', () => {
  // Only letters and digits, so URL-encoding leaves it as it is and a search finds every copy.
  const canary = `canary${Date.now().toString(36)}Q7x9Zk2w`;
  const leaks: { where: string }[] = [];
  const texts: { where: string; text: string }[] = [];
  let outputDir = '';
  let result: DemoResult;
  const masks: string[] = [];

  afterAll(async () => {
    if (outputDir) await rm(outputDir, { recursive: true, force: true });
  });

  it('deploys releases 1 and 2, rolls back the broken and the wrong-database releases, and keeps a canary secret', async () => {
    outputDir = await mkdtemp(join(tmpdir(), 'gatehouse-demo-test-'));
    const lines: string[] = [];
    result = await runDemo({
      outputDir,
      secret: canary,
      log: (line) => lines.push(line),
      beforeClose: async (world, runs: PipelineRun[]) => {
        for (const run of runs) {
          for (const step of run.steps) {
            masks.push(...step.run.masks);
            for (const text of stepTexts(step.run))
              texts.push({ where: `${run.release.tag} ${step.label}`, text });
          }
        }
        // Result records and step files (RUNNER_TEMP), checkouts, and what the hosts keep.
        for (const dir of [world.workDir, world.emulator.rootDir]) {
          for (const file of await filesUnder(dir)) {
            if ((await lstat(file)).size < 5_000_000)
              texts.push({ where: file, text: await readFile(file, 'utf8') });
          }
        }
        // The SSM runner sends each host script base64-encoded: read what the hosts were really given.
        for (const command of world.emulator.commands()) {
          const encoded = command.script.match(/[A-Za-z0-9+/=]{40,}/g) ?? [];
          const decoded = encoded.map((blob) => Buffer.from(blob, 'base64').toString('utf8'));
          texts.push({
            where: `SSM command ${command.commandId}`,
            text: [command.script, ...decoded].join('\n'),
          });
        }
      },
    });
    for (const file of await filesUnder(outputDir))
      texts.push({ where: file, text: await readFile(file, 'utf8') });
    texts.push({ where: 'demo output', text: lines.join('\n') });

    const failed = result.scenarios.flatMap((s) =>
      s.expectations.filter((e) => !e.holds).map((e) => `${s.title}: ${e.what} (saw ${e.seen})`),
    );
    expect(failed).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.scenarios.map((s) => s.run.step('summary')?.outputs.outcome)).toEqual([
      'deployed',
      'deployed',
      'rolled-back',
      'rolled-back',
    ]);
    const [first, second, broken, wrong] = result.scenarios.map((s) => s.run);
    expect(first?.step('db-bootstrap')?.outputs).toMatchObject({
      'schema-state': 'legacy',
      'action-taken': 'baseline-stamped-and-migrated',
    });
    expect(second?.step('db-bootstrap')?.outputs['action-taken']).toBe('migrated');
    expect(broken?.step('health-deep-gate')?.outputs.verdict).toBe('fail');
    expect(broken?.step('rollback')?.outputs['rolled-back-to']).toBe('r2');
    expect(wrong?.step('health-deep-gate')?.outputs.verdict).toBe('critical');
    expect(wrong?.step('rollback')?.outputs['rolled-back-to']).toBe('r2');
    const brokenSummary = await readFile(join(outputDir, 'summary-r3.md'), 'utf8');
    expect(brokenSummary).toContain('rolled back');
    expect(brokenSummary).toContain('payments');
  }, 180_000);

  it('never shows the canary secret in any log, output, summary, record or file', () => {
    expect(result).toBeDefined();
    // The canary really went in: the database URL's password and the smoke token were masked.
    expect(masks.some((mask) => mask.includes(canary))).toBe(true);
    expect(texts.length).toBeGreaterThan(100);
    const encoded = Buffer.from(canary).toString('base64').slice(0, 12);
    for (const { where, text } of texts) {
      if (text.includes(canary) || text.includes(encoded)) leaks.push({ where });
    }
    expect(leaks).toEqual([]);
  });
});
