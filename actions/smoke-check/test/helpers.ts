import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { latestOf, type ResultRecord, readRecords } from '@gatehouse/records';
import { type ActionRun, runAction } from '@gatehouse/runner-harness';

export const actionDir = join(import.meta.dirname, '..');

export interface SmokeRun extends ActionRun {
  report: {
    passed: boolean;
    checks: Array<Record<string, unknown> & { name: string; reason: string; chain: string }>;
    problems: string[];
  };
  /** The result record, read and checked as summary reads it. */
  record: ResultRecord<'smoke-check'> | undefined;
  recordText: string;
}

/** Runs the smoke-check bundle as the runner would, and reads what it left behind. */
export async function runSmoke(
  inputs: Record<string, string | number | boolean | undefined>,
): Promise<SmokeRun> {
  const run = await runAction({ actionDir, inputs, timeoutMs: 90_000 });
  const recordText = await readFile(join(run.runnerTemp, 'gatehouse', 'smoke-check.json'), 'utf8').catch(
    () => '',
  );
  return {
    ...run,
    report: run.outputs.report ? JSON.parse(run.outputs.report) : undefined,
    record: checkedRecord(run.runnerTemp),
    recordText,
  };
}

export function row(run: SmokeRun, name: string) {
  const found = run.report.checks.find((check) => check.name === name);
  if (!found) throw new Error(`no row named ${name} in ${JSON.stringify(run.report.checks)}`);
  return found;
}

function checkedRecord(runnerTemp: string): ResultRecord<'smoke-check'> | undefined {
  const job = readRecords(join(runnerTemp, 'gatehouse'));
  if (job.problems.length > 0) throw new Error(`unreadable result record: ${JSON.stringify(job.problems)}`);
  return latestOf(job, 'smoke-check');
}
