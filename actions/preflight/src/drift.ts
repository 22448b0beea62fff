import { abbreviate } from '@gatehouse/command-runner';
import type { HostVersion } from './host-versions';
import type { CheckResult } from './report';

/** Whether the hosts run one version, and if not, which hosts run what. Pure. */
export interface Drift {
  /** Every host records a version, and it is the same one. */
  same: boolean;
  /** Hosts by the version they record, most hosts first. */
  groups: { version: string; hosts: string[] }[];
  /** Hosts that record no version. */
  none: string[];
  /** Hosts whose deploy-state.json could not be read. */
  unreadable: string[];
  /** Hosts whose newest attempt failed. */
  lastFailed: HostVersion[];
}

export function findDrift(versions: readonly HostVersion[]): Drift {
  const byKey = new Map<string, { version: string; hosts: string[] }>();
  for (const v of versions) {
    if (v.state !== 'deployed') continue;
    // The commit and the tag both: one tag rebuilt from another commit is another version.
    const key = `${v.sha ?? ''}\t${v.imageTag ?? ''}`;
    const group = byKey.get(key) ?? { version: v.version ?? '?', hosts: [] };
    group.hosts.push(v.host);
    byKey.set(key, group);
  }
  const groups = [...byKey.values()].sort(
    (a, b) => b.hosts.length - a.hosts.length || a.version.localeCompare(b.version),
  );
  const hostsIn = (state: HostVersion['state']) =>
    versions.filter((v) => v.state === state).map((v) => v.host);
  const none = hostsIn('none');
  const unreadable = hostsIn('unreadable');
  return {
    same: groups.length === 1 && none.length === 0 && unreadable.length === 0,
    groups,
    none,
    unreadable,
    lastFailed: versions.filter((v) => v.lastFailed !== null),
  };
}

/** Which hosts run what: `abc1234def56 on i-1, i-2; v2.1.0 on i-3; nothing recorded on i-4`. */
export function describeDrift(drift: Drift): string {
  return [
    ...drift.groups.map((group) => `${group.version} on ${abbreviate(group.hosts)}`),
    ...(drift.none.length > 0 ? [`nothing recorded on ${abbreviate(drift.none)}`] : []),
    ...(drift.unreadable.length > 0 ? [`unreadable on ${abbreviate(drift.unreadable)}`] : []),
  ].join('; ');
}

function describeLastFailed(v: HostVersion): string {
  const last = v.lastFailed;
  if (!last) return '';
  const what = last.outcome === 'rollback-failed' ? 'rollback' : 'deploy';
  return `its last ${what}, to ${last.version} (run ${last.runId} by ${last.actor} at ${last.time}), FAILED`;
}

/** What one host runs, in a line: the version, since when, by which run and actor, and how it ended. */
export function describeHost(v: HostVersion): string {
  const failed = describeLastFailed(v);
  if (v.state === 'unreadable') return v.error ?? 'deploy-state.json could not be read';
  if (v.state === 'none')
    return `no version recorded${failed ? `; ${failed}` : ' (no deploy has succeeded here yet)'}`;
  const ref = v.ref ? ` (${v.ref})` : '';
  const how = v.outcome === 'rollback' ? 'a rollback' : 'deployed';
  const by = `${how} by run ${v.runId ?? '?'} (${v.actor ?? '?'})`;
  return `runs ${v.version}${ref} since ${v.since}, ${by}${failed ? `; ${failed}` : ''}`;
}

/**
 * The rows each host gets in the report: `deploy-state` (a file that cannot be read is a
 * failure: nobody can say what the host runs, and Gatehouse's deploy refuses a file not in its
 * layout), and with `require-same-version`, `same-version`.
 */
export function versionChecks(v: HostVersion, drift: Drift, requireSame: boolean): CheckResult[] {
  const state: CheckResult = {
    check: 'deploy-state',
    verdict: v.state === 'unreadable' ? 'fail' : 'pass',
    reason: describeHost(v),
  };
  if (!requireSame) return [state];
  return [state, sameVersionCheck(v, drift)];
}

function sameVersionCheck(v: HostVersion, drift: Drift): CheckResult {
  const check = 'same-version';
  if (v.state === 'unreadable')
    return { check, verdict: 'skip', reason: 'what it runs could not be read (see deploy-state)' };
  const fleet = describeDrift(drift);
  if (v.state === 'none')
    return { check, verdict: 'fail', reason: `records no version; the hosts: ${fleet}` };
  if (drift.groups.length === 1) {
    const others = drift.none.length === 0 ? '' : ` (nothing recorded on ${abbreviate(drift.none)})`;
    return { check, verdict: 'pass', reason: `every host that records a version runs ${v.version}${others}` };
  }
  return { check, verdict: 'fail', reason: `runs ${v.version}, but the hosts disagree: ${fleet}` };
}

/** The warning (or, with require-same-version, the failure's cause) when the hosts disagree. */
export function driftMessage(drift: Drift): string | undefined {
  if (drift.groups.length <= 1 && drift.none.length === 0) return undefined;
  const what =
    drift.groups.length > 1 ? 'The hosts do not run the same version' : 'Not every host records a version';
  return `${what}: ${describeDrift(drift)}.`;
}

/**
 * The warnings: hosts that disagree (unless require-same-version makes that a failure), and hosts
 * whose last attempt failed, named whatever the setting.
 */
export function driftWarnings(drift: Drift, requireSame: boolean): string[] {
  const warnings: string[] = [];
  const disagreement = driftMessage(drift);
  if (disagreement && !requireSame) {
    warnings.push(`${disagreement} With require-same-version: true, preflight would fail here.`);
  }
  const lastFailed = drift.lastFailed.map((v) => `${v.host}: ${describeHost(v)}`);
  if (lastFailed.length > 0) {
    warnings.push(`The last attempt failed on ${lastFailed.length} host(s):\n${lastFailed.join('\n')}`);
  }
  return warnings;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The job summary's table: one row per host. */
export function versionsMarkdown(versions: readonly HostVersion[], drift: Drift): string {
  const headline = drift.same
    ? `Every host runs \`${drift.groups[0]?.version}\`.`
    : `⚠️ ${driftMessage(drift) ?? `Some hosts' state could not be read: ${abbreviate(drift.unreadable)}.`}`;
  const rows = versions.map((v) => {
    const note =
      v.state === 'unreadable'
        ? `❌ ${v.error ?? ''}`
        : v.lastFailed
          ? `❌ ${describeLastFailed(v)}`
          : v.state === 'none'
            ? 'no version recorded'
            : v.outcome === 'rollback'
              ? 'a rollback'
              : '';
    return `| \`${v.host}\` | ${v.version ? `\`${v.version}\`` : '-'} | ${cell(v.ref ?? '-')} | ${v.since ?? '-'} | ${v.runId ?? '-'} | ${cell(v.actor ?? '-')} | ${cell(note)} |`;
  });
  return [
    '**preflight: what each host runs**',
    '',
    headline,
    '',
    '| host | version | ref | since | run | actor | note |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
