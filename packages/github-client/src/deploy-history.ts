import { ARTIFACTS_PER_PAGE, type Artifact, artifactsNamed, readArtifactFiles } from './artifacts';
import type { GithubClient } from './index';
import type { RunChecker, RunVerdict } from './trusted-runs';

/**
 * The deploy history as an artifact: each deploy job uploads `deploy-history-<environment>`, one
 * JSON Lines file at its root, holding the history it restored plus its own line. An artifact
 * belongs to the run that uploaded it, and no other run can add one to it, so the history line a
 * run wrote about itself is the run's own account of what it deployed.
 */
export function historyArtifactName(environment: string): string {
  return `deploy-history-${environment}`;
}

/** The fields of a history line that other runs rely on (summary writes them all). */
export interface HistoryEntry {
  environment: string | null;
  outcome: string;
  sha: string | null;
  'run-id': string | null;
  'deployment-id': number | null;
}

const isJsonl = (path: string) => !path.includes('/') && path.endsWith('.jsonl');

/** Lines that are JSON objects; a line someone broke by hand is left out. */
export function historyLines(text: string): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        lines.push(value as Record<string, unknown>);
      }
    } catch {
      // Dropped, as summary drops it when it rewrites the file.
    }
  }
  return lines;
}

export interface TrustedHistory {
  artifact: Artifact;
  run: RunVerdict & { trusted: true };
  /** The JSON Lines file's text (the one named `fileName`, or the artifact's only one). */
  text: string;
}

export interface HistorySearch {
  found?: TrustedHistory;
  /**
   * Each newer artifact of that name passed over, newest first: `untrusted` when its run may not
   * vouch for it (worth a warning: someone uploaded that name), otherwise expired or unreadable.
   */
  skipped: { artifact: Artifact; why: string; untrusted: boolean }[];
  /** True when the search stopped at its limits rather than at the oldest artifact. */
  exhausted: boolean;
}

/** How many runs are asked about, and artifacts listed, before giving up: each costs API calls. */
const MAX_RUNS_CHECKED = 50;
const MAX_PAGES = 10;

/**
 * The newest unexpired `deploy-history-<environment>` artifact uploaded by a trusted run (any
 * conclusion: a failed or rolled-back deploy's line matters most), with its history file.
 */
export async function findTrustedHistory(
  github: GithubClient,
  checker: RunChecker,
  environment: string,
  fileName: string,
): Promise<HistorySearch> {
  const skipped: HistorySearch['skipped'] = [];
  let checked = 0;
  let listed = 0;
  for await (const artifact of artifactsNamed(github, historyArtifactName(environment), {
    maxPages: MAX_PAGES,
  })) {
    listed++;
    const runId = artifact.workflow_run?.id;
    if (artifact.expired) {
      skipped.push({ artifact, why: 'expired', untrusted: false });
      continue;
    }
    if (runId === undefined || !checker.mayTrust(artifact.workflow_run ?? {})) {
      const branch = artifact.workflow_run?.head_branch ?? 'no branch';
      skipped.push({
        artifact,
        why: `uploaded by workflow run ${runId ?? '?'} on ${branch}, not a trusted ref of this repository`,
        untrusted: true,
      });
      continue;
    }
    if (++checked > MAX_RUNS_CHECKED) return { skipped, exhausted: true };
    const verdict = await checker.check(runId, { requireSuccess: false });
    if (!verdict.trusted) {
      skipped.push({ artifact, why: verdict.why, untrusted: true });
      continue;
    }
    const files = await readArtifactFiles(github, artifact.id, isJsonl);
    if (!files) {
      skipped.push({ artifact, why: 'gone before it could be downloaded', untrusted: false });
      continue;
    }
    const text = files.get(fileName) ?? (files.size === 1 ? [...files.values()][0] : undefined);
    if (text === undefined) {
      skipped.push({ artifact, why: `holds no ${fileName}`, untrusted: false });
      continue;
    }
    return { found: { artifact, run: verdict, text }, skipped, exhausted: false };
  }
  return { skipped, exhausted: listed >= MAX_PAGES * ARTIFACTS_PER_PAGE };
}

/**
 * Whether `run` itself recorded deployment `deploymentId` of `sha` to `environment` as deployed:
 * the line it wrote in the history artifact it uploaded. Undefined when it did; otherwise why not.
 */
export async function runRecordedDeployment(
  github: GithubClient,
  runId: number,
  expected: { deploymentId: number; sha: string; environment: string },
): Promise<string | undefined> {
  const name = historyArtifactName(expected.environment);
  let artifacts = 0;
  for await (const artifact of artifactsNamed(github, name, { runId, maxPages: 1 })) {
    if (artifact.expired) continue;
    artifacts++;
    const files = await readArtifactFiles(github, artifact.id, isJsonl);
    for (const text of files?.values() ?? []) {
      const line = historyLines(text).findLast(
        (entry) =>
          String(entry['run-id']) === String(runId) && entry['deployment-id'] === expected.deploymentId,
      );
      if (!line) continue;
      if (line.sha !== expected.sha)
        return `its history records deployment ${expected.deploymentId} for ${String(line.sha)}`;
      if (line.environment !== expected.environment) {
        return `its history records deployment ${expected.deploymentId} in ${String(line.environment)}`;
      }
      if (line.outcome !== 'deployed') {
        return `its history records deployment ${expected.deploymentId} as ${String(line.outcome)}`;
      }
      return undefined;
    }
  }
  return artifacts === 0
    ? `left no unexpired ${name} artifact, the run's own record of what it deployed (artifacts expire, 90 days by default)`
    : `never recorded deployment ${expected.deploymentId} in its ${name} artifact: the deployment names a run that did not create it`;
}
