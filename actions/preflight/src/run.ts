import * as core from '@actions/core';
import { ActionFailure, appendSummary, errorMessage, log } from '@gatehouse/action-kit';
import type { CommandRunner } from '@gatehouse/command-runner';
import { writeRecord } from '@gatehouse/records';
import { describeHost, driftWarnings, findDrift, versionChecks, versionsMarkdown } from './drift';
import { hostCheckScript } from './host-checks';
import { readHostVersions } from './host-versions';
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
  const { reports, reached } = await hostReports(settings, deps.runner);
  if (settings.database && settings.host.expectedEnvironment) {
    const db = await deps.checkDatabase(
      settings.database.url,
      settings.database.query,
      settings.host.expectedEnvironment,
    );
    for (const report of reports)
      Object.assign(report, withVerdict(report.host, replaceCheck(report.checks, db)));
  }
  // What each host runs: its own read-only command, after the checks, on the hosts they reached.
  const versions = await readHostVersions(deps.runner, reached, { stateDir: settings.host.stateDir });
  const drift = findDrift(versions);
  for (const version of versions) {
    const report = reports.find((r) => r.host === version.host);
    if (!report) continue;
    const rows = versionChecks(version, drift, settings.requireSameVersion);
    Object.assign(report, withVerdict(report.host, [...report.checks, ...rows]));
  }
  const passed = reports.length > 0 && reports.every((r) => r.passed);
  core.setOutput('passed', String(passed));
  core.setOutput('report', JSON.stringify(reports));
  core.setOutput('versions', JSON.stringify(versions));
  await appendSummary(
    markdown(reports) + (versions.length > 0 ? `\n${versionsMarkdown(versions, drift)}` : ''),
  );
  for (const r of reports) {
    core.startGroup(`preflight: ${r.host} ${r.passed ? 'passed' : 'FAILED'}`);
    for (const c of r.checks) log.info(`${c.verdict.padEnd(4)} ${c.check}: ${c.reason}`);
    core.endGroup();
  }
  if (versions.length > 0) {
    core.startGroup(
      `preflight: what each host runs${drift.same ? ` (all ${drift.groups[0]?.version})` : ''}`,
    );
    for (const version of versions) log.info(`${version.host}: ${describeHost(version)}`);
    core.endGroup();
  }
  for (const warning of driftWarnings(drift, settings.requireSameVersion)) core.warning(warning);
  await writeRecord('preflight', { passed, hosts: reports, versions, sameVersion: drift.same });
  const failed = failures(reports);
  if (!passed) {
    throw new ActionFailure(
      `Preflight failed (${failed.length} check(s)); nothing was changed:\n${failed.join('\n')}`,
    );
  }
  return reports;
}

/** Each host's checks, and the hosts the checks reached (where the deploy state is read next). */
async function hostReports(
  settings: Settings,
  runner: CommandRunner,
): Promise<{ reports: HostReport[]; reached: string[] }> {
  try {
    const result = await runner.run({
      script: hostCheckScript(settings.host),
      comment: 'gatehouse preflight (read only)',
      executionTimeoutMs: settings.timeoutMs,
    });
    const reports = result.hosts.map((host) => {
      const report = parseHostResult(host);
      if (runner.kind !== 'ssm') return report;
      // The command reached the host, so its agent is online.
      return withVerdict(report.host, [
        { check: 'ssm-agent', verdict: 'pass', reason: 'Online (the checks ran through it)' },
        ...report.checks,
      ]);
    });
    return { reports, reached: result.hosts.filter((host) => host.started).map((host) => host.host) };
  } catch (error) {
    // The SSM runner checks every agent before sending; an offline or unknown host stops the send.
    if (!(error instanceof ActionFailure) || runner.kind !== 'ssm') throw error;
    const failed = withVerdict(runner.describeTargets(), [
      { check: 'ssm-agent', verdict: 'fail', reason: errorMessage(error) },
    ]);
    return { reports: [failed], reached: [] };
  }
}

function replaceCheck(checks: CheckResult[], replacement: CheckResult): CheckResult[] {
  const rest = checks.filter((c) => c.check !== replacement.check);
  return [...rest, replacement];
}
