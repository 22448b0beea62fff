import * as core from '@actions/core';
import { ActionFailure, appendSummary, formatDuration, log } from '@gatehouse/action-kit';
import { urlWithoutCredentials } from '@gatehouse/action-kit/secrets';
import { type Clock, type Prober, pollUntil } from '@gatehouse/http-probe';
import { writeRecord } from '@gatehouse/records';
import { type Judgement, judge, type Verdict } from './judge';
import { type GateReport, summaryMarkdown } from './report';
import type { Settings } from './settings';

export interface Deps {
  prober: Prober;
  clock: Clock;
}

export async function run(settings: Settings, deps: Deps): Promise<GateReport> {
  const url = urlWithoutCredentials(settings.url);
  log.info(`health-deep-gate: ${url}, retried for up to ${formatDuration(settings.http.poll.timeoutMs)}`);
  const request = {
    method: 'GET',
    url: settings.url,
    headers: { Accept: 'application/json', ...settings.http.headers },
  };
  const outcome = await pollUntil<Judgement>(
    async () => {
      const judgement = judge(await deps.prober.probe(request), settings);
      core.debug(`${judgement.verdict}: ${judgement.reasons.join('; ') || 'healthy'}`);
      const verdict =
        judgement.verdict === 'critical' ? 'fatal' : judgement.verdict === 'pass' ? 'pass' : 'retry';
      return { verdict, detail: judgement };
    },
    { ...settings.http.poll, clock: deps.clock },
  );
  const verdict: Verdict =
    outcome.state === 'passed' ? 'pass' : outcome.state === 'fatal' ? 'critical' : 'fail';
  const j = outcome.last;
  const report: GateReport = {
    verdict,
    url,
    attempts: outcome.attempts,
    elapsedMs: outcome.elapsedMs,
    latencyMs: j.latencyMs,
    httpStatus: j.httpStatus,
    status: j.status,
    environment: j.environment,
    expectedEnvironment: settings.expectedEnvironment ?? null,
    sha: j.sha,
    expectedSha: settings.expectedSha ?? null,
    schemaVersion: j.schemaVersion,
    schemaExpectation:
      settings.expectedSchemaVersion ?? (settings.minSchemaVersion ? `≥ ${settings.minSchemaVersion}` : null),
    checks: j.checks,
    reasons: verdict === 'pass' ? [] : j.reasons,
    chain: j.chain,
  };

  logReport(report);
  core.setOutput('verdict', verdict);
  core.setOutput('report', JSON.stringify(report));
  await appendSummary(summaryMarkdown(report));
  await writeRecord('health-deep-gate', report);

  if (verdict === 'critical') {
    throw new ActionFailure(
      `CRITICAL: the app at ${url} is talking to the wrong environment — ${report.reasons.join('; ')}. ` +
        'Failed at once, without retries: roll back and check its environment variables and database.',
    );
  }
  if (verdict === 'fail') {
    throw new ActionFailure(
      `health-deep-gate failed for ${url} after ${outcome.attempts} attempt(s) over ${formatDuration(outcome.elapsedMs)}: ${report.reasons.join('; ')}`,
    );
  }
  return report;
}

function logReport(report: GateReport): void {
  log.info(`verdict: ${report.verdict} after ${report.attempts} attempt(s) (${report.elapsedMs} ms)`);
  log.info(
    `  HTTP ${report.httpStatus ?? '—'} · status ${report.status ?? '—'} · environment ${report.environment ?? '—'}`,
  );
  log.info(`  commit ${report.sha ?? '—'} · schema version ${report.schemaVersion ?? '—'}`);
  for (const check of report.checks) {
    log.info(
      `  ${check.state === 'ok' ? '✓' : '✗'} ${check.name}: ${check.status}${check.required ? ' (required)' : ''}`,
    );
  }
  if (report.verdict === 'critical') {
    log.info('*** CRITICAL: THE APP IS TALKING TO THE WRONG ENVIRONMENT. Failing now, without retries. ***');
  }
  for (const reason of report.reasons) log.info(`  - ${reason}`);
}
