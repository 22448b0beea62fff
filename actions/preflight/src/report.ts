import type { HostResult } from '@gatehouse/command-runner';
import type { PreflightCheck, PreflightHost } from '@gatehouse/records';
import { LINE_MARK } from './host-checks';

/** One check on one host, as the `report` output and the result record hold it. */
export type CheckResult = PreflightCheck;
export type HostReport = PreflightHost;

/** Every check the script reports, in order; a script that died early is itself a failed check. */
export function parseHostResult(result: HostResult): HostReport {
  const checks: CheckResult[] = [];
  let finished = false;
  for (const line of result.stdout.split('\n')) {
    if (line === `${LINE_MARK}-done`) finished = true;
    if (!line.startsWith(`${LINE_MARK}\t`)) continue;
    const [, check, verdict, reason = ''] = line.split('\t');
    if (check && (verdict === 'pass' || verdict === 'fail' || verdict === 'skip')) {
      checks.push({ check, verdict, reason });
    }
  }
  if (!finished || result.status !== 'Success') {
    checks.push({
      check: 'host-script',
      verdict: 'fail',
      reason:
        `the check script did not finish (${result.status}, ${result.statusDetails}, exit ${result.exitCode})` +
        (result.stderr.trim() ? `: ${result.stderr.trim().slice(-300)}` : ''),
    });
  }
  return withVerdict(result.host, checks);
}

export function withVerdict(host: string, checks: CheckResult[]): HostReport {
  return { host, passed: checks.every((c) => c.verdict !== 'fail'), checks };
}

export function failures(reports: HostReport[]): string[] {
  return reports.flatMap((r) =>
    r.checks.filter((c) => c.verdict === 'fail').map((c) => `${r.host}: ${c.check}: ${c.reason}`),
  );
}

export function markdown(reports: HostReport[]): string {
  const icon = { pass: '✅', fail: '❌', skip: '➖' } as const;
  const rows = reports.flatMap((r) =>
    r.checks.map(
      (c) =>
        `| ${r.host} | ${c.check} | ${icon[c.verdict]} ${c.verdict} | ${c.reason.replace(/\|/g, '\\|')} |`,
    ),
  );
  return ['**preflight**', '', '| host | check | verdict | reason |', '|---|---|---|---|', ...rows, ''].join(
    '\n',
  );
}
