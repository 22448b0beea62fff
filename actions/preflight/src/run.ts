import * as core from '@actions/core';
import { ActionFailure, appendSummary, errorMessage, log, writeResultRecord } from '@gatehouse/action-kit';
import type { CommandRunner } from '@gatehouse/command-runner';
import { hostCheckScript } from './host-checks';
import {
  type CheckResult,
  failures,
  type HostReport,
  markdown,
  parseHostResult,
  withVerdict,
} from './report';
import type { Settings } from './settings';

export interface Deps {
  runner: CommandRunner;
  checkDatabase: (url: string, query: string, expected: string) => Promise<CheckResult>;
}

export async function run(settings: Settings, deps: Deps): Promise<HostReport[]> {
  const reports = await hostReports(settings, deps.runner);
  if (settings.database && settings.host.expectedEnvironment) {
    const db = await deps.checkDatabase(
      settings.database.url,
      settings.database.query,
      settings.host.expectedEnvironment,
    );
    for (const report of reports)
      Object.assign(report, withVerdict(report.host, replaceCheck(report.checks, db)));
  }
  const passed = reports.length > 0 && reports.every((r) => r.passed);
  core.setOutput('passed', String(passed));
  core.setOutput('report', JSON.stringify(reports));
  await appendSummary(markdown(reports));
  for (const r of reports) {
    core.startGroup(`preflight: ${r.host} ${r.passed ? 'passed' : 'FAILED'}`);
    for (const c of r.checks) log.info(`${c.verdict.padEnd(4)} ${c.check}: ${c.reason}`);
    core.endGroup();
  }
  await writeResultRecord('preflight', { passed, hosts: reports });
  const failed = failures(reports);
  if (!passed) {
    throw new ActionFailure(
      `Preflight failed (${failed.length} check(s)); nothing was changed:\n${failed.join('\n')}`,
    );
  }
  return reports;
}

async function hostReports(settings: Settings, runner: CommandRunner): Promise<HostReport[]> {
  try {
    const result = await runner.run({
      script: hostCheckScript(settings.host),
      comment: 'gatehouse preflight (read only)',
      executionTimeoutMs: settings.timeoutMs,
    });
    return result.hosts.map((host) => {
      const report = parseHostResult(host);
      if (runner.kind !== 'ssm') return report;
      // The command reached the host, so its agent is online.
      return withVerdict(report.host, [
        { check: 'ssm-agent', verdict: 'pass', reason: 'Online (the checks ran through it)' },
        ...report.checks,
      ]);
    });
  } catch (error) {
    // The SSM runner checks every agent before sending; an offline or unknown host stops the send.
    if (!(error instanceof ActionFailure) || runner.kind !== 'ssm') throw error;
    return [
      withVerdict(runner.describeTargets(), [
        { check: 'ssm-agent', verdict: 'fail', reason: errorMessage(error) },
      ]),
    ];
  }
}

function replaceCheck(checks: CheckResult[], replacement: CheckResult): CheckResult[] {
  const rest = checks.filter((c) => c.check !== replacement.check);
  return [...rest, replacement];
}
