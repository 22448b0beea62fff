import * as core from '@actions/core';
import { ActionFailure, appendSummary, formatDuration, log } from '@gatehouse/action-kit';
import { urlWithoutCredentials } from '@gatehouse/action-kit/secrets';
import { type Clock, type Prober, pollAll } from '@gatehouse/http-probe';
import { type SmokeCheckRecord, writeRecord } from '@gatehouse/records';
import { evaluate, type Finding } from './evaluate';
import { answerText, rowOf, summaryMarkdown } from './report';
import type { Settings } from './settings';

export interface Deps {
  prober: Prober;
  clock: Clock;
}

/** The `report` output: the result record but for the expected SHA, an input the caller knows. */
export type SmokeReport = Omit<SmokeCheckRecord, 'expectedSha'>;

export async function run(settings: Settings, deps: Deps): Promise<SmokeReport> {
  const { checks, http, sha, secrets } = settings;
  const target = urlWithoutCredentials(settings.baseUrl ?? checks[0]!.request.url);
  log.info(
    `smoke-check: ${checks.length} check(s) against ${target}, retried for up to ${formatDuration(http.poll.timeoutMs)}`,
  );
  const started = deps.clock.now();
  const outcomes = await pollAll(
    checks.map((check) => async () => {
      const finding: Finding = evaluate(check, await deps.prober.probe(check.request), sha, secrets);
      core.debug(`${check.name}: ${finding.passed ? 'holds' : finding.reason}`);
      return { verdict: finding.passed ? ('pass' as const) : ('retry' as const), detail: finding };
    }),
    { ...http.poll, clock: deps.clock },
  );
  const rows = checks.map((check, i) => rowOf(check, outcomes[i]!));
  const problems: string[] = [];
  if (sha && !outcomes.some((outcome) => outcome.last.servedSha !== undefined)) {
    const from = sha.header ? `header ${sha.header}` : `JSON path '${sha.jsonPath}'`;
    problems.push(
      `no response carried the served commit (${from}), so the expected SHA could not be confirmed`,
    );
  }
  const report: SmokeReport = {
    passed: rows.every((row) => row.verdict === 'pass') && problems.length === 0,
    target,
    elapsedMs: Math.round(deps.clock.now() - started),
    checks: rows,
    problems,
  };

  for (const row of rows) {
    log.info(
      `${row.verdict === 'pass' ? '✓' : '✗'} ${row.name}: ${answerText(row)}${row.reason ? ` — ${row.reason}` : ''}`,
    );
    if (row.chain.split(' → ').length > 2) log.info(`    redirects: ${row.chain}`);
  }
  core.setOutput('passed', String(report.passed));
  core.setOutput('report', JSON.stringify(report));
  await appendSummary(summaryMarkdown(report.passed, rows, problems, target));
  await writeRecord('smoke-check', { ...report, expectedSha: sha?.expected ?? null });

  if (!report.passed) {
    const failed = rows.filter((row) => row.verdict === 'fail');
    const why = [...failed.map((row) => `${row.name}: ${row.reason}`), ...problems].join('; ');
    throw new ActionFailure(
      `smoke-check failed against ${target}: ${failed.length} of ${rows.length} check(s) did not hold — ${why}`,
    );
  }
  return report;
}
