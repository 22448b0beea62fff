import type { WaveResult } from '@gatehouse/command-runner';
import {
  type ChangeKind,
  type DeployVersion,
  describeOutcome,
  type HostOutcome,
  lastOutputLines,
  type ChangedHost as ScriptChangedHost,
  succeeded,
} from '@gatehouse/host-script';
import type { ChangedHost, HostRow, Version, Wave } from './rollout';

/**
 * deploy-ssm's and rollback's records from their rollout: one row per host, the waves, the hosts
 * changed. A separate entry point, so the readers' bundles (summary) do not carry the host script.
 */
export function hostRows(
  outcomes: readonly HostOutcome[],
  options: { lockTimeoutMs: number; kind: ChangeKind; changed: readonly ScriptChangedHost[] },
): HostRow[] {
  return outcomes.map((outcome) => {
    const { result, report } = outcome;
    const ok = succeeded(outcome);
    return {
      host: result.host,
      wave: outcome.wave ?? null,
      status: result.status,
      statusDetails: result.statusDetails,
      exitCode: result.exitCode,
      what: describeOutcome(outcome, options.lockTimeoutMs, options.kind),
      changed: options.changed.some((c) => c.host === result.host),
      previous: report.previous ?? null,
      deployed: ok ? (report.deployed ?? null) : null,
      verified: report.verified ?? null,
      verifyFailed: outcome.reverifyFailed ?? report.verifyFailed ?? null,
      lockHolder: report.lockHolder ?? null,
      outputTruncated: result.outputTruncated,
      outputLocation: result.outputLocation ?? null,
      outputTail: lastOutputLines(outcome, 5)?.join('\n') ?? null,
    };
  });
}

export function changedHostRows(changed: readonly ScriptChangedHost[]): ChangedHost[] {
  return changed.map((c) => ({
    host: c.host,
    previous: c.previous,
    previousUnknown: c.previousUnknown ?? false,
    wave: c.wave ?? null,
  }));
}

export function waveRows(waves: readonly WaveResult[]): Wave[] {
  return waves.map((w) => ({
    wave: w.index,
    hosts: w.hosts,
    outcome: w.outcome,
    durationMs: w.durationMs ?? null,
    bakedMs: w.bakedMs ?? null,
  }));
}

/** A dry run's waves: planned, not run. */
export function plannedWaves(waves: readonly string[][]): Wave[] {
  return waves.map((hosts, i) => ({
    wave: i + 1,
    hosts,
    outcome: 'planned',
    durationMs: null,
    bakedMs: null,
  }));
}

/** A version as records hold it: every field present, null when unknown. */
export function versionRecord(version: DeployVersion): Version {
  return {
    ref: version.ref ?? null,
    sha: version.sha ?? null,
    image: version.image ?? null,
    imageTag: version.imageTag ?? null,
  };
}

export function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join('\n');
}
