import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import * as core from '@actions/core';
import { log } from '@gatehouse/action-kit';
import type { Settings } from './settings';
import type { JobView } from './views';

/** What became of the earlier history, as `restoreHistory` found it. */
export type Restored =
  | {
      kind: 'restored';
      text: string;
      artifact: { id: number; name: string };
      run: { id: number; path: string; ref: string };
      passedOver: PassedOver[];
    }
  | { kind: 'none'; artifactName: string; passedOver: PassedOver[] }
  /** The search could not finish (an API error, its limits): the history is left alone this time. */
  | { kind: 'failed'; why: string };

export interface PassedOver {
  artifactId: number;
  runId?: number;
  why: string;
  /** Uploaded by a run that may not vouch for it: someone else wrote that name. */
  untrusted: boolean;
}

function described(passed: PassedOver[], limit = 5): string {
  const lines = passed
    .slice(0, limit)
    .map((p) => `artifact ${p.artifactId}${p.runId === undefined ? '' : ` (run ${p.runId})`}: ${p.why}`);
  if (passed.length > limit) lines.push(`and ${passed.length - limit} more`);
  return lines.join('; ');
}

function warnAboutUntrusted(passed: PassedOver[], name: string): void {
  const untrusted = passed.filter((p) => p.untrusted);
  if (untrusted.length === 0) return;
  core.warning(
    `Deploy history: ignored ${untrusted.length} newer ${name} artifact(s) from runs that may not vouch for ` +
      `a deploy history (${described(untrusted)}). Their entries are not carried into this environment's history.`,
  );
}

/**
 * With `restore-history`, the history file's earlier lines come only from the newest
 * `deploy-history-<environment>` artifact that a trusted run uploaded (see trusted-workflows and
 * trusted-refs), never from whatever artifact of that name is newest, which a pull request's
 * workflow can upload. Says whether to append this run's line: not when the search could not
 * finish, since an upload of a new history would then hide the previous one.
 */
export async function carryHistory(
  settings: Settings,
  job: JobView,
  deps: { restoreHistory: (environment: string, fileName: string) => Promise<Restored> },
): Promise<{ write: boolean; runId?: string }> {
  const file = settings.historyFile;
  if (!file) return { write: false };
  if (!settings.restoreHistory) return { write: true };
  const environment = job.ref.environment;
  if (!environment) {
    core.warning(
      "Deploy history not updated: input 'restore-history' needs the environment (input 'environment', or resolve-ref's record).",
    );
    return { write: false };
  }
  const restored = await deps.restoreHistory(environment, basename(file));
  if (restored.kind === 'failed') {
    core.warning(
      `Deploy history not updated: ${restored.why} Nothing is lost: the previous history artifact stays ` +
        'the newest, and the next deploy carries it on.',
    );
    return { write: false };
  }
  if (restored.kind === 'none') {
    await rm(file, { force: true });
    warnAboutUntrusted(restored.passedOver, restored.artifactName);
    const passed = restored.passedOver.length ? ` (passed over: ${described(restored.passedOver)})` : '';
    log.info(
      `Deploy history: no ${restored.artifactName} artifact from a trusted run${passed}; starting a new history.`,
    );
    return { write: true };
  }
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, restored.text);
  warnAboutUntrusted(restored.passedOver, restored.artifact.name);
  log.info(
    `Deploy history: carried on from artifact ${restored.artifact.name} (${restored.artifact.id}) of workflow run ` +
      `${restored.run.id} (${restored.run.path} on ${restored.run.ref}).`,
  );
  return { write: true, runId: String(restored.run.id) };
}
