import type { DeployEntry } from '@gatehouse/records';
import { type RenderContext, runLink, utcText } from '../context';
import { cell, code, link, table } from '../markdown';
import { type JobView, versionText } from '../views';

/** What one host runs after this job, as far as its records tell. */
export interface HostStanding {
  host: string;
  /** The entry the host recorded for what it runs now, when this job knows it. */
  entry?: DeployEntry;
  /** In words, when there is no entry: unchanged, or unknown and why. */
  note?: string;
}

/** Each host the job touched or meant to: the rollback's word on it first, then the deploy's. */
export function standings(job: JobView): HostStanding[] {
  const deploy = job.deploy && !job.deploy.dryRun ? job.deploy : undefined;
  const rollback = job.rollback && !job.rollback.dryRun ? job.rollback : undefined;
  const hosts = [...new Set([...(deploy?.hosts ?? []), ...(rollback?.results.map((r) => r.host) ?? [])])];
  return hosts.map((host): HostStanding => {
    const back = rollback?.results.find((r) => r.host === host);
    if (back?.status === 'Success') {
      const entry = back.deployed ?? rollback?.deployed ?? undefined;
      return entry
        ? { host, entry }
        : { host, note: `rolled back to ${versionText(rollback?.rolledBackTo)}` };
    }
    if (back?.changed) {
      return { host, note: `unknown: the rollback failed here and may have half-changed it (${back.what})` };
    }
    const row = deploy?.results.find((r) => r.host === host);
    const failedBack = back ? `; the rollback failed here: ${back.what}` : '';
    if (row?.status === 'Success') {
      const entry = row.deployed ?? deploy?.deployed ?? undefined;
      return entry && !back
        ? { host, entry }
        : { host, note: `${versionText(entry ?? deploy?.version)} (this deploy)${failedBack}` };
    }
    if (row?.changed) {
      return {
        host,
        note: `unknown: the deploy failed here and may have half-changed it; read its deploy-state.json${failedBack}`,
      };
    }
    return { host, note: `unchanged by this job${failedBack}` };
  });
}

export function standingSection(job: JobView, ctx: RenderContext): string {
  const rows = standings(job).map(({ host, entry, note }) => {
    if (!entry) return [code(host), cell(note), '—', '—'];
    const by = `${entry.outcome === 'rollback' ? 'rollback' : 'deploy'} by ${cell(entry.actor || 'unknown')} in run ${link(
      code(entry.runId || '?'),
      runLink(ctx, entry.runId),
    )}`;
    return [code(host), code(versionText(entry)), utcText(entry.time), by];
  });
  if (rows.length === 0) {
    return '### Where things stand\n\nNo host was changed by this job: each runs what it ran before.';
  }
  return `### Where things stand\n\n${table(['Host', 'Runs', 'Since', 'By'], rows, ctx.maxRows, (n) => `${n} more hosts not shown.`)}`;
}
