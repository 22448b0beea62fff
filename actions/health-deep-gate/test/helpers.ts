import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { latestOf, type ResultRecord, readRecords } from '@gatehouse/records';
import { type ActionRun, runAction } from '@gatehouse/runner-harness';

export const actionDir = join(import.meta.dirname, '..');

export interface GateRun extends ActionRun {
  report: Record<string, unknown> & { verdict: string; reasons: string[]; attempts: number };
  /** The result record, read and checked as summary reads it. */
  record: ResultRecord<'health-deep-gate'> | undefined;
  recordText: string;
}

/** Runs the health-deep-gate bundle as the runner would, and reads what it left behind. */
export async function runGate(
  inputs: Record<string, string | number | boolean | undefined>,
): Promise<GateRun> {
  const run = await runAction({ actionDir, inputs, timeoutMs: 90_000 });
  const recordText = await readFile(join(run.runnerTemp, 'gatehouse', 'health-deep-gate.json'), 'utf8').catch(
    () => '',
  );
  return {
    ...run,
    report: run.outputs.report ? JSON.parse(run.outputs.report) : undefined,
    record: checkedRecord(run.runnerTemp),
    recordText,
  };
}

function checkedRecord(runnerTemp: string): ResultRecord<'health-deep-gate'> | undefined {
  const job = readRecords(join(runnerTemp, 'gatehouse'));
  if (job.problems.length > 0) throw new Error(`unreadable result record: ${JSON.stringify(job.problems)}`);
  return latestOf(job, 'health-deep-gate');
}
